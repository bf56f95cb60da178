package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.actors.SymbolDirectory;
import io.pekkotrader.actors.SymbolRegistry;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.actors.VenueConnection;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.Strategies;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /symbols} and {@code DELETE /symbols/{id}} on a real HTTP server in front of a real
 * SymbolRegistry (in-memory journal). The symbols are stand-ins that answer a pause as a flat
 * symbol would, or as one in a position would ({@link #IN_POSITION}). Success, auth failure and
 * validation failure for both; bad input never changes the catalogue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogueRoutesTest {
  private static final String KEY = "catalogue-routes-test-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Symbols whose stand-in refuses a pause. */
  private static final Set<String> IN_POSITION = Set.of("binance:ETHUSDT");

  private ActorTestKit testKit;
  private ControlApiUnderTest api;
  private SymbolDirectory directory;
  private final Map<SymbolId, ActorRef<SymbolTrader.Command>> symbols = new ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    testKit = ControlApiUnderTest.testKit();
    Settings settings = ControlApiUnderTest.settings();
    directory = new SymbolDirectory(settings.symbols());
    ActorRef<SymbolRegistry.Command> registry =
        testKit.spawn(
            SymbolRegistry.create(
                new SymbolRegistry.Setup(
                    settings.symbols(),
                    "USDT",
                    Set.of("USDT"),
                    id -> symbols.computeIfAbsent(id, s -> testKit.spawn(standIn(s))),
                    Duration.ofSeconds(2),
                    Clock.systemUTC(),
                    listing -> Strategies.problem(listing.strategy()))));
    ActorRef<VenueConnection.Command> binance = testKit.<VenueConnection.Command>createTestProbe().getRef();
    Engine engine = new Engine(settings, 0, null, null, Map.of("binance", binance), null, null, null, null, directory, registry, null);
    api = ControlApiUnderTest.bind(testKit, engine, KEY, Duration.ofSeconds(15));
  }

  /** A symbol that answers pause and resume as SymbolTrader does, flat or (for {@link #IN_POSITION}) not. */
  private static Behavior<SymbolTrader.Command> standIn(SymbolId id) {
    boolean flat = !IN_POSITION.contains(id.id());
    SymbolTrader.SymbolView view =
        new SymbolTrader.SymbolView(
            id.id(), "ma-crossover", true, flat ? SymbolPhase.READY : SymbolPhase.IN_POSITION, 0, null, null, null,
            flat ? BigDecimal.ZERO : BigDecimal.ONE, BigDecimal.ZERO, null, 0, 0, 0, 0, null);
    return Behaviors.receive(SymbolTrader.Command.class)
        .onMessage(
            SymbolTrader.Pause.class,
            pause -> {
              pause.replyTo().tell(flat ? new SymbolTrader.OperatorResult("paused", null, view) : new SymbolTrader.OperatorResult(null, "cannot pause in phase IN_POSITION", view));
              return Behaviors.same();
            })
        .onMessage(
            SymbolTrader.Resume.class,
            resume -> {
              resume.replyTo().tell(new SymbolTrader.OperatorResult(null, "the symbol is not paused", view));
              return Behaviors.same();
            })
        .onMessage(SymbolTrader.Stop.class, stop -> Behaviors.stopped())
        .build();
  }

  @AfterAll
  void stop() {
    api.close();
    testKit.shutdownTestKit();
  }

  private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    return api.send(method, path, body, key);
  }

  private JsonNode expect(int status, String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, body, KEY);
    assertEquals(status, response.statusCode(), method + " " + path + " " + body + " -> " + response.body());
    return JSON.readTree(response.body());
  }

  private void assertRefused(int status, String code, String field, String method, String path, String body) throws Exception {
    long before = directory.catalogue().version();
    JsonNode error = expect(status, method, path, body).path("error");
    assertEquals(code, error.path("code").asText(), error.toString());
    if (field != null) {
      assertEquals(field, error.path("field").asText(), error.toString());
    }
    assertEquals(before, directory.catalogue().version(), "a refused change changes nothing");
  }

  @Test
  void addsASymbolWithItsDefaults() throws Exception {
    JsonNode added = expect(201, "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"BNBUSDT\",\"strategy\":\"ma-crossover\"}");
    assertEquals("added", added.path("outcome").asText());
    assertEquals("binance:BNBUSDT", added.path("symbol").path("id").asText());
    assertEquals("USDT", added.path("symbol").path("quoteAsset").asText());
    assertEquals(io.pekkotrader.domain.SymbolListing.FINEST_LOT_STEP.toPlainString(), added.path("symbol").path("lotStep").asText());
    assertTrue(directory.ids().contains(SymbolId.parse("binance:BNBUSDT")), "this node's directory has it at once");
    assertTrue(added.path("symbols").toString().contains("binance:BNBUSDT"));

    JsonNode second = expect(201, "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"XRPUSDT\",\"lotStep\":\"0.1\",\"orderNotional\":\"25\"}");
    assertEquals("0.1", second.path("symbol").path("lotStep").asText());
    assertEquals("25", second.path("symbol").path("orderNotional").asText());
    assertEquals(Strategies.DEFAULT, second.path("symbol").path("strategy").asText(), "no strategy: the default one, persisted by name");
    assertEquals(Strategies.DEFAULT, directory.listing(SymbolId.parse("binance:XRPUSDT")).strategy());
  }

  @Test
  void refusesBadNewSymbols() throws Exception {
    assertRefused(409, "symbol_exists", null, "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"}");
    assertRefused(400, "missing_field", "venue", "POST", "symbols", "{\"symbol\":\"BTCUSDT\"}");
    assertRefused(400, "missing_field", "symbol", "POST", "symbols", "{\"venue\":\"binance\"}");
    assertRefused(400, "invalid_json", null, "POST", "symbols", "{\"venue\":");
    assertRefused(400, "invalid_json", null, "POST", "symbols", "[1,2]");
    assertRefused(400, "unknown_field", "quote", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"quote\":\"USDT\"}");
    assertRefused(400, "invalid_field", "symbol", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"ltc/usdt\"}");
    assertRefused(400, "invalid_field", "venue", "POST", "symbols", "{\"venue\":\"Binance!\",\"symbol\":\"LTCUSDT\"}");
    assertRefused(400, "invalid_field", "venue", "POST", "symbols", "{\"venue\":\"nyse\",\"symbol\":\"LTCUSDT\"}");
    assertRefused(400, "invalid_field", "venue", "POST", "symbols", "{\"venue\":\"bybit\",\"symbol\":\"LTCUSDT\"}");
    assertRefused(400, "invalid_field", "symbol", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCEUR\"}");
    assertRefused(400, "invalid_field", "strategy", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"strategy\":\"martingale\"}");
    assertRefused(400, "invalid_field", "strategy", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"strategy\":7}");
    assertRefused(400, "invalid_field", "strategy", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"strategy\":\"\"}");
    assertRefused(400, "invalid_field", "strategy", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"strategy\":\"   \"}");
    assertRefused(400, "invalid_field", "lotStep", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"lotStep\":\"0\"}");
    assertRefused(400, "invalid_field", "lotStep", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"lotStep\":\"1e999\"}");
    assertRefused(400, "invalid_field", "orderNotional", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"orderNotional\":\"lots\"}");
    assertRefused(400, "invalid_field", "symbol", "POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"" + "A".repeat(41) + "\"}");
  }

  @Test
  void removesAFlatSymbolAndKeepsOneInAPosition() throws Exception {
    JsonNode removed = expect(200, "DELETE", "symbols/binance:SOLUSDT", null);
    assertEquals("removed", removed.path("outcome").asText());
    assertTrue(!directory.ids().contains(SymbolId.parse("binance:SOLUSDT")));
    assertRefused(404, "unknown_symbol", "id", "DELETE", "symbols/binance:SOLUSDT", null);
    assertRefused(409, "symbol_not_flat", null, "DELETE", "symbols/binance:ETHUSDT", null);
    assertTrue(directory.ids().contains(SymbolId.parse("binance:ETHUSDT")));
  }

  @Test
  void refusesBadRemovals() throws Exception {
    assertRefused(400, "invalid_symbol", "id", "DELETE", "symbols/BTCUSDT", null);
    assertRefused(400, "invalid_symbol", "id", "DELETE", "symbols/binance:btc%2Fusdt", null);
    assertRefused(404, "unknown_symbol", "id", "DELETE", "symbols/kraken:XBTUSD", null);
    assertRefused(400, "unknown_field", "force", "DELETE", "symbols/binance:BTCUSDT", "{\"force\":true}");
    assertRefused(400, "invalid_json", null, "DELETE", "symbols/binance:BTCUSDT", "nope");
  }

  @Test
  void bothNeedTheKey() throws Exception {
    long before = directory.catalogue().version();
    for (String key : new String[] {null, "wrong-key-wrong-key-wrong-key"}) {
      assertEquals(401, send("POST", "symbols", "{\"venue\":\"binance\",\"symbol\":\"DOGEUSDT\"}", key).statusCode());
      assertEquals(401, send("DELETE", "symbols/binance:BTCUSDT", null, key).statusCode());
    }
    assertEquals(before, directory.catalogue().version());
  }
}
