package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.MINUTE_MS;
import static io.pekkotrader.domain.TestData.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.domain.risk.VenueFilters;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The whole engine driven by a seeded synthetic tape, without actors: time comes from the trades only. */
class TradingKernelTest {
  private static final long DAY_MS = 86_400_000L;
  /** 2023-11-14 22:13:20 UTC: the tape crosses a trading day. */
  private static final long START_MS = 1_700_000_000_000L;
  private static final List<SymbolId> SYMBOLS =
      List.of(SymbolId.parse("binance:AAAUSDT"), SymbolId.parse("binance:BBBUSDT"), SymbolId.parse("binance:CCCUSDT"));
  private static final BigDecimal STARTING_CASH = dec("10000");

  /** Momentum: enter when the close rose over two candles, exit on the first falling close. */
  private static final Strategy MOMENTUM =
      new Strategy() {
        @Override
        public String name() {
          return "momentum";
        }

        @Override
        public int requiredCandles() {
          return 3;
        }

        @Override
        public BigDecimal stopPrice(BigDecimal entryPrice) {
          return entryPrice.multiply(dec("0.98"));
        }

        @Override
        public Signal evaluate(List<Candle> candles, Position position) {
          BigDecimal last = candles.get(candles.size() - 1).close();
          BigDecimal previous = candles.get(candles.size() - 2).close();
          BigDecimal before = candles.get(candles.size() - 3).close();
          if (position.isFlat() && last.compareTo(previous) > 0 && previous.compareTo(before) > 0) {
            return new Signal(Signal.Action.ENTER_LONG, "rising");
          }
          if (!position.isFlat() && last.compareTo(previous) < 0) {
            return new Signal(Signal.Action.EXIT, "falling");
          }
          return new Signal(Signal.Action.HOLD, "no signal");
        }
      };

  private static TradingKernel kernel() {
    RiskLimits limits = new RiskLimits(dec("100000"), dec("1000"), 10, dec("5000"), dec("10000"), dec("10"), 100, 1000, dec("0.5"));
    TradingKernel kernel =
        new TradingKernel(
            new TradingKernel.Config(
                "USDT", STARTING_CASH, AssetPrecision.DEFAULT, MINUTE_MS, 50, limits, TradingDay.UTC_MIDNIGHT, 2 * MINUTE_MS,
                dec("0.01"), dec("0.001"), 500));
    for (SymbolId symbol : SYMBOLS) {
      kernel.addSymbol(
          new TradingKernel.Listing(
              symbol,
              MOMENTUM,
              new TradingDecisions.Params(dec("1000"), dec("0.001"), 2 * MINUTE_MS),
              new PaperFillModel(dec("0.001"), dec("2"), 2, dec("0.001")),
              new VenueFilters(BigDecimal.ZERO, dec("0.001"), dec("0.001"), dec("0.01"))));
    }
    return kernel;
  }

  private record Tick(SymbolId symbol, Trade trade) {}

