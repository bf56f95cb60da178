package io.pekkotrader.bench;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured path, frame by frame in one thread: decode with the venue's dialect, route each
 * trade to its symbol by name, then the {@link TradingKernel} (candles, decision, risk, paper fill,
 * ledger). Fresh kernel per instance, so every measured pass starts from the same point.
 */
final class DecisionPipeline {
  private final VenueDialect dialect;
  private final Map<String, TradingKernel.Feed> bySymbol;
  private final TradingKernel kernel;
  long trades;
  long unrouted;
  long ignored;
  long malformed;

  DecisionPipeline(VenueDialect dialect, List<String> symbols, EngineDecisionSettings engine) {
    this.dialect = dialect;
    this.bySymbol = new HashMap<>(symbols.size() * 2);
    this.kernel = new TradingKernel(engine.kernel(symbols.size()));
    for (String symbol : symbols) {
      SymbolId id = new SymbolId(dialect.venue(), symbol);
      kernel.addSymbol(engine.listing(id));
      bySymbol.put(symbol, kernel.feed(id));
    }
  }

  /** Processes one frame; returns whether one of its trades closed a candle (and so ran a decision). */
  boolean onFrame(byte[] frame) {
    Decoded decoded = dialect.decode(frame, 0, frame.length);
    if (!(decoded instanceof Decoded.Trades batch)) {
      if (decoded instanceof Decoded.Ignored) {
        ignored++;
      } else {
        malformed++;
      }
      return false;
    }
    long decisionsBefore = kernel.decisions();
    List<Decoded.VenueTrade> venueTrades = batch.trades();
    for (int i = 0; i < venueTrades.size(); i++) {
      Decoded.VenueTrade venueTrade = venueTrades.get(i);
      TradingKernel.Feed feed = bySymbol.get(venueTrade.symbol());
      if (feed == null) {
        unrouted++;
        continue;
      }
      trades++;
      feed.onTrade(venueTrade.trade());
    }
    return kernel.decisions() != decisionsBefore;
  }

  TradingKernel.Counts counts() {
    return kernel.counts();
  }

  TradingKernel kernel() {
    return kernel;
  }

  long readySymbols() {
    return kernel.symbols().stream().filter(s -> kernel.state(s).phase() == SymbolPhase.READY).count();
  }
}
