package io.pekkotrader.actors;

import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.AssetPrecisions;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.QuoteAssets;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Valuation;
import io.pekkotrader.domain.risk.PortfolioExposure;
import io.pekkotrader.domain.risk.PortfolioFigures;
import io.pekkotrader.domain.risk.PortfolioRisk;
import io.pekkotrader.domain.risk.Refusal;
import io.pekkotrader.domain.risk.RiskCheck;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.metrics.TradingMetrics;
import io.pekkotrader.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
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
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The portfolio: cash per quote asset, reservations and positions, one {@link Ledger} persisted
 * event by event. A cluster singleton. Funds are reserved on RiskManager's approval, fills commit
 * them, the end of an order releases what is left; each in the quote asset of the order's symbol
 * ({@link QuoteAssets}), which the events record. Every fill is applied once per trade id. Figures
 * for risk and reporting are in the account asset (see {@link Valuation}).
 */
public final class Portfolio
    extends EventSourcedBehaviorWithEnforcedReplies<Portfolio.Command, Portfolio.Event, Portfolio.State> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("Portfolio");

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** After recovery: open the configured cash assets the recovered ledger lacks. */
  private enum OpenConfiguredAssets implements Command {
    INSTANCE
  }

  /**
   * Hold {@code amount} of quote funds (in the symbol's quote asset) for an entry order, if
   * available and if fewer than {@code maxOpenPositions} positions and entries are open.
   * Idempotent per client order id.
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

  /**
   * Ask for what the risk checks need about the portfolio and about {@code symbol} (may be null),
   * not counting the order {@code clientOrderId} being decided (may be null). Starts a new
   * trading day (persisted) when the clock has crossed the day boundary.
   */
  public record GetRiskFigures(SymbolId symbol, String clientOrderId, ActorRef<RiskFigures> replyTo) implements Command {}

  /** Ask for the most recent fills, newest first (at most {@link #RECENT_FILLS}). */
  public record GetRecentFills(int limit, ActorRef<RecentFills> replyTo) implements Command {}

  /** Reply to {@link GetRecentFills}: newest first; {@code total}: fills applied since the start. */
  public record RecentFills(List<Fill> fills, long total) implements CborSerializable {}

  /** Ask for the equity curve sampled since this node started (in memory, oldest first). */
  public record GetEquityCurve(ActorRef<EquityCurve> replyTo) implements Command {}

  /** Reply to {@link GetEquityCurve}. */
  public record EquityCurve(String quoteAsset, List<EquityPoint> points) implements CborSerializable {}

  /** Equity at a moment. */
  public record EquityPoint(long atMs, BigDecimal equity) implements CborSerializable {}

  /** Reply to {@link Reserve}. */
  public record ReserveResult(String clientOrderId, boolean reserved, String reasonCode, String message)
      implements CborSerializable {}

  /**
   * Reply to {@link GetRiskFigures}. Money is in the account asset; positions and reservations
   * of an asset whose rate is not known are left out (the figures name such assets).
   *
   * @param figures equity, peak, day start, starting capital, broken invariants
   * @param openPositions positions held
   * @param workingEntries reservations of symbols without a position, the decided order excluded
   * @param symbolHasPosition the symbol holds a position
   * @param symbolHasWorkingOrder the symbol has a reservation other than the decided order's
   * @param symbolNotional market value of the symbol's position (absolute)
   * @param grossExposure Σ |market value| of positions plus every reservation but the decided order's
   * @param symbolAsset the quote asset the symbol trades in, null when no cash is kept in it
   * @param symbolRate what one unit of {@code symbolAsset} is worth in the account asset, null when unknown
   */
  public record RiskFigures(
      PortfolioFigures figures,
      int openPositions,
      int workingEntries,
      boolean symbolHasPosition,
      boolean symbolHasWorkingOrder,
      BigDecimal symbolNotional,
      BigDecimal grossExposure,
      String symbolAsset,
      BigDecimal symbolRate)
      implements CborSerializable {

    static RiskFigures of(PortfolioFigures figures, PortfolioExposure exposure) {
      return new RiskFigures(
          figures,
          exposure.openPositions(),
          exposure.workingEntries(),
          exposure.symbolHasPosition(),
          exposure.symbolHasWorkingOrder(),
          exposure.symbolNotional(),
          exposure.grossExposure(),
          exposure.symbolAsset(),
          exposure.symbolRate());
    }

    /** What the portfolio holds and has in flight, as the checks take it. */
    public PortfolioExposure exposure() {
      return new PortfolioExposure(
          openPositions, workingEntries, symbolHasPosition, symbolHasWorkingOrder, symbolNotional, grossExposure, symbolAsset,
          symbolRate);
    }
  }

  /**
   * Reply to {@link GetSummary}. Figures as exact decimals, in the account asset
   * ({@code quoteAsset}); they cover the assets whose rate is known. {@code assets}: every
   * asset's pool in that asset, with its rate and whether it is in the totals.
   */
  public record Summary(
      String quoteAsset,
      BigDecimal equity,
      BigDecimal peakEquity,
      BigDecimal drawdown,
      BigDecimal dailyPnl,
      BigDecimal roi,
      String brokenInvariants,
      BigDecimal cash,
      BigDecimal reserved,
      BigDecimal available,
      BigDecimal realizedPnl,
      BigDecimal unrealizedPnl,
      BigDecimal feesPaid,
      int openPositions,
      long fills,
      Map<String, BigDecimal> positions,
      Map<String, AssetSummary> assets)
      implements CborSerializable {}

  /**
   * One asset's pool, in that asset.
   *
   * @param rate what one unit is worth in the account asset (1 for the account asset; the last
   *     price of {@code <asset><account asset>} otherwise), null when no price is known yet
   * @param converted whether the rate is known, so the pool is in the summary's totals
   */
  public record AssetSummary(
      BigDecimal startingCash,
      BigDecimal cash,
      BigDecimal reserved,
      BigDecimal available,
      BigDecimal realizedPnl,
      BigDecimal unrealizedPnl,
      BigDecimal feesPaid,
      BigDecimal equity,
      BigDecimal rate,
      boolean converted)
      implements CborSerializable {}

  // ---- events ------------------------------------------------------------------------------

  /**
   * What the portfolio persists. Every event records when it happened: an {@code atMs} read from
   * the portfolio's clock, or the time of what it records ({@code FillApplied}: the fill's
   * execution time; {@code TradingDayStarted}: the day's start). An event written before it
   * carried its time reads {@code atMs} 0: unknown (see {@code docs/portfolio.md}).
   */
  public sealed interface Event extends CborSerializable {}

  /**
   * Funds were set aside for an entry order at {@code atMs}, in the reservation's asset (none
   * recorded, as in journals written before cash per quote asset: the account asset). {@code atMs}
   * 0: unknown (journals written before events carried their time; replay does not need it).
   */
  public record FundsReserved(Reservation reservation, long atMs) implements Event {}

  /**
   * A fill was applied in the cash of {@code asset}: cash, position, realized PnL and fees
   * changed. {@code asset} null (journals written before cash per quote asset): the account asset.
   * {@code fill} carries its fee as booked, and {@code precision} is the precision its quote amount
   * and fee were booked at, so a replay books them as they were whatever the configuration says
   * now; null (journals written before asset precision): booked exactly, as they were then. When
   * it happened: {@code fill.timestampMs()}, the execution time the venue reported.
   */
  public record FillApplied(Fill fill, String asset, AssetPrecision precision) implements Event {}

  /**
   * What was left of an order's reservation was released at {@code atMs}; {@code why}: the order
   * ended, or the reservation was orphaned (no live order when its symbol recovered). {@code atMs}
   * 0: unknown (journals written before events carried their time; replay does not need it).
   */
  public record ReservationReleased(String clientOrderId, String why, long atMs) implements Event {}

  /**
   * A new trading day started at {@code dayStartMs} with this equity (the daily loss limit counts
   * from it). Persisted by the first risk check after the day boundary whose equity is complete.
   */
  public record TradingDayStarted(long dayStartMs, BigDecimal equity) implements Event {}

  /** Equity reached a new peak at {@code atMs} (persisted in steps of at least {@link #PEAK_STEP} of the last). */
  public record EquityPeakRaised(BigDecimal peakEquity, long atMs) implements Event {}

  /**
   * Cash in {@code asset}, configured after the ledger began (a snapshot from before does not
   * have it), opened with its configured starting cash on recovery at {@code atMs}.
   */
  public record CashAssetOpened(String asset, BigDecimal startingCash, long atMs) implements Event {}

  /**
   * The ledger stopped reconciling at {@code atMs}, after the event persisted with this one. The
   * figures are kept as they are (changing money to make a check pass would hide the fault); this
   * record, the alert and the kill switch that follows are the correction: no entry trades on a
   * ledger nobody can trust until an operator has looked.
   */
  public record InvariantViolated(List<String> violations, long atMs) implements Event {}

  /**
   * Equity at a moment, in the account asset, for the equity history read from the journal
   * (it survives restarts). Persisted at most once per sampling interval; the state ignores it.
   */
  public record EquitySampled(long atMs, BigDecimal equity) implements Event {}

  /**
   * The persisted state.
   *
   * @param ledger cash, reservations, positions
   * @param dayStartMs start of the current trading day (0: none yet)
   * @param dayStartEquity equity at that start
   * @param peakEquity highest persisted equity
   * @param brokenInvariants the last recorded invariant violation, or null
   * @param recentFills the latest fills, oldest first, at most {@link #RECENT_FILLS}
   */
  public record State(
      Ledger ledger,
      long dayStartMs,
      BigDecimal dayStartEquity,
      BigDecimal peakEquity,
      String brokenInvariants,
      List<Fill> recentFills)
      implements CborSerializable {
    public State {
      recentFills = recentFills == null ? List.of() : List.copyOf(recentFills);
      BigDecimal capital = ledger.book(ledger.accountAsset()).startingCash();
      dayStartEquity = dayStartEquity == null ? capital : dayStartEquity;
      peakEquity = peakEquity == null ? capital : peakEquity;
    }

    static State start(Ledger ledger) {
      return new State(ledger, 0, null, null, null, List.of());
    }

    State withLedger(Ledger next) {
      return new State(next, dayStartMs, dayStartEquity, peakEquity, brokenInvariants, recentFills);
    }

    State withFill(Fill fill, String asset, AssetPrecision precision) {
      if (ledger.hasApplied(fill.tradeId())) {
        return this;
      }
      ArrayList<Fill> fills = new ArrayList<>(recentFills);
      fills.add(fill);
      if (fills.size() > RECENT_FILLS) {
        fills.remove(0);
      }
      return new State(ledger.applyFill(fill, asset, precision), dayStartMs, dayStartEquity, peakEquity, brokenInvariants, fills);
    }

    State dayStarted(TradingDayStarted event) {
      return new State(ledger, event.dayStartMs(), event.equity(), peakEquity, brokenInvariants, recentFills);
    }

    State peakRaised(EquityPeakRaised event) {
      return new State(ledger, dayStartMs, dayStartEquity, peakEquity.max(event.peakEquity()), brokenInvariants, recentFills);
    }

    State violated(InvariantViolated event) {
      String broken = event.violations().isEmpty() ? null : String.join("; ", event.violations());
      return new State(ledger, dayStartMs, dayStartEquity, peakEquity, broken, recentFills);
    }
  }

  /** Fills kept in memory for the API; the full history is in the journal. */
  public static final int RECENT_FILLS = 200;

  /** A new equity peak is persisted once it exceeds the persisted one by this fraction. */
  static final BigDecimal PEAK_STEP = new BigDecimal("0.001");

  // ---- behavior ----------------------------------------------------------------------------

  private final ActorContext<Command> context;
  private final ActorRef<Notifier.Command> notifier;
  private final QuoteAssets assets;
  private final AssetPrecisions precisions;
  private final String quoteAsset;
  private final int snapshotEvery;
  private final TradingDay tradingDay;
  private final Clock clock;
  private final Map<String, BigDecimal> markPrices = new HashMap<>();
  /**
   * The highest complete equity the prices and fills received since start have led to; raised
   * only by the commands that change the equity (never by a query), persisted in steps (see
   * {@link #PEAK_STEP}).
   */
  private BigDecimal observedPeak = BigDecimal.ZERO;

  /** Points kept in the in-memory equity curve, and their least spacing when sampled from prices. */
  static final int EQUITY_POINTS = 2_000;

  static final long EQUITY_SPACING_MS = 10_000;

  private final ActorRef<org.apache.pekko.actor.typed.pubsub.Topic.Command<EngineEvents.EngineEvent>> engineEvents;
  private final java.util.ArrayDeque<EquityPoint> equityCurve = new java.util.ArrayDeque<>();

  /** How often equity is persisted by default (see {@link EquitySampled}). */
  public static final java.time.Duration DEFAULT_EQUITY_SAMPLE_INTERVAL = java.time.Duration.ofMinutes(1);

  private long equitySampleIntervalMs = DEFAULT_EQUITY_SAMPLE_INTERVAL.toMillis();
  /** When equity was last persisted by this incarnation (0: not yet). */
  private long equityPersistedAtMs;

  /** A portfolio in one asset; {@code startingCash} must be > 0 (validated with the configuration). */
  public static Behavior<Command> create(
      String quoteAsset,
      BigDecimal startingCash,
      TradingDay tradingDay,
      Clock clock,
      int snapshotEvery,
      ActorRef<Notifier.Command> notifier) {
    if (startingCash == null || startingCash.signum() <= 0) {
      throw new IllegalArgumentException("starting cash must be > 0");
    }
    return create(QuoteAssets.single(quoteAsset, startingCash), tradingDay, clock, snapshotEvery, notifier);
  }

  /** The portfolio with cash in every asset of {@code assets}, each booked at {@link AssetPrecisions#DEFAULT}. */
  public static Behavior<Command> create(
      QuoteAssets assets, TradingDay tradingDay, Clock clock, int snapshotEvery, ActorRef<Notifier.Command> notifier) {
    return create(assets, AssetPrecisions.DEFAULT, tradingDay, clock, snapshotEvery, DEFAULT_EQUITY_SAMPLE_INTERVAL, notifier);
  }

  /**
   * The portfolio with cash in every asset of {@code assets}, figures in its account asset;
   * fills and reservations booked at each asset's precision in {@code precisions}, and an
   * {@link EquitySampled} persisted at most once per {@code equitySampleInterval}.
   */
  public static Behavior<Command> create(
      QuoteAssets assets,
      AssetPrecisions precisions,
      TradingDay tradingDay,
      Clock clock,
      int snapshotEvery,
      java.time.Duration equitySampleInterval,
      ActorRef<Notifier.Command> notifier) {
    return Behaviors.setup(
        ctx -> {
          Portfolio portfolio = new Portfolio(ctx, assets, precisions, tradingDay, clock, snapshotEvery, notifier);
          portfolio.equitySampleIntervalMs = equitySampleInterval.toMillis();
          return portfolio;
        });
  }

  private Portfolio(
      ActorContext<Command> context,
      QuoteAssets assets,
      AssetPrecisions precisions,
      TradingDay tradingDay,
      Clock clock,
      int snapshotEvery,
      ActorRef<Notifier.Command> notifier) {
    super(
        PERSISTENCE_ID,
        SupervisorStrategy.restartWithBackoff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10), 0.2).withStopChildren(false));
    this.context = context;
    this.notifier = notifier;
    this.engineEvents = EngineEvents.topic(context);
    this.assets = assets;
    this.precisions = precisions;
    this.quoteAsset = assets.accountAsset();
    this.snapshotEvery = snapshotEvery;
    this.tradingDay = tradingDay;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.start(Ledger.start(quoteAsset, assets.startingCash()));
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
                        Notifier.Severity.CRITICAL, "Portfolio invariants broken", "The recovered ledger does not reconcile.",
                        Map.of("violations", String.join("; ", violations))));
              }
              context.getSelf().tell(OpenConfiguredAssets.INSTANCE);
              context.getLog().info(
                  "Portfolio recovered: cash {}, {} positions, {} reservations, {} fills",
                  cashByAsset(state.ledger()),
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
        .onCommand(OpenConfiguredAssets.class, (state, command) -> onOpenConfiguredAssets(state))
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(ApplyFill.class, this::onApplyFill)
        .onCommand(Release.class, this::onRelease)
        .onCommand(SyncSymbol.class, this::onSyncSymbol)
        .onCommand(MarkPrice.class, this::onMarkPrice)
        .onCommand(GetSummary.class, this::onGetSummary)
        .onCommand(GetRiskFigures.class, this::onGetRiskFigures)
        .onCommand(GetRecentFills.class, this::onGetRecentFills)
        .onCommand(GetEquityCurve.class, (state, command) -> Effect().reply(command.replyTo(), new EquityCurve(quoteAsset, List.copyOf(equityCurve))))
        .build();
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve command) {
    Ledger ledger = state.ledger();
    if (ledger.reservations().containsKey(command.clientOrderId())) {
      return Effect().reply(command.replyTo(), new ReserveResult(command.clientOrderId(), true, "approved", "already reserved"));
    }
    if (state.brokenInvariants() != null) {
      return refuse(command, Refusal.PORTFOLIO_INVARIANT.code(), "the ledger does not reconcile: " + state.brokenInvariants());
    }
    // the risk check's own rule, applied again here where the hold is made so two entries never race past it
    String tooMany =
        RiskCheck.openPositionsFailure(
            ledger.positions().size() + PortfolioRisk.workingEntries(ledger, command.clientOrderId()), command.maxOpenPositions());
    if (tooMany != null) {
      return refuse(command, RiskCheck.MAX_OPEN_POSITIONS.code(), tooMany);
    }
    String asset = ledger.assetFor(command.symbol(), command.clientOrderId(), assets.of(command.symbol()));
    if (asset == null || ledger.book(asset) == null) {
      return refuse(command, Refusal.INSUFFICIENT_FUNDS.code(), "no cash is kept in the quote asset of " + command.symbol());
    }
    // held at the asset's precision, rounded up: the hold covers what was asked
    BigDecimal amount = precisions.of(asset).covering(command.amount());
    if (!ledger.canReserve(command.clientOrderId(), asset, amount)) {
      return refuse(
          command,
          Refusal.INSUFFICIENT_FUNDS.code(),
          "needs " + amount.toPlainString() + " " + asset + ", available "
              + ledger.book(asset).available().toPlainString() + " " + asset);
    }
    Reservation reservation = new Reservation(command.clientOrderId(), command.symbol(), amount, asset);
    return persistChecked(state, List.of(new FundsReserved(reservation, clock.millis())))
        .thenReply(command.replyTo(), s -> new ReserveResult(command.clientOrderId(), true, "approved", "reserved"));
  }

  private ReplyEffect<Event, State> refuse(Reserve command, String reasonCode, String message) {
    return Effect().reply(command.replyTo(), new ReserveResult(command.clientOrderId(), false, reasonCode, message));
  }

  private ReplyEffect<Event, State> onApplyFill(State state, ApplyFill command) {
    Fill reported = command.fill();
    if (state.ledger().hasApplied(reported.tradeId())) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    String asset = state.ledger().assetFor(reported.symbol(), reported.clientOrderId(), assets.of(reported.symbol()));
    String why =
        asset == null
            ? "no cash is kept in the quote asset of " + reported.symbol()
            : state.ledger().whyNotApplicable(reported, asset);
    if (why != null) {
      try (Correlation ignored = Correlation.of(reported.symbol().id(), reported.clientOrderId(), null)) {
        context.getLog().error("Fill {} of {} refused: {}", reported.tradeId(), reported.clientOrderId(), why);
      }
      return Effect().reply(command.replyTo(), StatusReply.error(why));
    }
    AssetPrecision precision = precisions.of(asset);
    Fill fill = reported.withFee(precision.round(reported.fee()));
    return persistChecked(state, List.of(new FillApplied(fill, asset, precision)))
        .thenRun(
            s -> {
              raisePeak(s);
              sampleEquity(s, true);
              EngineEvents.publish(
                  engineEvents,
                  new EngineEvents.FillApplied(
                      fill.timestampMs(),
                      fill.tradeId(),
                      fill.clientOrderId(),
                      fill.symbol().id(),
                      fill.side().name(),
                      fill.price(),
                      fill.quantity(),
                      fill.fee()));
            })
        .thenReply(command.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRelease(State state, Release command) {
    if (!state.ledger().reservations().containsKey(command.clientOrderId())) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    return persistChecked(state, List.of(new ReservationReleased(command.clientOrderId(), "order ended", clock.millis())))
        .thenReply(command.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onSyncSymbol(State state, SyncSymbol command) {
    long now = clock.millis();
    List<Event> orphans =
        state.ledger().reservations().values().stream()
            .filter(r -> r.symbol().equals(command.symbol()) && !r.clientOrderId().equals(command.liveClientOrderId()))
            .map(r -> (Event) new ReservationReleased(r.clientOrderId(), "orphaned: no live order on recovery of " + r.symbol(), now))
            .toList();
    if (orphans.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    try (Correlation ignored = Correlation.of(command.symbol().id(), null, null)) {
      context.getLog().warn("Releasing {} orphaned reservation(s) of {}", orphans.size(), command.symbol());
    }
    return persistChecked(state, orphans).thenReply(command.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onMarkPrice(State state, MarkPrice command) {
    markPrices.put(command.symbol().id(), command.price());
    raisePeak(state);
    sampleEquity(state, false);
    return persistEquitySample(state);
  }

  /**
   * Persists the equity when {@link #equitySampleIntervalMs} has passed since this incarnation
   * last did (the first price after a start persists at once): the journal grows by at most one
   * {@link EquitySampled} per interval. Equity that leaves out an asset whose rate is not known
   * yet is not persisted.
   */
  private ReplyEffect<Event, State> persistEquitySample(State state) {
    long now = clock.millis();
    if (equityPersistedAtMs != 0 && now - equityPersistedAtMs < equitySampleIntervalMs) {
      return Effect().noReply();
    }
    Valuation valuation = state.ledger().valuation(markPrices);
    if (!valuation.complete()) {
      return Effect().noReply(); // an asset without a rate yet: not the account's equity
    }
    equityPersistedAtMs = now;
    return Effect().persist(new EquitySampled(now, valuation.equity())).thenNoReply();
  }

  /**
   * Adds a point to the in-memory equity curve: at most one per {@link #EQUITY_SPACING_MS} from
   * prices, always after a fill; the oldest points go beyond {@link #EQUITY_POINTS}.
   */
  private void sampleEquity(State state, boolean afterFill) {
    long now = clock.millis();
    EquityPoint last = equityCurve.peekLast();
    if (!afterFill && last != null && now - last.atMs() < EQUITY_SPACING_MS) {
      return;
    }
    equityCurve.addLast(new EquityPoint(now, state.ledger().equity(markPrices)));
    while (equityCurve.size() > EQUITY_POINTS) {
      equityCurve.removeFirst();
    }
  }

  /**
   * Persists {@code events} and, when the ledger they lead to breaks an invariant it did not
   * break before, an {@link InvariantViolated} with them (atomically), then alerts.
   */
  private EffectBuilder<Event, State> persistChecked(State state, List<Event> events) {
    State after = state;
    for (Event event : events) {
      after = apply(after, event);
    }
    List<String> violations = after.ledger().violations();
    String broken = violations.isEmpty() ? null : String.join("; ", violations);
    if (broken == null || broken.equals(state.brokenInvariants())) {
      return Effect().persist(events).thenRun(TradingMetrics.persistTimer(TradingMetrics.PORTFOLIO));
    }
    List<Event> withViolation = new ArrayList<>(events);
    withViolation.add(new InvariantViolated(violations, clock.millis()));
    context.getLog().error("Portfolio ledger does not reconcile after {}: {}", events, broken);
    return Effect()
        .persist(withViolation)
        .thenRun(TradingMetrics.persistTimer(TradingMetrics.PORTFOLIO))
        .thenRun(
            s ->
                notifier.tell(
                    new Notifier.Alert(
                        Notifier.Severity.CRITICAL, "Portfolio ledger does not reconcile",
                        "Entries are refused and the kill switch engages until an operator has looked.",
                        Map.of("violations", broken))));
  }

  private ReplyEffect<Event, State> onGetSummary(State state, GetSummary command) {
    Ledger ledger = state.ledger();
    Map<String, BigDecimal> positions = new java.util.TreeMap<>();
    ledger.positions().forEach((symbol, position) -> positions.put(symbol, position.quantity()));
    Valuation valuation = ledger.valuation(markPrices);
    PortfolioFigures figures = figures(state, valuation);
    Map<String, AssetSummary> pools = new java.util.LinkedHashMap<>();
    valuation.pools().forEach(
        (asset, pool) ->
            pools.put(
                asset,
                new AssetSummary(
                    pool.startingCash(), pool.cash(), pool.reserved(), pool.available(), pool.realizedPnl(),
                    pool.unrealizedPnl(), pool.feesPaid(), pool.equity(), pool.rate(), pool.converted())));
    return Effect()
        .reply(
            command.replyTo(),
            new Summary(
                quoteAsset,
                figures.equity(),
                figures.peakEquity(),
                figures.drawdown(),
                figures.dailyPnl(),
                figures.roi(),
                state.brokenInvariants(),
                valuation.cash(),
                valuation.reserved(),
                valuation.available(),
                valuation.realizedPnl(),
                valuation.unrealizedPnl(),
                valuation.feesPaid(),
                ledger.positions().size(),
                ledger.fills(),
                positions,
                pools));
  }

  /** After a price or a fill: the equity they lead to may be a new peak (see {@link PortfolioRisk#peakAfter}). */
  private void raisePeak(State state) {
    observedPeak = PortfolioRisk.peakAfter(observedPeak, state.ledger().valuation(markPrices));
  }

  /** The figures risk judges by; a query: changes nothing. */
  private PortfolioFigures figures(State state, Valuation valuation) {
    return PortfolioRisk.figures(
        valuation, observedPeak, state.peakEquity(), state.dayStartMs(), state.dayStartEquity(), state.brokenInvariants());
  }

  private ReplyEffect<Event, State> onGetRiskFigures(State state, GetRiskFigures command) {
    long now = clock.millis();
    Valuation valuation = state.ledger().valuation(markPrices);
    BigDecimal equity = valuation.equity();
    List<Event> events = new ArrayList<>();
    long dayStart = tradingDay.startOf(now);
    // an incomplete equity (an asset without a rate yet) is not the account's: neither a day start nor a peak
    if (dayStart > state.dayStartMs() && valuation.complete()) {
      context.getLog().info("Trading day starts at {} with equity {} {}", java.time.Instant.ofEpochMilli(dayStart), equity.toPlainString(), quoteAsset);
      events.add(new TradingDayStarted(dayStart, equity));
    }
    BigDecimal peak = PortfolioRisk.peakAfter(observedPeak, valuation);
    if (peak.compareTo(state.peakEquity().multiply(BigDecimal.ONE.add(PEAK_STEP))) > 0) {
      events.add(new EquityPeakRaised(peak, now));
    }
    if (events.isEmpty()) {
      return Effect().reply(command.replyTo(), riskFigures(state, command, valuation));
    }
    // the day start and the peak leave the ledger, and so the equity, as they are
    return Effect().persist(events).thenReply(command.replyTo(), s -> riskFigures(s, command, valuation));
  }

  private RiskFigures riskFigures(State state, GetRiskFigures command, Valuation valuation) {
    SymbolId symbol = command.symbol();
    PortfolioExposure exposure =
        PortfolioRisk.exposure(
            state.ledger(), valuation, markPrices, symbol, command.clientOrderId(), symbol == null ? null : assets.of(symbol));
    return RiskFigures.of(figures(state, valuation), exposure);
  }

  /** {@code USDT 9512.5, BTC 0.5}: each asset's cash, for the log. */
  private static String cashByAsset(Ledger ledger) {
    List<String> parts = new ArrayList<>();
    ledger.books().forEach((asset, book) -> parts.add(asset + " " + book.cash().toPlainString()));
    return String.join(", ", parts);
  }

  private ReplyEffect<Event, State> onGetRecentFills(State state, GetRecentFills command) {
    List<Fill> newestFirst = new ArrayList<>(state.recentFills());
    java.util.Collections.reverse(newestFirst);
    int limit = Math.max(0, Math.min(command.limit(), newestFirst.size()));
    return Effect().reply(command.replyTo(), new RecentFills(List.copyOf(newestFirst.subList(0, limit)), state.ledger().fills()));
  }

  /** Opens every configured cash asset the recovered ledger lacks, with its starting cash. */
  private ReplyEffect<Event, State> onOpenConfiguredAssets(State state) {
    raisePeak(state); // the recovered equity, before any price
    List<Event> opened = new ArrayList<>();
    assets.startingCash().forEach(
        (asset, cash) -> {
          if (state.ledger().book(asset) == null) {
            opened.add(new CashAssetOpened(asset, cash, clock.millis()));
          }
        });
    if (opened.isEmpty()) {
      return Effect().noReply();
    }
    context.getLog().info("Portfolio opens cash configured since its ledger began: {}", opened);
    return Effect().persist(opened).thenRun(this::raisePeak).thenNoReply();
  }

  /** The state after one event: the event handler's arithmetic, shared with {@link #persistChecked}. */
  static State apply(State state, Event event) {
    if (event instanceof FundsReserved reserved) {
      return state.withLedger(state.ledger().reserve(reserved.reservation()));
    }
    if (event instanceof FillApplied applied) {
      return state.withFill(applied.fill(), applied.asset(), applied.precision());
    }
    if (event instanceof ReservationReleased released) {
      return state.withLedger(state.ledger().release(released.clientOrderId()));
    }
    if (event instanceof TradingDayStarted started) {
      return state.dayStarted(started);
    }
    if (event instanceof EquityPeakRaised raised) {
      return state.peakRaised(raised);
    }
    if (event instanceof CashAssetOpened opened) {
      return state.withLedger(state.ledger().opened(opened.asset(), opened.startingCash()));
    }
    if (event instanceof InvariantViolated violated) {
      return state.violated(violated);
    }
    if (event instanceof EquitySampled) {
      return state;
    }
    throw new IllegalArgumentException("unknown portfolio event " + event);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Portfolio::apply);
  }
}
