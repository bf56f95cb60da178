package io.pekkotrader.bench;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.CandleAggregator;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.SymbolState;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a SymbolTrader does with a trade, without the actor: fold it into candles and, when a
 * candle closed, ask {@link TradingDecisions#next} (and through it the strategy) for the next
 * step. A completed warm-up is applied to the state, as the actor would after persisting it; an
 * entry is counted, not executed (this bench places no orders), so a ready symbol keeps
 * evaluating its strategy on every closed candle.
 */
final class SymbolDecisions {
  private final CandleAggregator candles;
  private final Strategy strategy;
  private final TradingDecisions.Params params;
  private SymbolState state;
  private BigDecimal lastPrice;
  long candlesClosed;
  long decisions;
  long entries;

  SymbolDecisions(SymbolId symbol, long intervalMs, int history, Strategy strategy, TradingDecisions.Params params) {
    this.candles = new CandleAggregator(intervalMs, history);
    this.strategy = strategy;
    this.params = params;
    this.state = SymbolState.initial(symbol);
  }

  /** Takes one trade; returns whether it closed a candle (and so ran a decision). */
  boolean onTrade(Trade trade) {
    List<Candle> closed = candles.onTrade(trade);
    lastPrice = trade.price();
    if (closed.isEmpty()) {
      return false;
    }
    candlesClosed += closed.size();
    decisions++;
    TradingDecisions.Step step = TradingDecisions.next(state, candles.history(), lastPrice, strategy, params, trade.timestampMs());
    if (step instanceof TradingDecisions.CompleteWarmUp) {
      state = state.warmUpCompleted();
    } else if (step instanceof TradingDecisions.Enter) {
      entries++;
    }
    return true;
  }

  SymbolPhase phase() {
    return state.phase();
  }
}
