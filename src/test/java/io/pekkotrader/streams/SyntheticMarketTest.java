package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SyntheticMarketTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final List<SyntheticMarket.Instrument> INSTRUMENTS =
      List.of(
          new SyntheticMarket.Instrument(SymbolId.parse("sim:BTCUSDT"), new BigDecimal("60000"), new BigDecimal("0.00001")),
          new SyntheticMarket.Instrument(SymbolId.parse("sim:ETHUSDT"), new BigDecimal("3000"), new BigDecimal("0.0001")));

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static List<MarketTrade> take(SyntheticMarket market, int n) throws Exception {
    return market.connect().take(n).runWith(Sink.seq(), Materializer.createMaterializer(testKit.system()))
        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void theSameSeedGivesTheSamePricesAndSizes() throws Exception {
    List<MarketTrade> first = take(new SyntheticMarket(INSTRUMENTS, 7, 1000, new BigDecimal("5"), FIXED), 50);
    List<MarketTrade> second = take(new SyntheticMarket(INSTRUMENTS, 7, 1000, new BigDecimal("5"), FIXED), 50);
    List<MarketTrade> otherSeed = take(new SyntheticMarket(INSTRUMENTS, 8, 1000, new BigDecimal("5"), FIXED), 50);

    assertEquals(first.stream().map(t -> t.trade().price()).toList(), second.stream().map(t -> t.trade().price()).toList());
    assertNotEquals(first.stream().map(t -> t.trade().price()).toList(), otherSeed.stream().map(t -> t.trade().price()).toList());
  }

  @Test
  void interleavesSymbolsWithPositiveLotAlignedQuantitiesAndNumericTradeIdsUniquePerSymbolAcrossReconnects() throws Exception {
    SyntheticMarket market = new SyntheticMarket(INSTRUMENTS, 7, 1000, new BigDecimal("5"), FIXED);

    List<MarketTrade> trades = take(market, 40);
    List<MarketTrade> afterReconnect = take(market, 40);

    assertEquals("sim:BTCUSDT", trades.get(0).symbol().id());
    assertEquals("sim:ETHUSDT", trades.get(1).symbol().id());
    for (MarketTrade t : trades) {
      BigDecimal step = t.symbol().symbol().equals("BTCUSDT") ? new BigDecimal("0.00001") : new BigDecimal("0.0001");
      assertEquals(0, t.trade().quantity().remainder(step).signum(), "lot aligned: " + t.trade().quantity());
      assertTrue(t.trade().price().signum() > 0);
    }
    HashSet<String> ids = new HashSet<>();
    trades.forEach(t -> ids.add(t.symbol() + "/" + t.trade().tradeId()));
    afterReconnect.forEach(t -> ids.add(t.symbol() + "/" + t.trade().tradeId()));
    assertEquals(80, ids.size(), "trade ids are unique per symbol, across reconnects too");
    assertEquals("1000000000001", trades.get(0).trade().tradeId());
    assertEquals("1000000000002", trades.get(2).trade().tradeId(), "numeric and increasing per symbol, as on the venues");
  }

  @Test
  void pacesTradesAtTheConfiguredRate() throws Exception {
    SyntheticMarket market = new SyntheticMarket(INSTRUMENTS, 7, 10, new BigDecimal("5"), Clock.systemUTC());

    long start = System.nanoTime();
    take(market, 30);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // 20 trades per second in all, with a burst of 3: 30 trades need well over a second
    assertTrue(took.toMillis() >= 1000, "took " + took);
  }
}
