package io.pekkotrader.bench;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingKernel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's {@link TradingKernel} for a set of symbols, stepped trade by trade as a live feed
 * delivers them: {@code bench ws}'s decision stage. Built from the engine's configuration as {@code
 * bench pipeline} builds its kernel ({@link EngineDecisionSettings}). Used by one thread at a time.
 *
 * <p>The kernel's time is the time of the data, and it refuses a trade older than the latest one it
 * stepped. A live feed can deliver one (a wall clock that stepped back, trades of several
 * connections merged); such a trade is not stepped but counted ({@link #late()}), so that a feed
 * out of time order shows in the figures instead of failing the stream.
 */
final class KernelStage {
  private final TradingKernel kernel;
  private final Map<String, TradingKernel.Feed> bySymbol;
  private long late;

  /** A fresh kernel trading {@code symbols} of {@code venue}, each with the configured strategy and sizing. */
  KernelStage(String venue, List<String> symbols, EngineDecisionSettings engine) {
    this.kernel = new TradingKernel(engine.kernel(symbols.size()));
    this.bySymbol = new HashMap<>(symbols.size() * 2);
    for (String symbol : symbols) {
      SymbolId id = new SymbolId(venue, symbol);
      kernel.addSymbol(engine.listing(id));
      bySymbol.put(symbol, kernel.feed(id));
    }
  }

  /**
   * Steps the kernel with {@code trade} of {@code symbol}, or counts it as late when it is older
   * than the kernel's time; returns whether it closed a candle (and so ran a decision).
   *
   * @throws IllegalArgumentException {@code symbol} is not traded here
   */
  boolean onTrade(String symbol, Trade trade) {
    TradingKernel.Feed feed = bySymbol.get(symbol);
    if (feed == null) {
      throw new IllegalArgumentException(symbol + " is not traded here");
    }
    if (trade.timestampMs() < kernel.nowMs()) {
      late++;
      return false;
    }
    long decisionsBefore = kernel.decisions();
    feed.onTrade(trade);
    return kernel.decisions() != decisionsBefore;
  }

  /**
   * Steps a throwaway kernel of the same shape with {@code candles} candles of synthetic trades
   * (every symbol {@value #WARM_UP_TRADES_PER_CANDLE} trades a candle, prices a seeded random walk,
   * on a data clock of its own), so that the JIT has compiled the candle closes, strategy, risk and
   * fills before a bench measures. At a low offered rate a bench's own warm-up runs that code a
   * hundred times a second at most (once per symbol and candle): 10 s of it leaves the JIT compiling
   * it, and running it interpreted, in the measured window (docs/performance.md, "Low rates").
   * Nothing of the throwaway kernel is kept; its counts are returned to show it decided.
   */
  static TradingKernel.Counts warmUp(String venue, List<String> symbols, EngineDecisionSettings engine, int candles) {
    long intervalMs = engine.intervalMs();
    KernelStage stage = new KernelStage(venue, symbols, engine);
    TradeWalk walk = new TradeWalk(symbols.size(), 11);
    long perCandle = (long) WARM_UP_TRADES_PER_CANDLE * symbols.size();
    long t0 = 1_600_000_000_000L;
    for (long k = 0; k < perCandle * candles; k++) {
      int s = (int) (k % symbols.size());
      stage.onTrade(symbols.get(s), walk.next(s, Long.toString(1 + k / symbols.size()), t0 + k * intervalMs / perCandle));
    }
    return stage.counts();
  }

  /** Trades of each symbol in each candle of {@link #warmUp}. */
  static final int WARM_UP_TRADES_PER_CANDLE = 10;

  /** Trades older than the kernel's time when they came: counted, not stepped. */
  long late() {
    return late;
  }

  TradingKernel.Counts counts() {
    return kernel.counts();
  }

  TradingKernel kernel() {
    return kernel;
  }
}
