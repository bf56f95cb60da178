package io.pekkotrader.app;

import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.TradeRouter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The {@link TradeRouter}'s way to the SymbolTraders through cluster sharding: it lives here, with
 * the wiring, so that {@code streams} knows neither the actors nor sharding.
 */
public record ShardedTraders(ClusterSharding sharding) implements TradeRouter.Traders {
  @Override
  public CompletionStage<Done> offer(SymbolId symbol, List<Trade> trades, Duration timeout) {
    return sharding
        .entityRefFor(SymbolTrader.ENTITY_KEY, symbol.id())
        .ask(replyTo -> new SymbolTrader.OnTrades(trades, replyTo), timeout);
  }
}
