package io.pekkotrader.bench;

import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.strategy.MovingAverageCrossover;
import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured path, frame by frame in one thread: decode with the venue's dialect, route each
 * trade to its symbol by name, then {@link SymbolDecisions}. Fresh state per instance, so every
 * measured pass starts from the same point.
 */
final class DecisionPipeline {
  private final VenueDialect dialect;
  private final Map<String, SymbolDecisions> bySymbol;
  long trades;
  long unrouted;
  long ignored;
  long malformed;

  DecisionPipeline(VenueDialect dialect, List<String> symbols, EngineDecisionSettings engine) {
    this.dialect = dialect;
    this.bySymbol = new HashMap<>(symbols.size() * 2);
    for (String symbol : symbols) {
      Strategy strategy = Strategies.create(MovingAverageCrossover.NAME, engine.strategy());
      bySymbol.put(
          symbol,
          new SymbolDecisions(new SymbolId(dialect.venue(), symbol), engine.intervalMs(), engine.history(), strategy, engine.decisions()));
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
