package io.pekkotrader.bench;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.venue.BinanceDialect;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Binance combined-stream {@code @trade} frames in the recorded shape, written by
 * {@link BinanceDialect#encodeTrade}: prices and quantities with 8 decimals as Binance sends them
 * ({@code "58942.01000000"}), one random walk per symbol, symbols drawn uniformly, and a clock
 * that gives every symbol about {@value #TRADES_PER_CANDLE} trades per candle interval, so that
 * candles close and the strategy runs all along the run. Deterministic for a seed.
 */
final class RecordedShapeFrames {
  /** Trades per symbol per candle interval, on average. */
  static final int TRADES_PER_CANDLE = 10;
  /** Trade time of the first frame. */
  static final long START_MS = 1_700_000_000_000L;

  private RecordedShapeFrames() {}

  /** Engine symbols {@code S0001USDT}, {@code S0002USDT}, ... */
  static List<String> symbols(int count) {
    List<String> symbols = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      symbols.add(String.format("S%04dUSDT", i));
    }
    return symbols;
  }

  /**
   * {@code frames} frames over {@code symbols}; trade times advance so that each symbol sees
   * {@value #TRADES_PER_CANDLE} trades per {@code intervalMs} on average.
   */
  static String[] generate(List<String> symbols, int frames, long intervalMs, long seed) {
    BinanceDialect binance = new BinanceDialect();
    SplittableRandom random = new SplittableRandom(seed);
    long[] priceCents = new long[symbols.size()];
    for (int s = 0; s < priceCents.length; s++) {
      priceCents[s] = 10_000 + (s % 50) * 1_000L;
    }
    long framesPerInterval = (long) TRADES_PER_CANDLE * symbols.size();
    String[] out = new String[frames];
    for (int i = 0; i < frames; i++) {
      int s = random.nextInt(symbols.size());
      priceCents[s] = Math.max(100, priceCents[s] + random.nextInt(7) - 3);
      BigDecimal price = BigDecimal.valueOf(priceCents[s] * 1_000_000L, 8);
      BigDecimal quantity = BigDecimal.valueOf(100L * (1 + random.nextInt(5_000_000)), 8);
      long timestampMs = START_MS + (long) i * intervalMs / framesPerInterval;
      Side taker = random.nextBoolean() ? Side.BUY : Side.SELL;
      out[i] = binance.encodeTrade(symbols.get(s), new Trade(Long.toString(1_000_000_000L + i), timestampMs, price, quantity, taker));
    }
    return out;
  }
}
