package io.pekkotrader.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard in deploy/grafana: valid JSON with a panel for every catalogue metric. */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("deploy", "grafana", "pekko-trader.json");

  @Test
  void everyCatalogueMetricIsInSomePanelsQuery() throws Exception {
    List<String> queries = queries(new ObjectMapper().readTree(DASHBOARD.toFile()));

    for (TradingMetrics.Definition metric : TradingMetrics.CATALOGUE) {
      Pattern used = Pattern.compile("\\b" + metric.name() + "(_bucket|_sum|_count)?\\b");
      assertTrue(queries.stream().anyMatch(query -> used.matcher(query).find()), metric.name() + " has a panel");
    }
  }

  @Test
  void panelsHaveUniqueIdsAQueryAndTheTemplatedDataSource() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<Integer> ids = new HashSet<>();

    assertEquals("pekko-trader", dashboard.get("uid").asText());
    assertEquals("datasource", dashboard.get("templating").get("list").get(0).get("name").asText());
    for (JsonNode panel : dashboard.get("panels")) {
      assertTrue(ids.add(panel.get("id").asInt()), "panel id " + panel.get("id") + " is unique");
      if (!panel.get("type").asText().equals("row")) {
        assertFalse(panel.get("targets").isEmpty(), panel.get("title") + " has a query");
        assertEquals("${datasource}", panel.get("datasource").get("uid").asText(), panel.get("title") + " uses the chosen Prometheus");
      }
    }
  }

  static List<String> queries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.get("expr").asText());
      }
    }
    return queries;
  }
}
