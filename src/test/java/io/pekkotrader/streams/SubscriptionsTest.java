package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");

  /** The lists each connection was opened with. */
  private final List<List<SymbolId>> opened = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** An endless connection of one trade per symbol, then silence. */
  private Source<MarketTrade, ?> connect(List<SymbolId> symbols) {
    opened.add(symbols);
    return Source.from(symbols)
        .map(s -> new MarketTrade(s, new Trade("1", 0, BigDecimal.ONE, BigDecimal.ONE, Side.BUY)))
        .concat(Source.never());
  }

  private CompletionStage<List<MarketTrade>> run(Subscriptions subscriptions, int take) {
    return subscriptions.connection(this::connect).take(take).runWith(Sink.seq(), testKit.system());
  }

  @Test
  void aChangeEndsTheOpenConnectionAndTheNextOneUsesTheNewList() throws Exception {
    Subscriptions subscriptions = new Subscriptions(List.of(BTC), "ws://venue/btc");
    CompletionStage<List<MarketTrade>> first = run(subscriptions, 2);
    testKit.createTestProbe().expectNoMessage(java.time.Duration.ofMillis(200));
    assertEquals(List.of(List.of(BTC)), opened);

    assertFalse(subscriptions.given());
    assertTrue(subscriptions.change(List.of(BTC, ETH), "ws://venue/btc+eth"));
    assertTrue(subscriptions.given());
    assertEquals("ws://venue/btc+eth", subscriptions.url());

    ExecutionException ended = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> first.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(ended.getCause() instanceof Subscriptions.Resubscribing, String.valueOf(ended.getCause()));
    assertEquals("resubscribing to 2 symbol(s)", ended.getCause().toString());
    List<MarketTrade> second = run(subscriptions, 2).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(List.of(BTC, ETH), second.stream().map(MarketTrade::symbol).toList());
    assertEquals(List.of(BTC, ETH), subscriptions.symbols());
  }

  @Test
  void theSameListAgainLeavesTheConnectionOpen() throws Exception {
    Subscriptions subscriptions = new Subscriptions(List.of(BTC, ETH), "ws://venue/btc+eth");
    CompletionStage<List<MarketTrade>> open = run(subscriptions, 3);
    assertFalse(subscriptions.change(List.of(BTC, ETH)));
    assertThrowsTimeout(open);
    assertEquals(1, opened.size());
  }

  @Test
  void withNoSymbolsAConnectionOpensNothingUntilTheyCome() throws Exception {
    Subscriptions subscriptions = new Subscriptions(List.of(), "ws://venue");
    CompletionStage<List<MarketTrade>> idle = run(subscriptions, 1);
    assertThrowsTimeout(idle);
    assertTrue(opened.isEmpty(), "nothing connects for no symbols");
    assertTrue(subscriptions.change(List.of(ETH)));
    assertThrows(idle);
    assertEquals(ETH, run(subscriptions, 1).toCompletableFuture().get(5, TimeUnit.SECONDS).get(0).symbol());
  }

  private static void assertThrowsTimeout(CompletionStage<?> stage) {
    org.junit.jupiter.api.Assertions.assertThrows(
        TimeoutException.class, () -> stage.toCompletableFuture().get(300, TimeUnit.MILLISECONDS));
  }

  private static void assertThrows(CompletionStage<?> stage) {
    org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
  }
}
