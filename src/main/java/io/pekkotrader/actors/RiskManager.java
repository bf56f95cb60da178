package io.pekkotrader.actors;

import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderSizing;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.risk.KillSwitchTrigger;
import io.pekkotrader.domain.risk.PortfolioFigures;
import io.pekkotrader.domain.risk.Refusal;
import io.pekkotrader.domain.risk.RiskCheck;
import io.pekkotrader.domain.risk.RiskChecks;
import io.pekkotrader.domain.risk.RiskContext;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.RiskRequest;
import io.pekkotrader.domain.risk.RiskVerdict;
import io.pekkotrader.domain.risk.VenueFilters;
import io.pekkotrader.metrics.TradingMetrics;
import io.pekkotrader.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Pre-trade risk, a cluster singleton. Every intent runs through {@link RiskChecks} in their
 * fixed order with what Portfolio, the venues and this actor's own state know at that moment;
 * approved entries then reserve funds in Portfolio. Every decision, approved or rejected, is
 * persisted before it is answered: the audit trail, with the sha256 of the limits in force.
 * Decisions are idempotent per client order id, and evaluated one at a time (later requests
 * wait in a stash) so two entries never pass a limit that only one of them fits under.
 *
 * <p>The kill switch engages by command or by itself (daily loss limit, max drawdown, a ledger
 * that does not reconcile: see {@link KillSwitchTrigger}); it is persisted, announced to every
 * symbol on the {@code kill-switch} topic and sent to the Notifier. A watch every
 * {@code watchInterval} checks those conditions without waiting for an entry and reads the
 * venues' market-data state: a venue whose data is older than {@code breakerStaleAfter} has its
 * circuit breaker open. Limits change at run time with {@link ChangeLimits}: validated,
 * persisted and audited; persisted limits win over the configured ones after a restart.
 */
