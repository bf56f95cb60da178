package io.pekkotrader.exchange;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.persistence.CborSerializable;
import io.pekkotrader.streams.StreamEvent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.UniqueKillSwitch;

/**
 * One venue: its market-data stream and its order client. This stage has the paper client:
 * market orders fill at the last trade price moved by slippage, with fees, optionally in
 * partial fills, each reported after {@code fillDelay}. Reports go to the order's SymbolTrader
 * through {@code reportTo}. The paper book lives in memory: after a restart an order it never
 * saw is {@code UNKNOWN}, which reconciliation treats as never placed.
 */
public final class ExchangeConnection extends AbstractBehavior<ExchangeConnection.Command> {

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * Send a market order for an approved intent. {@code lastTradePrice}: the symbol's latest
   * trade when it sends the order (paper execution fills at it). Idempotent per client order id.
   */
  public record PlaceOrder(OrderIntent intent, BigDecimal lastTradePrice) implements Command {}

  /** What does the venue know of this order? */
  public record QueryOrder(String clientOrderId, ActorRef<OrderUpdate.Report> replyTo) implements Command {}

  /** Cancel the rest of an order, if it is still working. */
  public record CancelOrder(String clientOrderId) implements Command {}

  /** Connection state for the status API. */
  public record GetVenueStatus(ActorRef<VenueStatus> replyTo) implements Command {}

  /** Stop the market-data stream (shutdown); replies when stopped. */
  public record StopMarketData(ActorRef<Done> replyTo) implements Command {}

  /** Connection state. {@code lastMessageAgeMs} is -1 before the first message. */
  public record VenueStatus(
      String venue, boolean connected, long lastMessageAgeMs, long reconnects, long messages, boolean stopped)
      implements CborSerializable {}

  private record WrappedStreamEvent(StreamEvent event) implements Command {}

  private record DeliverFill(String clientOrderId) implements Command {}

  // ---- state -------------------------------------------------------------------------------

  /** A paper order: every fill it will get, how many were reported, and its end. */
  private static final class PaperOrder {
    final OrderIntent intent;
    final List<Fill> fills;
    int reported;
    OrderStatus status;

    PaperOrder(OrderIntent intent, List<Fill> fills) {
      this.intent = intent;
      this.fills = fills;
    }
  }

  /** How this connection is built. */
  public record Setup(
      String venue,
      Function<SymbolId, PaperFillModel> fillModels,
      Duration fillDelay,
      BiConsumer<SymbolId, OrderUpdate> reportTo,
      Function<ActorRef<StreamEvent>, UniqueKillSwitch> marketData,
      Clock clock) {}

