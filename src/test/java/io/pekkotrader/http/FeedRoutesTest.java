package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.actors.EngineEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The live feed: each event rendered as SSE with its fields' JSON types, and each client's own
 * buffer of 256 events, which drops a client that stops reading and never a client that reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActorTestKit testKit = ControlApiUnderTest.testKit();
  private int topics;

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  // ---- rendering -----------------------------------------------------------------------------

  @Test
  void aDecisionKeepsItsBooleanAndItsQuantityAsAnExactString() throws Exception {
    ServerSentEvent sse =
        FeedRoutes.toSse(
            new EngineEvents.RiskDecided(
                1_700_000_000_000L, "ev-1", "binance:BTCUSDT", "c-1", "ENTRY", "BUY", new BigDecimal("0.01500000"), true, "approved", null, "ma-crossover"));

    JsonNode data = JSON.readTree(sse.getData());

    assertEquals("decision", sse.getEventType().orElse(null));
    assertEquals(
        List.of("type", "atMs", "eventId", "symbol", "clientOrderId", "kind", "side", "quantity", "approved", "reasonCode", "strategy"),
        fieldNames(data),
        "type and time first, then the fields in order; the message without a value is left out");
    assertTrue(data.get("approved").isBoolean() && data.get("approved").booleanValue(), data.toString());
    assertTrue(data.get("atMs").isIntegralNumber() && data.get("atMs").longValue() == 1_700_000_000_000L, data.toString());
    assertTrue(data.get("quantity").isTextual() && data.get("quantity").textValue().equals("0.01500000"), data.toString());
  }

  @Test
  void aRejectionIsFalseNotTheStringFalse() throws Exception {
    JsonNode data =
        JSON.readTree(
            FeedRoutes.toSse(
                    new EngineEvents.RiskDecided(1L, "ev-2", "binance:BTCUSDT", "c-2", "ENTRY", "BUY", BigDecimal.ONE, false, "max_open_positions", "5 open", "ma-crossover"))
                .getData());

    assertTrue(data.get("approved").isBoolean() && !data.get("approved").booleanValue(), data.toString());
  }

  @Test
  void aStreamChangeKeepsItsBooleanAndItsCountsAsNumbers() throws Exception {
    JsonNode data = JSON.readTree(FeedRoutes.toSse(new EngineEvents.StreamChanged(5L, "binance", false, -1, 3, 2, 1200)).getData());

    assertTrue(data.get("connected").isBoolean() && !data.get("connected").booleanValue(), data.toString());
    assertEquals(-1, data.get("lastMessageAgeMs").longValue());
    for (String count : List.of("lastMessageAgeMs", "reconnects", "malformed", "trades")) {
      assertTrue(data.get(count).isIntegralNumber(), count + " in " + data);
    }
  }

  @Test
  void aKillSwitchChangeKeepsItsBooleanAndTime() throws Exception {
    JsonNode data = JSON.readTree(FeedRoutes.toSse(new EngineEvents.KillSwitchChanged(7L, true, "news", 6L)).getData());

    assertEquals("kill-switch", data.get("type").textValue());
    assertTrue(data.get("engaged").isBoolean() && data.get("engaged").booleanValue(), data.toString());
    assertTrue(data.get("sinceMs").isIntegralNumber(), data.toString());
  }

  @Test
  void aFillAndAPhaseKeepTheirDecimalsAsStrings() throws Exception {
    JsonNode fill =
        JSON.readTree(
            FeedRoutes.toSse(
                    new EngineEvents.FillApplied(
                        9L, "t-1", "c-1", "binance:BTCUSDT", "BUY", new BigDecimal("64000.10"), new BigDecimal("0.015"), new BigDecimal("0.96000150")))
                .getData());
    JsonNode phase =
        JSON.readTree(FeedRoutes.toSse(new EngineEvents.PhaseChanged(10L, "binance:BTCUSDT", null, "READY", BigDecimal.ZERO, null)).getData());

    assertEquals("64000.10", fill.get("price").textValue());
    assertEquals("0.015", fill.get("quantity").textValue());
    assertEquals("0.96000150", fill.get("fee").textValue());
    assertEquals("0", phase.get("positionQty").textValue());
    assertFalse(phase.has("from"), "no previous phase the first time: " + phase);
  }

  @Test
  void everyEventCrossesTheClusterAsItWasPublished() {
    List<EngineEvents.EngineEvent> events =
        List.of(
            new EngineEvents.RiskDecided(1L, "ev", "binance:BTCUSDT", "c", "EXIT", "SELL", new BigDecimal("0.0100"), true, null, null, "s"),
            new EngineEvents.FillApplied(2L, "t", "c", "binance:BTCUSDT", "SELL", new BigDecimal("1.10"), new BigDecimal("2"), BigDecimal.ZERO),
            new EngineEvents.PhaseChanged(3L, "binance:BTCUSDT", "READY", "PAUSED", new BigDecimal("0.000"), "HOLD"),
            new EngineEvents.StreamChanged(4L, "bybit", true, 12, 1, 0, 99),
            new EngineEvents.KillSwitchChanged(5L, false, "done", 4L),
            new EngineEvents.SymbolsChanged(6L, "binance:BNBUSDT", "added"),
            new EngineEvents.Subscribed(7L));

    events.forEach(event -> testKit.serializationTestKit().verifySerialization(event, true));
  }

  // ---- a client's buffer ---------------------------------------------------------------------
  //
  // Behind a client that does not read, the stream holds the event it has ready for the
  // connection (the keep-alive stage's) and up to CLIENT_BUFFER more in the client's buffer; on
  // a real connection, what the connection and the sockets hold comes on top.

  /** Events a client that does not read can be behind without being dropped, on the stream's side. */
  private static final int BEHIND = FeedRoutes.CLIENT_BUFFER + 1;

  @Test
  void aClientThatStopsReadingIsDroppedWhenAnEventFindsItsBufferFull() {
    Feed feed = subscribedClient();

    feed.publish(BEHIND + 1);

    assertInstanceOf(BufferOverflowException.class, feed.client().expectError(), "the stream fails, which closes the connection");
  }

  @Test
  void aClientThatStopsReadingIsKeptWhileItsBufferHoldsTheEvents() {
    Feed feed = subscribedClient();

    feed.publish(BEHIND);
    feed.client().expectNoMessage(Duration.ofMillis(300));

    feed.client().request(BEHIND + 1);
    List<ServerSentEvent> caughtUp = CollectionConverters.asJava(feed.client().expectNextN(BEHIND));
    String last = caughtUp.get(BEHIND - 1).getData();
    assertTrue(last.startsWith("{\"type\":\"stream\",\"atMs\":" + (BEHIND - 1) + ","), "every event, in order: " + last);
    feed.publish(1);
    feed.client().expectNext();
  }

  @Test
  void aClientThatReadsIsNeverDroppedHoweverManyEventsComeAtOnce() {
    Feed feed = subscribedClient();
    feed.client().request(Long.MAX_VALUE);

    feed.publish(10 * FeedRoutes.CLIENT_BUFFER);

    assertEquals(10 * FeedRoutes.CLIENT_BUFFER, feed.client().expectNextN(10 * FeedRoutes.CLIENT_BUFFER).size());
    feed.client().expectNoMessage(Duration.ofMillis(100));
  }

  /** A topic, a client that has read its {@code subscribed} event and nothing else, and a probe on the topic. */
  private Feed subscribedClient() {
    ActorRef<Topic.Command<EngineEvents.EngineEvent>> topic =
        testKit.spawn(Topic.create(EngineEvents.EngineEvent.class, "feed-test-" + ++topics));
    TestProbe<EngineEvents.EngineEvent> watcher = testKit.createTestProbe();
    topic.tell(Topic.subscribe(watcher.getRef()));
    TestSubscriber.Probe<ServerSentEvent> client =
        FeedRoutes.clientFeed(topic).runWith(TestSink.create(testKit.system()), testKit.system());
    client.request(1);
    assertEquals(EngineEvents.SUBSCRIBED, client.expectNext().getEventType().orElse(null));
    return new Feed(topic, watcher, client);
  }

  private record Feed(
      ActorRef<Topic.Command<EngineEvents.EngineEvent>> topic,
      TestProbe<EngineEvents.EngineEvent> watcher,
      TestSubscriber.Probe<ServerSentEvent> client) {

    /** Publishes {@code n} events and waits until the topic has handed them all out. */
    void publish(int n) {
      for (int i = 0; i < n; i++) {
        EngineEvents.publish(topic, new EngineEvents.StreamChanged(i, "binance", true, i, 0, 0, i));
      }
      watcher.receiveSeveralMessages(n);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
