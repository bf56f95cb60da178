package io.pekkotrader.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.RoundTrips;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.TradePage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The trading read side over Portfolio's journal: pages that reach below the trades kept in
 * memory come from a scan of the journal and agree, cursor for cursor, with pages from memory; a
 * question after new events reads only those and sees them.
 */
class TradingHistoryTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
              .withFallback(PersistenceTestKitPlugin.getInstance().config())
              .withFallback(ConfigFactory.parseResources("serialization.conf"))
              .withFallback(ConfigFactory.defaultReference())
              .resolve());
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static TradingHistory history(int recentTrades) {
    return new TradingHistory(
        testKit.system(),
        PersistenceQuery.get(testKit.system()).getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier()),
        "USDT",
        recentTrades);
  }

  /** Round trip {@code n}: bought at 100, sold at 100 + n (BTC for odd n, ETH for even). */
  private static List<Object> roundTrip(int n) {
    SymbolId symbol = n % 2 == 1 ? BTC : ETH;
    return List.of(
        new Portfolio.FillApplied(new Fill("b" + n, "in-" + n, symbol, Side.BUY, BigDecimal.ONE, new BigDecimal("100"), BigDecimal.ZERO, n * 10L), "USDT", io.pekkotrader.domain.AssetPrecision.DEFAULT),
        new Portfolio.FillApplied(
            new Fill("s" + n, "out-" + n, symbol, Side.SELL, BigDecimal.ONE, new BigDecimal(100 + n), BigDecimal.ZERO, n * 10L + 5), "USDT", io.pekkotrader.domain.AssetPrecision.DEFAULT));
  }

  private static List<Long> numbers(TradePage.Page page) {
    return page.trades().stream().map(RoundTrips.RoundTrip::number).toList();
  }

  @Test
  void pagesBelowTheTradesKeptInMemoryComeFromTheJournalWithTheSameCursors() throws Exception {
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    List<Object> events = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      events.addAll(roundTrip(n));
    }
    journal.persistForRecovery(Portfolio.PERSISTENCE_ID.id(), events);
    TradingHistory small = history(2);
    assertEquals(List.of(3L, 2L, 1L), numbers(small.trades(Long.MAX_VALUE, 10, null).toCompletableFuture().get()));

    List<Object> more = new ArrayList<>(roundTrip(4));
    more.addAll(roundTrip(5));
    more.add(new Portfolio.FillApplied(new Fill("b6", "in-6", ETH, Side.BUY, BigDecimal.ONE, BigDecimal.TEN, BigDecimal.ZERO, 60), "USDT", io.pekkotrader.domain.AssetPrecision.DEFAULT));
    journal.persistForRecovery(Portfolio.PERSISTENCE_ID.id(), more);
    TradingHistory large = history(500);

    TradePage.Page newest = small.trades(Long.MAX_VALUE, 10, null).toCompletableFuture().get();
    assertEquals(List.of(5L, 4L, 3L, 2L, 1L), numbers(newest), "new events are read; the open ETH position is no trade");
    assertNull(newest.trades().get(0).exitReason(), "no symbol journal: no reason");
    assertEquals(5, small.performance().toCompletableFuture().get().total().trades());
    for (Long before : Arrays.asList(Long.MAX_VALUE, 6L, 5L, 4L, 3L, 2L, 1L)) {
      for (int limit : new int[] {1, 2, 3, 10}) {
        for (String symbol : Arrays.asList(null, BTC.id(), ETH.id())) {
          TradePage.Page expected = large.trades(before, limit, symbol).toCompletableFuture().get();
          TradePage.Page actual = small.trades(before, limit, symbol).toCompletableFuture().get();
          String what = "before " + before + ", limit " + limit + ", symbol " + symbol;
          assertEquals(numbers(expected), numbers(actual), what);
          assertEquals(expected.nextBefore(), actual.nextBefore(), what);
        }
      }
    }
    TradePage.Page btc = small.trades(Long.MAX_VALUE, 2, BTC.id()).toCompletableFuture().get();
    assertEquals(List.of(5L, 3L), numbers(btc));
    assertEquals(3L, btc.nextBefore());
    assertEquals(List.of(1L), numbers(small.trades(3, 2, BTC.id()).toCompletableFuture().get()));
  }
}