  private final Setup setup;
  private final TimerScheduler<Command> timers;
  private final Map<String, PaperOrder> book = new HashMap<>();
  private UniqueKillSwitch marketData;
  private boolean connected;
  private boolean stopped;
  private long attempts;
  private long messages;
  private long lastMessageAtMs = -1;
  private ActorRef<Done> stopWaiter;

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ExchangeConnection(ctx, timers, setup)));
  }

  private ExchangeConnection(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup) {
    super(context);
    this.setup = setup;
    this.timers = timers;
    if (setup.marketData() != null) {
      this.marketData = setup.marketData().apply(context.messageAdapter(StreamEvent.class, WrappedStreamEvent::new));
    } else {
      this.stopped = true;
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PlaceOrder.class, this::onPlaceOrder)
        .onMessage(DeliverFill.class, this::onDeliverFill)
        .onMessage(QueryOrder.class, this::onQueryOrder)
        .onMessage(CancelOrder.class, this::onCancelOrder)
        .onMessage(GetVenueStatus.class, this::onGetVenueStatus)
        .onMessage(StopMarketData.class, this::onStopMarketData)
        .onMessage(WrappedStreamEvent.class, this::onStreamEvent)
        .onSignal(PostStop.class, signal -> onPostStop())
        .onSignal(PreRestart.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onPlaceOrder(PlaceOrder command) {
    OrderIntent intent = command.intent();
    PaperOrder known = book.get(intent.clientOrderId());
    if (known != null) {
      getContext().getLog().warn("Duplicate order {} ignored: the id is already in the book", intent.clientOrderId());
      return this;
    }
    PaperFillModel model = setup.fillModels().apply(intent.symbol());
    List<Fill> fills = model.fills(intent, command.lastTradePrice(), setup.clock().millis());
    book.put(intent.clientOrderId(), new PaperOrder(intent, fills));
    report(intent.symbol(), new OrderUpdate.Accepted(intent.clientOrderId(), "paper-" + intent.clientOrderId()));
    timers.startSingleTimer(new DeliverFill(intent.clientOrderId()), setup.fillDelay());
    return this;
  }

  private Behavior<Command> onDeliverFill(DeliverFill command) {
    PaperOrder order = book.get(command.clientOrderId());
    if (order == null || order.status != null) {
      return this;
    }
    Fill fill = order.fills.get(order.reported++);
    report(order.intent.symbol(), new OrderUpdate.Filled(order.intent.clientOrderId(), fill));
    if (order.reported == order.fills.size()) {
      order.status = OrderStatus.FILLED;
      report(order.intent.symbol(), new OrderUpdate.Ended(order.intent.clientOrderId(), OrderStatus.FILLED, "filled"));
    } else {
      timers.startSingleTimer(new DeliverFill(command.clientOrderId()), setup.fillDelay());
    }
    return this;
  }

  private Behavior<Command> onQueryOrder(QueryOrder query) {
    PaperOrder order = book.get(query.clientOrderId());
    if (order == null) {
      query.replyTo().tell(new OrderUpdate.Report(query.clientOrderId(), false, List.of(), null));
    } else {
      query.replyTo().tell(
          new OrderUpdate.Report(query.clientOrderId(), true, List.copyOf(order.fills.subList(0, order.reported)), order.status));
    }
    return this;
  }

  private Behavior<Command> onCancelOrder(CancelOrder command) {
    PaperOrder order = book.get(command.clientOrderId());
    if (order != null && order.status == null) {
      order.status = OrderStatus.CANCELED;
      report(order.intent.symbol(), new OrderUpdate.Ended(command.clientOrderId(), OrderStatus.CANCELED, "canceled"));
    }
    return this;
  }

  private void report(SymbolId symbol, OrderUpdate update) {
    setup.reportTo().accept(symbol, update);
  }

  private Behavior<Command> onGetVenueStatus(GetVenueStatus query) {
    long age = lastMessageAtMs < 0 ? -1 : Math.max(0, setup.clock().millis() - lastMessageAtMs);
    query.replyTo().tell(new VenueStatus(setup.venue(), connected, age, Math.max(0, attempts - 1), messages, stopped));
    return this;
  }

  private Behavior<Command> onStopMarketData(StopMarketData command) {
    if (stopped || marketData == null) {
      command.replyTo().tell(Done.getInstance());
      return this;
    }
    stopWaiter = command.replyTo();
    marketData.shutdown();
    return this;
  }

  private Behavior<Command> onStreamEvent(WrappedStreamEvent wrapped) {
    StreamEvent event = wrapped.event();
    if (event instanceof StreamEvent.Connecting connecting) {
      attempts = connecting.attempt();
      connected = true;
      if (attempts > 1) {
        getContext().getLog().info("{} market data reconnecting (attempt {})", setup.venue(), attempts);
      }
    } else if (event instanceof StreamEvent.Progress progress) {
      messages += progress.messages();
      lastMessageAtMs = progress.lastMessageAtMs();
    } else if (event instanceof StreamEvent.Disconnected disconnected) {
      connected = false;
      if (!stopped) {
        getContext().getLog().warn("{} market data disconnected: {}", setup.venue(), disconnected.reason());
      }
    } else if (event instanceof StreamEvent.Stopped) {
      connected = false;
      stopped = true;
      if (stopWaiter != null) {
        stopWaiter.tell(Done.getInstance());
        stopWaiter = null;
      }
    }
    return this;
  }

  private Behavior<Command> onPostStop() {
    if (marketData != null) {
      marketData.shutdown();
    }
    return this;
  }
}
