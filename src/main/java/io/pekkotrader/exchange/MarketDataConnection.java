package io.pekkotrader.exchange;

import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.VenueConnection.GetVenueStatus;
import io.pekkotrader.actors.VenueConnection.SymbolDeliveryStatus;
import io.pekkotrader.actors.VenueConnection.VenueStatus;
import io.pekkotrader.actors.VenueConnection;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.metrics.TradingMetrics;
import io.pekkotrader.streams.StreamEvent;
import io.pekkotrader.streams.Subscriptions;
import io.pekkotrader.streams.SymbolBreaker;
import io.pekkotrader.streams.TradeRouter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
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
 * One venue's market data: it runs the venue's {@link io.pekkotrader.streams.MarketDataPipeline}
 * (WebSocket under backoff, decoding, routing to the symbols), keeps the stream's state for the
 * status API and metrics (connection, counts, connection budget, each symbol's deliveries),
 * alerts when a symbol's trades are shed, follows the symbol catalogue's subscriptions and starts
 * a pipeline that died again. Orders go through the venue's {@link
 * io.pekkotrader.execution.OrderGateway}, not here.
 */
public final class MarketDataConnection extends AbstractBehavior<VenueConnection.Command> {

  // ---- protocol ----------------------------------------------------------------------------

  /** This connection's own commands, beside the {@link VenueConnection} protocol the actors use. */
  public sealed interface Command extends VenueConnection.Command {}

  /**
   * Trade these symbols from now on (the catalogue changed): the stream reconnects with the new
   * subscription. {@code version}: the catalogue's; an older one than the last applied is ignored.
   * {@code url}: the connection's URL with these symbols.
   */
  public record Subscribe(long version, List<SymbolId> symbols, String url) implements Command {}

  /** Stop the market-data stream (shutdown); replies when stopped. */
  public record StopMarketData(ActorRef<Done> replyTo) implements Command {}

  private record WrappedStreamEvent(StreamEvent event) implements Command {}

  private enum RestartMarketData implements Command {
    INSTANCE
  }

  /** A symbol whose breaker opens again within this long of its last alert is not alerted on again. */
  private static final Duration SHEDDING_ALERT_INTERVAL = Duration.ofMinutes(10);

  /** Trade routers whose counts are kept apart (a late report of one of them still counts); older ones are summed. */
  private static final int ROUTERS_KEPT = 4;

  /** After the pipeline itself failed (a bug, never a disconnect), it is started again after this long. */
  private static final Duration PIPELINE_RESTART_DELAY = Duration.ofSeconds(5);

  // ---- state -------------------------------------------------------------------------------

  /** How this connection is built. */
  public record Setup(
      String venue,
      Function<ActorRef<StreamEvent>, UniqueKillSwitch> marketData,
      String marketUrl,
      Subscriptions subscriptions,
      Consumer<Notifier.Alert> alerts,
      Clock clock) {

    /** A connection whose symbols never change and which raises no alert (tests). */
    public Setup(
        String venue, Function<ActorRef<StreamEvent>, UniqueKillSwitch> marketData, String marketUrl, Clock clock) {
      this(venue, marketData, marketUrl, null, alert -> {}, clock);
    }
  }

  private final Setup setup;
  private final TimerScheduler<VenueConnection.Command> timers;
  private UniqueKillSwitch marketData;
  private boolean connected;
  private boolean stopped;
  private boolean stopRequested;
  private long attempts;
  private int attemptsInWindow;
  private int connectionBudget;
  private long budgetWaitUntilMs;
  private long messages;
  private long trades;
  private long ignored;
  private long malformed;
  private long duplicates;
  private long lastMessageAtMs = -1;
  private String lastDisconnect;
  /**
   * Each trade router's latest counts (cumulative since it started), oldest router first: a
   * pipeline started again after a failure has a new router counting from zero, and the old one's
   * last report may come after the new one's first.
   */
  private final TreeMap<Long, List<TradeRouter.SymbolDelivery>> routerCounts = new TreeMap<>();
  /**
   * Symbols whose breaker was not closed in the newest router's last report, each with whether
   * that shedding was alerted (then its end is alerted too).
   */
  private final Map<SymbolId, Boolean> sheddingNow = new HashMap<>();
  /** When each symbol's last shedding alert went out. */
  private final Map<SymbolId, Long> sheddingAlerted = new HashMap<>();
  /** Counts of routers older than the last {@value #ROUTERS_KEPT}, summed. */
  private final Map<SymbolId, DeliveryTotals> carriedDeliveries = new LinkedHashMap<>();
  private ActorRef<Done> stopWaiter;
  /** The catalogue version of the symbols subscribed to; -1 before the first in this incarnation. */
  private long subscriptionVersion = -1;
  /** The open connection is being ended on purpose to subscribe again. */
  private boolean resubscribing;

