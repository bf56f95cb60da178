package io.pekkotrader.actors;

import io.pekkotrader.domain.CandleAggregator;
import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.ClientOrderIds;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderState;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.PhaseTransitions;
import io.pekkotrader.domain.PhaseTrigger;
import io.pekkotrader.domain.RecoveryCheck;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.SymbolState;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.domain.WorkingOrder;
import io.pekkotrader.domain.risk.RiskCheck;
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
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One traded symbol: an event-sourced state machine, sharded by symbol id. It folds trades into
 * candles (kept in memory: market data is re-read, not journaled), asks its strategy on every
 * closed candle, and takes an intent through RiskManager, the venue and Portfolio. Every change
 * is a persisted event applied through {@link SymbolState}; the phase table lives in the domain.
 * See {@code docs/symbol-trader.md}.
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

  /** Candle clock: close candles by time, end cooldowns. */
  private enum Tick implements Command {
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
   * often the clock closes candles and ends cooldowns without a trade (the candle interval in a
   * running engine). {@code unusable}: why the symbol's listing cannot trade (its strategy is not
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

    /** A symbol that can trade. */
    public Dependencies(
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
        Clock clock) {
      this(strategy, params, candleInterval, tickInterval, candleHistory, askTimeout, snapshotEvery, keepSnapshots, risk, portfolio,
          orders, notifier, killSwitchTopic, clock, null);
    }

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
  private final CandleAggregator candles;
  private BigDecimal lastPrice;
  private String lastDecision = "starting";
  private boolean validated;
  /** The kill switch as last announced (topic, risk's answer or a kill_switch rejection). */
  private RiskManager.KillSwitchStatus killSwitch = new RiskManager.KillSwitchStatus(false, null, 0);

  private SymbolTrader(ActorContext<Command> context, TimerScheduler<Command> timers, SymbolId symbol, Dependencies deps) {
    super(
        persistenceId(symbol),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.context = context;
    this.timers = timers;
    this.symbol = symbol;
    this.deps = deps;
    this.candles = new CandleAggregator(deps.candleInterval().toMillis(), deps.candleHistory());
    if (deps.unusable() != null) {
      return;
    }
    timers.startTimerAtFixedRate(Tick.INSTANCE, deps.tickInterval());
    deps.killSwitchTopic()
        .tell(Topic.subscribe(context.messageAdapter(RiskManager.KillSwitchStatus.class, KillSwitchChanged::new)));
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
        .onCommand(WrappedDecision.class, this::onDecision)
        .onCommand(KillSwitchChanged.class, this::onKillSwitch)
        .onCommand(DecisionMissing.class, this::onDecisionMissing)
        .onCommand(ExecutionReport.class, this::onExecutionReport)
        .onCommand(CheckOrder.class, this::onCheckOrder)
        .onCommand(WrappedReport.class, this::onReport)
        .onCommand(FillAcknowledged.class, this::onFillAcknowledged)
        .onCommand(ResendUnconfirmedFills.class, this::onResendUnconfirmedFills)
        .onCommand(Pause.class, this::onPause)
        .onCommand(Resume.class, this::onResume)
        .onCommand(Flatten.class, this::onFlatten)
        .onCommand(FlattenAndPause.class, this::onFlattenAndPause)
        .onCommand(FlattenNow.class, this::onFlattenNow)
        .onCommand(PauseNow.class, this::onPauseNow)
        .build();
  }

  // ---- recovery ----------------------------------------------------------------------------

  private Effect<Event, SymbolState> onRecovered(SymbolState state, Recovered command) {
    RecoveryCheck.Repair repair = RecoveryCheck.repair(state);
    if (repair == null) {
      context.getLog().info("{} recovered in {} with position {}", symbol, state.phase(), state.position().quantity().toPlainString());
      return Effect().none().thenRun(this::resumeOpenWork).thenUnstashAll();
    }
    String dropped = repair.dropOrder() && state.hasOrder() ? state.order().clientOrderId() : null;
    StateCorrected correction = new StateCorrected(repair.violations(), state.phase(), repair.phase(), dropped, now());
    try (Correlation ignored = Correlation.order(dropped)) {
      context.getLog().warn(
          "{} recovered with broken invariants {}; correcting {} -> {}{}",
          symbol,
          repair.violations(),
          state.phase(),
          repair.phase(),
          dropped == null ? "" : ", dropping order " + dropped);
    }
    boolean cancelAtVenue = dropped != null && state.order().approved();
    return Effect()
        .persist(correction)
        .thenRun(
            corrected -> {
              if (cancelAtVenue) {
                deps.orders().tell(new OrderGateway.CancelOrder(dropped));
              }
              deps.notifier().tell(
                  new Notifier.Alert(
                      Notifier.Severity.WARN,
                      "State corrected on recovery: " + symbol,
                      correction.from() + " -> " + correction.to() + (dropped == null ? "" : ", order " + dropped + " dropped"),
                      java.util.Map.of(
                          "violations",
                          String.join("; ", correction.violations().stream().map(v -> v.code() + ": " + v.detail()).toList()))));
              resumeOpenWork(corrected);
            })
        .thenUnstashAll();
  }

  /** After recovery: re-send what may have been lost in the crash; all of it is idempotent. */
  private void resumeOpenWork(SymbolState state) {
    validated = true;
    continueFlatten(state);
    context.ask(
        RiskManager.KillSwitchStatus.class,
        deps.risk(),
        deps.askTimeout(),
        RiskManager.GetKillSwitch::new,
        (status, failure) -> new KillSwitchChanged(status != null ? status : killSwitch));
    state.unconfirmedFills().forEach(this::confirmFill);
    deps.portfolio().tell(new Portfolio.SyncSymbol(symbol, state.hasOrder() ? state.order().clientOrderId() : null, context.getSystem().ignoreRef()));
    if (!state.hasOrder()) {
      return;
    }
    if (state.order().approved()) {
      queryOrder(state.order().clientOrderId());
    } else {
      askRisk(state.order().intent());
    }
  }

  // ---- market data and decisions -----------------------------------------------------------

  private Effect<Event, SymbolState> onTrades(SymbolState state, OnTrades command) {
    long receivedNanos = System.nanoTime();
    if (!validated) {
      return Effect().stash();
    }
    // the aggregator keeps the closed candles; here only whether any closed matters
    boolean closedAny = false;
    for (Trade trade : command.trades()) {
      closedAny |= !candles.onTrade(trade).isEmpty();
      lastPrice = trade.price();
    }
    if (!closedAny) {
      return Effect().none().thenRun(s -> command.replyTo().tell(Done.getInstance()));
    }
    deps.portfolio().tell(new Portfolio.MarkPrice(symbol, lastPrice));
    org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, SymbolState> decision = decide(state);
    TradingMetrics.decided(receivedNanos);
    return decision.thenRun(s -> command.replyTo().tell(Done.getInstance()));
  }

  private Effect<Event, SymbolState> onTick(SymbolState state, Tick tick) {
    if (!validated) {
      return Effect().none();
    }
    continueFlatten(state);
    List<Candle> closed = candles.advanceTo(now());
    if (closed.isEmpty() && state.phase() != SymbolPhase.COOLDOWN) {
      return Effect().none();
    }
    return decide(state);
  }

  /** Asks the domain for the next step and persists it. */
  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, SymbolState> decide(SymbolState state) {
    Event halt = haltOrRelease(state);
    if (halt != null) {
      return Effect().persist(halt);
    }
    TradingDecisions.Step step =
        TradingDecisions.next(state, candles.history(), lastPrice, deps.strategy(), deps.params(), now());
    if (step instanceof TradingDecisions.CompleteWarmUp warm) {
      decided("warm-up complete");
      return Effect().persist(new WarmUpCompleted(warm.candles(), now()));
    }
    if (step instanceof TradingDecisions.EndCooldown) {
      decided("cooldown over");
      return Effect().persist(new CooldownElapsed(now()));
    }
    if (step instanceof TradingDecisions.Enter enter) {
      OrderIntent intent =
          intent(IntentKind.ENTRY, enter.side(), enter.quantity(), enter.referencePrice(), enter.reason());
      lastDecision = "entry: " + enter.reason();
      try (Correlation ignored = Correlation.order(intent.clientOrderId())) {
        context.getLog().info("{} entry intended {}: buy {} @ ~{} ({})", symbol, intent.clientOrderId(),
            intent.quantity().toPlainString(), intent.referencePrice().toPlainString(), enter.reason());
      }
      return Effect().persist(new EntryIntended(intent)).thenRun(TradingMetrics.persistTimer(TradingMetrics.SYMBOL_TRADER)).thenRun(s -> askRisk(intent));
    }
    if (step instanceof TradingDecisions.Exit exit) {
      OrderIntent intent = intent(IntentKind.EXIT, Side.SELL, exit.quantity(), exit.referencePrice(), exit.reason());
      lastDecision = "exit: " + exit.reason();
      try (Correlation ignored = Correlation.order(intent.clientOrderId())) {
        context.getLog().info("{} exit intended {}: sell {} @ ~{} ({})", symbol, intent.clientOrderId(),
            intent.quantity().toPlainString(), intent.referencePrice().toPlainString(), exit.reason());
      }
      return Effect().persist(new ExitIntended(intent)).thenRun(TradingMetrics.persistTimer(TradingMetrics.SYMBOL_TRADER)).thenRun(s -> askRisk(intent));
    }
    decided(((TradingDecisions.Nothing) step).why());
    return Effect().none();
  }

  /** Remembers what the symbol decided and logs it when it is news: signal changes, not every candle. */
  private void decided(String decision) {
    if (TradingDecisions.isNews(lastDecision, decision)) {
      context.getLog().info("{} decision: {}", symbol, decision);
    }
    lastDecision = decision;
  }

  /** An intent whose client order id is derived from the sequence number of the event that persists it. */
  private OrderIntent intent(IntentKind kind, Side side, BigDecimal quantity, BigDecimal price, String reason) {
    long sequenceNr = lastSequenceNumber(context) + 1;
    return new OrderIntent(
        ClientOrderIds.of(symbol, sequenceNr), symbol, kind, side, quantity, price, deps.strategy().name(), reason, now());
  }

  // ---- kill switch -------------------------------------------------------------------------

  private Effect<Event, SymbolState> onKillSwitch(SymbolState state, KillSwitchChanged wrapped) {
    RiskManager.KillSwitchStatus news = wrapped.status();
    if (news.sinceMs() < killSwitch.sinceMs()
        || (news.sinceMs() == killSwitch.sinceMs() && killSwitch.engaged() && !news.engaged())) {
      // older news (an answer overtaken by a rejection or an announcement): keep the newer; of two
      // from the same millisecond, the engaged one wins, so a tie never releases a halted symbol
      return Effect().none();
    }
    killSwitch = wrapped.status();
    if (!validated) {
      return Effect().none();
    }
    Event halt = haltOrRelease(state);
    return halt == null ? Effect().none() : Effect().persist(halt);
  }

  /** The event that brings the phase in line with the kill switch, or null when it is. */
  private Event haltOrRelease(SymbolState state) {
    if (killSwitch.engaged() && PhaseTransitions.allows(state.phase(), PhaseTrigger.KILL_SWITCH_ENGAGED)) {
      lastDecision = "halted: " + killSwitch.reason();
      context.getLog().warn("{} halted in {}: kill switch engaged ({})", symbol, state.phase(), killSwitch.reason());
      return new Halted(killSwitch.reason(), now());
    }
    if (!killSwitch.engaged() && state.phase() == SymbolPhase.HALTED) {
      lastDecision = "kill switch released";
      context.getLog().info("{} released from HALTED", symbol);
      return new Released(now());
    }
    return null;
  }

  // ---- risk --------------------------------------------------------------------------------

  private void askRisk(OrderIntent intent) {
    context.ask(
        RiskManager.Decision.class,
        deps.risk(),
        deps.askTimeout(),
        replyTo ->
            new RiskManager.Evaluate(
                intent, intent.kind() == IntentKind.ENTRY ? deps.strategy().stopPrice(intent.referencePrice()) : null, replyTo),
        (decision, failure) ->
            decision != null ? new WrappedDecision(decision) : new DecisionMissing(intent.clientOrderId(), String.valueOf(failure)));
  }

  private Effect<Event, SymbolState> onDecision(SymbolState state, WrappedDecision wrapped) {
    RiskManager.Decision decision = wrapped.decision();
    if (!state.isWorking(decision.clientOrderId()) || state.order().approved()) {
      return Effect().none();
    }
    if (decision.approved()) {
      return Effect()
          .persist(new IntentApproved(decision.clientOrderId(), decision.eventId(), now()))
          .thenRun(
              s -> {
                try (Correlation ignored = Correlation.of(null, decision.clientOrderId(), decision.eventId())) {
                  context.getLog().info("{} {} approved by risk (decision {}): order sent", symbol, decision.clientOrderId(), decision.eventId());
                }
                placeOrder(s.order().intent());
              });
    }
    try (Correlation ignored = Correlation.of(null, decision.clientOrderId(), decision.eventId())) {
      decided("rejected by risk: " + decision.reasonCode());
    }
    List<Event> events = new ArrayList<>();
    events.add(new IntentRejected(decision.clientOrderId(), decision.reasonCode(), decision.message(), now()));
    if (decision.reasonCode().equals(RiskCheck.KILL_SWITCH.code())) {
      if (!killSwitch.engaged()) {
        killSwitch = new RiskManager.KillSwitchStatus(true, decision.message(), decision.atMs());
      }
      events.add(new Halted(killSwitch.reason(), now()));
    }
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              release(decision.clientOrderId());
              continueFlatten(s);
            });
  }

  private Effect<Event, SymbolState> onDecisionMissing(SymbolState state, DecisionMissing missing) {
    if (state.isWorking(missing.clientOrderId()) && !state.order().approved()) {
      try (Correlation ignored = Correlation.order(missing.clientOrderId())) {
        context.getLog().warn("{} no risk decision for {} ({}); asking again", symbol, missing.clientOrderId(), missing.why());
      }
      askRisk(state.order().intent());
    }
    return Effect().none();
  }

  // ---- venue -------------------------------------------------------------------------------

  private void placeOrder(OrderIntent intent) {
    deps.orders().tell(new OrderGateway.PlaceOrder(intent, lastPrice != null ? lastPrice : intent.referencePrice()));
    TradingMetrics.orderSubmitted();
    scheduleOrderCheck(intent.clientOrderId());
  }

  private void scheduleOrderCheck(String clientOrderId) {
    timers.startSingleTimer("check-" + clientOrderId, new CheckOrder(clientOrderId), deps.askTimeout());
  }

  private Effect<Event, SymbolState> onExecutionReport(SymbolState state, ExecutionReport report) {
    OrderUpdate update = report.update();
    if (!state.isWorking(update.clientOrderId())) {
      try (Correlation ignored = Correlation.order(update.clientOrderId())) {
        context.getLog().warn("{} report for {} which is not the working order: {}", symbol, update.clientOrderId(), update);
      }
      return Effect().none();
    }
    if (update instanceof OrderUpdate.Accepted accepted) {
      return state.order().venueOrderId() != null
          ? Effect().none()
          : Effect().persist(new OrderAccepted(accepted.clientOrderId(), accepted.venueOrderId(), now()));
    }
    if (update instanceof OrderUpdate.Filled filled) {
      Fill fill = filled.fill();
      if (state.hasApplied(fill.tradeId())) {
        return Effect().none();
      }
      return Effect().persist(new FillRecorded(fill)).thenRun(s -> confirmFill(fill));
    }
    if (update instanceof OrderUpdate.Ended ended) {
      if (!state.order().canEnd(ended.status()) && ended.status() == OrderStatus.FILLED) {
        // the venue says filled while fills are missing here: ask it for them before ending
        queryOrder(ended.clientOrderId());
        return Effect().none();
      }
      return endOrder(List.of(), ended.clientOrderId(), ended.status(), ended.reason());
    }
    if (update instanceof OrderUpdate.Report venueReport) {
      return onReport(state, new WrappedReport(venueReport));
    }
    return Effect().none();
  }

  private Effect<Event, SymbolState> onCheckOrder(SymbolState state, CheckOrder check) {
    if (state.isWorking(check.clientOrderId()) && state.order().approved()) {
      queryOrder(check.clientOrderId());
    }
    return Effect().none();
  }

  private void queryOrder(String clientOrderId) {
    context.ask(
        OrderUpdate.Report.class,
        deps.orders(),
        deps.askTimeout(),
        replyTo -> new OrderGateway.QueryOrder(clientOrderId, replyTo),
        (report, failure) -> report != null ? new WrappedReport(report) : new CheckOrder(clientOrderId));
  }

  /** Reconciliation: apply what the venue knows and we do not; end the order if it is final or unknown. */
  private Effect<Event, SymbolState> onReport(SymbolState state, WrappedReport wrapped) {
    OrderUpdate.Report report = wrapped.report();
    if (!state.isWorking(report.clientOrderId())) {
      return Effect().none();
    }
    List<Fill> missing = report.fills().stream().filter(fill -> !state.hasApplied(fill.tradeId())).toList();
    TradingMetrics.reconciliationMismatches(TradingMetrics.MISSING_FILL, missing.size());
    if (!missing.isEmpty()) {
      try (Correlation ignored = Correlation.order(report.clientOrderId())) {
        context.getLog().warn("{} reconciliation found {} missing fill(s) of {}", symbol, missing.size(), report.clientOrderId());
      }
    }
    if (!report.known()) {
      TradingMetrics.reconciliationMismatches(TradingMetrics.UNKNOWN_ORDER, 1);
      return endOrder(missing, report.clientOrderId(), OrderStatus.UNKNOWN, "the venue has no record of the order");
    }
    if (report.finalStatus() != null) {
      return endOrder(missing, report.clientOrderId(), report.finalStatus(), "reconciled with the venue");
    }
    scheduleOrderCheck(report.clientOrderId());
    if (missing.isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(recorded(missing)).thenRun(s -> missing.forEach(this::confirmFill));
  }

  /** Ends the working order, recording first the fills the venue reported and we had missed. */
  private Effect<Event, SymbolState> endOrder(List<Fill> missingFills, String clientOrderId, OrderStatus status, String reason) {
    List<Event> events = recorded(missingFills);
    events.add(new OrderEnded(clientOrderId, status, reason, now() + deps.params().cooldownMs(), now()));
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              timers.cancel("check-" + clientOrderId);
              TradingMetrics.orderEnded(status);
              missingFills.forEach(this::confirmFill);
              release(clientOrderId);
              lastDecision = "order " + clientOrderId + " " + status;
              continueFlatten(s);
              try (Correlation ignored = Correlation.order(clientOrderId)) {
                context.getLog().info("{} order {} ended {}: now {} holding {}", symbol, clientOrderId, status, s.phase(),
                    s.position().quantity().toPlainString());
              }
            });
  }

  private static List<Event> recorded(List<Fill> fills) {
    List<Event> events = new ArrayList<>();
    fills.forEach(fill -> events.add(new FillRecorded(fill)));
    return events;
  }

  // ---- portfolio ---------------------------------------------------------------------------

  private void confirmFill(Fill fill) {
    context.askWithStatus(
        Done.class,
        deps.portfolio(),
        deps.askTimeout(),
        replyTo -> new Portfolio.ApplyFill(fill, replyTo),
        (done, failure) -> new FillAcknowledged(fill.tradeId(), failure == null ? null : String.valueOf(failure.getMessage())));
  }

  private void release(String clientOrderId) {
    deps.portfolio().tell(new Portfolio.Release(clientOrderId, context.getSystem().ignoreRef()));
  }

  private Effect<Event, SymbolState> onFillAcknowledged(SymbolState state, FillAcknowledged ack) {
    Fill pending = state.unconfirmedFills().stream().filter(f -> f.tradeId().equals(ack.tradeId())).findFirst().orElse(null);
    if (pending == null) {
      return Effect().none();
    }
    if (ack.error() != null) {
      try (Correlation ignored = Correlation.order(pending.clientOrderId())) {
        context.getLog().error("{} Portfolio did not apply fill {}: {}; retrying", symbol, ack.tradeId(), ack.error());
      }
      timers.startSingleTimer("resend-fills", ResendUnconfirmedFills.INSTANCE, deps.askTimeout());
      return Effect().none();
    }
    return Effect().persist(new FillConfirmed(ack.tradeId(), now()));
  }

  private Effect<Event, SymbolState> onResendUnconfirmedFills(SymbolState state, ResendUnconfirmedFills command) {
    state.unconfirmedFills().forEach(this::confirmFill);
    return Effect().none();
  }

  // ---- operator ----------------------------------------------------------------------------

  private Effect<Event, SymbolState> onPause(SymbolState state, Pause pause) {
    if (!validated) {
      return Effect().stash();
    }
    if (state.phase() == SymbolPhase.PAUSED) {
      pause.replyTo().tell(new OperatorResult("already paused", null, view(state)));
      return Effect().none();
    }
    if (!PhaseTransitions.allows(state.phase(), PhaseTrigger.OPERATOR_PAUSED)) {
      pause.replyTo().tell(
          new OperatorResult(
              null,
              "cannot pause in phase " + state.phase() + ": pause is allowed while flat (WARMING_UP, READY, COOLDOWN); "
                  + "exit the position first or use the emergency stop",
              view(state)));
      return Effect().none();
    }
    return Effect()
        .persist(new Paused(now()))
        .thenRun(
            s -> {
              lastDecision = "paused by operator";
              context.getLog().info("{} paused by operator", symbol);
              pause.replyTo().tell(new OperatorResult("paused", null, view(s)));
            });
  }

  private Effect<Event, SymbolState> onResume(SymbolState state, Resume resume) {
    if (!validated) {
      return Effect().stash();
    }
    if (state.phase() != SymbolPhase.PAUSED) {
      resume.replyTo().tell(new OperatorResult(null, "the symbol is not paused (phase " + state.phase() + ")", view(state)));
      return Effect().none();
    }
    return Effect()
        .persist(new Resumed(now()))
        .thenRun(
            s -> {
              lastDecision = "resumed by operator";
              context.getLog().info("{} resumed by operator", symbol);
              resume.replyTo().tell(new OperatorResult("resumed", null, view(s)));
            });
  }

  private Effect<Event, SymbolState> onFlatten(SymbolState state, Flatten flatten) {
    if (!validated) {
      return Effect().stash();
    }
    if (state.position().isFlat() && !state.hasOrder()) {
      flatten.replyTo().tell(new OperatorResult("nothing to flatten", null, view(state)));
      return Effect().none();
    }
    return flatten(flatten.reason(), false, flatten.replyTo());
  }

  private Effect<Event, SymbolState> onFlattenAndPause(SymbolState state, FlattenAndPause flatten) {
    if (!validated) {
      return Effect().stash();
    }
    if (state.phase() == SymbolPhase.PAUSED && state.position().isFlat() && !state.hasOrder()) {
      flatten.replyTo().tell(new OperatorResult("flat and paused already", null, view(state)));
      return Effect().none();
    }
    return flatten(flatten.reason(), true, flatten.replyTo());
  }

  /** Persists the flatten, cancels a working entry at the venue and starts the exit (or the pause) when it can. */
  private Effect<Event, SymbolState> flatten(String reason, boolean thenPause, ActorRef<OperatorResult> replyTo) {
    return Effect()
        .persist(new FlattenRequested(reason, now(), thenPause))
        .thenRun(
            s -> {
              context.getLog().warn("{} flatten requested ({}){}: position {}, order {}", symbol, reason, thenPause ? ", then pause" : "",
                  s.position().quantity().toPlainString(), s.hasOrder() ? s.order().clientOrderId() : "none");
              String outcome;
              if (s.hasOrder() && s.order().intent().kind() == IntentKind.ENTRY && s.order().approved()) {
                deps.orders().tell(new OrderGateway.CancelOrder(s.order().clientOrderId()));
                outcome = "entry order " + s.order().clientOrderId() + " cancel sent; exit follows";
              } else if (s.hasOrder()) {
                outcome = "waiting for " + s.order().intent().kind().name().toLowerCase() + " " + s.order().clientOrderId();
              } else if (!s.position().isFlat()) {
                outcome = "exit intended";
              } else {
                outcome = "flat";
              }
              continueFlatten(s);
              replyTo.tell(new OperatorResult(thenPause ? outcome + "; pauses when flat" : outcome, null, view(s)));
            });
  }

  /** A pending flatten goes on as soon as the state allows it, not at the next candle. */
  private void continueFlatten(SymbolState state) {
    if (state.flattenPending() && !state.hasOrder() && !state.position().isFlat()) {
      context.getSelf().tell(FlattenNow.INSTANCE);
    }
    if (state.pauseDue()) {
      context.getSelf().tell(PauseNow.INSTANCE);
    }
  }

  /**
   * The pause that follows one symbol's flatten, once it is flat with no order working; a phase
   * that allows no pause yet (HALTED by the kill switch, say) keeps it due, tried again each tick.
   */
  private Effect<Event, SymbolState> onPauseNow(SymbolState state, PauseNow now) {
    if (!validated || !state.pauseDue() || !PhaseTransitions.allows(state.phase(), PhaseTrigger.OPERATOR_PAUSED)) {
      return Effect().none();
    }
    return Effect()
        .persist(new Paused(now()))
        .thenRun(
            s -> {
              lastDecision = "paused after flatten";
              context.getLog().info("{} flat after the operator's flatten: paused", symbol);
            });
  }

  private Effect<Event, SymbolState> onFlattenNow(SymbolState state, FlattenNow now) {
    return validated && state.flattenPending() ? decide(state) : Effect().none();
  }

  // ---- a symbol that cannot trade -------------------------------------------------------------

  /**
   * The symbol whose listing cannot trade: it recovers its journal (so its position stays known
   * and checked), answers queries, may be paused (while flat) and so removed, and takes trades
   * only to drop them; resume and flatten are refused with the reason, every other command is
   * ignored. It never fails over its listing, so it never crash-loops.
   */
  private CommandHandler<Command, Event, SymbolState> unusableCommandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Recovered.class, this::onRecoveredUnusable)
        .onCommand(GetSymbol.class, this::onGetSymbol)
        .onCommand(GetCandles.class, this::onGetCandles)
        .onCommand(Stop.class, (state, command) -> Effect().stop())
        .onCommand(OnTrades.class, (state, command) -> Effect().none().thenRun(s -> command.replyTo().tell(Done.getInstance())))
        .onCommand(Pause.class, this::onPause)
        .onCommand(Resume.class, (state, command) -> refuseUnusable(state, command.replyTo()))
        .onCommand(Flatten.class, (state, command) -> refuseUnusable(state, command.replyTo()))
        .onCommand(FlattenAndPause.class, (state, command) -> refuseUnusable(state, command.replyTo()))
        .onAnyCommand((state, command) -> Effect().none());
  }

  private Effect<Event, SymbolState> onRecoveredUnusable(SymbolState state, Recovered command) {
    validated = true;
    lastDecision = "cannot trade: " + deps.unusable();
    boolean holding = !state.position().isFlat() || state.hasOrder();
    context.getLog().error(
        "{} cannot trade: {}; it stays in ERROR with position {}{} until its listing is removed and added again",
        symbol,
        deps.unusable(),
        state.position().quantity().toPlainString(),
        state.hasOrder() ? " and order " + state.order().clientOrderId() : "");
    deps.notifier().tell(
        new Notifier.Alert(
            holding ? Notifier.Severity.CRITICAL : Notifier.Severity.WARN,
            "Symbol cannot trade: " + symbol,
            deps.unusable(),
            java.util.Map.of(
                "position", state.position().quantity().toPlainString(),
                "fix", "DELETE /api/v1/symbols/" + symbol.id() + " (while flat), then POST /api/v1/symbols with a registered strategy")));
    return Effect().none().thenUnstashAll();
  }

  private Effect<Event, SymbolState> refuseUnusable(SymbolState state, ActorRef<OperatorResult> replyTo) {
    replyTo.tell(new OperatorResult(null, "the symbol cannot trade: " + deps.unusable(), view(state)));
    return Effect().none();
  }

  // ---- queries -----------------------------------------------------------------------------

  private Effect<Event, SymbolState> onGetSymbol(SymbolState state, GetSymbol query) {
    query.replyTo().tell(view(state));
    return Effect().none();
  }

  private Effect<Event, SymbolState> onGetCandles(SymbolState state, GetCandles query) {
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
            validated,
            usable ? state.phase() : SymbolPhase.ERROR,
            candles.closedCount(),
            lastPrice,
            state.lastSignal(),
            validated ? lastDecision : "recovering",
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
