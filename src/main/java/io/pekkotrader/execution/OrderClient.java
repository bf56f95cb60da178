package io.pekkotrader.execution;

import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The port to one venue's order entry: submit, cancel and query orders by client order id. One
 * implementation per way of executing (paper now; a live venue later), driven by one {@link
 * OrderGateway} per venue. Modelled on NautilusTrader's {@code ExecutionClient}: commands go in
 * through these methods, and everything the venue says about an order (acknowledged, each fill,
 * final) comes back as an {@link OrderUpdate} through {@link Host#report}.
 *
 * <p>Threading: the gateway calls every method, and runs every task given to {@link
 * Host#schedule}, one at a time on its own thread, so an implementation may keep plain mutable
 * state. No method blocks: each answers at once with a {@link CompletionStage}, which may complete
 * later on another thread (a network reply). {@link Host#report} may be called from any thread.
 *
 * <p>Idempotence: a client order id names one order for its whole life. Submitting an id the
 * client already knows does not place a second order.
 */
public interface OrderClient {

  /**
   * Sends a market order for an approved intent. The stage completes when the venue has the
   * request; its acknowledgement ({@link OrderUpdate.Accepted}), fills and end are reported
   * through {@link Host#report}. A stage that fails means the outcome is not known (timeout,
   * server error, connection lost): the caller resolves it with {@link #query}, never by sending
   * again (a venue's client order id is unique only among its open orders).
   *
   * @param intent the order: symbol, side, quantity, client order id
   * @param lastTradePrice the symbol's latest trade when the order was sent; a paper client fills
   *     at it, a live venue ignores it
   */
  CompletionStage<Done> submit(OrderIntent intent, BigDecimal lastTradePrice);

  /**
   * Cancels the rest of an order if it is still working; its end ({@link OrderUpdate.Ended} with
   * {@code CANCELED}) is reported through {@link Host#report}. Cancelling an order that is final or
   * unknown does nothing and completes normally.
   */
  CompletionStage<Done> cancel(String clientOrderId);

  /**
   * Everything the venue knows of an order: its fills so far and its final status (null while it
   * works), or {@code known == false} when the venue has no record of it (it was never placed).
   */
  CompletionStage<OrderUpdate.Report> query(String clientOrderId);

  /** Every order the venue holds as working (no final status yet), as by {@link #query}. */
  CompletionStage<List<OrderUpdate.Report>> openOrders();

  /** What the gateway lends its client: where reports go and a clock to run work later. */
  interface Host {

    /** Delivers a venue report about an order of {@code symbol} to that symbol. Any thread. */
    void report(SymbolId symbol, OrderUpdate update);

    /** Runs {@code task} after {@code delay}, one at a time with every call into the client. */
    void schedule(Duration delay, Runnable task);
  }

  /** Builds a client for a gateway, given the gateway as its host. */
  @FunctionalInterface
  interface Factory {
    OrderClient create(Host host);
  }
}
