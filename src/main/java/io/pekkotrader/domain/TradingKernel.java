package io.pekkotrader.domain;

import io.pekkotrader.domain.risk.KillSwitchTrigger;
import io.pekkotrader.domain.risk.PortfolioExposure;
import io.pekkotrader.domain.risk.PortfolioFigures;
import io.pekkotrader.domain.risk.PortfolioRisk;
import io.pekkotrader.domain.risk.Refusal;
import io.pekkotrader.domain.risk.RiskCheck;
import io.pekkotrader.domain.risk.RiskChecks;
import io.pekkotrader.domain.risk.RiskContext;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.RiskRequest;
import io.pekkotrader.domain.risk.RiskVerdict;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.domain.risk.VenueFilters;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The whole trading engine as one synchronous object: every symbol's {@link SymbolKernel}, pre-trade
 * risk, the {@link Ledger} and a paper venue, driven by a trade tape. No actors, no threads, no
 * wall clock: the time is the time of the data. The backtest drives it with recorded trades, {@code
 * bench pipeline} with generated ones, {@code bench ws} with the trades of its live stream; the live engine runs the same {@link SymbolKernel} and risk
 * functions inside its actors.
 *
 * <p><b>Driving it.</b> {@link #addSymbol} each symbol, then {@link #onTrade} every trade in time
 * order. Each trade first advances the kernel's time to its timestamp, delivering the paper fills
 * that became due on the way (each at its own due time), then steps the symbol's kernel with the
 * trade. Between trades the kernel can be read: {@link #fills()}, {@link #ledger()}, {@link
 * #equity()}, {@link #state}, {@link #counts()}, {@link #alerts()}. A trade older than the kernel's
 * time is refused ({@link IllegalArgumentException}) and changes nothing.
 *
 * <p><b>Carrying out the effects</b>, synchronously and in order, the inputs they lead to fed back
 * into the symbol's kernel before the next trade:
 *
 * <ul>
 *   <li>{@code AskRisk}: the verdict of {@link RiskChecks#decide} from the ledger's figures
 *       ({@link PortfolioRisk}), the kill switch, the symbol's cooldown and the order rates of the
 *       last minute, as RiskManager gathers them; an approved entry then holds a reservation on the
 *       ledger as Portfolio does (open positions, funds); answered as {@code RiskDecided}. A figure
 *       that trips a {@link KillSwitchTrigger} engages the kill switch, as RiskManager does.
 *   <li>{@code PlaceOrder}: the paper venue accepts at once and fills by the symbol's {@link
 *       PaperFillModel} as {@code PaperOrderClient} does, one fill every {@link
 *       Config#fillDelayMs}, the order ending {@code FILLED} with its last fill; a fill is stamped
 *       with the time it became due. With a delay of 0 the order fills within the same trade.
 *       With {@link Config#priceAtArrival} (the backtest's fills) the order instead reaches the
 *       venue {@link Config#fillDelayMs} after the decision, and each fill is priced and stamped
 *       by the symbol's first trade at or after its due time, never by the decision's trade.
 *   <li>{@code ConfirmFill}: the fill is booked on the ledger ({@link Ledger#applyFill}) at the
 *       quote asset's precision, as Portfolio does, and confirmed ({@code FillConfirmed}) or, when
 *       the ledger cannot take it, refused ({@code FillNotConfirmed}) with an alert.
 *   <li>{@code ReleaseReservation}: the order's reservation is released. {@code MarkPrice}: the
 *       price the ledger and risk value the symbol at, as Portfolio does: the trade that closed
 *       its last candle, not every trade; the peak equity is raised after each mark and each
 *       booked fill, as Portfolio raises it. {@code CancelOrder} and {@code QueryOrder}: the paper
 *       venue answers at once. {@code AskKillSwitch}: answered with the kill switch. {@code
 *       FollowUp}: stepped next. {@code Alert}: collected ({@link #alerts()}).
 *   <li>Timers ({@code ScheduleOrderCheck}, {@code CancelOrderCheck}, {@code ScheduleFillResend}),
 *       {@code SyncPortfolio}, {@code ReconciliationMismatch} and {@code Log} need nothing here: the
 *       paper venue always answers and the ledger is in the same object.
 * </ul>
 *
 * <p>Events are applied to the symbol's state as the actor's event handler applies them ({@link
 * SymbolEvent#applyTo}), one sequence number each. A change of the kill switch reaches every other
 * symbol before its next trade, as the topic announcement would. Candles close when their time is
 * up: at the candle clock's tick ({@link Config#tickIntervalMs}, by default every candle interval
 * as the live symbols tick) or on the symbol's first trade after it, whichever comes first. Every symbol trades in the one quote asset of the
 * {@link Config}, which is the account asset.
 *
 * <p>Deterministic: the same tape gives the same fills, decisions and ledger; decision ids count up
 * ({@code risk-1}, ...). Used by one thread at a time.
 */
public final class TradingKernel {

  /** Orders approved within this window count towards the order rates. */
  private static final long RATE_WINDOW_MS = 60_000;

  /**
   * The engine's settings.
   *
   * @param quoteAsset the account asset every symbol is quoted in, e.g. {@code USDT}
   * @param startingCash cash at start, > 0
   * @param precision the quote asset's precision, which fills and reservations are booked at
   * @param candleIntervalMs the candle interval
   * @param candleHistory closed candles kept per symbol
   * @param limits the risk limits
   * @param tradingDay when the daily loss limit starts counting again
   * @param cooldownAfterExitMs no entry on a symbol this long after its exit was approved
   * @param priceBuffer extra funds reserved for a market buy, as a fraction of its notional
   * @param feeRate fee rate reserved on top
   * @param fillDelayMs time from the order to its first fill, and between fills, >= 0
   * @param priceAtArrival whether a fill is priced by the symbol's first trade at or after its due
   *     time (a backtest's latency) rather than by the last price at the decision
   * @param tickIntervalMs the candle clock: every symbol is stepped with {@code Tick} at each
   *     multiple of it on data time, as each SymbolTrader's timer ticks (at the candle interval) in
   *     the live engine, so a candle closes when its time is up even if no trade follows; 0: no
   *     clock, candles close on the symbol's next trade
   */
  public record Config(
      String quoteAsset,
      BigDecimal startingCash,
      AssetPrecision precision,
      long candleIntervalMs,
      int candleHistory,
      RiskLimits limits,
      TradingDay tradingDay,
      long cooldownAfterExitMs,
      BigDecimal priceBuffer,
      BigDecimal feeRate,
      long fillDelayMs,
      boolean priceAtArrival,
      long tickIntervalMs) {
    /** The candle clock ticking every candle interval, as the live engine's symbols tick. */
    public Config(
        String quoteAsset, BigDecimal startingCash, AssetPrecision precision, long candleIntervalMs, int candleHistory, RiskLimits limits,
        TradingDay tradingDay, long cooldownAfterExitMs, BigDecimal priceBuffer, BigDecimal feeRate, long fillDelayMs,
        boolean priceAtArrival) {
      this(quoteAsset, startingCash, precision, candleIntervalMs, candleHistory, limits, tradingDay, cooldownAfterExitMs, priceBuffer, feeRate,
          fillDelayMs, priceAtArrival, candleIntervalMs);
    }

    /** Fills priced by the last price at the decision, as {@code PaperOrderClient} fills; the candle clock every candle interval. */
    public Config(
        String quoteAsset, BigDecimal startingCash, AssetPrecision precision, long candleIntervalMs, int candleHistory, RiskLimits limits,
        TradingDay tradingDay, long cooldownAfterExitMs, BigDecimal priceBuffer, BigDecimal feeRate, long fillDelayMs) {
      this(quoteAsset, startingCash, precision, candleIntervalMs, candleHistory, limits, tradingDay, cooldownAfterExitMs, priceBuffer, feeRate,
          fillDelayMs, false);
    }

    public Config {
      Objects.requireNonNull(quoteAsset, "quoteAsset");
      Objects.requireNonNull(precision, "precision");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(tradingDay, "tradingDay");
      if (startingCash == null || startingCash.signum() <= 0 || candleIntervalMs <= 0 || candleHistory < 1
          || cooldownAfterExitMs < 0 || fillDelayMs < 0 || priceBuffer.signum() < 0 || feeRate.signum() < 0 || tickIntervalMs < 0) {
        throw new IllegalArgumentException(
            "need starting cash > 0, candle interval > 0, history >= 1, cooldown, fill delay, price buffer, fee rate and tick interval >= 0");
      }
      if (!limits.violations().isEmpty()) {
        throw new IllegalArgumentException("risk limits: " + limits.violations());
      }
    }
  }

  /**
   * One symbol to trade.
   *
   * @param symbol the instrument
   * @param strategy its strategy
   * @param params its order sizing and cooldown
   * @param fillModel how the paper venue fills its orders
   * @param filters the venue's rules for it
   */
  public record Listing(
      SymbolId symbol, Strategy strategy, TradingDecisions.Params params, PaperFillModel fillModel, VenueFilters filters) {}

  /**
   * What the kernel did so far.
   *
   * @param trades trades stepped
   * @param decisions candles closed (by a trade or the clock's tick), each of which ran the strategy
   * @param entries entry intents
   * @param exits exit intents
   * @param approved intents risk approved
   * @param rejected intents risk rejected
   * @param fills fills booked on the ledger
   */
  public record Counts(long trades, long decisions, long entries, long exits, long approved, long rejected, long fills) {}

  /** One symbol: its kernel, its persisted state and the sequence number of its last event. */
  private static final class Slot {
    final Listing listing;
    final String id;
    final SymbolKernel kernel;
    SymbolState state;
    long sequenceNr;
    SymbolKernel.KillSwitch announced = SymbolKernel.KillSwitch.RELEASED;
    final ArrayDeque<Long> approvals = new ArrayDeque<>();
    /**
     * Orders waiting for a trade at or after their due time ({@link Config#priceAtArrival}); null
     * until the first, so a trade of a symbol that never ordered touches no list.
     */
    List<PaperOrder> arriving;

    Slot(Listing listing, Config config) {
      this.listing = listing;
      this.id = listing.symbol().id();
      this.kernel = new SymbolKernel(listing.symbol(), listing.strategy(), listing.params(), config.candleIntervalMs(), config.candleHistory(), null);
      this.state = SymbolState.initial(listing.symbol());
    }
  }

  /**
   * A paper order: every fill it will get, how many were delivered, and whether it ended. Priced at
   * arrival, a fill is replaced by the one priced at its trade when delivered, and {@code dueMs} is
   * when the next may be.
   */
  private static final class PaperOrder {
    final Slot slot;
    final List<Fill> fills;
    final OrderIntent intent;
    long dueMs;
    int delivered;
    boolean ended;

    PaperOrder(Slot slot, List<Fill> fills, OrderIntent intent) {
      this.slot = slot;
      this.fills = fills;
      this.intent = intent;
    }
  }

  /** The next fill of {@code order}, due at {@code dueMs}; {@code seq} keeps equal due times in order. */
  private record Due(long dueMs, long seq, PaperOrder order) {}

  private final Config config;
  private final Map<SymbolId, Slot> slots = new LinkedHashMap<>();
  /** Orders ended long ago are forgotten, as a venue forgets them: a backtest of millions of trades holds a bounded book. */
  private static final int ENDED_ORDERS_KEPT = 1_024;

  /**
   * The paper venue's orders by client order id, oldest first: every working order and the last
   * {@value #ENDED_ORDERS_KEPT} or so that ended (answered by a query; an older one is unknown).
   */
  private final LinkedHashMap<String, PaperOrder> paperBook =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PaperOrder> eldest) {
          return size() > ENDED_ORDERS_KEPT && eldest.getValue().ended;
        }
      };
  private final PriorityQueue<Due> due =
      new PriorityQueue<>((a, b) -> a.dueMs != b.dueMs ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
  private final ArrayDeque<Long> approvals = new ArrayDeque<>();
  private final Map<String, Long> cooldownsUntilMs = new HashMap<>();
  private final Set<String> firedTriggers = new HashSet<>();
  private final List<Fill> fills = new ArrayList<>();
  private final List<SymbolKernel.Alert> alerts = new ArrayList<>();
  private final ArrayDeque<SymbolKernel.Input> inputs = new ArrayDeque<>();
  private final RunningLedger ledger;
  private SymbolKernel.KillSwitch killSwitch = SymbolKernel.KillSwitch.RELEASED;
  private long nowMs = Long.MIN_VALUE;
  /** The candle clock's next tick; {@link Long#MIN_VALUE} until the time first moves. */
  private long nextTickMs = Long.MIN_VALUE;
  private long dueSeq;
  private long decisionSeq;
  private long dayStartMs;
  private BigDecimal dayStartEquity;
  private BigDecimal peakEquity;
  private long trades;
  private long decisions;
  private long entries;
  private long exits;
  private long approved;
  private long rejected;
  private BiConsumer<SymbolId, SymbolEvent> journal;

  public TradingKernel(Config config) {
    this.config = config;
    this.ledger = RunningLedger.start(config.quoteAsset(), config.startingCash());
    this.dayStartEquity = config.startingCash();
    this.peakEquity = config.startingCash();
  }

  /** Adds a symbol, flat and warming up; refused when it is there already. */
  public void addSymbol(Listing listing) {
    if (slots.containsKey(listing.symbol())) {
      throw new IllegalArgumentException(listing.symbol() + " is traded already");
    }
    Slot slot = new Slot(listing, config);
    slots.put(listing.symbol(), slot);
    run(slot, SymbolKernel.Recovered.INSTANCE, Math.max(nowMs, 0));
  }

  /**
   * Advances the time to the trade's timestamp (delivering the fills due by then), then steps the
   * symbol with the trade and carries out everything it leads to.
   *
   * @throws IllegalArgumentException the symbol is not traded, or the trade is older than the kernel's time
   */
  public void onTrade(SymbolId symbol, Trade trade) {
    Slot slot = slots.get(symbol);
    if (slot == null) {
      throw new IllegalArgumentException(symbol + " is not traded here");
    }
    onTrade(slot, trade);
  }

  /**
   * A symbol's way in for a caller that feeds it many trades: {@link #onTrade(SymbolId, Trade)}
   * without looking the symbol up each time.
   */
  public final class Feed {
    private final Slot slot;

    private Feed(Slot slot) {
      this.slot = slot;
    }

    public SymbolId symbol() {
      return slot.listing.symbol();
    }

    /** As {@link TradingKernel#onTrade(SymbolId, Trade)} for this symbol. */
    public void onTrade(Trade trade) {
      TradingKernel.this.onTrade(slot, trade);
    }
  }

  /** The feed of a symbol traded here. */
  public Feed feed(SymbolId symbol) {
    Slot slot = slots.get(symbol);
    if (slot == null) {
      throw new IllegalArgumentException(symbol + " is not traded here");
    }
    return new Feed(slot);
  }

  private void onTrade(Slot slot, Trade trade) {
    if (trade.timestampMs() < nowMs) {
      throw new IllegalArgumentException(
          "trade " + trade.tradeId() + " of " + slot.id + " at " + trade.timestampMs() + " is older than the kernel's time " + nowMs
              + ": feed trades in time order");
    }
    advanceTo(trade.timestampMs());
    trades++;
    if (slot.arriving != null && !slot.arriving.isEmpty()) {
      fillArrived(slot, trade);
    }
    run(slot, new SymbolKernel.Trades(List.of(trade)), nowMs);
  }

  /**
   * Moves the time to {@code timeMs} (never back), on the way delivering the paper fills and
   * running the candle clock's ticks due by then, each at its own time, in time order; a fill and
   * a tick at the same millisecond: the fill first. The first tick is the first multiple of
   * {@link Config#tickIntervalMs} after the time the kernel first moved to.
   */
  public void advanceTo(long timeMs) {
    long interval = config.tickIntervalMs();
    if (interval > 0 && nextTickMs == Long.MIN_VALUE) {
      nextTickMs = (Math.floorDiv(Math.max(nowMs, timeMs), interval) + 1) * interval;
    }
    while (true) {
      long fillAt = due.isEmpty() ? Long.MAX_VALUE : due.peek().dueMs();
      long tickAt = interval > 0 ? nextTickMs : Long.MAX_VALUE;
      if (Math.min(fillAt, tickAt) > timeMs) {
        break;
      }
      if (fillAt <= tickAt) {
        nowMs = Math.max(nowMs, fillAt);
        deliver(due.poll());
      } else {
        nowMs = Math.max(nowMs, tickAt);
        nextTickMs += interval;
        tick();
      }
    }
    nowMs = Math.max(nowMs, timeMs);
  }

  /** The candle clock: every symbol, in the order they were added. */
  private void tick() {
    for (Slot slot : slots.values()) {
      run(slot, SymbolKernel.Tick.INSTANCE, nowMs);
    }
  }

  /** Engages the kill switch now: entries are rejected, every symbol halts at its next trade. */
  public void engageKillSwitch(String reason) {
    if (!killSwitch.engaged()) {
      killSwitch = new SymbolKernel.KillSwitch(true, reason, nowMs);
    }
  }

  /** Releases the kill switch now. */
  public void releaseKillSwitch() {
    if (killSwitch.engaged()) {
      killSwitch = new SymbolKernel.KillSwitch(false, null, nowMs);
    }
  }

  /**
   * Hands every event a symbol persists to {@code journal} too, in the order it is applied (null:
   * to nobody): what the symbol's actor would write to its journal.
   */
  public void journalTo(BiConsumer<SymbolId, SymbolEvent> journal) {
    this.journal = journal;
  }

  // ---- readers ------------------------------------------------------------------------------

  /** The kernel's time: the latest trade's or due fill's, {@link Long#MIN_VALUE} before any. */
  public long nowMs() {
    return nowMs;
  }

  /** Every fill booked so far, oldest first. */
  public List<Fill> fills() {
    return Collections.unmodifiableList(fills);
  }

  /** The ledger now, as the portfolio would hold it (a copy: it walks every position; {@link #equity()} does not). */
  public Ledger ledger() {
    return ledger.toLedger();
  }

  /** Equity in the quote asset at the marked prices ({@link #lastPrices()}), kept as marks move (no walk over the positions). */
  public BigDecimal equity() {
    return ledger.equity();
  }

  /** The ledger's figures in the account asset at the marked prices, kept as marks move. */
  public Valuation valuation() {
    return ledger.valuation();
  }

  /** The price each symbol was last marked at (the trade that closed its last candle), per symbol id. */
  public Map<String, BigDecimal> lastPrices() {
    return ledger.lastPrices();
  }

  /** The symbol's persisted state (its phase, position, working order). */
  public SymbolState state(SymbolId symbol) {
    Slot slot = slots.get(symbol);
    if (slot == null) {
      throw new IllegalArgumentException(symbol + " is not traded here");
    }
    return slot.state;
  }

  /** The symbols traded, in the order they were added. */
  public List<SymbolId> symbols() {
    return List.copyOf(slots.keySet());
  }

  /** Trades that closed a candle and so ran the strategy ({@link Counts#decisions}), without building the counts. */
  public long decisions() {
    return decisions;
  }

  public Counts counts() {
    return new Counts(trades, decisions, entries, exits, approved, rejected, fills.size());
  }

  /** The alerts raised, oldest first. */
  public List<SymbolKernel.Alert> alerts() {
    return Collections.unmodifiableList(alerts);
  }

  public SymbolKernel.KillSwitch killSwitch() {
    return killSwitch;
  }

  // ---- stepping -----------------------------------------------------------------------------

  /** Steps the symbol with {@code input} and then with every input its effects lead to, in order. */
  private void run(Slot slot, SymbolKernel.Input input, long atMs) {
    announceKillSwitch(slot);
    inputs.add(input);
    drain(slot, atMs);
  }

  /** Steps the symbol with {@code first}, in order, and then with every input their effects lead to. */
  private void run(Slot slot, List<SymbolKernel.Input> first, long atMs) {
    announceKillSwitch(slot);
    inputs.addAll(first);
    drain(slot, atMs);
  }

  /** A change of the kill switch reaches the symbol before anything else it is stepped with. */
  private void announceKillSwitch(Slot slot) {
    if (slot.announced != killSwitch) {
      slot.announced = killSwitch;
      inputs.add(new SymbolKernel.KillSwitchChanged(killSwitch));
    }
  }

  /** Steps the symbol with every input queued, and the inputs their effects lead to, in order. */
  private void drain(Slot slot, long atMs) {
    while (!inputs.isEmpty()) {
      SymbolKernel.Input next = inputs.poll();
      SymbolKernel.Decision decision = slot.kernel.step(slot.state, next, atMs, slot.sequenceNr + 1);
      List<SymbolEvent> events = decision.events();
      for (int i = 0; i < events.size(); i++) {
        SymbolEvent event = events.get(i);
        slot.state = event.applyTo(slot.state);
        count(event);
        if (journal != null) {
          journal.accept(slot.listing.symbol(), event);
        }
      }
      slot.sequenceNr += events.size();
      List<SymbolKernel.Effect> effects = decision.effects();
      for (int i = 0; i < effects.size(); i++) {
        carryOut(slot, effects.get(i), next, atMs);
      }
    }
  }

  private void count(SymbolEvent event) {
    if (event instanceof SymbolEvent.EntryIntended) {
      entries++;
    } else if (event instanceof SymbolEvent.ExitIntended) {
      exits++;
    } else if (event instanceof SymbolEvent.IntentApproved) {
      approved++;
    } else if (event instanceof SymbolEvent.IntentRejected) {
      rejected++;
    }
  }

  private void carryOut(Slot slot, SymbolKernel.Effect effect, SymbolKernel.Input cause, long atMs) {
    if (effect instanceof SymbolKernel.Log) {
      return;
    }
    if (effect instanceof SymbolKernel.MarkPrice mark) {
      // Portfolio values the symbol at its marks (one per closed candle), not at every trade
      ledger.mark(slot.id, mark.price());
      peakEquity = PortfolioRisk.peakAfter(peakEquity, ledger.valuation());
      if (cause instanceof SymbolKernel.Trades || cause == SymbolKernel.Tick.INSTANCE) {
        decisions++;
      }
    } else if (effect instanceof SymbolKernel.AskRisk ask) {
      inputs.add(decide(slot, ask, atMs));
    } else if (effect instanceof SymbolKernel.PlaceOrder place) {
      place(slot, place, atMs);
    } else if (effect instanceof SymbolKernel.ConfirmFill confirm) {
      inputs.add(book(confirm.fill()));
    } else if (effect instanceof SymbolKernel.ReleaseReservation release) {
      ledger.release(release.clientOrderId());
    } else if (effect instanceof SymbolKernel.CancelOrder cancel) {
      PaperOrder order = paperBook.get(cancel.clientOrderId());
      if (order != null && !order.ended) {
        order.ended = true;
        inputs.add(reported(new SymbolKernel.VenueUpdate.Ended(cancel.clientOrderId(), OrderStatus.CANCELED, "canceled")));
      }
    } else if (effect instanceof SymbolKernel.QueryOrder query) {
      inputs.add(new SymbolKernel.OrderQueried(status(query.clientOrderId())));
    } else if (effect == SymbolKernel.AskKillSwitch.INSTANCE) {
      inputs.add(new SymbolKernel.KillSwitchChanged(killSwitch));
    } else if (effect instanceof SymbolKernel.FollowUp followUp) {
      inputs.add(followUp.input());
    } else if (effect instanceof SymbolKernel.Alert alert) {
      alerts.add(alert);
    }
    // timers, SyncPortfolio and ReconciliationMismatch: nothing to do (see the class comment)
  }

  private static SymbolKernel.OrderReported reported(SymbolKernel.VenueUpdate update) {
    return new SymbolKernel.OrderReported(update);
  }

  // ---- risk ---------------------------------------------------------------------------------

  /** RiskManager's decision on one intent, with Portfolio's reservation for an approved entry. */
  private SymbolKernel.RiskDecided decide(Slot slot, SymbolKernel.AskRisk ask, long atMs) {
    OrderIntent intent = ask.intent();
    RiskVerdict verdict;
    if (intent.kind() == IntentKind.EXIT) {
      verdict = verdict(slot, ask, null, null, atMs);
    } else {
      Valuation valuation = ledger.valuation();
      PortfolioFigures figures = figures(valuation, atMs);
      KillSwitchTrigger trigger = killSwitch.engaged() ? null : KillSwitchTrigger.check(figures, config.limits(), firedTriggers);
      if (trigger != null) {
        firedTriggers.add(trigger.key());
        killSwitch = new SymbolKernel.KillSwitch(true, trigger.code() + ": " + trigger.reason(), atMs);
        alerts.add(new SymbolKernel.Alert(SymbolKernel.Severity.CRITICAL, "Kill switch engaged", "New entries are rejected; exits are still allowed.",
            Map.of("reason", killSwitch.reason(), "by", "automatic")));
      }
      PortfolioExposure exposure = ledger.exposure(intent.symbol(), intent.clientOrderId());
      verdict = verdict(slot, ask, figures, exposure, atMs);
      if (verdict.approved()) {
        verdict = reserve(intent);
      }
    }
    String decisionId = "risk-" + (++decisionSeq);
    if (verdict.approved()) {
      slot.approvals.add(atMs);
      approvals.add(atMs);
      if (intent.kind() == IntentKind.EXIT) {
        cooldownsUntilMs.put(slot.id, atMs + config.cooldownAfterExitMs());
      }
    }
    return new SymbolKernel.RiskDecided(intent.clientOrderId(), decisionId, verdict.approved(), verdict.reasonCode(), verdict.message(), atMs);
  }

  private RiskVerdict verdict(Slot slot, SymbolKernel.AskRisk ask, PortfolioFigures figures, PortfolioExposure exposure, long atMs) {
    long from = atMs - RATE_WINDOW_MS;
    prune(slot.approvals, from);
    prune(approvals, from);
    return RiskChecks.decide(
        new RiskRequest(ask.intent(), ask.stopPrice(), null),
        config.limits(),
        killSwitch.engaged() ? killSwitch.reason() : null,
        figures,
        exposure,
        new RiskContext.SymbolConditions(cooldownsUntilMs.getOrDefault(slot.id, 0L), false, slot.listing.filters()),
        new RiskContext.OrderRates(slot.approvals.size(), approvals.size()),
        atMs);
  }

  /** Drops the approvals at or before {@code fromMs}: RiskManager counts those after it. */
  private static void prune(ArrayDeque<Long> times, long fromMs) {
    while (!times.isEmpty() && times.peekFirst() <= fromMs) {
      times.pollFirst();
    }
  }

  /** Portfolio's figures: a new trading day starts with the equity of its first decision; the peak follows the equity. */
  private PortfolioFigures figures(Valuation valuation, long atMs) {
    long dayStart = config.tradingDay().startOf(atMs);
    if (dayStart > dayStartMs && valuation.complete()) {
      dayStartMs = dayStart;
      dayStartEquity = valuation.equity();
    }
    peakEquity = PortfolioRisk.peakAfter(peakEquity, valuation);
    List<String> broken = ledger.violations();
    return PortfolioRisk.figures(valuation, peakEquity, peakEquity, dayStartMs, dayStartEquity, broken.isEmpty() ? null : String.join("; ", broken));
  }

  /** Portfolio's reservation for an approved entry: the open-positions rule again, then the funds. */
  private RiskVerdict reserve(OrderIntent intent) {
    String tooMany =
        RiskCheck.openPositionsFailure(
            ledger.openPositions() + ledger.workingEntries(intent.clientOrderId()), config.limits().maxOpenPositions());
    if (tooMany != null) {
      return new RiskVerdict(false, RiskCheck.MAX_OPEN_POSITIONS.code(), tooMany);
    }
    String asset = ledger.asset();
    BigDecimal amount =
        config.precision().covering(
            OrderSizing.reservationFor(intent.quantity(), intent.referencePrice(), config.priceBuffer(), config.feeRate()));
    if (!ledger.canReserve(intent.clientOrderId(), amount)) {
      return new RiskVerdict(false, Refusal.INSUFFICIENT_FUNDS.code(),
          "needs " + amount.toPlainString() + " " + asset + ", available " + ledger.available().toPlainString() + " " + asset);
    }
    ledger.reserve(new Reservation(intent.clientOrderId(), intent.symbol(), amount, asset));
    return new RiskVerdict(true, RiskVerdict.APPROVED, "every check passed; reserved");
  }

  // ---- ledger -------------------------------------------------------------------------------

  /** Books a fill as Portfolio does, once per trade id; the answer goes back to the symbol. */
  private SymbolKernel.Input book(Fill reported) {
    if (ledger.hasApplied(reported.tradeId())) {
      return new SymbolKernel.FillConfirmed(reported.tradeId());
    }
    String why = ledger.whyNotApplicable(reported);
    if (why != null) {
      alerts.add(new SymbolKernel.Alert(SymbolKernel.Severity.CRITICAL, "Fill refused: " + reported.symbol(), why,
          Map.of("tradeId", reported.tradeId(), "clientOrderId", reported.clientOrderId())));
      return new SymbolKernel.FillNotConfirmed(reported.tradeId(), why);
    }
    Fill fill = reported.withFee(config.precision().round(reported.fee()));
    ledger.applyFill(fill, config.precision());
    peakEquity = PortfolioRisk.peakAfter(peakEquity, ledger.valuation());
    fills.add(fill);
    return new SymbolKernel.FillConfirmed(fill.tradeId());
  }

  // ---- paper venue --------------------------------------------------------------------------

  /** Accepts the order at once; its fills become due one {@link Config#fillDelayMs} apart. */
  private void place(Slot slot, SymbolKernel.PlaceOrder place, long atMs) {
    OrderIntent intent = place.intent();
    if (paperBook.containsKey(intent.clientOrderId())) {
      return;
    }
    PaperOrder order = new PaperOrder(slot, new ArrayList<>(slot.listing.fillModel().fills(intent, place.price(), atMs)), intent);
    paperBook.put(intent.clientOrderId(), order);
    inputs.add(reported(new SymbolKernel.VenueUpdate.Accepted(intent.clientOrderId(), "paper-" + intent.clientOrderId())));
    long dueMs = atMs + config.fillDelayMs();
    if (config.priceAtArrival()) {
      order.dueMs = dueMs;
      if (slot.arriving == null) {
        slot.arriving = new ArrayList<>(2);
      }
      slot.arriving.add(order);
      return;
    }
    if (config.fillDelayMs() == 0) {
      // due now: delivered within this step, after the acknowledgement
      for (int i = 0; i < order.fills.size(); i++) {
        inputs.addAll(delivered(order, dueMs));
      }
    } else {
      due.add(new Due(dueMs, dueSeq++, order));
    }
  }

  /**
   * Priced at arrival: each order of the symbol whose next fill is due by {@code trade} gets that
   * fill at the trade's price and time; the symbol is stepped with them before the trade.
   */
  private void fillArrived(Slot slot, Trade trade) {
    List<SymbolKernel.Input> reports = new ArrayList<>();
    for (int i = 0; i < slot.arriving.size(); i++) {
      PaperOrder order = slot.arriving.get(i);
      if (!order.ended && order.dueMs <= trade.timestampMs()) {
        Fill priced = slot.listing.fillModel().fills(order.intent, trade.price(), trade.timestampMs()).get(order.delivered);
        order.fills.set(order.delivered, priced);
        reports.addAll(delivered(order, trade.timestampMs()));
        order.dueMs = trade.timestampMs() + config.fillDelayMs();
      }
    }
    slot.arriving.removeIf(order -> order.ended);
    if (!reports.isEmpty()) {
      run(slot, reports, trade.timestampMs());
    }
  }

  /** Delivers one due fill (and the order's end with its last one) and steps its symbol with them. */
  private void deliver(Due next) {
    PaperOrder order = next.order();
    List<SymbolKernel.Input> reports = delivered(order, next.dueMs());
    if (reports.isEmpty()) {
      return;
    }
    if (!order.ended) {
      due.add(new Due(next.dueMs() + config.fillDelayMs(), dueSeq++, order));
    }
    run(order.slot, reports, next.dueMs());
  }

  /** The order's next fill, stamped {@code atMs}, and its end when it is the last; none once it ended. */
  private static List<SymbolKernel.Input> delivered(PaperOrder order, long atMs) {
    if (order.ended) {
      return List.of();
    }
    Fill planned = order.fills.get(order.delivered++);
    Fill fill = new Fill(planned.tradeId(), planned.clientOrderId(), planned.symbol(), planned.side(), planned.quantity(),
        planned.price(), planned.fee(), atMs);
    SymbolKernel.Input filled = reported(new SymbolKernel.VenueUpdate.Filled(fill.clientOrderId(), fill));
    if (order.delivered < order.fills.size()) {
      return List.of(filled);
    }
    order.ended = true;
    return List.of(filled, reported(new SymbolKernel.VenueUpdate.Ended(fill.clientOrderId(), OrderStatus.FILLED, "filled")));
  }

  /** Everything the paper venue knows of an order, as {@code PaperOrderClient#query} answers. */
  private SymbolKernel.VenueUpdate.Status status(String clientOrderId) {
    PaperOrder order = paperBook.get(clientOrderId);
    if (order == null) {
      return new SymbolKernel.VenueUpdate.Status(clientOrderId, false, List.of(), null);
    }
    return new SymbolKernel.VenueUpdate.Status(
        clientOrderId,
        true,
        List.copyOf(order.fills.subList(0, order.delivered)),
        !order.ended ? null : order.delivered == order.fills.size() ? OrderStatus.FILLED : OrderStatus.CANCELED);
  }
}
