package io.pekkotrader.execution;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paper execution: market orders fill at the last trade price moved by slippage, with fees,
 * optionally in partial fills ({@link PaperFillModel}), priced when the order is submitted. An
 * order is acknowledged at once; its fills are reported one every {@code fillDelay}, the first one
 * {@code fillDelay} after the acknowledgement, each stamped with the time it is reported (its
 * execution time), and the order ends {@code FILLED} with its last fill. The book lives in memory:
 * after a restart an order it never saw is unknown, which reconciliation treats as never placed.
 */
public final class PaperOrderClient implements OrderClient {

  private static final Logger LOG = LoggerFactory.getLogger(PaperOrderClient.class);

  private static final CompletionStage<Done> DONE = CompletableFuture.completedFuture(Done.getInstance());

  /** A paper order: every fill it will get, how many were reported, and its end (null while working). */
  private static final class PaperOrder {
    final OrderIntent intent;
    final List<Fill> fills;
    int reported;
    OrderStatus status;

    PaperOrder(OrderIntent intent, List<Fill> fills) {
      this.intent = intent;
      this.fills = fills;
    }

    OrderUpdate.Report report() {
      return new OrderUpdate.Report(intent.clientOrderId(), true, List.copyOf(fills.subList(0, reported)), status);
    }
  }

  private final Function<SymbolId, PaperFillModel> fillModels;
  private final Duration fillDelay;
  private final Clock clock;
  private final Host host;
  private final Map<String, PaperOrder> book = new HashMap<>();

  /**
   * @param fillModels each symbol's fill model (fees, slippage, parts, lot step)
   * @param fillDelay time between the acknowledgement and the first fill, and between fills
   * @param clock stamps each fill when it is reported
   * @param host where reports go and how fills are delayed
   */
  public PaperOrderClient(Function<SymbolId, PaperFillModel> fillModels, Duration fillDelay, Clock clock, Host host) {
    this.fillModels = fillModels;
    this.fillDelay = fillDelay;
    this.clock = clock;
    this.host = host;
  }

  /** A factory of paper clients for a gateway. */
  public static Factory factory(Function<SymbolId, PaperFillModel> fillModels, Duration fillDelay, Clock clock) {
    return host -> new PaperOrderClient(fillModels, fillDelay, clock, host);
  }

  @Override
  public CompletionStage<Done> submit(OrderIntent intent, BigDecimal lastTradePrice) {
    if (book.containsKey(intent.clientOrderId())) {
      LOG.warn("Duplicate order {} ignored: the id is already in the book", intent.clientOrderId());
      return DONE;
    }
    List<Fill> fills = new ArrayList<>(fillModels.apply(intent.symbol()).fills(intent, lastTradePrice, clock.millis()));
    book.put(intent.clientOrderId(), new PaperOrder(intent, fills));
    host.report(intent.symbol(), new OrderUpdate.Accepted(intent.clientOrderId(), "paper-" + intent.clientOrderId()));
    host.schedule(fillDelay, () -> deliverFill(intent.clientOrderId()));
    return DONE;
  }

  private void deliverFill(String clientOrderId) {
    PaperOrder order = book.get(clientOrderId);
    if (order == null || order.status != null) {
      return;
    }
    // executed now: stamped with the time it is reported, as a venue stamps its execution
    Fill planned = order.fills.get(order.reported);
    Fill fill = new Fill(planned.tradeId(), planned.clientOrderId(), planned.symbol(), planned.side(), planned.quantity(), planned.price(),
        planned.fee(), clock.millis());
    order.fills.set(order.reported++, fill);
    host.report(order.intent.symbol(), new OrderUpdate.Filled(clientOrderId, fill));
    if (order.reported == order.fills.size()) {
      order.status = OrderStatus.FILLED;
      host.report(order.intent.symbol(), new OrderUpdate.Ended(clientOrderId, OrderStatus.FILLED, "filled"));
    } else {
      host.schedule(fillDelay, () -> deliverFill(clientOrderId));
    }
  }

  @Override
  public CompletionStage<Done> cancel(String clientOrderId) {
    PaperOrder order = book.get(clientOrderId);
    if (order != null && order.status == null) {
      order.status = OrderStatus.CANCELED;
      host.report(order.intent.symbol(), new OrderUpdate.Ended(clientOrderId, OrderStatus.CANCELED, "canceled"));
    }
    return DONE;
  }

  @Override
  public CompletionStage<OrderUpdate.Report> query(String clientOrderId) {
    PaperOrder order = book.get(clientOrderId);
    return CompletableFuture.completedFuture(
        order == null ? new OrderUpdate.Report(clientOrderId, false, List.of(), null) : order.report());
  }

  @Override
  public CompletionStage<List<OrderUpdate.Report>> openOrders() {
    List<OrderUpdate.Report> open = new ArrayList<>();
    for (PaperOrder order : book.values()) {
      if (order.status == null) {
        open.add(order.report());
      }
    }
    return CompletableFuture.completedFuture(List.copyOf(open));
  }
}
