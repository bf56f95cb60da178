package io.pekkotrader.actors;

import io.pekkotrader.domain.CandleAggregator;
import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderState;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.RecoveryCheck;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolEvent;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolKernel;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.SymbolState;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.domain.WorkingOrder;
import io.pekkotrader.execution.OrderGateway;
import io.pekkotrader.execution.OrderUpdate;
import io.pekkotrader.metrics.TradingMetrics;
import io.pekkotrader.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One traded symbol: an event-sourced state machine, sharded by symbol id. It folds trades into
 * candles (kept in memory: market data is re-read, not journaled), asks its strategy on every
 * closed candle, and takes an intent through RiskManager, the venue and Portfolio. All of that is
 * decided by {@link SymbolKernel}, pure: this actor hands it every input, persists the events it
 * returns (applied through {@link SymbolState}), then carries out its effects and replies; it
 * decides nothing itself. See {@code docs/symbol-trader.md}.
 */
public final class SymbolTrader extends EventSourcedBehavior<SymbolTrader.Command, SymbolTrader.Event, SymbolState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "SymbolTrader");

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Trades of this symbol, oldest first; acknowledged when handled (back-pressure). */
  public record OnTrades(List<Trade> trades, ActorRef<Done> replyTo) implements Command {}

  /** A report from the venue about one of this symbol's orders. */
  public record ExecutionReport(OrderUpdate update) implements Command {}

  /** The kill switch changed (from the {@code kill-switch} topic, or risk's answer after recovery). */
  public record KillSwitchChanged(RiskManager.KillSwitchStatus status) implements Command {}

  /** Ask for the symbol's view. */
  public record GetSymbol(ActorRef<SymbolView> replyTo) implements Command {}

  /** Ask for the last {@code limit} closed candles the symbol holds (market data since it started; not journaled). */
  public record GetCandles(int limit, ActorRef<Candles> replyTo) implements Command {}

  /** Reply to {@link GetCandles}: closed candles, oldest first, newest last. */
  public record Candles(String symbol, long intervalMs, List<Candle> candles) implements CborSerializable {}

  /** Operator pause: no entries until {@link Resume}; allowed while flat. */
  public record Pause(ActorRef<OperatorResult> replyTo) implements Command {}

  /** Operator resume of a paused symbol. */
  public record Resume(ActorRef<OperatorResult> replyTo) implements Command {}

  /**
   * Emergency stop for this symbol: cancel a working entry at the venue and exit the whole
   * position, persisted so that it carries on after a restart until the symbol is flat.
   */
  public record Flatten(String reason, ActorRef<OperatorResult> replyTo) implements Command {}

  /**
   * One symbol's flatten: exit its whole position at once whatever the strategy says (a working
   * entry is cancelled first), then pause it, persisted so that it carries on after a restart.
   * Safe to repeat; a flat symbol is paused at once.
   */
  public record FlattenAndPause(String reason, ActorRef<OperatorResult> replyTo) implements Command {}

  /**
   * Reply to an operator command. {@code error} is null when the command was carried out (or
   * had nothing to do: {@code outcome} says which), else says why it was refused.
   */
  public record OperatorResult(String outcome, String error, SymbolView symbol) implements CborSerializable {}

  /** Stop the entity after any persist in flight (hand-off, shutdown). */
  public enum Stop implements Command {
    INSTANCE
  }

  /** A pause asked for after a flatten can be carried out now. */
  private enum PauseNow implements Command {
    INSTANCE
  }

  /**
   * Candle clock: close candles by time, end cooldowns. Due at each multiple of the tick interval
   * on the clock (package-private so that the parity test can tick the symbols in a fixed order).
   */
  enum Tick implements Command {
    INSTANCE
  }

  /** A pending flatten can go on now (no order works and a position is held). */
  private enum FlattenNow implements Command {
    INSTANCE
  }

  /** Sent to self on RecoveryCompleted: validate, repair, resume open work. */
  private enum Recovered implements Command {
    INSTANCE
  }

  private record WrappedDecision(RiskManager.Decision decision) implements Command {}


  private record DecisionMissing(String clientOrderId, String why) implements Command {}

  private record CheckOrder(String clientOrderId) implements Command {}

  private record WrappedReport(OrderUpdate.Report report) implements Command {}

  private record FillAcknowledged(String tradeId, String error) implements Command {}

  private enum ResendUnconfirmedFills implements Command {
    INSTANCE
  }

  /**
   * The symbol as the API shows it. {@code error}: why the symbol cannot trade (its listing is
   * unusable, see {@link Dependencies#unusable}); its phase then shows as {@code ERROR}.
   */
  public record SymbolView(
      String id,
      String strategy,
      boolean recovered,
      SymbolPhase phase,
      int candles,
      BigDecimal lastPrice,
      String lastSignal,
      String lastDecision,
      BigDecimal positionQty,
      BigDecimal averagePrice,
      OrderView workingOrder,
      long intents,
      long fills,
      int unconfirmedFills,
      long corrections,
      String error)
      implements CborSerializable {}

  /**
   * A working order as the API shows it. {@code approved}: risk approved it, so it was sent;
   * {@code state}: where it stands at the venue (see {@link OrderState}).
   */
  public record OrderView(
      String clientOrderId,
      IntentKind kind,
      Side side,
      BigDecimal quantity,
      BigDecimal filledQuantity,
      boolean approved,
      OrderState state)
      implements CborSerializable {
    static OrderView of(WorkingOrder order) {
      return order == null
          ? null
          : new OrderView(
              order.clientOrderId(),
              order.intent().kind(),
              order.intent().side(),
              order.intent().quantity(),
              order.filledQuantity(),
              order.approved(),
              order.state());
    }
  }

  // ---- events ------------------------------------------------------------------------------

  /**
   * What a symbol persists. Every event records when it happened: an {@code atMs} read from the
   * trader's clock, or the time of what it records ({@code EntryIntended}/{@code ExitIntended}:
   * the intent's {@code createdAtMs}; {@code FillRecorded}: the fill's execution time). An event
   * written before it carried its time reads {@code atMs} 0: unknown (see {@code docs/symbol-trader.md}).
   */
  public sealed interface Event extends CborSerializable {}

  /** The strategy has enough candles at {@code atMs}: WARMING_UP → READY. */
  public record WarmUpCompleted(int candles, long atMs) implements Event {}

  /**
   * The strategy asked to enter; the intent (with its client order id) is persisted before any
   * order. When: {@code intent.createdAtMs()}.
   */
  public record EntryIntended(OrderIntent intent) implements Event {}

  /** The strategy (or a stop, or an operator) asked to close the position. When: {@code intent.createdAtMs()}. */
  public record ExitIntended(OrderIntent intent) implements Event {}

  /** RiskManager approved the working intent at {@code atMs}; the order is sent after this is persisted. */
  public record IntentApproved(String clientOrderId, String decisionId, long atMs) implements Event {}

  /** RiskManager rejected the working intent at {@code atMs}, for {@code reasonCode}. */
  public record IntentRejected(String clientOrderId, String reasonCode, String message, long atMs) implements Event {}

  /** The venue acknowledged the order at {@code atMs}. */
  public record OrderAccepted(String clientOrderId, String venueOrderId, long atMs) implements Event {}

  /** One fill of the working order (applied once per trade id). When: {@code fill.timestampMs()}, the execution time. */
  public record FillRecorded(Fill fill) implements Event {}

  /** The working order is final at {@code atMs}; {@code cooldownUntilMs} applies when it closed the position. */
  public record OrderEnded(String clientOrderId, OrderStatus status, String reason, long cooldownUntilMs, long atMs)
      implements Event {}

  /**
   * Portfolio applied the fill {@code tradeId}; confirmed at {@code atMs}. {@code atMs} 0: unknown
   * (journals written before events carried their time; replay does not need it).
   */
  public record FillConfirmed(String tradeId, long atMs) implements Event {}

  /** The kill switch is engaged (seen at {@code atMs}): → HALTED (entries are rejected by risk, exits still go). */
  public record Halted(String reason, long atMs) implements Event {}

  /** The kill switch was released (seen at {@code atMs}): HALTED → READY or IN_POSITION. */
  public record Released(long atMs) implements Event {}

  /** The cooldown after an exit is over (at {@code atMs}): COOLDOWN → READY. */
  public record CooldownElapsed(long atMs) implements Event {}

  /** An operator paused the symbol at {@code atMs}. */
  public record Paused(long atMs) implements Event {}

  /** An operator resumed the symbol at {@code atMs}. */
  public record Resumed(long atMs) implements Event {}

  /**
   * An operator asked at {@code atMs} for the symbol to be flattened: the emergency stop, or this symbol alone
   * ({@code thenPause}: pause once flat; absent in journals before it, read as false).
   */
  public record FlattenRequested(String reason, long atMs, boolean thenPause) implements Event {
    public FlattenRequested(String reason, long atMs) {
      this(reason, atMs, false);
    }
  }

  /** Recovery found broken invariants and repaired them at {@code atMs} (see {@link RecoveryCheck}). */
  public record StateCorrected(
      List<RecoveryCheck.Violation> violations, SymbolPhase from, SymbolPhase to, String droppedOrder, long atMs)
      implements Event {}

  // ---- dependencies ------------------------------------------------------------------------

  /**
   * Everything one symbol needs, built once per entity by the guardian. {@code tickInterval}: how
   * often the clock closes candles and ends cooldowns without a trade, at each multiple of it on
   * {@code clock} (the candle interval in a running engine, so each tick falls on a candle's end). {@code unusable}: why the symbol's listing cannot trade (its strategy is not
   * registered, ...), null when it can; such a symbol recovers its journal and answers queries,
   * pause and removal, shows as {@code ERROR} with the reason and trades nothing ({@code strategy}
   * is null then).
   */
  public record Dependencies(
      Strategy strategy,
      TradingDecisions.Params params,
      Duration candleInterval,
      Duration tickInterval,
      int candleHistory,
      Duration askTimeout,
      int snapshotEvery,
      int keepSnapshots,
      ActorRef<RiskManager.Command> risk,
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<OrderGateway.Command> orders,
      ActorRef<Notifier.Command> notifier,
      ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic,
      Clock clock,
      String unusable) {

    /** These dependencies for a symbol that cannot trade, for {@code reason}. */
    public Dependencies unusableFor(String reason) {
      return new Dependencies(null, params, candleInterval, tickInterval, candleHistory, askTimeout, snapshotEvery, keepSnapshots,
          risk, portfolio, orders, notifier, killSwitchTopic, clock, reason);
    }
  }

  public static PersistenceId persistenceId(SymbolId symbol) {
    return PersistenceId.of(ENTITY_KEY.name(), symbol.id());
  }

  /** The entity for a configured symbol; {@code dependencies} answers null for unknown symbols. */
  public static Behavior<Command> create(SymbolId symbol, Function<SymbolId, Dependencies> dependencies) {
    return create(symbol, dependencies, null);
  }

  /**
   * The entity, its dependencies resolved when it starts (so a failure to build them is the
   * actor's failure, seen by its supervision {@code monitor}, which also hears when the symbol
   * comes up unusable; null: no monitor).
   */
  static Behavior<Command> create(SymbolId symbol, Function<SymbolId, Dependencies> dependencies, ActorRef<Supervision.Command> monitor) {
    return Correlation.forSymbol(
        symbol,
        Behaviors.setup(
            ctx -> {
              Dependencies deps = dependencies.apply(symbol);
              if (deps == null) {
                return Behaviors.stopped();
              }
              if (deps.unusable() != null && monitor != null) {
                Supervision.degraded(monitor, ctx, "cannot trade: " + deps.unusable(), deps.clock());
              }
              return Behaviors.withTimers(timers -> new SymbolTrader(ctx, timers, symbol, deps));
            }));
  }

  /**
   * The sharded entity as the engine runs it: each SymbolTrader under the supervision {@code
   * monitor}, stopped by {@link Stop} so that it passivates only between commands.
   */
  public static Entity<Command, ShardingEnvelope<Command>> entity(
      ActorRef<Supervision.Command> monitor, Clock clock, Function<SymbolId, Dependencies> dependencies) {
    return Entity.of(
            ENTITY_KEY,
            entity ->
                Supervision.monitored(monitor, "SymbolTrader (sharded)", clock, create(SymbolId.parse(entity.getEntityId()), dependencies, monitor)))
        .withStopMessage(Stop.INSTANCE);
  }

  // ---- behavior ----------------------------------------------------------------------------

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final SymbolId symbol;
  private final Dependencies deps;
  /** Decides everything; this actor persists its events and carries out its effects. */
  private final SymbolKernel kernel;

  private SymbolTrader(ActorContext<Command> context, TimerScheduler<Command> timers, SymbolId symbol, Dependencies deps) {
    super(
        persistenceId(symbol),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.context = context;
    this.timers = timers;
    this.symbol = symbol;
    this.deps = deps;
    this.kernel =
        new SymbolKernel(symbol, deps.strategy(), deps.params(), deps.candleInterval().toMillis(), deps.candleHistory(), deps.unusable());
    if (deps.unusable() != null) {
      return;
    }
    timers.startSingleTimer(Tick.INSTANCE, untilNextTick());
    deps.killSwitchTopic()
        .tell(Topic.subscribe(context.messageAdapter(RiskManager.KillSwitchStatus.class, KillSwitchChanged::new)));
  }

  /**
   * The time until the next multiple of the tick interval on the clock: a candle closes when its
   * time is up (its end is such a multiple when the tick interval is the candle interval), not up
   * to an interval later, as the backtest's kernel closes it on data time.
   */
  private Duration untilNextTick() {
    return Duration.ofMillis(tickIntervalMs() - sinceLastTickBoundaryMs());
  }

  /** How long ago, on the clock, the last multiple of the tick interval was. */
  private long sinceLastTickBoundaryMs() {
    return Math.floorMod(deps.clock().millis(), tickIntervalMs());
  }

  private long tickIntervalMs() {
    return Math.max(1, deps.tickInterval().toMillis());
  }

  @Override
  public SymbolState emptyState() {
    return SymbolState.initial(symbol);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(deps.snapshotEvery(), deps.keepSnapshots());
  }

  @Override
  public SignalHandler<SymbolState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> context.getSelf().tell(Recovered.INSTANCE))
        .build();
  }

  @Override
  public CommandHandler<Command, Event, SymbolState> commandHandler() {
    if (deps.unusable() != null) {
      return unusableCommandHandler();
    }
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Recovered.class, this::onRecovered)
        .onCommand(GetSymbol.class, this::onGetSymbol)
        .onCommand(GetCandles.class, this::onGetCandles)
        .onCommand(Stop.class, (state, command) -> Effect().stop())
        .onCommand(Tick.class, this::onTick)
        .onCommand(OnTrades.class, this::onTrades)
        .onCommand(WrappedDecision.class, (state, command) -> step(state, decided(command.decision())))
        .onCommand(KillSwitchChanged.class, (state, command) -> step(state, killSwitchChanged(command.status())))
        .onCommand(DecisionMissing.class, (state, command) -> step(state, new SymbolKernel.RiskMissing(command.clientOrderId(), command.why())))
        .onCommand(ExecutionReport.class, (state, command) -> step(state, new SymbolKernel.OrderReported(venueUpdate(command.update()))))
        .onCommand(CheckOrder.class, (state, command) -> step(state, new SymbolKernel.OrderCheckDue(command.clientOrderId())))
        .onCommand(WrappedReport.class, (state, command) -> step(state, new SymbolKernel.OrderQueried(venueStatus(command.report()))))
        .onCommand(FillAcknowledged.class, (state, command) -> step(state, fillAcknowledged(command)))
        .onCommand(ResendUnconfirmedFills.class, (state, command) -> step(state, SymbolKernel.ResendUnconfirmedFills.INSTANCE))
        .onCommand(Pause.class, (state, command) -> step(state, SymbolKernel.Pause.INSTANCE, command.replyTo()))
        .onCommand(Resume.class, (state, command) -> step(state, SymbolKernel.Resume.INSTANCE, command.replyTo()))
        .onCommand(Flatten.class, (state, command) -> step(state, new SymbolKernel.Flatten(command.reason()), command.replyTo()))
        .onCommand(FlattenAndPause.class, (state, command) -> step(state, new SymbolKernel.FlattenAndPause(command.reason()), command.replyTo()))
        .onCommand(FlattenNow.class, (state, command) -> step(state, SymbolKernel.FlattenNow.INSTANCE))
        .onCommand(PauseNow.class, (state, command) -> step(state, SymbolKernel.PauseNow.INSTANCE))
        .build();
  }

  /**
   * The symbol whose listing cannot trade (see {@link SymbolKernel}): it recovers its journal,
   * answers queries, may be paused (while flat) and so removed, and takes trades only to drop them;
   * resume and flatten are refused with the reason, every other command is ignored.
   */
  private CommandHandler<Command, Event, SymbolState> unusableCommandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Recovered.class, this::onRecovered)
        .onCommand(GetSymbol.class, this::onGetSymbol)
        .onCommand(GetCandles.class, this::onGetCandles)
        .onCommand(Stop.class, (state, command) -> Effect().stop())
        .onCommand(OnTrades.class, (state, command) -> Effect().none().thenRun(s -> command.replyTo().tell(Done.getInstance())))
        .onCommand(Pause.class, (state, command) -> step(state, SymbolKernel.Pause.INSTANCE, command.replyTo()))
        .onCommand(Resume.class, (state, command) -> step(state, SymbolKernel.Resume.INSTANCE, command.replyTo()))
        .onCommand(Flatten.class, (state, command) -> step(state, new SymbolKernel.Flatten(command.reason()), command.replyTo()))
        .onCommand(FlattenAndPause.class, (state, command) -> step(state, new SymbolKernel.FlattenAndPause(command.reason()), command.replyTo()))
        .onAnyCommand((state, command) -> Effect().none());
  }

  // ---- one step of the kernel --------------------------------------------------------------

  private Effect<Event, SymbolState> step(SymbolState state, SymbolKernel.Input input) {
    return step(state, input, null);
  }

  /** Hands {@code input} to the kernel and carries out its decision (or stashes the command until recovery is validated). */
  private Effect<Event, SymbolState> step(SymbolState state, SymbolKernel.Input input, ActorRef<OperatorResult> replyTo) {
    SymbolKernel.Decision decision = decide(state, input);
    return decision.stash() ? Effect().stash() : carryOut(decision, replyTo);
  }

  private Effect<Event, SymbolState> onRecovered(SymbolState state, Recovered command) {
    return carryOut(decide(state, SymbolKernel.Recovered.INSTANCE), null).thenUnstashAll();
  }

  private Effect<Event, SymbolState> onTrades(SymbolState state, OnTrades command) {
    long receivedNanos = System.nanoTime();
    SymbolKernel.Decision decision = decide(state, new SymbolKernel.Trades(command.trades()));
    if (decision.stash()) {
      return Effect().stash();
    }
    if (closedACandle(decision)) {
      TradingMetrics.decided(receivedNanos);
    }
    return carryOut(decision, null).thenRun(s -> command.replyTo().tell(Done.getInstance()));
  }

  /**
   * The candle clock: re-armed for the next candle end, then the kernel's tick. When it closed a
   * candle, tick-to-decision counts from the candle's end (the timer's lateness included), as it
   * counts from the trade's receipt when a trade closed it.
   */
  private Effect<Event, SymbolState> onTick(SymbolState state, Tick command) {
    long startNanos = System.nanoTime();
    long lateMs = sinceLastTickBoundaryMs();
    timers.startSingleTimer(Tick.INSTANCE, Duration.ofMillis(tickIntervalMs() - lateMs));
    SymbolKernel.Decision decision = decide(state, SymbolKernel.Tick.INSTANCE);
    if (decision.stash()) {
      return Effect().stash();
    }
    if (closedACandle(decision)) {
      TradingMetrics.decided(startNanos - lateMs * 1_000_000L);
    }
    return carryOut(decision, null);
  }

  /** Whether the step closed a candle (and so asked the strategy): the kernel marks the price on every close. */
  private static boolean closedACandle(SymbolKernel.Decision decision) {
    return decision.effects().stream().anyMatch(effect -> effect instanceof SymbolKernel.MarkPrice);
  }

  private SymbolKernel.Decision decide(SymbolState state, SymbolKernel.Input input) {
    return kernel.step(state, input, now(), lastSequenceNumber(context) + 1);
  }

  /**
   * Persists the events the kernel decided, then carries out its effects in order and replies to
   * {@code replyTo} (when given) with the state after them.
   */
  private EffectBuilder<Event, SymbolState> carryOut(SymbolKernel.Decision decision, ActorRef<OperatorResult> replyTo) {
    List<Event> events = decision.events().stream().map(SymbolTrader::journaled).toList();
    EffectBuilder<Event, SymbolState> persisted = events.isEmpty() ? Effect().none() : Effect().persist(events);
    if (events.stream().anyMatch(event -> event instanceof EntryIntended || event instanceof ExitIntended)) {
      persisted = persisted.thenRun(TradingMetrics.persistTimer(TradingMetrics.SYMBOL_TRADER));
    }
    return persisted.thenRun(
        s -> {
          events.forEach(SymbolTrader::measure);
          decision.effects().forEach(this::carryOut);
          if (replyTo != null && decision.reply() != null) {
            replyTo.tell(new OperatorResult(decision.reply().outcome(), decision.reply().error(), view(s)));
          }
        });
  }

  /** One effect of the kernel's decision, carried out once its events are persisted. */
  private void carryOut(SymbolKernel.Effect effect) {
    if (effect instanceof SymbolKernel.AskRisk ask) {
      askRisk(ask.intent(), ask.stopPrice());
    } else if (effect == SymbolKernel.AskKillSwitch.INSTANCE) {
      context.ask(
          RiskManager.KillSwitchStatus.class,
          deps.risk(),
          deps.askTimeout(),
          RiskManager.GetKillSwitch::new,
          (status, failure) -> new KillSwitchChanged(status != null ? status : killSwitchStatus(kernel.killSwitch())));
    } else if (effect instanceof SymbolKernel.PlaceOrder place) {
      deps.orders().tell(new OrderGateway.PlaceOrder(place.intent(), place.price()));
      TradingMetrics.orderSubmitted();
    } else if (effect instanceof SymbolKernel.CancelOrder cancel) {
      deps.orders().tell(new OrderGateway.CancelOrder(cancel.clientOrderId()));
    } else if (effect instanceof SymbolKernel.QueryOrder query) {
      queryOrder(query.clientOrderId());
    } else if (effect instanceof SymbolKernel.ScheduleOrderCheck check) {
      timers.startSingleTimer("check-" + check.clientOrderId(), new CheckOrder(check.clientOrderId()), deps.askTimeout());
    } else if (effect instanceof SymbolKernel.CancelOrderCheck check) {
      timers.cancel("check-" + check.clientOrderId());
    } else if (effect instanceof SymbolKernel.ConfirmFill confirm) {
      confirmFill(confirm.fill());
    } else if (effect == SymbolKernel.ScheduleFillResend.INSTANCE) {
      timers.startSingleTimer("resend-fills", ResendUnconfirmedFills.INSTANCE, deps.askTimeout());
    } else if (effect instanceof SymbolKernel.ReleaseReservation release) {
      deps.portfolio().tell(new Portfolio.Release(release.clientOrderId(), context.getSystem().ignoreRef()));
    } else if (effect instanceof SymbolKernel.MarkPrice mark) {
      deps.portfolio().tell(new Portfolio.MarkPrice(symbol, mark.price()));
    } else if (effect instanceof SymbolKernel.SyncPortfolio sync) {
      deps.portfolio().tell(new Portfolio.SyncSymbol(symbol, sync.openClientOrderId(), context.getSystem().ignoreRef()));
    } else if (effect instanceof SymbolKernel.Alert alert) {
      deps.notifier().tell(new Notifier.Alert(Notifier.Severity.valueOf(alert.severity().name()), alert.title(), alert.text(), alert.fields()));
    } else if (effect instanceof SymbolKernel.ReconciliationMismatch mismatch) {
      TradingMetrics.reconciliationMismatches(
          mismatch.kind() == SymbolKernel.Mismatch.MISSING_FILL ? TradingMetrics.MISSING_FILL : TradingMetrics.UNKNOWN_ORDER, mismatch.count());
    } else if (effect instanceof SymbolKernel.Log log) {
      log(log);
    } else if (effect instanceof SymbolKernel.FollowUp followUp) {
      context.getSelf().tell(followUp.input() == SymbolKernel.FlattenNow.INSTANCE ? FlattenNow.INSTANCE : PauseNow.INSTANCE);
    }
  }

  private static void measure(Event event) {
    if (event instanceof OrderEnded ended) {
      TradingMetrics.orderEnded(ended.status());
    }
  }

  private void log(SymbolKernel.Log log) {
    try (Correlation ignored = Correlation.of(null, log.clientOrderId(), log.decisionId())) {
      switch (log.level()) {
        case INFO -> context.getLog().info("{} {}", symbol, log.text());
        case WARN -> context.getLog().warn("{} {}", symbol, log.text());
        case ERROR -> context.getLog().error("{} {}", symbol, log.text());
      }
    }
  }

  // ---- risk, venue, portfolio: the asks ------------------------------------------------------

  private void askRisk(OrderIntent intent, BigDecimal stopPrice) {
    context.ask(
        RiskManager.Decision.class,
        deps.risk(),
        deps.askTimeout(),
        replyTo -> new RiskManager.Evaluate(intent, stopPrice, replyTo),
        (decision, failure) ->
            decision != null ? new WrappedDecision(decision) : new DecisionMissing(intent.clientOrderId(), String.valueOf(failure)));
  }

  private void queryOrder(String clientOrderId) {
    context.ask(
        OrderUpdate.Report.class,
        deps.orders(),
        deps.askTimeout(),
        replyTo -> new OrderGateway.QueryOrder(clientOrderId, replyTo),
        (report, failure) -> report != null ? new WrappedReport(report) : new CheckOrder(clientOrderId));
  }

  private void confirmFill(Fill fill) {
    context.askWithStatus(
        Done.class,
        deps.portfolio(),
        deps.askTimeout(),
        replyTo -> new Portfolio.ApplyFill(fill, replyTo),
        (done, failure) -> new FillAcknowledged(fill.tradeId(), failure == null ? null : String.valueOf(failure.getMessage())));
  }

  // ---- the kernel's terms and the actor's ----------------------------------------------------

  private static SymbolKernel.RiskDecided decided(RiskManager.Decision decision) {
    return new SymbolKernel.RiskDecided(
        decision.clientOrderId(), decision.eventId(), decision.approved(), decision.reasonCode(), decision.message(), decision.atMs());
  }

  private static SymbolKernel.KillSwitchChanged killSwitchChanged(RiskManager.KillSwitchStatus status) {
    return new SymbolKernel.KillSwitchChanged(new SymbolKernel.KillSwitch(status.engaged(), status.reason(), status.sinceMs()));
  }

  private static RiskManager.KillSwitchStatus killSwitchStatus(SymbolKernel.KillSwitch status) {
    return new RiskManager.KillSwitchStatus(status.engaged(), status.reason(), status.sinceMs());
  }

  private static SymbolKernel.Input fillAcknowledged(FillAcknowledged ack) {
    return ack.error() == null ? new SymbolKernel.FillConfirmed(ack.tradeId()) : new SymbolKernel.FillNotConfirmed(ack.tradeId(), ack.error());
  }

  private static SymbolKernel.VenueUpdate venueUpdate(OrderUpdate update) {
    if (update instanceof OrderUpdate.Accepted accepted) {
      return new SymbolKernel.VenueUpdate.Accepted(accepted.clientOrderId(), accepted.venueOrderId());
    } else if (update instanceof OrderUpdate.Filled filled) {
      return new SymbolKernel.VenueUpdate.Filled(filled.clientOrderId(), filled.fill());
    } else if (update instanceof OrderUpdate.Ended ended) {
      return new SymbolKernel.VenueUpdate.Ended(ended.clientOrderId(), ended.status(), ended.reason());
    }
    return venueStatus((OrderUpdate.Report) update);
  }

  private static SymbolKernel.VenueUpdate.Status venueStatus(OrderUpdate.Report report) {
    return new SymbolKernel.VenueUpdate.Status(report.clientOrderId(), report.known(), report.fills(), report.finalStatus());
  }

  /** The journaled event for the kernel's event: same name, same fields. */
  private static Event journaled(SymbolEvent event) {
    if (event instanceof SymbolEvent.WarmUpCompleted e) {
      return new WarmUpCompleted(e.candles(), e.atMs());
    } else if (event instanceof SymbolEvent.EntryIntended e) {
      return new EntryIntended(e.intent());
    } else if (event instanceof SymbolEvent.ExitIntended e) {
      return new ExitIntended(e.intent());
    } else if (event instanceof SymbolEvent.IntentApproved e) {
      return new IntentApproved(e.clientOrderId(), e.decisionId(), e.atMs());
    } else if (event instanceof SymbolEvent.IntentRejected e) {
      return new IntentRejected(e.clientOrderId(), e.reasonCode(), e.message(), e.atMs());
    } else if (event instanceof SymbolEvent.OrderAccepted e) {
      return new OrderAccepted(e.clientOrderId(), e.venueOrderId(), e.atMs());
    } else if (event instanceof SymbolEvent.FillRecorded e) {
      return new FillRecorded(e.fill());
    } else if (event instanceof SymbolEvent.OrderEnded e) {
      return new OrderEnded(e.clientOrderId(), e.status(), e.reason(), e.cooldownUntilMs(), e.atMs());
    } else if (event instanceof SymbolEvent.FillConfirmed e) {
      return new FillConfirmed(e.tradeId(), e.atMs());
    } else if (event instanceof SymbolEvent.Halted e) {
      return new Halted(e.reason(), e.atMs());
    } else if (event instanceof SymbolEvent.Released e) {
      return new Released(e.atMs());
    } else if (event instanceof SymbolEvent.CooldownElapsed e) {
      return new CooldownElapsed(e.atMs());
    } else if (event instanceof SymbolEvent.Paused e) {
      return new Paused(e.atMs());
    } else if (event instanceof SymbolEvent.Resumed e) {
      return new Resumed(e.atMs());
    } else if (event instanceof SymbolEvent.FlattenRequested e) {
      return new FlattenRequested(e.reason(), e.atMs(), e.thenPause());
    }
    SymbolEvent.StateCorrected e = (SymbolEvent.StateCorrected) event;
    return new StateCorrected(e.violations(), e.from(), e.to(), e.droppedOrder(), e.atMs());
  }

  // ---- queries -----------------------------------------------------------------------------

  private Effect<Event, SymbolState> onGetSymbol(SymbolState state, GetSymbol query) {
    query.replyTo().tell(view(state));
    return Effect().none();
  }

  private Effect<Event, SymbolState> onGetCandles(SymbolState state, GetCandles query) {
    CandleAggregator candles = kernel.candles();
    CandleAggregator.History history = candles.history();
    int from = Math.max(0, history.size() - Math.max(0, query.limit()));
    List<Candle> last = new ArrayList<>(history.size() - from);
    for (int i = from; i < history.size(); i++) {
      last.add(history.get(i));
    }
    query.replyTo().tell(new Candles(symbol.id(), candles.intervalMs(), last));
    return Effect().none();
  }

  private SymbolView view(SymbolState state) {
    boolean usable = deps.unusable() == null;
    return
        new SymbolView(
            symbol.id(),
            usable ? deps.strategy().name() : null,
            kernel.validated(),
            usable ? state.phase() : SymbolPhase.ERROR,
            kernel.candles().closedCount(),
            kernel.lastPrice(),
            state.lastSignal(),
            kernel.validated() ? kernel.lastDecision() : "recovering",
            state.position().quantity(),
            state.position().averagePrice(),
            OrderView.of(state.order()),
            state.intents(),
            state.fills(),
            state.unconfirmedFills().size(),
            state.corrections(),
            usable ? null : "cannot trade: " + deps.unusable());
  }

  // ---- events ------------------------------------------------------------------------------

  @Override
  public EventHandler<SymbolState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(WarmUpCompleted.class, (state, event) -> state.warmUpCompleted())
        .onEvent(EntryIntended.class, (state, event) -> state.intended(event.intent()))
        .onEvent(ExitIntended.class, (state, event) -> state.intended(event.intent()))
        .onEvent(IntentApproved.class, (state, event) -> state.approved(event.clientOrderId()))
        .onEvent(IntentRejected.class, (state, event) -> state.rejected(event.clientOrderId()))
        .onEvent(OrderAccepted.class, (state, event) -> state.accepted(event.clientOrderId(), event.venueOrderId()))
        .onEvent(FillRecorded.class, (state, event) -> state.filled(event.fill()))
        .onEvent(OrderEnded.class, (state, event) -> state.ended(event.clientOrderId(), event.cooldownUntilMs()))
        .onEvent(FillConfirmed.class, (state, event) -> state.fillConfirmed(event.tradeId()))
        .onEvent(CooldownElapsed.class, (state, event) -> state.cooldownElapsed())
        .onEvent(Halted.class, (state, event) -> state.halted())
        .onEvent(Released.class, (state, event) -> state.released())
        .onEvent(Paused.class, (state, event) -> state.paused())
        .onEvent(Resumed.class, (state, event) -> state.resumed())
        .onEvent(FlattenRequested.class, (state, event) -> state.flattenRequested(event.reason(), event.thenPause()))
        .onEvent(StateCorrected.class, (state, event) -> state.corrected(event.to(), event.droppedOrder() != null))
        .build();
  }

  private long now() {
    return deps.clock().millis();
  }
}
