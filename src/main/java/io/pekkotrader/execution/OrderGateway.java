package io.pekkotrader.execution;

import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One venue's order gateway: the actor around that venue's {@link OrderClient} (paper now). The
 * symbols send it {@link PlaceOrder}, {@link CancelOrder} and {@link QueryOrder}; what the venue
 * reports about an order goes to the order's symbol through {@code reportTo}. It is the one place
 * that calls the client, so the client's state needs no lock, and the place for the venue's retry
 * and circuit-breaker state. Today a submit whose outcome is not known is logged and left to the
 * symbol's own order check (a query by client order id), never sent again; a query that fails is
 * not answered, so the asking symbol's timeout asks again.
 */
public final class OrderGateway extends AbstractBehavior<OrderGateway.Command> {

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * Send a market order for an approved intent. {@code lastTradePrice}: the symbol's latest trade
   * when it sends the order (paper execution fills at it). Idempotent per client order id.
   */
  public record PlaceOrder(OrderIntent intent, BigDecimal lastTradePrice) implements Command {}

  /** What does the venue know of this order? Answered with an {@link OrderUpdate.Report}. */
  public record QueryOrder(String clientOrderId, ActorRef<OrderUpdate.Report> replyTo) implements Command {}

  /** Cancel the rest of an order, if it is still working. */
  public record CancelOrder(String clientOrderId) implements Command {}

  /** A task the client asked to run later ({@link OrderClient.Host#schedule}); local only. */
  private record RunScheduled(Runnable task) implements Command {}

  /** A call into the client ended; a failure is logged. */
  private record CallEnded(String call, String clientOrderId, Throwable failure) implements Command {}

  /** A query's answer came back from the client. */
  private record QueryAnswered(QueryOrder query, OrderUpdate.Report report, Throwable failure) implements Command {}

  /**
   * How a gateway is built.
   *
   * @param venue the venue's name (logs)
   * @param client builds the venue's order client, given the gateway as its host
   * @param reportTo where each venue report goes: the order's SymbolTrader
   */
  public record Setup(String venue, OrderClient.Factory client, BiConsumer<SymbolId, OrderUpdate> reportTo) {}

  private final Setup setup;
  private final TimerScheduler<Command> timers;
  private final OrderClient client;

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new OrderGateway(ctx, timers, setup)));
  }

  private OrderGateway(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup) {
    super(context);
    this.setup = setup;
    this.timers = timers;
    this.client = setup.client().create(new GatewayHost());
  }

  /** The client's host: reports go straight to their symbol, scheduled work comes back through the mailbox. */
  private final class GatewayHost implements OrderClient.Host {
    @Override
    public void report(SymbolId symbol, OrderUpdate update) {
      setup.reportTo().accept(symbol, update);
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
      // each task is its own timer key (a record of a distinct Runnable), so none replaces another
      timers.startSingleTimer(new RunScheduled(task), delay);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PlaceOrder.class, this::onPlaceOrder)
        .onMessage(CancelOrder.class, this::onCancelOrder)
        .onMessage(QueryOrder.class, this::onQueryOrder)
        .onMessage(RunScheduled.class, this::onRunScheduled)
        .onMessage(CallEnded.class, this::onCallEnded)
        .onMessage(QueryAnswered.class, this::onQueryAnswered)
        .build();
  }

  private Behavior<Command> onPlaceOrder(PlaceOrder command) {
    String id = command.intent().clientOrderId();
    getContext().pipeToSelf(
        client.submit(command.intent(), command.lastTradePrice()), (done, failure) -> new CallEnded("submit", id, failure));
    return this;
  }

  private Behavior<Command> onCancelOrder(CancelOrder command) {
    getContext().pipeToSelf(
        client.cancel(command.clientOrderId()), (done, failure) -> new CallEnded("cancel", command.clientOrderId(), failure));
    return this;
  }

  private Behavior<Command> onQueryOrder(QueryOrder query) {
    getContext().pipeToSelf(client.query(query.clientOrderId()), (report, failure) -> new QueryAnswered(query, report, failure));
    return this;
  }

  private Behavior<Command> onRunScheduled(RunScheduled scheduled) {
    scheduled.task().run();
    return this;
  }

  private Behavior<Command> onCallEnded(CallEnded ended) {
    if (ended.failure() != null) {
      getContext().getLog().warn(
          "{} {} of {} failed; its outcome is left to the symbol's order check: {}",
          setup.venue(), ended.call(), ended.clientOrderId(), ended.failure().toString());
    }
    return this;
  }

  private Behavior<Command> onQueryAnswered(QueryAnswered answered) {
    if (answered.report() != null) {
      answered.query().replyTo().tell(answered.report());
    } else {
      getContext().getLog().warn(
          "{} query of {} failed: {}", setup.venue(), answered.query().clientOrderId(), String.valueOf(answered.failure()));
    }
    return this;
  }
}
