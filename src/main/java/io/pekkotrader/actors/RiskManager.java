package io.pekkotrader.actors;

import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderSizing;
import io.pekkotrader.persistence.CborSerializable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Pre-trade risk: every intent is evaluated here and the decision, approved or rejected, is
 * persisted before it is answered (the audit trail). Entries are rejected while the kill switch
 * is engaged; otherwise funds are reserved in {@link Portfolio} and a refusal there becomes the
 * rejection reason. Exits are always approved: reducing risk is never blocked. Decisions are
 * idempotent per client order id, so a symbol that re-asks after a crash gets the same answer.
 * A cluster singleton.
 */
public final class RiskManager
    extends EventSourcedBehaviorWithEnforcedReplies<RiskManager.Command, RiskManager.Event, RiskManager.State> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("RiskManager");

  /** Decisions remembered for idempotent replies (symbols only re-ask about recent intents). */
  static final int REMEMBERED_DECISIONS = 10_000;

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Decide on an intent; the reply comes after the decision is persisted. */
  public record Evaluate(OrderIntent intent, ActorRef<Decision> replyTo) implements Command {}

  /** Engage the kill switch: entries are rejected until it is released. */
  public record EngageKillSwitch(String reason, ActorRef<KillSwitchStatus> replyTo) implements Command {}

  /** Release the kill switch. */
  public record ReleaseKillSwitch(String reason, ActorRef<KillSwitchStatus> replyTo) implements Command {}

  /** Ask for the kill switch state. */
  public record GetKillSwitch(ActorRef<KillSwitchStatus> replyTo) implements Command {}

  private record WrappedReservation(Evaluate request, Portfolio.ReserveResult result) implements Command {}

  /**
   * A persisted risk decision.
   *
   * @param eventId unique id of the decision
   * @param reasonCode {@code approved} or the first failing check ({@code kill_switch},
   *     {@code insufficient_funds}, {@code max_open_positions}, {@code portfolio_unavailable})
   */
  public record Decision(
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
      String message)
      implements CborSerializable {}

  /** Kill switch state. */
  public record KillSwitchStatus(boolean engaged, String reason, long sinceMs) implements CborSerializable {}

  // ---- events ------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  /** An intent was decided. */
  public record DecisionRecorded(Decision decision) implements Event {}

  /** The kill switch was engaged. */
  public record KillSwitchEngaged(String reason, long atMs) implements Event {}

  /** The kill switch was released. */
  public record KillSwitchReleased(String reason, long atMs) implements Event {}

  /** The persisted state: the kill switch and the most recent decisions by client order id. */
  public record State(KillSwitchStatus killSwitch, Map<String, Decision> recent, long decisions)
      implements CborSerializable {
    static State initial() {
      return new State(new KillSwitchStatus(false, null, 0), Map.of(), 0);
    }

    State record(Decision decision) {
      LinkedHashMap<String, Decision> next = new LinkedHashMap<>(recent);
      next.put(decision.clientOrderId(), decision);
      while (next.size() > REMEMBERED_DECISIONS) {
        next.remove(next.keySet().iterator().next());
      }
      return new State(killSwitch, next, decisions + 1);
    }

    State killSwitch(KillSwitchStatus status) {
      return new State(status, recent, decisions);
    }
  }

  // ---- behavior ----------------------------------------------------------------------------

  /** What the checks need from configuration. */
  public record Limits(int maxOpenPositions, BigDecimal priceBuffer, BigDecimal feeRate, Duration askTimeout) {}

  private final ActorContext<Command> context;
  private final ActorRef<Portfolio.Command> portfolio;
  private final ActorRef<Notifier.Command> notifier;
  private final Limits limits;
  private final Clock clock;
  private final int snapshotEvery;

  public static Behavior<Command> create(
      ActorRef<Portfolio.Command> portfolio, ActorRef<Notifier.Command> notifier, Limits limits, Clock clock, int snapshotEvery) {
    return Behaviors.setup(ctx -> new RiskManager(ctx, portfolio, notifier, limits, clock, snapshotEvery));
  }

  private RiskManager(
      ActorContext<Command> context,
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<Notifier.Command> notifier,
      Limits limits,
      Clock clock,
      int snapshotEvery) {
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.context = context;
    this.portfolio = portfolio;
    this.notifier = notifier;
    this.limits = limits;
    this.clock = clock;
    this.snapshotEvery = snapshotEvery;
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
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Evaluate.class, this::onEvaluate)
        .onCommand(WrappedReservation.class, this::onReservation)
        .onCommand(EngageKillSwitch.class, this::onEngage)
        .onCommand(ReleaseKillSwitch.class, this::onRelease)
        .onCommand(GetKillSwitch.class, (state, command) -> Effect().reply(command.replyTo(), state.killSwitch()))
        .build();
  }

  private ReplyEffect<Event, State> onEvaluate(State state, Evaluate command) {
    OrderIntent intent = command.intent();
    Decision known = state.recent().get(intent.clientOrderId());
    if (known != null) {
      return Effect().reply(command.replyTo(), known);
    }
    if (intent.kind() == IntentKind.EXIT) {
      return decide(command, true, "approved", "exits are always allowed");
    }
    if (state.killSwitch().engaged()) {
      return decide(command, false, "kill_switch", "kill switch engaged: " + state.killSwitch().reason());
    }
    BigDecimal amount =
        OrderSizing.reservationFor(intent.quantity(), intent.referencePrice(), limits.priceBuffer(), limits.feeRate());
    context.ask(
        Portfolio.ReserveResult.class,
        portfolio,
        limits.askTimeout(),
        replyTo -> new Portfolio.Reserve(intent.clientOrderId(), intent.symbol(), amount, limits.maxOpenPositions(), replyTo),
        (result, failure) ->
            new WrappedReservation(
                command,
                result != null
                    ? result
                    : new Portfolio.ReserveResult(
                        intent.clientOrderId(), false, "portfolio_unavailable", "portfolio did not answer: " + failure)));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onReservation(State state, WrappedReservation wrapped) {
    Decision known = state.recent().get(wrapped.request().intent().clientOrderId());
    if (known != null) {
      return Effect().reply(wrapped.request().replyTo(), known);
    }
    Portfolio.ReserveResult result = wrapped.result();
    if (result.reserved() && state.killSwitch().engaged()) {
      // the switch was engaged while Portfolio reserved: reject, the symbol's end of intent releases the funds
      return decide(wrapped.request(), false, "kill_switch", "kill switch engaged: " + state.killSwitch().reason());
    }
    return decide(wrapped.request(), result.reserved(), result.reasonCode(), result.message());
  }

  private ReplyEffect<Event, State> decide(Evaluate command, boolean approved, String reasonCode, String message) {
    OrderIntent intent = command.intent();
    Decision decision =
        new Decision(
            UUID.randomUUID().toString(),
            clock.millis(),
            intent.clientOrderId(),
            intent.symbol().id(),
            intent.kind(),
            intent.side().name(),
            intent.quantity(),
            intent.notional(),
            intent.strategy(),
            approved,
            reasonCode,
            message);
    if (!approved) {
      context.getLog().info("Rejected {} {}: {} ({})", intent.kind(), intent.clientOrderId(), reasonCode, message);
    }
    return Effect().persist(new DecisionRecorded(decision)).thenReply(command.replyTo(), s -> decision);
  }

  private ReplyEffect<Event, State> onEngage(State state, EngageKillSwitch command) {
    if (state.killSwitch().engaged()) {
      return Effect().reply(command.replyTo(), state.killSwitch());
    }
    context.getLog().warn("Kill switch engaged: {}", command.reason());
    return Effect()
        .persist(new KillSwitchEngaged(command.reason(), clock.millis()))
        .thenRun(
            s ->
                notifier.tell(
                    new Notifier.Alert(
                        "CRITICAL", "Kill switch engaged", "New entries are rejected; exits are still allowed.",
                        java.util.Map.of("reason", command.reason()))))
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
            s ->
                notifier.tell(
                    new Notifier.Alert(
                        "INFO", "Kill switch released", "Entries are allowed again.", java.util.Map.of("reason", command.reason()))))
        .thenReply(command.replyTo(), State::killSwitch);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(DecisionRecorded.class, (state, event) -> state.record(event.decision()))
        .onEvent(KillSwitchEngaged.class, (state, event) -> state.killSwitch(new KillSwitchStatus(true, event.reason(), event.atMs())))
        .onEvent(KillSwitchReleased.class, (state, event) -> state.killSwitch(new KillSwitchStatus(false, null, event.atMs())))
        .build();
  }
}
