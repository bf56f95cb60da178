package io.pekkotrader.streams;

import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers trades to their SymbolTraders with back-pressure: trades are batched (at most
 * {@code batchSize} or {@code batchWindow}), split by symbol in arrival order, and each symbol's
 * slice is sent as one {@link SymbolTrader.OnTrades} whose acknowledgement releases demand. At most
 * {@code parallelism} batches are in flight, so nothing queues without bound. A symbol that does
 * not acknowledge within {@code timeout} costs that batch's wait, not a dead stream: its slice is
 * dropped with a warning (candles of that symbol miss those trades) and the others go on.
 */
public final class TradeRouter {
  private static final Logger log = LoggerFactory.getLogger(TradeRouter.class);

  private TradeRouter() {}

  public static Flow<MarketTrade, Done, NotUsed> create(
      ClusterSharding sharding, int batchSize, Duration batchWindow, int parallelism, Duration timeout) {
    return Flow.<MarketTrade>create()
        .groupedWithin(batchSize, batchWindow)
        .mapAsync(parallelism, batch -> deliver(sharding, batch, timeout));
  }

  private static CompletionStage<Done> deliver(ClusterSharding sharding, List<MarketTrade> batch, Duration timeout) {
    Map<SymbolId, List<Trade>> bySymbol = new LinkedHashMap<>();
    for (MarketTrade trade : batch) {
      bySymbol.computeIfAbsent(trade.symbol(), s -> new ArrayList<>()).add(trade.trade());
    }
    CompletableFuture<?>[] acks = new CompletableFuture<?>[bySymbol.size()];
    int i = 0;
    for (Map.Entry<SymbolId, List<Trade>> slice : bySymbol.entrySet()) {
      acks[i++] =
          sharding
              .entityRefFor(SymbolTrader.ENTITY_KEY, slice.getKey().id())
              .<Done>ask(replyTo -> new SymbolTrader.OnTrades(slice.getValue(), replyTo), timeout)
              .handle(
                  (done, failure) -> {
                    if (failure != null) {
                      log.warn("{} did not take {} trade(s) in {}: dropped", slice.getKey(), slice.getValue().size(), timeout);
                    }
                    return Done.getInstance();
                  })
              .toCompletableFuture();
    }
    return CompletableFuture.allOf(acks).thenApply(v -> Done.getInstance());
  }
}