public final class RiskManager
    extends EventSourcedBehaviorWithEnforcedReplies<RiskManager.Command, RiskManager.Event, RiskManager.State> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("RiskManager");

  /** Version of the audited decision record; raise it when {@link Decision} changes shape. */
  public static final int SCHEMA_VERSION = 1;

  /** Decisions remembered for idempotent replies and order rates. */
  static final int REMEMBERED_DECISIONS = 10_000;

  /** Auto-engage occurrences remembered (see {@link KillSwitchTrigger#key()}). */
  static final int REMEMBERED_TRIGGERS = 100;

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * Decide on an intent; the reply comes after the decision is persisted. {@code stopPrice}:
   * where the strategy would cut the loss (required for entries, null for exits).
   */
  public record Evaluate(OrderIntent intent, BigDecimal stopPrice, ActorRef<Decision> replyTo) implements Command {}

  /** Engage the kill switch: entries are rejected until it is released. */
  public record EngageKillSwitch(String reason, ActorRef<KillSwitchStatus> replyTo) implements Command {}

  /** Release the kill switch. */
  public record ReleaseKillSwitch(String reason, ActorRef<KillSwitchStatus> replyTo) implements Command {}

  /**
   * An operator's emergency stop: recorded in the audit trail, alerted, and the kill switch
   * engaged (if it is not already) so nothing new is entered while the symbols flatten. The
   * symbols themselves are told to flatten by the caller.
   */
  public record EmergencyStop(String reason, List<String> symbols, ActorRef<KillSwitchStatus> replyTo) implements Command {}

  /**
   * An operator's flatten of one symbol (exit its position, then pause it): recorded in the audit
   * trail and alerted; the symbol itself is told by the caller. Answers the recorded event's id.
   */
  public record FlattenSymbol(String symbol, String reason, ActorRef<String> replyTo) implements Command {}

  /** Ask for the kill switch state. */
  public record GetKillSwitch(ActorRef<KillSwitchStatus> replyTo) implements Command {}

  /** Replace the limits; refused with the violations when they are not valid. */
  public record ChangeLimits(RiskLimits limits, String changedBy, ActorRef<LimitsChange> replyTo) implements Command {}

  /** Ask for limits, daily PnL, drawdown, breakers and cooldowns. */
  public record GetRiskStatus(ActorRef<RiskStatus> replyTo) implements Command {}

  private enum Watch implements Command {
    INSTANCE
  }

  private record WrappedFigures(Evaluate request, Portfolio.RiskFigures figures, String failure) implements Command {}

  private record WrappedReservation(Evaluate request, Portfolio.ReserveResult result) implements Command {}

  /** {@code figures} is null when Portfolio did not answer in time. */
  private record WrappedWatchFigures(Portfolio.RiskFigures figures) implements Command {}

  private record WrappedVenueStatus(ActorRef<VenueConnection.Command> connection, VenueConnection.VenueStatus status)
      implements Command {}

  private record WrappedVenues(Receptionist.Listing listing) implements Command {}

  /** Venue connections register under this key; risk watches every one of them. */
  public static final ServiceKey<VenueConnection.Command> VENUES = ServiceKey.create(VenueConnection.Command.class, "venues");

  /**
   * A persisted risk decision: one line of the audit trail.
   *
   * @param schemaVersion {@link #SCHEMA_VERSION}
   * @param eventId unique id of the decision (UUID)
   * @param atMs when it was decided
   * @param reasonCode {@code approved}, a {@code RiskCheck} code, or a Portfolio refusal
   *     ({@code insufficient_funds}, {@code max_open_positions}, {@code portfolio_invariant},
   *     {@code portfolio_unavailable})
   * @param limitsHash sha256 of the limits in force ({@link RiskLimits#sha256()})
   */
  public record Decision(
      int schemaVersion,
      String eventId,
      long atMs,
      String clientOrderId,
      String symbol,
      IntentKind kind,
      String side,
      BigDecimal quantity,
      BigDecimal notional,
      String strategy,
      boolean approved,
      String reasonCode,
      String message,
      String limitsHash)
      implements CborSerializable {}

  /** Kill switch state. {@code reason}: why it was engaged (null when released). */
  public record KillSwitchStatus(boolean engaged, String reason, long sinceMs) implements CborSerializable {}

  /** Reply to {@link ChangeLimits}: accepted with the limits in force, or the violations. */
  public record LimitsChange(boolean accepted, RiskLimits limits, String limitsHash, List<RiskLimits.Violation> violations)
      implements CborSerializable {}

  /** A venue's circuit breaker. */
  public record Breaker(boolean open, String reason, long sinceMs) implements CborSerializable {}

  /**
   * Reply to {@link GetRiskStatus}. {@code figures}: the latest seen, null before the first
   * watch; {@code breakers}: per venue, from the first market-data status on.
   */
  public record RiskStatus(
      RiskLimits limits,
      String limitsHash,
      KillSwitchStatus killSwitch,
      PortfolioFigures figures,
      Map<String, Breaker> breakers,
      Map<String, Long> cooldownsUntilMs,
      long decisions,
      long nowMs)
      implements CborSerializable {}

  // ---- events ------------------------------------------------------------------------------

  /**
   * What risk persists. Every event records when it happened: an {@code atMs} read from the
   * manager's clock ({@code DecisionRecorded}: its decision's {@code atMs}).
   */
  public sealed interface Event extends CborSerializable {}

  /**
   * An intent was decided at {@code decision.atMs()}; {@code cooldownUntilMs} (> 0 for an approved
   * exit) starts the symbol's cooldown.
   */
  public record DecisionRecorded(Decision decision, long cooldownUntilMs) implements Event {}

  /** An operator ordered one symbol flattened and then paused, at {@code atMs}. */
  public record SymbolFlattenOrdered(String eventId, String symbol, String reason, long atMs) implements Event {}

  /** An operator ordered an emergency stop of {@code symbols} at {@code atMs}: cancel working orders, flatten positions. */
  public record EmergencyStopped(String eventId, String reason, List<String> symbols, long atMs) implements Event {}

  /** The kill switch was engaged at {@code atMs}; {@code trigger} is the automatic occurrence, null when by command. */
  public record KillSwitchEngaged(String reason, long atMs, String trigger) implements Event {}

  /** The kill switch was released at {@code atMs}. */
  public record KillSwitchReleased(String reason, long atMs) implements Event {}

  /** The limits were changed at run time, at {@code atMs}, by {@code changedBy}. */
  public record LimitsChanged(String eventId, RiskLimits limits, String limitsHash, String changedBy, long atMs)
      implements Event {}

  /**
   * The persisted state.
   *
   * @param killSwitch the switch
   * @param recent the most recent decisions by client order id, oldest first
   * @param decisions decisions ever made
   * @param limits limits changed at run time, or null while the configured ones apply
   * @param cooldownsUntilMs per symbol id, the end of the cooldown after its last exit
   * @param firedTriggers automatic kill-switch occurrences already acted on, oldest first
   */
  public record State(
      KillSwitchStatus killSwitch,
      Map<String, Decision> recent,
      long decisions,
      RiskLimits limits,
      Map<String, Long> cooldownsUntilMs,
      List<String> firedTriggers)
      implements CborSerializable {
    public State {
      recent = recent == null ? Map.of() : recent;
      cooldownsUntilMs = cooldownsUntilMs == null ? Map.of() : cooldownsUntilMs;
      firedTriggers = firedTriggers == null ? List.of() : firedTriggers;
    }

    static State initial() {
      return new State(new KillSwitchStatus(false, null, 0), Map.of(), 0, null, Map.of(), List.of());
    }

    State record(DecisionRecorded event) {
      Decision decision = event.decision();
      LinkedHashMap<String, Decision> next = new LinkedHashMap<>(recent);
      next.put(decision.clientOrderId(), decision);
      while (next.size() > REMEMBERED_DECISIONS) {
        next.remove(next.keySet().iterator().next());
      }
      Map<String, Long> cooldowns = cooldownsUntilMs;
      if (event.cooldownUntilMs() > 0) {
        cooldowns = new TreeMap<>(cooldownsUntilMs);
        cooldowns.put(decision.symbol(), event.cooldownUntilMs());
      }
      return new State(killSwitch, next, decisions + 1, limits, cooldowns, firedTriggers);
    }

    State engaged(KillSwitchEngaged event) {
      List<String> fired = firedTriggers;
      if (event.trigger() != null) {
        ArrayList<String> next = new ArrayList<>(firedTriggers);
        next.add(event.trigger());
        while (next.size() > REMEMBERED_TRIGGERS) {
          next.remove(0);
        }
        fired = next;
      }
      return new State(new KillSwitchStatus(true, event.reason(), event.atMs()), recent, decisions, limits, cooldownsUntilMs, fired);
    }

    State released(KillSwitchReleased event) {
      return new State(new KillSwitchStatus(false, null, event.atMs()), recent, decisions, limits, cooldownsUntilMs, firedTriggers);
    }

    State limitsChanged(LimitsChanged event) {
      return new State(killSwitch, recent, decisions, event.limits(), cooldownsUntilMs, firedTriggers);
    }

    /** Approved orders within {@code windowMs} before {@code nowMs}: of the symbol, and in total. */
    int[] ordersSince(String symbol, long fromMs) {
      int ofSymbol = 0;
      int all = 0;
      for (Decision decision : recent.values()) {
        if (decision.approved() && decision.atMs() > fromMs) {
          all++;
          if (decision.symbol().equals(symbol)) {
            ofSymbol++;
          }
        }
      }
      return new int[] {ofSymbol, all};
    }
  }

  // ---- behavior ----------------------------------------------------------------------------

  /**
   * Configuration.
   *
   * @param limits the configured limits (runtime changes persist over them)
   * @param priceBuffer extra funds reserved for a market buy, as a fraction of its notional
   * @param feeRate fee rate, reserved on top
   * @param askTimeout how long to wait for Portfolio or a venue
   * @param cooldownAfterExit no entry on a symbol this long after its exit was approved
   * @param breakerStaleAfter market data older than this opens a venue's circuit breaker
   * @param watchInterval how often limits and venues are watched without an entry
   * @param filters the venue's rules per symbol (defaultFilters for symbols not listed)
   */
  public record Setup(
      RiskLimits limits,
      BigDecimal priceBuffer,
      BigDecimal feeRate,
      Duration askTimeout,
      Duration cooldownAfterExit,
      Duration breakerStaleAfter,
      Duration watchInterval,
      Function<SymbolId, VenueFilters> filters) {}

  private final ActorContext<Command> context;
  private final ActorRef<Portfolio.Command> portfolio;
  private final ActorRef<Notifier.Command> notifier;
  private final ActorRef<Topic.Command<KillSwitchStatus>> killSwitchTopic;
  /** The registered venue connections and, once they have answered, their venue names. */
  private final Map<ActorRef<VenueConnection.Command>, String> venues = new HashMap<>();
  private final Setup setup;
  private final Clock clock;
  private final int snapshotEvery;
  private final Map<String, Breaker> breakers = new TreeMap<>();
  private PortfolioFigures lastFigures;
  /** An entry is being decided (waiting for Portfolio): later ones wait in the stash. */
  private boolean deciding;

  public static Behavior<Command> create(
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<Notifier.Command> notifier,
      ActorRef<Topic.Command<KillSwitchStatus>> killSwitchTopic,
      Setup setup,
      Clock clock,
      int snapshotEvery) {
    List<RiskLimits.Violation> violations = setup.limits().violations();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid risk limits: " + violations);
    }
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new RiskManager(ctx, timers, portfolio, notifier, killSwitchTopic, setup, clock, snapshotEvery)));
  }

  private final ActorRef<Topic.Command<EngineEvents.EngineEvent>> engineEvents;

  private RiskManager(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<Notifier.Command> notifier,
      ActorRef<Topic.Command<KillSwitchStatus>> killSwitchTopic,
      Setup setup,
      Clock clock,
      int snapshotEvery) {
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2).withStopChildren(false));
    this.context = context;
    this.portfolio = portfolio;
    this.notifier = notifier;
    this.killSwitchTopic = killSwitchTopic;
    this.engineEvents = EngineEvents.topic(context);
    context.getSystem().receptionist().tell(Receptionist.subscribe(VENUES, context.messageAdapter(Receptionist.Listing.class, WrappedVenues::new)));
    this.setup = setup;
    this.clock = clock;
    this.snapshotEvery = snapshotEvery;
    timers.startTimerWithFixedDelay(Watch.INSTANCE, setup.watchInterval());
  }

  @Override
  public State emptyState() {
    return State.initial();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state.limits() != null && !state.limits().equals(setup.limits())) {
                context.getLog().warn(
                    "Risk limits changed at run time are in force (sha256 {}), not the configured ones (sha256 {})",
                    state.limits().sha256(),
                    setup.limits().sha256());
              }
              if (state.killSwitch().engaged()) {
                context.getLog().warn("Kill switch is engaged since {}: {}", state.killSwitch().sinceMs(), state.killSwitch().reason());
              }
              killSwitchTopic.tell(Topic.publish(state.killSwitch()));
            })
        .build();
  }

  private RiskLimits limits(State state) {
    return state.limits() != null ? state.limits() : setup.limits();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Evaluate.class, this::onEvaluate)
        .onCommand(WrappedFigures.class, this::onFigures)
        .onCommand(WrappedReservation.class, this::onReservation)
        .onCommand(EngageKillSwitch.class, this::onEngage)
        .onCommand(ReleaseKillSwitch.class, this::onRelease)
        .onCommand(EmergencyStop.class, this::onEmergencyStop)
        .onCommand(FlattenSymbol.class, this::onFlattenSymbol)
        .onCommand(GetKillSwitch.class, (state, command) -> Effect().reply(command.replyTo(), state.killSwitch()))
        .onCommand(ChangeLimits.class, this::onChangeLimits)
        .onCommand(GetRiskStatus.class, this::onGetRiskStatus)
        .onCommand(Watch.class, this::onWatch)
        .onCommand(WrappedWatchFigures.class, this::onWatchFigures)
        .onCommand(WrappedVenueStatus.class, this::onVenueStatus)
        .onCommand(WrappedVenues.class, this::onVenues)
        .build();
  }

  // ---- decisions ---------------------------------------------------------------------------

  private ReplyEffect<Event, State> onEvaluate(State state, Evaluate command) {
    OrderIntent intent = command.intent();
    Decision known = state.recent().get(intent.clientOrderId());
    if (known != null) {
      return Effect().reply(command.replyTo(), known);
    }
    if (deciding) {
      return Effect().stash();
    }
    if (intent.kind() == IntentKind.EXIT) {
      // exits do not depend on the portfolio's figures: breaker and venue filters only
      return decide(state, command, verdict(state, command, null), List.of());
    }
    deciding = true;
    context.ask(
        Portfolio.RiskFigures.class,
        portfolio,
        setup.askTimeout(),
        replyTo -> new Portfolio.GetRiskFigures(intent.symbol(), intent.clientOrderId(), replyTo),
        (figures, failure) -> new WrappedFigures(command, figures, failure == null ? null : String.valueOf(failure)));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onFigures(State state, WrappedFigures wrapped) {
    Evaluate command = wrapped.request();
    if (wrapped.figures() == null) {
      return decide(state, command, new RiskVerdict(false, Refusal.PORTFOLIO_UNAVAILABLE.code(), "portfolio did not answer: " + wrapped.failure()), List.of());
    }
    lastFigures = wrapped.figures().figures();
    List<Event> before = new ArrayList<>();
    State current = state;
    KillSwitchEngaged auto = autoEngage(state, lastFigures);
    if (auto != null) {
      before.add(auto);
      current = state.engaged(auto);
    }
    RiskVerdict verdict = verdict(current, command, wrapped.figures());
    if (!verdict.approved()) {
      return decide(state, command, verdict, before);
    }
    OrderIntent intent = command.intent();
    BigDecimal amount =
        OrderSizing.reservationFor(intent.quantity(), intent.referencePrice(), setup.priceBuffer(), setup.feeRate());
    context.ask(
        Portfolio.ReserveResult.class,
        portfolio,
        setup.askTimeout(),
        replyTo -> new Portfolio.Reserve(intent.clientOrderId(), intent.symbol(), amount, limits(state).maxOpenPositions(), replyTo),
        (result, failure) ->
            new WrappedReservation(
                command,
                result != null
                    ? result
                    : new Portfolio.ReserveResult(
                        intent.clientOrderId(), false, Refusal.PORTFOLIO_UNAVAILABLE.code(), "portfolio did not answer: " + failure)));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onReservation(State state, WrappedReservation wrapped) {
    Evaluate command = wrapped.request();
    Portfolio.ReserveResult result = wrapped.result();
    if (result.reserved() && state.killSwitch().engaged()) {
      // engaged while Portfolio reserved: reject; the symbol's end of intent releases the funds
      return decide(state, command, new RiskVerdict(false, RiskCheck.KILL_SWITCH.code(), "kill switch engaged: " + state.killSwitch().reason()), List.of());
    }
    return decide(state, command, new RiskVerdict(result.reserved(), result.reasonCode(), result.message()), List.of());
  }

  /**
   * The checks' verdict ({@link RiskChecks#decide}) with what is known now; {@code figures} is
   * null for exits. Only gathers the inputs.
   */
  private RiskVerdict verdict(State state, Evaluate command, Portfolio.RiskFigures figures) {
    OrderIntent intent = command.intent();
    long now = clock.millis();
    String symbol = intent.symbol().id();
    int[] rates = state.ordersSince(symbol, now - 60_000);
    Breaker breaker = breakers.get(intent.symbol().venue());
    return RiskChecks.decide(
        new RiskRequest(intent, command.stopPrice(), null),
        limits(state),
        state.killSwitch().engaged() ? state.killSwitch().reason() : null,
        figures == null ? null : figures.figures(),
        figures == null ? null : figures.exposure(),
        new RiskContext.SymbolConditions(
            state.cooldownsUntilMs().getOrDefault(symbol, 0L), breaker != null && breaker.open(), setup.filters().apply(intent.symbol())),
        new RiskContext.OrderRates(rates[0], rates[1]),
        now);
  }

  private ReplyEffect<Event, State> decide(State state, Evaluate command, RiskVerdict verdict, List<Event> before) {
    OrderIntent intent = command.intent();
    long now = clock.millis();
    Decision decision =
        new Decision(
            SCHEMA_VERSION,
            UUID.randomUUID().toString(),
            now,
            intent.clientOrderId(),
            intent.symbol().id(),
            intent.kind(),
            intent.side().name(),
            intent.quantity(),
            intent.notional(),
            intent.strategy(),
            verdict.approved(),
            verdict.reasonCode(),
            verdict.message(),
            limits(state).sha256());
    if (!verdict.approved()) {
      try (Correlation ignored = Correlation.of(intent.symbol().id(), intent.clientOrderId(), decision.eventId())) {
        context.getLog().info("Rejected {} {}: {} ({})", intent.kind(), intent.clientOrderId(), verdict.reasonCode(), verdict.message());
      }
    }
    long cooldownUntil = verdict.approved() && intent.kind() == IntentKind.EXIT ? now + setup.cooldownAfterExit().toMillis() : 0;
    List<Event> events = new ArrayList<>(before);
    events.add(new DecisionRecorded(decision, cooldownUntil));
    deciding = false;
    return Effect()
        .persist(events)
        .thenRun(TradingMetrics.persistTimer(TradingMetrics.RISK_MANAGER))
        .thenRun(() -> TradingMetrics.riskDecided(verdict.approved(), verdict.reasonCode()))
        .thenRun(
            s -> {
              announceEngaged(before);
              EngineEvents.publish(
                  engineEvents,
                  new EngineEvents.RiskDecided(
                      now,
                      decision.eventId(),
                      decision.symbol(),
                      decision.clientOrderId(),
                      decision.kind() == null ? null : decision.kind().name(),
                      decision.side(),
                      decision.quantity(),
                      decision.approved(),
                      decision.reasonCode(),
                      decision.message(),
                      decision.strategy()));
            })
        .thenReply(command.replyTo(), s -> decision)
        .thenUnstashAll();
  }

  // ---- kill switch -------------------------------------------------------------------------

  private KillSwitchEngaged autoEngage(State state, PortfolioFigures figures) {
    if (state.killSwitch().engaged()) {
      return null;
    }
    KillSwitchTrigger trigger = KillSwitchTrigger.check(figures, limits(state), new HashSet<>(state.firedTriggers()));
    if (trigger == null) {
      return null;
    }
    context.getLog().warn("Kill switch engages by itself: {}", trigger.reason());
    return new KillSwitchEngaged(trigger.code() + ": " + trigger.reason(), clock.millis(), trigger.key());
  }

  private void announceEngaged(List<Event> events) {
    for (Event event : events) {
      if (event instanceof KillSwitchEngaged engaged) {
        KillSwitchStatus status = new KillSwitchStatus(true, engaged.reason(), engaged.atMs());
        killSwitchTopic.tell(Topic.publish(status));
        notifier.tell(
            new Notifier.Alert(
                Notifier.Severity.CRITICAL, "Kill switch engaged", "New entries are rejected; exits are still allowed.",
                Map.of("reason", engaged.reason(), "by", engaged.trigger() == null ? "operator" : "automatic")));
      }
    }
  }

  private ReplyEffect<Event, State> onEngage(State state, EngageKillSwitch command) {
    if (state.killSwitch().engaged()) {
      return Effect().reply(command.replyTo(), state.killSwitch());
    }
    context.getLog().warn("Kill switch engaged: {}", command.reason());
    KillSwitchEngaged engaged = new KillSwitchEngaged(command.reason(), clock.millis(), null);
    return Effect()
        .persist(engaged)
        .thenRun(s -> announceEngaged(List.of(engaged)))
        .thenReply(command.replyTo(), State::killSwitch);
  }

  private ReplyEffect<Event, State> onFlattenSymbol(State state, FlattenSymbol command) {
    context.getLog().warn("Flatten of {} ordered: {}", command.symbol(), command.reason());
    SymbolFlattenOrdered ordered = new SymbolFlattenOrdered(UUID.randomUUID().toString(), command.symbol(), command.reason(), clock.millis());
    return Effect()
        .persist(ordered)
        .thenRun(
            s ->
                notifier.tell(
                    new Notifier.Alert(
                        Notifier.Severity.WARN,
                        "Symbol flattened by operator: " + command.symbol(),
                        "Its position exits at once whatever its strategy says; it pauses once flat.",
                        Map.of("reason", command.reason()))))
        .thenReply(command.replyTo(), s -> ordered.eventId());
  }

  private ReplyEffect<Event, State> onEmergencyStop(State state, EmergencyStop command) {
    context.getLog().warn("Emergency stop: {} ({} symbols)", command.reason(), command.symbols().size());
    long now = clock.millis();
    List<Event> events = new ArrayList<>();
    events.add(new EmergencyStopped(UUID.randomUUID().toString(), command.reason(), List.copyOf(command.symbols()), now));
    if (!state.killSwitch().engaged()) {
      events.add(new KillSwitchEngaged(command.reason(), now, null));
    }
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              notifier.tell(
                  new Notifier.Alert(
                      Notifier.Severity.CRITICAL,
                      "Emergency stop",
                      "Working orders are cancelled and every position is flattened; the kill switch stays engaged.",
                      Map.of("reason", command.reason(), "symbols", String.valueOf(command.symbols().size()))));
              announceEngaged(events);
            })
        .thenReply(command.replyTo(), State::killSwitch);
  }

  private ReplyEffect<Event, State> onRelease(State state, ReleaseKillSwitch command) {
    if (!state.killSwitch().engaged()) {
      return Effect().reply(command.replyTo(), state.killSwitch());
    }
    context.getLog().warn("Kill switch released: {}", command.reason());
    return Effect()
        .persist(new KillSwitchReleased(command.reason(), clock.millis()))
        .thenRun(
            s -> {
              killSwitchTopic.tell(Topic.publish(s.killSwitch()));
              notifier.tell(
                  new Notifier.Alert(
                      Notifier.Severity.INFO, "Kill switch released", "Entries are allowed again.", Map.of("reason", command.reason())));
            })
        .thenReply(command.replyTo(), State::killSwitch);
  }

  // ---- limits and status -------------------------------------------------------------------

  private ReplyEffect<Event, State> onChangeLimits(State state, ChangeLimits command) {
    List<RiskLimits.Violation> violations = command.limits().violations();
    if (!violations.isEmpty()) {
      return Effect().reply(command.replyTo(), new LimitsChange(false, limits(state), limits(state).sha256(), violations));
    }
    String hash = command.limits().sha256();
    if (hash.equals(limits(state).sha256())) {
      return Effect().reply(command.replyTo(), new LimitsChange(true, limits(state), hash, List.of()));
    }
    context.getLog().warn("Risk limits changed by {}: {} (sha256 {})", command.changedBy(), command.limits().canonical(), hash);
    return Effect()
        .persist(new LimitsChanged(UUID.randomUUID().toString(), command.limits(), hash, command.changedBy(), clock.millis()))
        .thenRun(
            s ->
                notifier.tell(
                    new Notifier.Alert(
                        Notifier.Severity.WARN, "Risk limits changed", "New limits are in force.",
                        Map.of("by", command.changedBy(), "sha256", hash))))
        .thenReply(command.replyTo(), s -> new LimitsChange(true, limits(s), hash, List.of()));
  }

  private ReplyEffect<Event, State> onGetRiskStatus(State state, GetRiskStatus command) {
    long now = clock.millis();
    Map<String, Long> cooldowns = new TreeMap<>();
    state.cooldownsUntilMs().forEach((symbol, until) -> {
      if (until > now) {
        cooldowns.put(symbol, until);
      }
    });
    return Effect()
        .reply(
            command.replyTo(),
            new RiskStatus(
                limits(state), limits(state).sha256(), state.killSwitch(), lastFigures, Map.copyOf(breakers), cooldowns,
                state.decisions(), now));
  }

  // ---- watch -------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onWatch(State state, Watch watch) {
    context.ask(
        Portfolio.RiskFigures.class,
        portfolio,
        setup.askTimeout(),
        replyTo -> new Portfolio.GetRiskFigures(null, null, replyTo),
        (figures, failure) -> new WrappedWatchFigures(figures));
    for (ActorRef<VenueConnection.Command> connection : venues.keySet()) {
      context.ask(
          VenueConnection.VenueStatus.class,
          connection,
          setup.askTimeout(),
          VenueConnection.GetVenueStatus::new,
          (status, failure) -> new WrappedVenueStatus(connection, status));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onVenues(State state, WrappedVenues wrapped) {
    java.util.Set<ActorRef<VenueConnection.Command>> listed = wrapped.listing().getServiceInstances(VENUES);
    venues.keySet().retainAll(listed);
    for (ActorRef<VenueConnection.Command> connection : listed) {
      venues.putIfAbsent(connection, null);
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onWatchFigures(State state, WrappedWatchFigures wrapped) {
    if (wrapped.figures() == null) {
      return Effect().noReply();
    }
    lastFigures = wrapped.figures().figures();
    KillSwitchEngaged auto = autoEngage(state, lastFigures);
    if (auto == null) {
      return Effect().noReply();
    }
    return Effect().persist(auto).thenRun(s -> announceEngaged(List.of(auto))).thenNoReply();
  }

  private ReplyEffect<Event, State> onVenueStatus(State state, WrappedVenueStatus wrapped) {
    String venue = wrapped.status() != null ? wrapped.status().venue() : venues.get(wrapped.connection());
    if (venue == null || !venues.containsKey(wrapped.connection())) {
      return Effect().noReply();
    }
    venues.put(wrapped.connection(), venue);
    VenueConnection.VenueStatus status =
        wrapped.status() != null ? wrapped.status() : new VenueConnection.VenueStatus(venue, false, -1, 0, 0, false);
    long stale = setup.breakerStaleAfter().toMillis();
    // staleness, not the connection flag: a reconnect within breakerStaleAfter does not flap the breaker
    String why = null;
    if (wrapped.status() == null) {
      why = "the venue connection did not answer";
    } else if (status.lastMessageAgeMs() < 0) {
      why = "no market data yet";
    } else if (status.lastMessageAgeMs() > stale) {
      why = (status.connected() ? "market data is " : "market data disconnected, last message ")
          + status.lastMessageAgeMs() + " ms old (limit " + stale + " ms)";
    }
    Breaker before = breakers.get(venue);
    boolean open = why != null;
    if (before == null || before.open() != open) {
      breakers.put(venue, new Breaker(open, why, clock.millis()));
      if (before != null) {
        context.getLog().warn("Circuit breaker of {} {}{}", venue, open ? "opened: " : "closed", open ? why : "");
        notifier.tell(
            new Notifier.Alert(
                open ? Notifier.Severity.WARN : Notifier.Severity.INFO,
                "Circuit breaker of " + venue + (open ? " opened" : " closed"),
                open ? "Orders to this venue are rejected until its market data flows again." : "Orders to this venue are allowed again.",
                Map.of("venue", venue, "reason", open ? why : "market data flows")));
      }
    }
    return Effect().noReply();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(DecisionRecorded.class, State::record)
        .onEvent(KillSwitchEngaged.class, State::engaged)
        .onEvent(KillSwitchReleased.class, State::released)
        .onEvent(LimitsChanged.class, State::limitsChanged)
        .onEvent(EmergencyStopped.class, (state, event) -> state)
        .onEvent(SymbolFlattenOrdered.class, (state, event) -> state)
        .build();
  }
}
