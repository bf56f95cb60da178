package io.pekkotrader.bench;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benches' synthetic trades: each symbol's price a seeded random walk in cents from 100.00
 * (at most 0.09 a step, never below 0.01), sizes of 0.001 to 0.200, a random taker side. The same
 * seed gives the same trades, whoever steps it: the ws bench's feed, and the throwaway kernel
 * that warms the decision path up before it. Owned by one thread.
 */
final class TradeWalk {
  private final SplittableRandom random;
  private final long[] cents;

  TradeWalk(int symbols, long seed) {
    this.random = new SplittableRandom(seed);
    this.cents = new long[symbols];
    Arrays.fill(cents, 10_000);
  }

  /** The next trade of symbol number {@code symbol}, with the id and time the caller gives it. */
  Trade next(int symbol, String tradeId, long timestampMs) {
    cents[symbol] = Math.max(1, cents[symbol] + random.nextInt(-9, 10));
    long lots = 1 + random.nextLong(200);
    return new Trade(
        tradeId, timestampMs, BigDecimal.valueOf(cents[symbol], 2), BigDecimal.valueOf(lots, 3), random.nextBoolean() ? Side.BUY : Side.SELL);
  }
}
