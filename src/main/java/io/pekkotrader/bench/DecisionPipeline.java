package io.pekkotrader.bench;

import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.strategy.MovingAverageCrossover;
import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured path, frame by frame in one thread: decode with the venue's dialect, route each
 * trade to its symbol by name, then {@link SymbolDecisions}. Fresh state per instance, so every
 * measured pass starts from the same point.
 */
final class DecisionPipeline {
  /** The engine's default strategy parameters ({@code application.conf}). */
  static final MovingAverageCrossover.Params STRATEGY_PARAMS =
      new MovingAverageCrossover.Params(3, 8, 8, 0.0001, new BigDecimal("0.004"), new BigDecimal("0.006"));
  /** The engine's default order sizing and cooldown. */
  static final TradingDecisions.Params DECISION_PARAMS =
      new TradingDecisions.Params(new BigDecimal("1000"), new BigDecimal("0.00001"), 3_000);

  private final VenueDialect dialect;
  private final Map<String, SymbolDecisions> bySymbol;
  long trades;
  long unrouted;
  long ignored;
  long malformed;

  DecisionPipeline(VenueDialect dialect, List<String> symbols, long intervalMs, int history) {
    this.dialect = dialect;
    this.bySymbol = new HashMap<>(symbols.size() * 2);
    for (String symbol : symbols) {
      Strategy strategy = Strategies.create(MovingAverageCrossover.NAME, STRATEGY_PARAMS);
      bySymbol.put(
          symbol, new SymbolDecisions(new SymbolId(dialect.venue(), symbol), intervalMs, history, strategy, DECISION_PARAMS));
    }
  }

  /** Processes one frame; returns whether one of its trades closed a candle. */
  boolean onFrame(String frame) {
    Decoded decoded = dialect.decode(frame);
    if (!(decoded instanceof Decoded.Trades batch)) {
      if (decoded instanceof Decoded.Ignored) {
        ignored++;
      } else {
        malformed++;
      }
      return false;
    }
    boolean decided = false;
    List<Decoded.VenueTrade> venueTrades = batch.trades();
    for (int i = 0; i < venueTrades.size(); i++) {
      Decoded.VenueTrade venueTrade = venueTrades.get(i);
      SymbolDecisions symbol = bySymbol.get(venueTrade.symbol());
      if (symbol == null) {
        unrouted++;
        continue;
      }
      trades++;
      decided |= symbol.onTrade(venueTrade.trade());
    }
    return decided;
  }

  long candlesClosed() {
    return bySymbol.values().stream().mapToLong(s -> s.candlesClosed).sum();
  }

  long decisions() {
    return bySymbol.values().stream().mapToLong(s -> s.decisions).sum();
  }

  long entries() {
    return bySymbol.values().stream().mapToLong(s -> s.entries).sum();
  }

  long readySymbols() {
    return bySymbol.values().stream().filter(s -> s.phase() == SymbolPhase.READY).count();
  }
}
