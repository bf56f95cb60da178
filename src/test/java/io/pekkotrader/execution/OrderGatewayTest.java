package io.pekkotrader.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The order gateway drives its client and routes the venue's reports to the order's symbol. */
class OrderGatewayTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("order-gateway-test", ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.defaultReference()));
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final Duration WAIT = Duration.ofSeconds(3);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private record Routed(SymbolId symbol, OrderUpdate update) {}

  private static OrderIntent buy(String clientOrderId) {
    return new OrderIntent(clientOrderId, BTC, IntentKind.ENTRY, Side.BUY, BigDecimal.ONE, new BigDecimal("100"), "test", "test", 0);
  }

  private static ActorRef<OrderGateway.Command> paperGateway(TestProbe<Routed> symbols, int parts, Duration fillDelay) {
    PaperFillModel model = new PaperFillModel(new BigDecimal("0.001"), BigDecimal.ZERO, parts, new BigDecimal("0.001"));
    return testKit.spawn(
        OrderGateway.create(
            new OrderGateway.Setup(
                "binance",
                PaperOrderClient.factory(symbol -> model, fillDelay, Clock.systemUTC()),
                (symbol, update) -> symbols.getRef().tell(new Routed(symbol, update)))));
  }

  @Test
  void reportsAcceptanceEachFillAndTheEndOfAPaperOrderToItsSymbol() {
    TestProbe<Routed> symbols = testKit.createTestProbe();
    ActorRef<OrderGateway.Command> gateway = paperGateway(symbols, 2, Duration.ofMillis(20));

    gateway.tell(new OrderGateway.PlaceOrder(buy("o-1"), new BigDecimal("100")));

    assertEquals(new Routed(BTC, new OrderUpdate.Accepted("o-1", "paper-o-1")), symbols.receiveMessage(WAIT));
    assertEquals("o-1-1", ((OrderUpdate.Filled) symbols.receiveMessage(WAIT).update()).fill().tradeId());
    assertEquals("o-1-2", ((OrderUpdate.Filled) symbols.receiveMessage(WAIT).update()).fill().tradeId());
    assertEquals(new OrderUpdate.Ended("o-1", OrderStatus.FILLED, "filled"), symbols.receiveMessage(WAIT).update());
  }

  @Test
  void answersAQueryAndCancelsAWorkingOrder() {
    TestProbe<Routed> symbols = testKit.createTestProbe();
    TestProbe<OrderUpdate.Report> replies = testKit.createTestProbe();
    ActorRef<OrderGateway.Command> gateway = paperGateway(symbols, 1, Duration.ofSeconds(30));
    gateway.tell(new OrderGateway.PlaceOrder(buy("o-1"), new BigDecimal("100")));
    symbols.receiveMessage(WAIT);

    gateway.tell(new OrderGateway.QueryOrder("o-1", replies.getRef()));
    OrderUpdate.Report working = replies.receiveMessage(WAIT);
    gateway.tell(new OrderGateway.CancelOrder("o-1"));
    OrderUpdate ended = symbols.receiveMessage(WAIT).update();
    gateway.tell(new OrderGateway.QueryOrder("o-2", replies.getRef()));

    assertTrue(working.known());
    assertEquals(null, working.finalStatus());
    assertEquals(new OrderUpdate.Ended("o-1", OrderStatus.CANCELED, "canceled"), ended);
    assertEquals(new OrderUpdate.Report("o-2", false, List.of(), null), replies.receiveMessage(WAIT));
  }

  @Test
  void keepsServingWhenTheClientFailsAndLeavesAFailedQueryUnanswered() {
    TestProbe<OrderUpdate.Report> replies = testKit.createTestProbe();
    OrderClient failing =
        new OrderClient() {
          @Override
          public CompletionStage<Done> submit(OrderIntent intent, BigDecimal lastTradePrice) {
            return CompletableFuture.failedFuture(new IllegalStateException("venue timed out"));
          }

          @Override
          public CompletionStage<Done> cancel(String clientOrderId) {
            return CompletableFuture.failedFuture(new IllegalStateException("venue timed out"));
          }

          @Override
          public CompletionStage<OrderUpdate.Report> query(String clientOrderId) {
            return clientOrderId.equals("down")
                ? CompletableFuture.failedFuture(new IllegalStateException("venue timed out"))
                : CompletableFuture.completedFuture(new OrderUpdate.Report(clientOrderId, false, List.of(), null));
          }

          @Override
          public CompletionStage<List<OrderUpdate.Report>> openOrders() {
            return CompletableFuture.completedFuture(List.of());
          }
        };
    ActorRef<OrderGateway.Command> gateway =
        testKit.spawn(OrderGateway.create(new OrderGateway.Setup("binance", host -> failing, (symbol, update) -> {})));

    gateway.tell(new OrderGateway.PlaceOrder(buy("o-1"), new BigDecimal("100")));
    gateway.tell(new OrderGateway.CancelOrder("o-1"));
    gateway.tell(new OrderGateway.QueryOrder("down", replies.getRef()));
    replies.expectNoMessage(Duration.ofMillis(200));
    gateway.tell(new OrderGateway.QueryOrder("o-1", replies.getRef()));

    assertEquals("o-1", replies.receiveMessage(WAIT).clientOrderId());
  }
}
