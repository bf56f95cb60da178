package io.pekkotrader.exchange;

import static io.pekkotrader.streams.SymbolBreaker.Phase.CLOSED;
import static io.pekkotrader.streams.SymbolBreaker.Phase.HALF_OPEN;
import static io.pekkotrader.streams.SymbolBreaker.Phase.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.VenueConnection;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.streams.StreamEvent;
import io.pekkotrader.streams.SymbolBreaker;
import io.pekkotrader.streams.TradeRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** MarketDataConnection keeps its stream's state from the pipeline's events and restarts a pipeline that dies. */
class MarketDataConnectionStreamStateTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create("exchange-connection-test", ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.defaultReference()));
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  /** Each start of the market data hands over the connection's event adapter. */
  private static ActorRef<VenueConnection.Command> connection(LinkedBlockingQueue<ActorRef<StreamEvent>> starts) {
    Function<ActorRef<StreamEvent>, UniqueKillSwitch> marketData =
        events -> {
          starts.add(events);
          return Source.never()
              .viaMat(KillSwitches.single(), Keep.right())
              .to(Sink.ignore())
              .run(Materializer.matFromSystem(testKit.system()));
        };
    return testKit.spawn(
        MarketDataConnection.create(
            new MarketDataConnection.Setup(
                "binance", marketData, "ws://127.0.0.1:1/stream", CLOCK)));
  }

  private static VenueConnection.VenueStatus status(ActorRef<VenueConnection.Command> connection) {
    TestProbe<VenueConnection.VenueStatus> probe = testKit.createTestProbe();
    connection.tell(new VenueConnection.GetVenueStatus(probe.getRef()));
    return probe.receiveMessage();
  }

  @Test
  void sumsTheStreamsEventsIntoItsState() throws Exception {
    LinkedBlockingQueue<ActorRef<StreamEvent>> starts = new LinkedBlockingQueue<>();
    ActorRef<VenueConnection.Command> connection = connection(starts);
    ActorRef<StreamEvent> events = starts.poll(5, TimeUnit.SECONDS);

    events.tell(new StreamEvent.Connecting(1, 1, 300, 999_000));
    events.tell(new StreamEvent.Connected(999_100));
    events.tell(new StreamEvent.Progress(10, 12, 1, 2, 999_500));
    events.tell(new StreamEvent.Disconnected("idle timeout", 999_600));
    events.tell(new StreamEvent.Connecting(2, 2, 300, 999_700));
    events.tell(new StreamEvent.Connected(999_800));
    events.tell(new StreamEvent.Progress(5, 5, 0, 0, 999_900));
    events.tell(new StreamEvent.DuplicatesDropped(3));

    VenueConnection.VenueStatus status = status(connection);
    assertEquals("binance", status.venue());
    assertEquals("ws://127.0.0.1:1/stream", status.url());
    assertTrue(status.connected());
    assertEquals(100, status.lastMessageAgeMs(), "the clock is at 1 000 000, the last frame at 999 900");
    assertEquals(1, status.reconnects());
    assertEquals(15, status.messages());
    assertEquals(17, status.trades());
    assertEquals(1, status.ignored());
    assertEquals(2, status.malformed());
    assertEquals(3, status.duplicatesDropped());
    assertEquals(2, status.attemptsInWindow());
    assertEquals(300, status.connectionBudget());
    assertEquals("idle timeout", status.lastDisconnect());
    assertFalse(status.stopped());
  }

  @Test
  void sumsEachSymbolsDeliveriesOverTheRoutersOfRestartedPipelines() throws Exception {
    LinkedBlockingQueue<ActorRef<StreamEvent>> starts = new LinkedBlockingQueue<>();
    ActorRef<VenueConnection.Command> connection = connection(starts);
    ActorRef<StreamEvent> events = starts.poll(5, TimeUnit.SECONDS);
    SymbolId btc = SymbolId.parse("binance:BTCUSDT");
    SymbolId eth = SymbolId.parse("binance:ETHUSDT");

    assertEquals(List.of(), status(connection).deliveries(), "no report yet");
    // the first router: ETH stopped answering, its breaker opened
    events.tell(new StreamEvent.Deliveries(100, List.of(delivery(btc, CLOSED, 50, 0, 0, 0), delivery(eth, OPEN, 10, 7, 512, 1))));
    VenueConnection.VenueStatus status = status(connection);
    assertEquals(
        List.of(
            new VenueConnection.SymbolDeliveryStatus("binance:BTCUSDT", "closed", 50, 0, 0, 0),
            new VenueConnection.SymbolDeliveryStatus("binance:ETHUSDT", "open", 10, 7, 512, 1)),
        status.deliveries());
    assertEquals(1, status.symbolsShedding());

    // the pipeline restarted with a new router, whose first report comes before the old one's last
    events.tell(new StreamEvent.Deliveries(200, List.of(delivery(btc, CLOSED, 5, 0, 0, 0), delivery(eth, CLOSED, 3, 0, 0, 0))));
    events.tell(new StreamEvent.Deliveries(100, List.of(delivery(btc, CLOSED, 60, 0, 0, 0), delivery(eth, HALF_OPEN, 10, 9, 512, 1))));
    status = status(connection);
    assertEquals(
        List.of(
            new VenueConnection.SymbolDeliveryStatus("binance:BTCUSDT", "closed", 65, 0, 0, 0),
            new VenueConnection.SymbolDeliveryStatus("binance:ETHUSDT", "closed", 13, 9, 512, 1)),
        status.deliveries(),
        "counts summed over both routers; each breaker as the newer router has it");
    assertEquals(0, status.symbolsShedding());

    // more restarts than the routers kept apart: the oldest ones are summed, nothing is lost
    for (long router = 300; router <= 700; router += 100) {
      events.tell(new StreamEvent.Deliveries(router, List.of(delivery(btc, CLOSED, 1, 0, 0, 0))));
    }
    assertEquals(
        new VenueConnection.SymbolDeliveryStatus("binance:BTCUSDT", "closed", 70, 0, 0, 0), status(connection).deliveries().get(0));
  }

  @Test
  void alertsWhenASymbolsTradesStartBeingShedAndWhenTheyAreDeliveredAgain() throws Exception {
    LinkedBlockingQueue<ActorRef<StreamEvent>> starts = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Notifier.Alert> alerts = new LinkedBlockingQueue<>();
    long[] nowMs = {1_000_000};
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(nowMs[0]);
          }
        };
    Function<ActorRef<StreamEvent>, UniqueKillSwitch> marketData =
        events -> {
          starts.add(events);
          return Source.never().viaMat(KillSwitches.single(), Keep.right()).to(Sink.ignore()).run(Materializer.matFromSystem(testKit.system()));
        };
    ActorRef<VenueConnection.Command> connection =
        testKit.spawn(
            MarketDataConnection.create(
                new MarketDataConnection.Setup(
                    "binance", marketData, "ws://127.0.0.1:1/stream",
                    null, alerts::add, clock)));
    ActorRef<StreamEvent> events = starts.poll(5, TimeUnit.SECONDS);
    SymbolId btc = SymbolId.parse("binance:BTCUSDT");
    SymbolId eth = SymbolId.parse("binance:ETHUSDT");

    events.tell(new StreamEvent.Deliveries(1, List.of(delivery(btc, CLOSED, 5, 0, 0, 0), delivery(eth, OPEN, 5, 0, 512, 1))));
    Notifier.Alert shed = alerts.poll(5, TimeUnit.SECONDS);
    assertEquals(Notifier.Severity.WARN, shed.severity());
    assertEquals("Trades of binance:ETHUSDT are being shed", shed.title());
    assertEquals("binance:ETHUSDT", shed.fields().get("symbol"));
    assertEquals("512", shed.fields().get("timedOut"));

    events.tell(new StreamEvent.Deliveries(1, List.of(delivery(btc, CLOSED, 9, 0, 0, 0), delivery(eth, HALF_OPEN, 5, 30, 512, 1))));
    events.tell(new StreamEvent.Deliveries(1, List.of(delivery(btc, CLOSED, 9, 0, 0, 0), delivery(eth, CLOSED, 6, 30, 512, 1))));
    Notifier.Alert back = alerts.poll(5, TimeUnit.SECONDS);
    assertEquals(Notifier.Severity.INFO, back.severity());
    assertEquals("binance:ETHUSDT takes its trades again", back.title());
    assertEquals("30", back.fields().get("shed"));

    // flapping within the alert interval: neither the shedding nor the recovery is alerted again
    nowMs[0] += Duration.ofMinutes(9).toMillis();
    events.tell(new StreamEvent.Deliveries(1, List.of(delivery(eth, OPEN, 6, 30, 1024, 2))));
    events.tell(new StreamEvent.Deliveries(1, List.of(delivery(eth, CLOSED, 7, 40, 1024, 2))));
    status(connection);
    assertEquals(null, alerts.poll(300, TimeUnit.MILLISECONDS));

    nowMs[0] += Duration.ofMinutes(2).toMillis();
    events.tell(new StreamEvent.Deliveries(1, List.of(delivery(eth, OPEN, 7, 40, 1536, 3))));
    assertEquals(Notifier.Severity.WARN, alerts.poll(5, TimeUnit.SECONDS).severity(), "ten minutes after the last alert it alerts again");
  }

  private static TradeRouter.SymbolDelivery delivery(
      SymbolId symbol, SymbolBreaker.Phase phase, long delivered, long shed, long timedOut, long opened) {
    return new TradeRouter.SymbolDelivery(symbol, phase, delivered, shed, timedOut, opened);
  }

  @Test
  void showsAnAttemptWaitingForTheBudget() throws Exception {
    LinkedBlockingQueue<ActorRef<StreamEvent>> starts = new LinkedBlockingQueue<>();
    ActorRef<VenueConnection.Command> connection = connection(starts);
    ActorRef<StreamEvent> events = starts.poll(5, TimeUnit.SECONDS);

    events.tell(new StreamEvent.BudgetExhausted(300, 4_000));

    VenueConnection.VenueStatus status = status(connection);
    assertEquals(4_000, status.waitingForBudgetMs());
    assertEquals(300, status.attemptsInWindow());
    assertFalse(status.connected());
  }

  @Test
  void startsThePipelineAgainWhenItEndsUnexpectedlyButNotAfterARequestedStop() throws Exception {
    LinkedBlockingQueue<ActorRef<StreamEvent>> starts = new LinkedBlockingQueue<>();
    ActorRef<VenueConnection.Command> connection = connection(starts);
    ActorRef<StreamEvent> first = starts.poll(5, TimeUnit.SECONDS);

    first.tell(new StreamEvent.Stopped("java.lang.IllegalStateException: router bug"));

    ActorRef<StreamEvent> second = starts.poll(15, TimeUnit.SECONDS);
    assertTrue(second != null, "the pipeline was started again");
    TestProbe<Done> stopped = testKit.createTestProbe();
    connection.tell(new MarketDataConnection.StopMarketData(stopped.getRef()));
    second.tell(new StreamEvent.Stopped(null));
    stopped.expectMessage(Done.getInstance());
    assertTrue(status(connection).stopped());
    assertEquals(null, starts.poll(6, TimeUnit.SECONDS), "a requested stop is final (the restart delay is 5 s)");
  }

  @Test
  void withSubscriptionsTheMarketDataWaitsForTheCatalogueAndFollowsItsNewestVersion() throws Exception {
    io.pekkotrader.domain.SymbolId btc = io.pekkotrader.domain.SymbolId.parse("binance:BTCUSDT");
    io.pekkotrader.domain.SymbolId eth = io.pekkotrader.domain.SymbolId.parse("binance:ETHUSDT");
    io.pekkotrader.streams.Subscriptions subscriptions =
        new io.pekkotrader.streams.Subscriptions(java.util.List.of(btc, eth), "ws://127.0.0.1:1/stream?streams=btcusdt@trade/ethusdt@trade");
    LinkedBlockingQueue<ActorRef<StreamEvent>> starts = new LinkedBlockingQueue<>();
    Function<ActorRef<StreamEvent>, UniqueKillSwitch> marketData =
        events -> {
          starts.add(events);
          return Source.never().viaMat(KillSwitches.single(), Keep.right()).to(Sink.ignore()).run(Materializer.matFromSystem(testKit.system()));
        };
    MarketDataConnection.Setup setup =
        new MarketDataConnection.Setup(
            "binance", marketData, null, subscriptions, alert -> {}, CLOCK);
    ActorRef<VenueConnection.Command> connection = testKit.spawn(MarketDataConnection.create(setup));

    assertEquals(null, starts.poll(300, TimeUnit.MILLISECONDS), "nothing connects before the catalogue");
    connection.tell(new MarketDataConnection.Subscribe(3, java.util.List.of(eth), "ws://127.0.0.1:1/stream?streams=ethusdt@trade"));
    assertTrue(starts.poll(5, TimeUnit.SECONDS) != null, "the catalogue starts the market data");
    assertEquals(java.util.List.of(eth), subscriptions.symbols());
    connection.tell(new MarketDataConnection.Subscribe(2, java.util.List.of(btc), "old"));
    assertEquals("ws://127.0.0.1:1/stream?streams=ethusdt@trade", status(connection).url(), "an older catalogue is ignored");
    assertEquals(java.util.List.of(eth), subscriptions.symbols());
    connection.tell(new MarketDataConnection.Subscribe(4, java.util.List.of(eth, btc), "ws://127.0.0.1:1/stream?streams=ethusdt@trade/btcusdt@trade"));
    assertEquals("ws://127.0.0.1:1/stream?streams=ethusdt@trade/btcusdt@trade", status(connection).url());
    assertEquals(java.util.List.of(eth, btc), subscriptions.symbols());
    assertEquals(null, starts.poll(200, TimeUnit.MILLISECONDS), "a change reconnects inside the pipeline, never a second pipeline");

    // a connection actor started again (a supervised restart) with subscriptions it was told before starts at once
    testKit.stop(connection);
    testKit.spawn(MarketDataConnection.create(setup));
    assertTrue(starts.poll(5, TimeUnit.SECONDS) != null, "no wait for a catalogue that will not change");
  }
}