  public static Behavior<VenueConnection.Command> create(Setup setup) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new MarketDataConnection(ctx, timers, setup)));
  }

  private MarketDataConnection(ActorContext<VenueConnection.Command> context, TimerScheduler<VenueConnection.Command> timers, Setup setup) {
    super(context);
    this.setup = setup;
    this.timers = timers;
    if (setup.marketData() != null && setup.subscriptions() != null && !setup.subscriptions().given()) {
      context.getLog().info("{} market data: waiting for the symbol catalogue", setup.venue());
    } else if (setup.marketData() != null) {
      startMarketData();
    } else {
      this.stopped = true;
    }
  }

  private void startMarketData() {
    getContext().getLog().info("{} market data from {}", setup.venue(), marketUrl());
    marketData = setup.marketData().apply(getContext().messageAdapter(StreamEvent.class, WrappedStreamEvent::new));
    stopped = false;
  }

  @Override
  public Receive<VenueConnection.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetVenueStatus.class, this::onGetVenueStatus)
        .onMessage(StopMarketData.class, this::onStopMarketData)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(WrappedStreamEvent.class, this::onStreamEvent)
        .onMessage(RestartMarketData.class, command -> onRestartMarketData())
        .onSignal(PostStop.class, signal -> onPostStop())
        .onSignal(PreRestart.class, signal -> onPostStop())
        .build();
  }

  private Behavior<VenueConnection.Command> onGetVenueStatus(GetVenueStatus query) {
    long now = setup.clock().millis();
    long age = lastMessageAtMs < 0 ? -1 : Math.max(0, now - lastMessageAtMs);
    query.replyTo().tell(
        new VenueStatus(
            setup.venue(),
            marketUrl(),
            connected,
            age,
            Math.max(0, attempts - 1),
            messages,
            trades,
            ignored,
            malformed,
            duplicates,
            attemptsInWindow,
            connectionBudget,
            Math.max(0, budgetWaitUntilMs - now),
            lastDisconnect,
            stopped,
            deliveryView()));
    return this;
  }

  /** Every symbol's deliveries summed over the routers, with its breaker in the newest router that has it. */
  private List<SymbolDeliveryStatus> deliveryView() {
    Map<SymbolId, DeliveryTotals> totals = new LinkedHashMap<>(carriedDeliveries);
    Map<SymbolId, SymbolBreaker.Phase> phases = new HashMap<>();
    for (List<TradeRouter.SymbolDelivery> counts : routerCounts.values()) {
      for (TradeRouter.SymbolDelivery delivery : counts) {
        totals.merge(delivery.symbol(), DeliveryTotals.of(delivery), DeliveryTotals::plus);
        phases.put(delivery.symbol(), delivery.breaker());
      }
    }
    List<SymbolDeliveryStatus> view = new ArrayList<>(totals.size());
    totals.forEach(
        (symbol, sum) ->
            view.add(
                new SymbolDeliveryStatus(
                    symbol.id(),
                    phases.getOrDefault(symbol, SymbolBreaker.Phase.CLOSED).name().toLowerCase(Locale.ROOT),
                    sum.delivered(),
                    sum.shed(),
                    sum.timedOut(),
                    sum.opened())));
    return view;
  }

  private record DeliveryTotals(long delivered, long shed, long timedOut, long opened) {
    static DeliveryTotals of(TradeRouter.SymbolDelivery delivery) {
      return new DeliveryTotals(delivery.delivered(), delivery.shed(), delivery.timedOut(), delivery.opened());
    }

    DeliveryTotals plus(DeliveryTotals other) {
      return new DeliveryTotals(delivered + other.delivered, shed + other.shed, timedOut + other.timedOut, opened + other.opened);
    }
  }

  private Behavior<VenueConnection.Command> onStopMarketData(StopMarketData command) {
    stopRequested = true;
    timers.cancel(RestartMarketData.INSTANCE);
    if (stopped || marketData == null) {
      stopped = true;
      command.replyTo().tell(Done.getInstance());
      return this;
    }
    stopWaiter = command.replyTo();
    marketData.shutdown();
    return this;
  }

  /** The URL the stream connects to: with the symbols it was last told, when they change at run time. */
  private String marketUrl() {
    return setup.subscriptions() != null ? setup.subscriptions().url() : setup.marketUrl();
  }

  private Behavior<VenueConnection.Command> onSubscribe(Subscribe command) {
    if (command.version() <= subscriptionVersion || setup.subscriptions() == null) {
      return this;
    }
    subscriptionVersion = command.version();
    boolean changed = setup.subscriptions().change(command.symbols(), command.url());
    if (marketData == null) {
      if (!stopRequested && setup.marketData() != null) {
        startMarketData();
      }
    } else if (changed) {
      resubscribing = true;
      getContext().getLog().info(
          "{} market data: subscribing to {} (catalogue version {}); reconnecting",
          setup.venue(), command.symbols().stream().map(SymbolId::symbol).toList(), command.version());
    }
    return this;
  }

  private Behavior<VenueConnection.Command> onRestartMarketData() {
    if (!stopRequested && stopped) {
      getContext().getLog().info("{} market data: starting the pipeline again", setup.venue());
      startMarketData();
    }
    return this;
  }

  private Behavior<VenueConnection.Command> onStreamEvent(WrappedStreamEvent wrapped) {
    StreamEvent event = wrapped.event();
    if (event instanceof StreamEvent.Progress progress) {
      messages += progress.messages();
      trades += progress.trades();
      ignored += progress.ignored();
      malformed += progress.malformed();
      TradingMetrics.malformedFrames(setup.venue(), progress.malformed());
      lastMessageAtMs = Math.max(lastMessageAtMs, progress.lastMessageAtMs());
    } else if (event instanceof StreamEvent.DuplicatesDropped dropped) {
      duplicates += dropped.count();
    } else if (event instanceof StreamEvent.Deliveries report) {
      onDeliveries(report);
    } else if (event instanceof StreamEvent.Connecting connecting) {
      attempts = connecting.attempt();
      attemptsInWindow = connecting.attemptsInWindow();
      connectionBudget = connecting.budget();
      budgetWaitUntilMs = 0;
      if (attempts > 1) {
        TradingMetrics.reconnecting(setup.venue());
        getContext().getLog().info(
            "{} market data reconnecting (attempt {}, {} of {} in the budget window)",
            setup.venue(), attempts, attemptsInWindow, connectionBudget);
      }
    } else if (event instanceof StreamEvent.Connected) {
      connected = true;
    } else if (event instanceof StreamEvent.BudgetExhausted exhausted) {
      connectionBudget = exhausted.budget();
      attemptsInWindow = exhausted.budget();
      budgetWaitUntilMs = setup.clock().millis() + exhausted.waitMs();
      getContext().getLog().warn(
          "{} market data: connection budget of {} used up; next attempt in {} ms", setup.venue(), exhausted.budget(), exhausted.waitMs());
    } else if (event instanceof StreamEvent.Disconnected disconnected) {
      connected = false;
      lastDisconnect = disconnected.reason();
      if (resubscribing) {
        resubscribing = false;
        getContext().getLog().info("{} market data disconnected to subscribe again: {}", setup.venue(), disconnected.reason());
      } else if (!stopRequested) {
        getContext().getLog().warn("{} market data disconnected: {}", setup.venue(), disconnected.reason());
      }
    } else if (event instanceof StreamEvent.Stopped stoppedEvent) {
      onPipelineStopped(stoppedEvent);
    }
    return this;
  }

  private void onDeliveries(StreamEvent.Deliveries report) {
    List<TradeRouter.SymbolDelivery> before = routerCounts.getOrDefault(report.router(), List.of());
    TradingMetrics.tradesShed(setup.venue(), shed(report.symbols()) - shed(before));
    routerCounts.put(report.router(), report.symbols());
    if (report.router() == routerCounts.lastKey()) {
      alertOnBreakers(report.symbols());
    }
    if (routerCounts.size() > ROUTERS_KEPT) {
      for (TradeRouter.SymbolDelivery delivery : routerCounts.pollFirstEntry().getValue()) {
        carriedDeliveries.merge(delivery.symbol(), DeliveryTotals.of(delivery), DeliveryTotals::plus);
      }
    }
  }

  /**
   * Alerts when a symbol's delivery breaker opens (its trades are being shed: that symbol is
   * trading blind), at most once per {@link #SHEDDING_ALERT_INTERVAL} per symbol, and when a
   * symbol whose shedding was alerted takes its trades again.
   */
  private void alertOnBreakers(List<TradeRouter.SymbolDelivery> symbols) {
    long now = setup.clock().millis();
    for (TradeRouter.SymbolDelivery delivery : symbols) {
      boolean shedding = delivery.breaker() != SymbolBreaker.Phase.CLOSED;
      if (shedding && !sheddingNow.containsKey(delivery.symbol())) {
        Long alertedAt = sheddingAlerted.get(delivery.symbol());
        boolean alert = alertedAt == null || now - alertedAt >= SHEDDING_ALERT_INTERVAL.toMillis();
        sheddingNow.put(delivery.symbol(), alert);
        if (alert) {
          sheddingAlerted.put(delivery.symbol(), now);
          setup.alerts().accept(
              new Notifier.Alert(
                  Notifier.Severity.WARN,
                  "Trades of " + delivery.symbol().id() + " are being shed",
                  delivery.symbol().id() + " did not take its trades within the ask timeout; its " + setup.venue()
                      + " trades are dropped until a probe is acknowledged, so its candles have gaps meanwhile",
                  Map.of("venue", setup.venue(), "symbol", delivery.symbol().id(), "shed", Long.toString(delivery.shed()),
                      "timedOut", Long.toString(delivery.timedOut()))));
        }
      } else if (!shedding && Boolean.TRUE.equals(sheddingNow.remove(delivery.symbol()))) {
        setup.alerts().accept(
            new Notifier.Alert(
                Notifier.Severity.INFO,
                delivery.symbol().id() + " takes its trades again",
                delivery.symbol().id() + " acknowledged a probe; its " + setup.venue() + " trades are delivered again",
                Map.of("venue", setup.venue(), "symbol", delivery.symbol().id(), "shed", Long.toString(delivery.shed()))));
      }
    }
  }

  private static long shed(List<TradeRouter.SymbolDelivery> symbols) {
    long shed = 0;
    for (TradeRouter.SymbolDelivery delivery : symbols) {
      shed += delivery.shed();
    }
    return shed;
  }

  private void onPipelineStopped(StreamEvent.Stopped event) {
    connected = false;
    stopped = true;
    if (stopWaiter != null) {
      stopWaiter.tell(Done.getInstance());
      stopWaiter = null;
    }
    if (!stopRequested) {
      getContext().getLog().error(
          "{} market data pipeline ended unexpectedly ({}); starting it again in {}",
          setup.venue(), event.failure(), PIPELINE_RESTART_DELAY);
      timers.startSingleTimer(RestartMarketData.INSTANCE, PIPELINE_RESTART_DELAY);
    }
  }

  private Behavior<VenueConnection.Command> onPostStop() {
    if (marketData != null) {
      marketData.shutdown();
    }
    return this;
  }
}