  /** A random walk per symbol, one trade every second in turn, for {@code hours}, from {@code startMs}. */
  private static List<Tick> tape(long seed, long startMs, int hours) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] cents = {10_000, 25_000, 4_000};
    List<Tick> tape = new ArrayList<>();
    for (int i = 0; i < hours * 3600; i++) {
      int s = i % SYMBOLS.size();
      cents[s] = Math.max(100, cents[s] + random.nextInt(41) - 20);
      Side taker = random.nextBoolean() ? Side.BUY : Side.SELL;
      tape.add(new Tick(SYMBOLS.get(s), new Trade("t" + i, startMs + i * 1000L, BigDecimal.valueOf(cents[s], 2), dec("0.5"), taker)));
    }
    return tape;
  }

  private static TradingKernel run(List<Tick> tape) {
    TradingKernel kernel = kernel();
    tape.forEach(tick -> kernel.onTrade(tick.symbol(), tick.trade()));
    return kernel;
  }

  @Test
  void aSyntheticTapeGivesEntriesRiskDecisionsFillsAndExitsOnAConsistentLedger() {
    TradingKernel kernel = run(tape(7, START_MS, 4));

    TradingKernel.Counts counts = kernel.counts();
    assertEquals(4 * 3600, counts.trades());
    assertTrue(counts.decisions() > 0, counts.toString());
    assertTrue(counts.entries() > 5, counts.toString());
    assertTrue(counts.exits() > 5, counts.toString());
    assertEquals(counts.entries() + counts.exits(), counts.approved() + counts.rejected(), "every intent was decided");
    assertTrue(kernel.fills().stream().anyMatch(f -> f.side() == Side.BUY), "entries filled");
    assertTrue(kernel.fills().stream().anyMatch(f -> f.side() == Side.SELL), "exits filled");
    // two partial fills per approved order; the orders approved in the tape's last second may still be filling
    assertTrue(counts.fills() <= 2 * counts.approved() && counts.fills() >= 2 * (counts.approved() - SYMBOLS.size()), counts.toString());

    Ledger ledger = kernel.ledger();
    assertEquals(List.of(), ledger.violations());
    CashBook usdt = ledger.book("USDT");
    BigDecimal expectedCash = STARTING_CASH;
    BigDecimal fees = BigDecimal.ZERO;
    for (Fill fill : kernel.fills()) {
      // the quote amount is booked at the asset's precision, as the venue books it
      BigDecimal amount = AssetPrecision.DEFAULT.round(fill.price().multiply(fill.quantity()));
      expectedCash = fill.side() == Side.BUY ? expectedCash.subtract(amount) : expectedCash.add(amount);
      expectedCash = expectedCash.subtract(fill.fee());
      fees = fees.add(fill.fee());
    }
    assertEquals(0, expectedCash.compareTo(usdt.cash()), "cash = starting cash + proceeds − costs − fees, as booked");
    assertEquals(0, fees.compareTo(usdt.feesPaid()));
    BigDecimal costBasis = BigDecimal.ZERO;
    for (Position position : ledger.positions().values()) {
      costBasis = costBasis.add(position.quantity().multiply(position.averagePrice()));
    }
    assertEquals(0, STARTING_CASH.add(usdt.realizedPnl()).compareTo(usdt.cash().add(costBasis)),
        "cash + cost basis = starting cash + realized PnL (fees included)");
    assertEquals(0, kernel.equity().compareTo(ledger.equity(kernel.lastPrices())));
    for (SymbolId symbol : SYMBOLS) {
      assertEquals(0, ledger.position(symbol).quantity().compareTo(kernel.state(symbol).position().quantity()),
          "the symbol and the ledger agree on " + symbol);
    }
  }

  @Test
  void theSameTapeTwiceGivesTheSameFillsAndLedger() {
    List<Tick> tape = tape(11, START_MS, 2);

    TradingKernel first = run(tape);
    TradingKernel second = run(tape);

    assertTrue(!first.fills().isEmpty());
    assertEquals(first.fills(), second.fills());
    assertEquals(first.ledger(), second.ledger());
    assertEquals(first.counts(), second.counts());
  }

  @Test
  void timeComesFromTheDataOnly() {
    TradingKernel today = run(tape(13, START_MS, 2));
    TradingKernel tomorrow = run(tape(13, START_MS + DAY_MS, 2));

    assertTrue(!today.fills().isEmpty());
    List<Fill> shiftedBack =
        tomorrow.fills().stream()
            .map(f -> new Fill(f.tradeId(), f.clientOrderId(), f.symbol(), f.side(), f.quantity(), f.price(), f.fee(), f.timestampMs() - DAY_MS))
            .toList();
    assertEquals(today.fills(), shiftedBack);
    assertEquals(today.ledger(), tomorrow.ledger());
  }

  @Test
  void fillsBecomeDueWithTheTapesTime() {
    TradingKernel kernel = kernel();
    List<Tick> tape = tape(7, START_MS, 4);
    int i = 0;
    while (kernel.counts().approved() == 0) {
      kernel.onTrade(tape.get(i).symbol(), tape.get(i).trade());
      i++;
    }
    long approvedAt = kernel.nowMs();
    assertEquals(List.of(), kernel.fills(), "no fill before its delay has passed on the tape");

    kernel.advanceTo(approvedAt + 499);
    assertEquals(List.of(), kernel.fills());
    kernel.advanceTo(approvedAt + 1000);

    assertEquals(List.of(approvedAt + 500, approvedAt + 1000), kernel.fills().stream().map(Fill::timestampMs).toList());
  }

  @Test
  void refusesATradeOlderThanItsTimeAndChangesNothing() {
    TradingKernel kernel = kernel();
    List<Tick> tape = tape(7, START_MS, 1);
    for (int i = 0; i < 100; i++) {
      kernel.onTrade(tape.get(i).symbol(), tape.get(i).trade());
    }
    TradingKernel.Counts before = kernel.counts();

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> kernel.onTrade(tape.get(0).symbol(), tape.get(0).trade()));

    assertTrue(error.getMessage().contains("time order"), error.getMessage());
    assertEquals(before, kernel.counts());
    assertNotEquals(Long.MIN_VALUE, kernel.nowMs());
  }

  /** The entries the kernel journaled for {@code symbol} when A rises for four minutes and then only B trades, with the clock every {@code tickMs}. */
  private static List<OrderIntent> entriesOfAQuietSymbol(long tickMs) {
    RiskLimits limits = new RiskLimits(dec("100000"), dec("1000"), 10, dec("5000"), dec("10000"), dec("10"), 100, 1000, dec("0.5"));
    TradingKernel kernel =
        new TradingKernel(
            new TradingKernel.Config(
                "USDT", STARTING_CASH, AssetPrecision.DEFAULT, MINUTE_MS, 50, limits, TradingDay.UTC_MIDNIGHT, 2 * MINUTE_MS,
                dec("0.01"), dec("0.001"), 500, false, tickMs));
    for (SymbolId symbol : SYMBOLS) {
      kernel.addSymbol(
          new TradingKernel.Listing(
              symbol, MOMENTUM, new TradingDecisions.Params(dec("1000"), dec("0.001"), 2 * MINUTE_MS),
              new PaperFillModel(dec("0.001"), dec("2"), 2, dec("0.001")), new VenueFilters(BigDecimal.ZERO, dec("0.001"), dec("0.001"), dec("0.01"))));
    }
    List<OrderIntent> entries = new ArrayList<>();
    SymbolId a = SYMBOLS.get(0);
    kernel.journalTo((symbol, event) -> {
      if (symbol.equals(a) && event instanceof SymbolEvent.EntryIntended entry) {
        entries.add(entry.intent());
      }
    });
    long t0 = (START_MS / MINUTE_MS + 1) * MINUTE_MS;
    for (int i = 0; i < 240; i++) {
      // one candle per minute, each closing a point higher: rising after the fourth
      kernel.onTrade(a, new Trade("a" + i, t0 + i * 1000L, BigDecimal.valueOf(100 + i / 60), dec("0.5"), Side.BUY));
    }
    for (int j = 0; j < 180; j++) {
      kernel.onTrade(SYMBOLS.get(1), new Trade("b" + j, t0 + 240_000 + j * 1000L, dec("50"), dec("0.5"), Side.SELL));
    }
    return entries;
  }

  @Test
  void theCandleClockClosesAQuietSymbolsCandleWhenItsTimeIsUp() {
    long t0 = (START_MS / MINUTE_MS + 1) * MINUTE_MS;

    List<OrderIntent> ticked = entriesOfAQuietSymbol(MINUTE_MS);
    List<OrderIntent> untimed = entriesOfAQuietSymbol(0);

    // A's fourth candle has no trade after it: only the clock's tick at its end closes it, and the entry is decided then
    assertEquals(1, ticked.size(), ticked.toString());
    assertEquals(t0 + 4 * MINUTE_MS, ticked.get(0).createdAtMs());
    assertEquals(List.of(), untimed, "without the clock the candle waits for a trade of A that never comes");
  }
}
