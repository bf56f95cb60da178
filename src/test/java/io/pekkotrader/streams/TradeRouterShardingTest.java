package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.app.ShardedTraders;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router against real cluster sharding, with stand-in SymbolTrader entities: one symbol's
 * entity takes its trades and never acknowledges them. The trades come open loop (a paced source
 * behind a small buffer that fails the stream if the router ever stops pulling), so "the others
 * keep their full rate" is checked as: the stream never stalled and every trade of the other
 * symbols arrived, in order.
 */
class TradeRouterShardingTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final SymbolId STUCK = SymbolId.parse("binance:STUCKUSDT");
  private static final List<SymbolId> HEALTHY =
      List.of(SymbolId.parse("binance:BTCUSDT"), SymbolId.parse("binance:ETHUSDT"), SymbolId.parse("binance:SOLUSDT"));
  private static final int RATE = 1_000;
  private static final int TRADES = 6_000;

  private static ActorTestKit testKit;
  private static ClusterSharding sharding;
  /** Entities that take their trades and never answer (test-only switch, read by the stand-ins). */
  private static final Set<String> stuck = ConcurrentHashMap.newKeySet();
  private static final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> slices = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster() {
    testKit =
        ActorTestKit.create(
            "trade-router-sharding-test",
            ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "pekko.actor.provider = cluster",
                        "pekko.remote.artery.canonical.hostname = 127.0.0.1",
                        "pekko.remote.artery.canonical.port = 0",
                        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
                        "pekko.loglevel = INFO",
                        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                        "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\""))
                .withFallback(ConfigFactory.defaultReference()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    sharding = ClusterSharding.get(testKit.system());
    sharding.init(Entity.of(SymbolTrader.ENTITY_KEY, context -> standIn(context.getEntityId())));
    stuck.add(STUCK.id());
    // the cluster is up and every entity started before the measured stream begins
    TestProbe<Done> started = testKit.createTestProbe();
    for (SymbolId symbol : HEALTHY) {
      sharding.entityRefFor(SymbolTrader.ENTITY_KEY, symbol.id()).tell(new SymbolTrader.OnTrades(List.of(), started.getRef()));
      started.expectMessage(WAIT, Done.getInstance());
    }
    sharding.entityRefFor(SymbolTrader.ENTITY_KEY, STUCK.id()).tell(new SymbolTrader.OnTrades(List.of(), started.getRef()));
  }

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  /** Records every trade it is given; acknowledges unless its symbol is stuck. */
  private static Behavior<SymbolTrader.Command> standIn(String id) {
    return Behaviors.receiveMessage(
        command -> {
          if (command instanceof SymbolTrader.OnTrades onTrades && onTrades.trades().isEmpty()) {
            onTrades.replyTo().tell(Done.getInstance());
          } else if (command instanceof SymbolTrader.OnTrades onTrades) {
            List<String> ids = received.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
            for (Trade trade : onTrades.trades()) {
              ids.add(trade.tradeId());
            }
            slices.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
            if (!stuck.contains(id)) {
              onTrades.replyTo().tell(Done.getInstance());
            }
          }
          return Behaviors.same();
        });
  }

  private static MarketTrade trade(long n) {
    int symbols = HEALTHY.size() + 1;
    SymbolId symbol = n % symbols == 0 ? STUCK : HEALTHY.get((int) (n % symbols) - 1);
    return new MarketTrade(symbol, new Trade(String.valueOf(n / symbols), n, BigDecimal.ONE, BigDecimal.ONE, Side.BUY));
  }

  @Test
  void theOtherSymbolsKeepTheirFullRateWhileOneSymbolIsStuckAndItsBreakerOpensThenProbes() {
    TestProbe<TradeRouter.Report> reports = testKit.createTestProbe();
    TradeRouter.Settings settings =
        new TradeRouter.Settings(
            64,
            Duration.ofMillis(5),
            2_048,
            Duration.ofSeconds(1),
            new SymbolBreaker.Settings(Duration.ofMillis(400), Duration.ofMillis(800), 2),
            Duration.ofMillis(100),
            Duration.ofSeconds(10));

    var done =
        Source.range(0, TRADES - 1)
            .throttle(RATE, Duration.ofSeconds(1), RATE / 20, ThrottleMode.shaping())
            .buffer(RATE / 4, OverflowStrategy.fail())
            .map(TradeRouterShardingTest::trade)
            .via(TradeRouter.create(new ShardedTraders(sharding), settings, report -> reports.getRef().tell(report)))
            .runWith(Sink.ignore(), testKit.system());

    List<TradeRouter.Report> seen =
        reports.fishForMessage(
            WAIT,
            report -> stuckOf(report).opened() >= 3 ? FishingOutcomes.complete() : FishingOutcomes.continueAndCollect());
    List<SymbolBreaker.Phase> phases = new ArrayList<>();
    for (TradeRouter.Report report : seen) {
      SymbolBreaker.Phase phase = stuckOf(report).breaker();
      if (phases.isEmpty() || phases.get(phases.size() - 1) != phase) {
        phases.add(phase);
      }
    }
    done.toCompletableFuture().join();
    TradeRouter.Report last = seen.get(seen.size() - 1);
    try {
      while (true) {
        last = reports.receiveMessage(Duration.ofMillis(300));
      }
    } catch (AssertionError noMoreReports) {
      // the stage reports once more when it completes, after the last probe was answered
    }

    assertTrue(phases.contains(SymbolBreaker.Phase.OPEN) && phases.contains(SymbolBreaker.Phase.HALF_OPEN),
        "the stuck symbol's breaker opened, then probed: " + phases);
    int perSymbol = TRADES / (HEALTHY.size() + 1);
    for (SymbolId symbol : HEALTHY) {
      List<String> ids = received.get(symbol.id());
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perSymbol; i++) {
        expected.add(String.valueOf(i));
      }
      assertEquals(expected, new ArrayList<>(ids), symbol + " got every trade, in order");
    }
    long stuckSlices = slices.get(STUCK.id()).get();
    TradeRouter.SymbolDelivery stuckAtEnd = stuckOf(last);
    assertEquals(stuckSlices, stuckAtEnd.opened(), "the first slice and then one probe per cool-off, each of them unanswered");
    assertTrue(stuckAtEnd.shed() > perSymbol / 2, "most of the stuck symbol's trades were shed without asking: " + stuckAtEnd);
    assertEquals(0, stuckAtEnd.delivered());
    assertEquals(perSymbol, stuckAtEnd.shed() + stuckAtEnd.timedOut(), "every trade of the stuck symbol is counted: " + stuckAtEnd);
  }

  private static TradeRouter.SymbolDelivery stuckOf(TradeRouter.Report report) {
    return report.symbols().stream()
        .filter(d -> d.symbol().equals(STUCK))
        .findFirst()
        .orElse(new TradeRouter.SymbolDelivery(STUCK, SymbolBreaker.Phase.CLOSED, 0, 0, 0, 0));
  }
}
