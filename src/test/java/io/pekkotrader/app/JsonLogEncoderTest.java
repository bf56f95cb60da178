package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoggerContext context = new LoggerContext();
  private final JsonLogEncoder encoder = new JsonLogEncoder();

  private LoggingEvent event(Level level, String message, Throwable throwable, Object... args) {
    LoggingEvent event =
        new LoggingEvent("test", context.getLogger("io.pekkotrader.actors.SymbolTrader"), level, message, throwable, args);
    event.setTimeStamp(1_795_000_000_123L);
    event.setThreadName("pekko-trader-pekko.actor.default-dispatcher-5");
    return event;
  }

  private String line(LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void writesOneLineOfJsonWithTheFormattedMessageAndTheMdc() throws Exception {
    LoggingEvent event = event(Level.INFO, "{} entry intended {}", null, "sim:BTCUSDT", "BTCUSDT-12");
    event.setMDCPropertyMap(Map.of("symbol", "sim:BTCUSDT", "clientOrderId", "BTCUSDT-12"));

    String line = line(event);

    assertTrue(line.endsWith("}\n"), line);
    assertEquals(1, line.lines().count(), line);
    JsonNode json = JSON.readTree(line);
    assertEquals("2026-11-18T11:06:40.123Z", json.get("timestamp").asText());
    assertEquals("INFO", json.get("level").asText());
    assertEquals("io.pekkotrader.actors.SymbolTrader", json.get("logger").asText());
    assertEquals("pekko-trader-pekko.actor.default-dispatcher-5", json.get("thread").asText());
    assertEquals("sim:BTCUSDT entry intended BTCUSDT-12", json.get("message").asText());
    assertEquals("BTCUSDT-12", json.get("mdc").get("clientOrderId").asText());
    assertEquals("sim:BTCUSDT", json.get("mdc").get("symbol").asText());
    assertFalse(json.has("throwable"));
  }

  @Test
  void keepsAMultiLineMessageWithQuotesAndAStackTraceOnOneLine() throws Exception {
    LoggingEvent event = event(Level.ERROR, "bad \"frame\":\n{}", new IllegalStateException("boom\nagain"), "{\"e\":1}");
    event.setMDCPropertyMap(Map.of());

    String line = line(event);

    assertEquals(1, line.lines().count(), line);
    JsonNode json = JSON.readTree(line);
    assertEquals("bad \"frame\":\n{\"e\":1}", json.get("message").asText());
    assertTrue(json.get("throwable").asText().startsWith("java.lang.IllegalStateException: boom\nagain"), json.toString());
    assertTrue(json.get("throwable").asText().contains("JsonLogEncoderTest"), "with its stack trace");
    assertEquals(0, json.get("mdc").size(), "an empty mdc object when there is none");
  }
}
