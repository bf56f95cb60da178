package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class JsonLogFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger("io.pekkotrader.test.JsonLogFileTest");

  @TempDir Path tmp;

  @Test
  void writesJsonLinesWithTheMdcAndRotatesIntoAtMostMaxFilesGzipFiles() throws Exception {
    Path dir = tmp.resolve("logs");
    JsonLogFile file = JsonLogFile.attach(dir, new Settings.Logging(true, 1024, 2), Duration.ofMillis(1));
    assertNotNull(file);
    try {
      MDC.put("symbol", "sim:BTCUSDT");
      // each line is ~250 bytes: a rotation every few lines, so at least 5 of them
      for (int i = 0; i < 100; i++) {
        log.info("line {} of the test", i);
        Thread.sleep(2);
      }
    } finally {
      MDC.remove("symbol");
      file.close();
    }

    assertEquals(dir.resolve("engine.jsonl").toAbsolutePath(), file.file());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of("engine.1.jsonl.gz", "engine.2.jsonl.gz", "engine.jsonl"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "the active file and max-files rotated ones");
    }
    List<String> lines = new ArrayList<>();
    lines.addAll(gunzip(dir.resolve("engine.2.jsonl.gz")));
    lines.addAll(gunzip(dir.resolve("engine.1.jsonl.gz")));
    lines.addAll(Files.readAllLines(dir.resolve("engine.jsonl"), StandardCharsets.UTF_8));
    List<Integer> numbers = new ArrayList<>();
    for (String line : lines) {
      JsonNode json = JSON.readTree(line);
      if (json.get("logger").asText().equals("io.pekkotrader.test.JsonLogFileTest")) {
        assertEquals("sim:BTCUSDT", json.get("mdc").get("symbol").asText(), line);
        numbers.add(Integer.parseInt(json.get("message").asText().split(" ")[1]));
      }
    }
    assertTrue(numbers.size() < 100, "older lines were rotated out: " + numbers.size());
    assertEquals(99, numbers.get(numbers.size() - 1), "the newest line is in the active file");
    for (int i = 1; i < numbers.size(); i++) {
      assertEquals(numbers.get(i - 1) + 1, numbers.get(i), "no line lost or reordered between the kept files");
    }
  }

  @Test
  void commandsOtherThanRunWriteNoLogFile() throws IOException {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("journal"));
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.PrintWriter writer = new java.io.PrintWriter(out);

    int exitCode = Main.commandLine(java.util.Map.of(), writer, writer).execute("check-journal", "--data-dir", data.toString());
    Main.commandLine(java.util.Map.of(), writer, writer).execute("help", "run");

    assertEquals(Main.EXIT_JOURNAL_UNAVAILABLE, exitCode, out.toString());
    assertTrue(!Files.exists(data.resolve("logs")) && !Files.exists(tmp.resolve("logs")), "no log directory");
  }

  private static List<String> gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
