package io.pekkotrader.actors;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.persistence.CborSerializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The portfolio: cash, reservations and positions, one {@link Ledger} persisted event by event.
 * A cluster singleton. Funds are reserved on RiskManager's approval, fills commit them, the end
 * of an order releases what is left. Every fill is applied once per trade id.
 */
public final class Portfolio
    extends EventSourcedBehaviorWithEnforcedReplies<Portfolio.Command, Portfolio.Event, Portfolio.State> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("Portfolio");

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * Hold {@code amount} of quote funds for an entry order, if available and if fewer than
   * {@code maxOpenPositions} positions and entries are open. Idempotent per client order id.
   */
  public record Reserve(
      String clientOrderId, SymbolId symbol, BigDecimal amount, int maxOpenPositions, ActorRef<ReserveResult> replyTo)
      implements Command {}

  /** Apply one fill (idempotent per trade id); replies once the fill is persisted or known. */
  public record ApplyFill(Fill fill, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The order ended: release what is left of its reservation. */
  public record Release(String clientOrderId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * A symbol tells which of its orders is still live (null: none); any other reservation of that
   * symbol is an orphan left by a crash and is released.
   */
  public record SyncSymbol(SymbolId symbol, String liveClientOrderId, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** The latest trade price of a symbol, for unrealized PnL and equity (not persisted). */
  public record MarkPrice(SymbolId symbol, BigDecimal price) implements Command {}

  /** Ask for the summary. */
  public record GetSummary(ActorRef<Summary> replyTo) implements Command {}

  /** Reply to {@link Reserve}. */
  public record ReserveResult(String clientOrderId, boolean reserved, String reasonCode, String message)
      implements CborSerializable {}

  /** Reply to {@link GetSummary}. Figures as exact decimals. */
  public record Summary(
      String quoteAsset,
      BigDecimal equity,
      BigDecimal cash,
      BigDecimal reserved,
      BigDecimal available,
      BigDecimal realizedPnl,
      BigDecimal unrealizedPnl,
      BigDecimal feesPaid,
      int openPositions,
      long fills,
      Map<String, BigDecimal> positions)
      implements CborSerializable {}

  // ---- events ------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  /** Funds were set aside for an entry order. */
  public record FundsReserved(Reservation reservation) implements Event {}

  /** A fill was applied: cash, position, realized PnL and fees changed. */
  public record FillApplied(Fill fill) implements Event {}

  /** What was left of an order's reservation was released. */
  public record ReservationReleased(String clientOrderId, String why) implements Event {}

  /** The persisted state. */
  public record State(Ledger ledger) implements CborSerializable {}

  // ---- behavior ----------------------------------------------------------------------------

  private final ActorContext<Command> context;
  private final ActorRef<Notifier.Command> notifier;
  private final String quoteAsset;
  private final BigDecimal startingCash;
  private final int snapshotEvery;
  private final Map<String, BigDecimal> markPrices = new HashMap<>();

  public static Behavior<Command> create(
      String quoteAsset, BigDecimal startingCash, int snapshotEvery, ActorRef<Notifier.Command> notifier) {
    return Behaviors.setup(ctx -> new Portfolio(ctx, quoteAsset, startingCash, snapshotEvery, notifier));
  }

  private Portfolio(
      ActorContext<Command> context,
      String quoteAsset,
      BigDecimal startingCash,
      int snapshotEvery,
      ActorRef<Notifier.Command> notifier) {
    super(
        PERSISTENCE_ID,
        SupervisorStrategy.restartWithBackoff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10), 0.2));
    this.context = context;
    this.notifier = notifier;
    this.quoteAsset = quoteAsset;
    this.startingCash = startingCash;
    this.snapshotEvery = snapshotEvery;
  }

  @Override
  public State emptyState() {
    return new State(Ledger.start(quoteAsset, startingCash));
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
              List<String> violations = state.ledger().violations();
              if (!violations.isEmpty()) {
                context.getLog().error("Portfolio recovered with broken invariants: {}", violations);
                notifier.tell(
                    new Notifier.Alert(
                        "CRITICAL", "Portfolio invariants broken", "The recovered ledger does not reconcile.",
                        Map.of("violations", String.join("; ", violations))));
              }
              context.getLog().info(
                  "Portfolio recovered: cash {} {}, {} positions, {} reservations, {} fills",
                  state.ledger().cash().toPlainString(),
                  quoteAsset,
                  state.ledger().positions().size(),
                  state.ledger().reservations().size(),
                  state.ledger().fills());
            })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(ApplyFill.class, this::onApplyFill)
        .onCommand(Release.class, this::onRelease)
        .onCommand(SyncSymbol.class, this::onSyncSymbol)
        .onCommand(MarkPrice.class, this::onMarkPrice)
        .onCommand(GetSummary.class, this::onGetSummary)
        .build();
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve command) {
    Ledger ledger = state.ledger();
    if (ledger.reservations().containsKey(command.clientOrderId())) {
      return Effect().reply(command.replyTo(), new ReserveResult(command.clientOrderId(), true, "approved", "already reserved"));
    }
    long open =
        ledger.positions().size()
            + ledger.reservations().values().stream()
                .filter(r -> !ledger.positions().containsKey(r.symbol().id()))
                .count();
    if (open >= command.maxOpenPositions()) {
      return refuse(command, "max_open_positions", open + " positions or entries open, limit " + command.maxOpenPositions());
    }
    if (!ledger.canReserve(command.clientOrderId(), command.amount())) {
      return refuse(
          command,
          "insufficient_funds",
          "needs " + command.amount().toPlainString() + ", available " + ledger.available().toPlainString());
    }
    return Effect()
        .persist(new FundsReserved(new Reservation(command.clientOrderId(), command.symbol(), command.amount())))
        .thenReply(command.replyTo(), s -> new ReserveResult(command.clientOrderId(), true, "approved", "reserved"));
  }

  private ReplyEffect<Event, State> refuse(Reserve command, String reasonCode, String message) {
    return Effect().reply(command.replyTo(), new ReserveResult(command.clientOrderId(), false, reasonCode, message));
  }

  private ReplyEffect<Event, State> onApplyFill(State state, ApplyFill command) {
    Fill fill = command.fill();
    if (state.ledger().hasApplied(fill.tradeId())) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    String why = state.ledger().whyNotApplicable(fill);
    if (why != null) {
      context.getLog().error("Fill {} of {} refused: {}", fill.tradeId(), fill.clientOrderId(), why);
      return Effect().reply(command.replyTo(), StatusReply.error(why));
    }
    return Effect().persist(new FillApplied(fill)).thenReply(command.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRelease(State state, Release command) {
    if (!state.ledger().reservations().containsKey(command.clientOrderId())) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new ReservationReleased(command.clientOrderId(), "order ended"))
        .thenReply(command.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onSyncSymbol(State state, SyncSymbol command) {
    List<Event> orphans =
        state.ledger().reservations().values().stream()
            .filter(r -> r.symbol().equals(command.symbol()) && !r.clientOrderId().equals(command.liveClientOrderId()))
            .map(r -> (Event) new ReservationReleased(r.clientOrderId(), "orphaned: no live order on recovery of " + r.symbol()))
            .toList();
    if (orphans.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    context.getLog().warn("Releasing {} orphaned reservation(s) of {}", orphans.size(), command.symbol());
    return Effect().persist(orphans).thenReply(command.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onMarkPrice(State state, MarkPrice command) {
    markPrices.put(command.symbol().id(), command.price());
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onGetSummary(State state, GetSummary command) {
    Ledger ledger = state.ledger();
    Map<String, BigDecimal> positions = new java.util.TreeMap<>();
    ledger.positions().forEach((symbol, position) -> positions.put(symbol, position.quantity()));
    return Effect()
        .reply(
            command.replyTo(),
            new Summary(
                quoteAsset,
                ledger.equity(markPrices),
                ledger.cash(),
                ledger.reserved(),
                ledger.available(),
                ledger.realizedPnl(),
                ledger.unrealizedPnl(markPrices),
                ledger.feesPaid(),
                ledger.positions().size(),
                ledger.fills(),
                positions));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(FundsReserved.class, (state, event) -> new State(state.ledger().reserve(event.reservation())))
        .onEvent(FillApplied.class, (state, event) -> new State(state.ledger().applyFill(event.fill())))
        .onEvent(ReservationReleased.class, (state, event) -> new State(state.ledger().release(event.clientOrderId())))
        .build();
  }
}
