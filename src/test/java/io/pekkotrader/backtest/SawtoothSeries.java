package io.pekkotrader.backtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A synthetic market built so that one take-profit is clearly best for {@code ma-crossover}: each
 * cycle is {@value #FLAT} flat one-minute candles at 100, then {@value #RISE} candles rising 0.1 %
 * each (to about +5.6 %), then a crash back to 100. The fast average crosses above the slow one on
 * the first rising candle (entry near 100.1), so a take-profit of 5 % is the largest that the rise
 * reaches: a smaller one takes less each cycle, a larger one is never reached and the position
 * leaves on the crash at a loss.
 */
final class SawtoothSeries {
  static final int FLAT = 20;
  static final int RISE = 55;
  static final long START_MS = 1_700_006_400_000L;
  /** The take-profit the series is built for. */
  static final String BEST_TAKE_PROFIT = "0.05";

  private SawtoothSeries() {}

  /** {@code cycles} cycles as the engine's trades CSV, four trades a minute. */
  static List<String> lines(int cycles) {
    List<String> lines = new ArrayList<>();
    lines.add(TradeFile.ENGINE_HEADER);
    long minute = 0;
    int id = 1;
    for (int c = 0; c < cycles; c++) {
      for (int k = 0; k < FLAT + RISE; k++) {
        double price = k < FLAT ? 100 : 100 * Math.pow(1.001, k - FLAT + 1);
        long base = START_MS + minute * 60_000;
        for (int s = 0; s < 4; s++) {
          lines.add((base + 5_000 + s * 15_000) + "," + String.format(Locale.ROOT, "%.4f", price) + ",0.5," + (s % 2 == 0 ? "buy" : "sell")
              + "," + id++);
        }
        minute++;
      }
    }
    return lines;
  }

  static Path write(Path file, int cycles) throws IOException {
    return Files.write(file, lines(cycles), StandardCharsets.UTF_8);
  }
}
