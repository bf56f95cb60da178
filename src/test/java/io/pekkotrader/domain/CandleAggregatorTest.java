package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.MINUTE_MS;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.trade;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandleAggregatorTest {
  /** An epoch-aligned one-minute boundary. */
  private static final long T0 = 1_000 * MINUTE_MS;

  private static void assertCandle(
      long openTimeMs, String open, String high, String low, String close, String volume, int trades, Candle actual) {
    String where = "candle " + actual;
    assertEquals(openTimeMs, actual.openTimeMs(), where);
    assertEquals(0, dec(open).compareTo(actual.open()), where + " open");
    assertEquals(0, dec(high).compareTo(actual.high()), where + " high");
    assertEquals(0, dec(low).compareTo(actual.low()), where + " low");
    assertEquals(0, dec(close).compareTo(actual.close()), where + " close");
    assertEquals(0, dec(volume).compareTo(actual.volume()), where + " volume");
    assertEquals(trades, actual.trades(), where + " trades");
  }

  /** Like {@link #assertCandle} but with the exact decimals (scale included) as written. */
  private static void assertExactCandle(
      long openTimeMs, String open, String high, String low, String close, String volume, int trades, Candle actual) {
    String where = "candle " + actual;
    assertEquals(openTimeMs, actual.openTimeMs(), where);
    assertEquals(open, actual.open().toPlainString(), where + " open");
    assertEquals(high, actual.high().toPlainString(), where + " high");
    assertEquals(low, actual.low().toPlainString(), where + " low");
    assertEquals(close, actual.close().toPlainString(), where + " close");
    assertEquals(volume, actual.volume().toPlainString(), where + " volume");
    assertEquals(trades, actual.trades(), where + " trades");
  }

  private static void assertForwardFill(long openTimeMs, String previousClose, Candle actual) {
    assertCandle(openTimeMs, previousClose, previousClose, previousClose, previousClose, "0", 0, actual);
    assertTrue(actual.isForwardFilled());
  }

  @Test
  void foldsSeveralTradesInOneIntervalIntoOneCandle() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + 1_000, "100.50", "1"));
    aggregator.onTrade(trade("2", T0 + 2_000, "101.25", "0.5"));
    aggregator.onTrade(trade("3", T0 + 3_000, "99.75", "2"));
    aggregator.onTrade(trade("4", T0 + 59_999, "100.00", "0.25"));

    List<Candle> closed = aggregator.onTrade(trade("5", T0 + 61_000, "100.10", "1"));

    assertEquals(1, closed.size());
    assertCandle(T0, "100.50", "101.25", "99.75", "100.00", "3.75", 4, closed.get(0));
    assertEquals(closed, aggregator.history());
    assertCandle(T0 + MINUTE_MS, "100.10", "100.10", "100.10", "100.10", "1", 1, aggregator.openCandle());
  }

  @Test
  void opensTheNextCandleWithATradeExactlyOnTheBoundary() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0, "100", "1"));

    List<Candle> closed = aggregator.onTrade(trade("2", T0 + MINUTE_MS, "105", "2"));

    assertEquals(1, closed.size());
    assertCandle(T0, "100", "100", "100", "100", "1", 1, closed.get(0));
    assertCandle(T0 + MINUTE_MS, "105", "105", "105", "105", "2", 1, aggregator.openCandle());
  }

  @Test
  void alignsCandlesToTheEpochWhateverTheFirstTradeTime() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);

    aggregator.onTrade(trade("1", T0 + 42_123, "100", "1"));

    assertEquals(T0, aggregator.openCandle().openTimeMs());
  }

  @Test
  void closesEmptyIntervalsAsForwardFilledCandles() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + 5_000, "100", "1"));
    aggregator.onTrade(trade("2", T0 + 6_000, "102.5", "1"));

    List<Candle> closed = aggregator.onTrade(trade("3", T0 + 3 * MINUTE_MS + 5, "103", "1"));

    assertEquals(3, closed.size());
    assertCandle(T0, "100", "102.5", "100", "102.5", "2", 2, closed.get(0));
    assertForwardFill(T0 + MINUTE_MS, "102.5", closed.get(1));
    assertForwardFill(T0 + 2 * MINUTE_MS, "102.5", closed.get(2));
    assertCandle(T0 + 3 * MINUTE_MS, "103", "103", "103", "103", "1", 1, aggregator.openCandle());
  }

  @Test
  void closesTheOpenCandleWhenTheClockPassesItsEnd() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + 1_000, "100", "1"));

    List<Candle> beforeEnd = aggregator.advanceTo(T0 + MINUTE_MS - 1);
    List<Candle> atEnd = aggregator.advanceTo(T0 + MINUTE_MS);
    List<Candle> threeMinutesLater = aggregator.advanceTo(T0 + 3 * MINUTE_MS + 1);

    assertEquals(List.of(), beforeEnd);
    assertEquals(1, atEnd.size());
    assertCandle(T0, "100", "100", "100", "100", "1", 1, atEnd.get(0));
    assertEquals(2, threeMinutesLater.size());
    assertForwardFill(T0 + MINUTE_MS, "100", threeMinutesLater.get(0));
    assertForwardFill(T0 + 2 * MINUTE_MS, "100", threeMinutesLater.get(1));
    assertForwardFill(T0 + 3 * MINUTE_MS, "100", aggregator.openCandle());
    assertEquals(3, aggregator.closedCount());
  }

  @Test
  void advancingTheClockBeforeAnyTradeClosesNothing() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);

    List<Candle> closed = aggregator.advanceTo(T0 + 10 * MINUTE_MS);

    assertEquals(List.of(), closed);
    assertEquals(null, aggregator.openCandle());
  }

  @Test
  void firstTradeAfterAClockCloseOpensTheCandleAtItsOwnPrice() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + 1_000, "100", "1"));
    aggregator.advanceTo(T0 + MINUTE_MS);
    aggregator.onTrade(trade("2", T0 + MINUTE_MS + 1_000, "110", "2"));
    aggregator.onTrade(trade("3", T0 + MINUTE_MS + 2_000, "108", "1"));

    List<Candle> closed = aggregator.advanceTo(T0 + 2 * MINUTE_MS);

    // the same as without the clock tick: built from the trades of the interval only
    assertEquals(1, closed.size());
    assertCandle(T0 + MINUTE_MS, "110", "110", "108", "108", "3", 2, closed.get(0));
  }

  @Test
  void countsAndIgnoresTradesOlderThanTheOpenCandle() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + 1_000, "100", "1"));
    aggregator.onTrade(trade("2", T0 + MINUTE_MS + 1_000, "101", "1"));

    List<Candle> closed = aggregator.onTrade(trade("late", T0 + 2_000, "50", "7"));

    assertEquals(List.of(), closed);
    assertEquals(1, aggregator.lateTrades());
    assertCandle(T0, "100", "100", "100", "100", "1", 1, aggregator.history().get(0));
    assertCandle(T0 + MINUTE_MS, "101", "101", "101", "101", "1", 1, aggregator.openCandle());
  }

  @Test
  void keepsAtMostCapacityClosedCandlesDroppingTheOldest() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 3);
    for (int i = 0; i < 5; i++) {
      aggregator.onTrade(trade("t" + i, T0 + i * MINUTE_MS, String.valueOf(100 + i), "1"));
    }

    List<Candle> history = aggregator.history();

    assertEquals(3, history.size());
    assertEquals(3, aggregator.closedCount());
    assertCandle(T0 + MINUTE_MS, "101", "101", "101", "101", "1", 1, history.get(0));
    assertCandle(T0 + 2 * MINUTE_MS, "102", "102", "102", "102", "1", 1, history.get(1));
    assertCandle(T0 + 3 * MINUTE_MS, "103", "103", "103", "103", "1", 1, history.get(2));
    assertThrows(UnsupportedOperationException.class, () -> history.add(history.get(0)));
  }

  @Test
  void emitsOnlyTheNewestCapacityForwardFillsForAGapLongerThanCapacity() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 3);
    aggregator.onTrade(trade("1", T0, "100", "1"));

    // nine empty intervals between T0 and T0 + 10 minutes
    List<Candle> closed = aggregator.onTrade(trade("2", T0 + 10 * MINUTE_MS, "90", "1"));

    assertEquals(4, closed.size());
    assertCandle(T0, "100", "100", "100", "100", "1", 1, closed.get(0));
    assertForwardFill(T0 + 7 * MINUTE_MS, "100", closed.get(1));
    assertForwardFill(T0 + 8 * MINUTE_MS, "100", closed.get(2));
    assertForwardFill(T0 + 9 * MINUTE_MS, "100", closed.get(3));
    assertEquals(closed.subList(1, 4), aggregator.history());
    assertEquals(T0 + 10 * MINUTE_MS, aggregator.openCandle().openTimeMs());
  }

  @Test
  void buildsHandComputedCandlesFromAMinuteOfTradesAnEmptyMinuteAndABoundaryTrade() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    List<Candle> closed = new java.util.ArrayList<>();
    // minute 0: five trades; the high comes in the middle, the low before the close
    closed.addAll(aggregator.onTrade(trade("1", T0 + 100, "43000.10", "0.010")));
    closed.addAll(aggregator.onTrade(trade("2", T0 + 15_000, "43010.00", "0.0205")));
    closed.addAll(aggregator.onTrade(trade("3", T0 + 30_000, "43025.55", "1")));
    closed.addAll(aggregator.onTrade(trade("4", T0 + 45_000, "42990.00", "0.5")));
    closed.addAll(aggregator.onTrade(trade("5", T0 + MINUTE_MS - 1, "42995.25", "0.0001")));
    // minute 1: no trade; minute 2 starts with a trade exactly on its first millisecond
    closed.addAll(aggregator.onTrade(trade("6", T0 + 2 * MINUTE_MS, "43100", "2")));
    closed.addAll(aggregator.onTrade(trade("7", T0 + 2 * MINUTE_MS + 59_999, "43100", "3.25")));
    // minute 3: one trade, which closes minute 2
    closed.addAll(aggregator.onTrade(trade("8", T0 + 3 * MINUTE_MS + 1, "43050.5", "0.75")));

    // by hand: O first, H max, L min, C last, V sum (exact), count
    assertEquals(3, closed.size());
    assertExactCandle(T0, "43000.10", "43025.55", "42990.00", "42995.25", "1.5306", 5, closed.get(0));
    assertExactCandle(T0 + MINUTE_MS, "42995.25", "42995.25", "42995.25", "42995.25", "0", 0, closed.get(1));
    assertExactCandle(T0 + 2 * MINUTE_MS, "43100", "43100", "43100", "43100", "5.25", 2, closed.get(2));
    assertExactCandle(T0 + 3 * MINUTE_MS, "43050.5", "43050.5", "43050.5", "43050.5", "0.75", 1, aggregator.openCandle());
    assertEquals(closed, aggregator.history());
  }

  @Test
  void aTradeExactlyOnABoundaryAfterEmptyIntervalsOpensTheNewCandle() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + MINUTE_MS - 1, "10", "1"));

    List<Candle> closed = aggregator.onTrade(trade("2", T0 + 4 * MINUTE_MS, "12", "1"));

    // the trade one millisecond before the first boundary stays in the first candle
    assertEquals(4, closed.size());
    assertExactCandle(T0, "10", "10", "10", "10", "1", 1, closed.get(0));
    assertForwardFill(T0 + MINUTE_MS, "10", closed.get(1));
    assertForwardFill(T0 + 2 * MINUTE_MS, "10", closed.get(2));
    assertForwardFill(T0 + 3 * MINUTE_MS, "10", closed.get(3));
    assertExactCandle(T0 + 4 * MINUTE_MS, "12", "12", "12", "12", "1", 1, aggregator.openCandle());
  }

  @Test
  void aForwardFilledIntervalEndedByATradeOnItsBoundaryStaysEmpty() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0 + 1_000, "100.5", "1"));
    aggregator.advanceTo(T0 + MINUTE_MS + 30_000);

    List<Candle> closed = aggregator.onTrade(trade("2", T0 + 2 * MINUTE_MS, "101", "4"));

    assertEquals(1, closed.size());
    assertForwardFill(T0 + MINUTE_MS, "100.5", closed.get(0));
    assertExactCandle(T0 + 2 * MINUTE_MS, "101", "101", "101", "101", "4", 1, aggregator.openCandle());
    assertEquals(2, aggregator.closedCount());
  }

  @Test
  void oneSecondCandlesSplitAtTheExactSecond() {
    CandleAggregator aggregator = new CandleAggregator(1_000, 10);
    aggregator.onTrade(trade("1", 1_700_000_000_000L, "5.00", "1"));
    aggregator.onTrade(trade("2", 1_700_000_000_999L, "5.10", "2"));

    List<Candle> closed = aggregator.onTrade(trade("3", 1_700_000_001_000L, "4.90", "3"));

    assertEquals(1, closed.size());
    assertExactCandle(1_700_000_000_000L, "5.00", "5.10", "5.00", "5.10", "3", 2, closed.get(0));
    assertExactCandle(1_700_000_001_000L, "4.90", "4.90", "4.90", "4.90", "3", 1, aggregator.openCandle());
  }

  @Test
  void aHistoryTakenEarlierDoesNotChangeAsMoreCandlesClose() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 3);
    for (int i = 0; i < 4; i++) {
      aggregator.onTrade(trade("t" + i, T0 + i * MINUTE_MS, String.valueOf(100 + i), "1"));
    }
    List<Candle> earlier = aggregator.history();
    List<Candle> copy = List.copyOf(earlier);

    // enough closes to move the kept candles to fresh storage more than once
    for (int i = 4; i < 60; i++) {
      aggregator.onTrade(trade("t" + i, T0 + i * MINUTE_MS, String.valueOf(100 + i), "1"));
    }

    assertEquals(copy, earlier);
    assertEquals(3, aggregator.history().size());
    assertCandle(T0 + 56 * MINUTE_MS, "156", "156", "156", "156", "1", 1, aggregator.history().get(0));
    assertCandle(T0 + 58 * MINUTE_MS, "158", "158", "158", "158", "1", 1, aggregator.history().get(2));
    assertThrows(IndexOutOfBoundsException.class, () -> aggregator.history().get(3));
  }

  @Test
  void rejectsANonPositiveIntervalOrCapacity() {
    IllegalArgumentException zeroInterval = assertThrows(IllegalArgumentException.class, () -> new CandleAggregator(0, 10));
    IllegalArgumentException negativeInterval =
        assertThrows(IllegalArgumentException.class, () -> new CandleAggregator(-MINUTE_MS, 10));
    IllegalArgumentException zeroCapacity =
        assertThrows(IllegalArgumentException.class, () -> new CandleAggregator(MINUTE_MS, 0));

    assertTrue(zeroInterval.getMessage().contains("interval"), zeroInterval.getMessage());
    assertTrue(negativeInterval.getMessage().contains("interval"), negativeInterval.getMessage());
    assertTrue(zeroCapacity.getMessage().contains("capacity"), zeroCapacity.getMessage());
  }
}
