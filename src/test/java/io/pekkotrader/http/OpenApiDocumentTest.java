package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json against the route classes: every literal path segment the routes match is
 * part of a described path, and every described operation has the errors every route can give.
 * (That every described route exists on a running engine is checked by OperatorApiIT.)
 */
class OpenApiDocumentTest {
  private static final Pattern ROUTE_SEGMENT = Pattern.compile("\\b(?:path|pathPrefix)\\(\\s*\"([a-z0-9-]+)\"\\s*,");

  @Test
  void everyRouteSegmentIsDescribed() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Path.of("docs/openapi.json").toFile());
    Set<String> described = new HashSet<>();
    doc.get("paths").fieldNames().forEachRemaining(p -> described.addAll(Set.of(p.split("/"))));

    Set<String> routed = new TreeSet<>();
    try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/pekkotrader/http"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith("Routes.java")).toList()) {
        Matcher matcher = ROUTE_SEGMENT.matcher(Files.readString(source));
        while (matcher.find()) {
          routed.add(matcher.group(1));
        }
      }
    }
    routed.removeAll(Set.of("api", "v1", "dashboard"));
    assertTrue(routed.size() >= 15, "found the routes: " + routed);
    Set<String> missing = new TreeSet<>(routed);
    missing.removeAll(described);
    assertEquals(Set.of(), missing, "routed segments missing from docs/openapi.json");
  }

  @Test
  void everyOperationSaysHowItFails() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Path.of("docs/openapi.json").toFile());
    assertEquals("3.0.3", doc.get("openapi").asText());
    doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
      JsonNode responses = operation.getValue().get("responses");
      String name = operation.getKey().toUpperCase() + " " + path.getKey();
      assertTrue(responses.has("401"), name + " documents 401");
      assertTrue(responses.has("429"), name + " documents 429");
      assertTrue(operation.getValue().get("summary").asText().length() > 10, name + " has a summary");
    }));
  }
}
