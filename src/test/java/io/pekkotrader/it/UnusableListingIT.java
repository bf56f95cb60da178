package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pekkotrader.actors.SymbolRegistry;
import io.pekkotrader.persistence.JournalDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run-time symbol without a usable strategy, end to end on a running engine (embedded simulator,
 * H2 journal): the API refuses an empty strategy and gives an omitted one the default, so the
 * engine stays ready; and an engine recovering a journal that already holds a listing with an
 * empty strategy (as earlier versions persisted one) comes up ready, with that symbol in ERROR,
 * listed in {@code /actors}, reported by {@code check-journal}, and removable.
 */
class UnusableListingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  @Test
  void aListingThatCannotTradeIsRefusedAndOneAlreadyPersistedRunsInErrorWithoutTakingTheEngineDown() throws Exception {
    Path tmp = Files.createTempDirectory("unusable-listing-it");
    Path data = tmp.resolve("data");
    try {
      try (EngineProcess engine = EngineProcess.start(data, "simulator", "unusable-1")) {
        engine.awaitStatus(WAIT, "recovered symbols", EngineProcess::settled);

        JsonNode refused = engine.call("POST", "/api/v1/symbols", "{\"venue\":\"binance\",\"symbol\":\"XRPUSDT\",\"strategy\":\"\"}", 400);
        assertEquals("strategy", refused.path("error").path("field").asText(), refused.toString());
        JsonNode added = engine.call("POST", "/api/v1/symbols", "{\"venue\":\"binance\",\"symbol\":\"DOGEUSDT\"}", 201);
        assertEquals("ma-crossover", added.path("symbol").path("strategy").asText(), "an omitted strategy takes the default");
        engine.awaitStatus(WAIT, "the added symbol recovered", s -> phase(s, "binance:DOGEUSDT") != null && EngineProcess.settled(s));
        engine.awaitReady(WAIT);
        assertEquals(0, engine.terminate());
      }

      appendListingWithEmptyStrategy(data, "DOGEUSDT", "ADAUSDT");
      EngineProcess.Result audit =
          EngineProcess.runToCompletion(tmp.resolve("check-1.log"), "check-journal", "--data-dir", data.toString());
      assertEquals(1, audit.exitCode(), audit.output());
      assertTrue(audit.output().contains("binance:ADAUSDT: listed at run time with a strategy that cannot trade"), audit.output());

      try (EngineProcess engine = EngineProcess.start(data, "simulator", "unusable-2")) {
        JsonNode status =
            engine.awaitStatus(WAIT, "the journal's catalogue, every symbol recovered", s -> phase(s, "binance:ADAUSDT") != null && EngineProcess.settled(s));
        assertEquals("ERROR", phase(status, "binance:ADAUSDT"), status.toString());
        engine.awaitReady(WAIT);

        JsonNode symbol = engine.call("GET", "/api/v1/symbols/binance:ADAUSDT", null, 200);
        assertEquals("ERROR", symbol.path("phase").asText());
        assertTrue(symbol.path("error").asText().contains("no strategy is named"), symbol.toString());
        assertEquals("ma-crossover", engine.call("GET", "/api/v1/symbols/binance:DOGEUSDT", null, 200).path("strategy").asText());
        JsonNode node = actor(engine.call("GET", "/api/v1/actors", null, 200), "binance:ADAUSDT");
        assertNotNull(node, "the symbol in ERROR is in the supervision tree");
        assertEquals("error", node.path("state").asText(), node.toString());
        assertEquals(0, node.path("restarts").asInt(), "it does not crash-loop");
        assertTrue(engine.logText().contains("Symbol cannot trade: binance:ADAUSDT"), "one alert raised");

        JsonNode removed = engine.call("DELETE", "/api/v1/symbols/binance:ADAUSDT", null, 200);
        assertEquals("removed", removed.path("outcome").asText());
        JsonNode readded = engine.call("POST", "/api/v1/symbols", "{\"venue\":\"binance\",\"symbol\":\"ADAUSDT\",\"strategy\":\"ma-crossover\"}", 201);
        assertEquals("ma-crossover", readded.path("symbol").path("strategy").asText());
        engine.awaitStatus(WAIT, "the corrected symbol trading", s -> {
          String phase = phase(s, "binance:ADAUSDT");
          return phase != null && !phase.equals("ERROR") && !phase.equals("PAUSED") && !phase.equals("UNAVAILABLE");
        });
        engine.awaitReady(WAIT);
        assertEquals(0, engine.terminate());
      }
      JournalCheck.audit(data, "check-2");
    } finally {
      try (var files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String phase(JsonNode status, String id) {
    for (JsonNode symbol : status.get("symbols")) {
      if (symbol.get("id").asText().equals(id)) {
        return symbol.get("phase").asText();
      }
    }
    return null;
  }

  private static JsonNode actor(JsonNode tree, String nameContains) {
    for (JsonNode node : tree.path("actors")) {
      if (node.path("name").asText().contains(nameContains.replace(":", "%3A"))
          || node.path("name").asText().contains(nameContains)) {
        return node;
      }
    }
    return null;
  }

  /**
   * What an earlier version persisted for {@code POST /symbols} with an empty strategy: the
   * registry's last {@code SymbolAdded} (of {@code template}) appended again for {@code symbol},
   * its strategy emptied, with the serializer and manifest the engine itself wrote.
   */
  private static void appendListingWithEmptyStrategy(Path data, String template, String symbol) throws Exception {
    try (Connection connection = DriverManager.getConnection(JournalDatabase.h2Url(data), "", "")) {
      String persistenceId = SymbolRegistry.PERSISTENCE_ID.id();
      long sequenceNr;
      String writer;
      String manifest;
      int serializer;
      byte[] payload;
      try (PreparedStatement last =
              connection.prepareStatement(
                  "SELECT \"sequence_number\", \"writer\", \"event_ser_id\", \"event_ser_manifest\", \"event_payload\" FROM PUBLIC.\"event_journal\""
                      + " WHERE \"persistence_id\" = ? ORDER BY \"sequence_number\" DESC LIMIT 1")) {
        last.setString(1, persistenceId);
        try (ResultSet row = last.executeQuery()) {
          assertTrue(row.next(), "the registry has persisted the template listing");
          sequenceNr = row.getLong(1);
          writer = row.getString(2);
          serializer = row.getInt(3);
          manifest = row.getString(4);
          payload = row.getBytes(5);
        }
      }
      assertTrue(manifest.contains("SymbolAdded"), manifest);
      JsonNode event = CBOR.readTree(payload);
      JsonNode renamed = renamed(event, template, symbol);
      ((ObjectNode) renamed.get("listing")).put("strategy", "");
      assertFalse(renamed.toString().contains(template), renamed.toString());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\","
                  + " \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, ?, ?, '', ?, ?, ?)")) {
        insert.setString(1, persistenceId);
        insert.setLong(2, sequenceNr + 1);
        insert.setString(3, writer);
        insert.setLong(4, System.currentTimeMillis());
        insert.setBytes(5, CBOR.writeValueAsBytes(renamed));
        insert.setInt(6, serializer);
        insert.setString(7, manifest);
        assertEquals(1, insert.executeUpdate());
      }
    }
  }

  /** {@code node} with every text that names {@code from} naming {@code to} instead. */
  private static JsonNode renamed(JsonNode node, String from, String to) {
    if (node.isTextual()) {
      return new TextNode(node.textValue().replace(from, to));
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), renamed(field.getValue(), from, to));
      }
      return copy;
    }
    return node;
  }
}
