package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.risk.PortfolioExposure;
import io.pekkotrader.domain.risk.PortfolioRisk;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link RunningLedger} against the immutable {@link Ledger} it stands in for: the same random
 * reservations, partial fills, releases, closes and price moves on both, and after every step the
 * running ledger's {@link RunningLedger#toLedger()} equals the ledger, and its kept figures
 * (valuation, exposure for every symbol and order, working entries, violations) equal what
 * {@link Valuation#of} and {@link PortfolioRisk} compute from the ledger by walking it.
 */
class RunningLedgerTest {
  private static final String USDT = "USDT";
  private static final List<SymbolId> SYMBOLS =
      List.of(SymbolId.parse("sim:BTCUSDT"), SymbolId.parse("sim:ETHUSDT"), SymbolId.parse("sim:SOLUSDT"), SymbolId.parse("sim:XRPUSDT"));

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void keepsTheFiguresTheLedgerComputesByWalkingItself(long seed) {
    Random random = new Random(seed);
    AssetPrecision precision = new AssetPrecision(random.nextInt(9), RoundingMode.values()[random.nextInt(3) * 2 % 7]);
    BigDecimal start = new BigDecimal("100000");
    Ledger ledger = Ledger.start(USDT, start);
    RunningLedger running = RunningLedger.start(USDT, start);
    Map<String, BigDecimal> prices = new HashMap<>();
    List<String> orders = new ArrayList<>();
    int tradeIds = 0;
    for (int step = 0; step < 400; step++) {
      SymbolId symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
      BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(2_000), 2 + random.nextInt(3));
      switch (random.nextInt(5)) {
        case 0 -> {
          prices.put(symbol.id(), price);
          running.mark(symbol.id(), price);
        }
        case 1 -> {
          String order = "o" + step;
          BigDecimal amount = BigDecimal.valueOf(random.nextInt(5_000), random.nextInt(4));
          if (ledger.canReserve(order, USDT, amount)) {
            assertTrue(running.canReserve(order, amount));
            ledger = ledger.reserve(new Reservation(order, symbol, amount, USDT));
            running.reserve(new Reservation(order, symbol, amount, USDT));
            orders.add(order);
          } else {
            assertFalse(running.canReserve(order, amount));
          }
        }
        case 2 -> {
          if (!orders.isEmpty()) {
            String order = orders.remove(random.nextInt(orders.size()));
            ledger = ledger.release(order);
            running.release(order);
          }
        }
        default -> {
          String order = orders.isEmpty() || random.nextBoolean() ? "none" : orders.get(random.nextInt(orders.size()));
          Reservation reservation = ledger.reservation(order);
          SymbolId of = reservation != null ? reservation.symbol() : symbol;
          Side side = random.nextInt(3) == 0 ? Side.SELL : Side.BUY;
          BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(300), 3);
          BigDecimal fee = BigDecimal.valueOf(random.nextInt(1_000), 6);
          // sometimes the same trade id again: applied once
          String tradeId = tradeIds > 0 && random.nextInt(10) == 0 ? "t" + random.nextInt(tradeIds) : "t" + tradeIds++;
          Fill fill = new Fill(tradeId, order, of, side, quantity, price, fee, step);
          String why = ledger.whyNotApplicable(fill, USDT);
          assertEquals(why, running.whyNotApplicable(fill));
          if (why == null) {
            ledger = ledger.applyFill(fill, USDT, precision);
            running.applyFill(fill, precision);
          }
        }
      }
      assertEquals(ledger, running.toLedger(), "step " + step);
      assertSameFigures(ledger, prices, running, orders);
    }
  }

  private static void assertSameFigures(Ledger ledger, Map<String, BigDecimal> prices, RunningLedger running, List<String> orders) {
    Valuation walked = Valuation.of(ledger, prices);
    Valuation kept = running.valuation();
    assertSame(walked.equity(), kept.equity());
    assertSame(walked.cash(), kept.cash());
    assertSame(walked.reserved(), kept.reserved());
    assertSame(walked.realizedPnl(), kept.realizedPnl());
    assertSame(walked.unrealizedPnl(), kept.unrealizedPnl());
    assertSame(walked.feesPaid(), kept.feesPaid());
    assertSame(walked.startingCapital(), kept.startingCapital());
    assertEquals(walked.complete(), kept.complete());
    assertSame(ledger.equity(prices), running.equity());
    assertEquals(ledger.violations(), running.violations());
    List<String> asked = new ArrayList<>(orders);
    asked.add(null);
    asked.add("unknown");
    for (SymbolId symbol : SYMBOLS) {
      for (String order : asked) {
        PortfolioExposure a = PortfolioRisk.exposure(ledger, walked, prices, symbol, order, USDT);
        PortfolioExposure b = running.exposure(symbol, order);
        assertEquals(a.openPositions(), b.openPositions());
        assertEquals(a.workingEntries(), b.workingEntries());
        assertEquals(a.symbolHasPosition(), b.symbolHasPosition());
        assertEquals(a.symbolHasWorkingOrder(), b.symbolHasWorkingOrder());
        assertSame(a.symbolNotional(), b.symbolNotional());
        assertSame(a.grossExposure(), b.grossExposure());
        assertEquals(a.symbolAsset(), b.symbolAsset());
        assertSame(a.symbolRate(), b.symbolRate());
        assertEquals(PortfolioRisk.workingEntries(ledger, order), running.workingEntries(order));
      }
    }
  }

  private static void assertSame(BigDecimal expected, BigDecimal actual) {
    assertEquals(0, expected.compareTo(actual), () -> expected.toPlainString() + " != " + actual.toPlainString());
  }

  @Test
  void refusesAStartWithoutCashAndKeepsASecondReservationOut() {
    assertThrows(IllegalArgumentException.class, () -> RunningLedger.start(USDT, BigDecimal.ZERO));
    RunningLedger running = RunningLedger.start(USDT, BigDecimal.TEN);
    running.reserve(new Reservation("o1", SYMBOLS.get(0), new BigDecimal("4"), USDT));
    running.reserve(new Reservation("o1", SYMBOLS.get(0), new BigDecimal("5"), USDT));
    assertEquals(0, new BigDecimal("6").compareTo(running.available()));
    assertNull(running.reservation("o2"));
    assertFalse(running.canReserve("o2", new BigDecimal("7")));
    assertFalse(running.canReserve("o2", BigDecimal.ZERO));
    assertTrue(running.canReserve("o1", new BigDecimal("700")));
  }
}
