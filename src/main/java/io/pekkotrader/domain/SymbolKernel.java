package io.pekkotrader.domain;

import io.pekkotrader.domain.risk.RiskCheck;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one traded symbol decides, as one step function: {@code (state, input, now) →
 * (events, effects, reply)}. {@link TradingDecisions#next} generalised to every input the symbol
 * gets, so that a backtest and the live engine can drive the same kernel and only the clock
 * differs.
 *
 * <p><b>State.</b> The persisted state is {@link SymbolState}, unchanged: the kernel never
 * changes it, it returns {@link SymbolEvent}s, which the caller persists and applies with the
 * same {@link SymbolState} methods ({@link SymbolEvent#applyTo}). The volatile state (market data
 * is re-read, not journaled) lives in this object: the candles ({@link CandleAggregator}), the
 * last trade price, the last decision in words, the kill switch as last announced, and whether
 * the recovered state was validated. One kernel per symbol, used by one thread at a time.
 *
 * <p><b>Rules.</b> Deterministic: no I/O, no wall clock (the time is {@code nowMs}, an input), no
 * actors, no randomness. The client order id of an intent is derived from the sequence number its
 * event will be persisted under ({@code nextSequenceNr}, see {@link ClientOrderIds}).
 *
 * <p><b>Inputs</b> ({@link Input}): trades, the clock's tick, the kill switch, risk's verdict (or
 * its absence), the venue's reports and query answers, Portfolio's fill acknowledgements,
 * operator commands, recovery, and the follow-ups the kernel asked for itself ({@link
 * FlattenNow}, {@link PauseNow}).
 *
 * <p><b>Outputs</b> ({@link Decision}): the events to persist, the {@link Effect}s to carry out
 * once they are persisted (ask risk, place / cancel / query an order, confirm a fill, release a
 * reservation, mark a price, alert, log, schedule a check, feed an input back), and a reply to an
 * operator. The caller decides nothing: it persists, carries out the effects in order, replies.
 */
public final class SymbolKernel {

  // ---- inputs ------------------------------------------------------------------------------

  /** Something that happened to the symbol, for {@link #step}. */
  public sealed interface Input {}

  /** Trades of this symbol, oldest first. */
  public record Trades(List<Trade> trades) implements Input {}

  /** The candle clock: close candles by time, end cooldowns. */
  public enum Tick implements Input {
    INSTANCE
  }

  /** The journal was replayed: validate, repair, resume open work. */
  public enum Recovered implements Input {
    INSTANCE
  }

  /** The kill switch changed (announced, or risk's answer). {@code reason}: null when released. */
  public record KillSwitchChanged(KillSwitch status) implements Input {}

  /** Risk's verdict on the working intent. */
  public record RiskDecided(
      String clientOrderId, String decisionId, boolean approved, String reasonCode, String message, long atMs)
      implements Input {}

  /** Risk did not answer about {@code clientOrderId} ({@code why}). */
  public record RiskMissing(String clientOrderId, String why) implements Input {}

  /** A report the venue pushed about one of this symbol's orders. */
  public record OrderReported(VenueUpdate update) implements Input {}

  /** The venue's answer to a query: everything it knows of the order. */
  public record OrderQueried(VenueUpdate.Status status) implements Input {}

  /** Time to ask the venue about {@code clientOrderId} (a check timer, or a query that failed). */
  public record OrderCheckDue(String clientOrderId) implements Input {}

  /** Portfolio applied the fill {@code tradeId}. */
  public record FillConfirmed(String tradeId) implements Input {}

  /** Portfolio did not apply the fill {@code tradeId}, for {@code error}. */
  public record FillNotConfirmed(String tradeId, String error) implements Input {}

  /** Time to send Portfolio again the fills it has not confirmed. */
  public enum ResendUnconfirmedFills implements Input {
    INSTANCE
  }

  /** Operator pause: no entries until resumed; allowed while flat. */
  public enum Pause implements Input {
    INSTANCE
  }

  /** Operator resume of a paused symbol. */
  public enum Resume implements Input {
    INSTANCE
  }

  /** Emergency stop for this symbol: cancel a working entry, exit the whole position. */
  public record Flatten(String reason) implements Input {}

  /** One symbol's flatten: exit the whole position, then pause. */
  public record FlattenAndPause(String reason) implements Input {}

  /** A pending flatten can go on now (asked for by the kernel itself). */
  public enum FlattenNow implements Input {
    INSTANCE
  }

  /** A pause due after a flatten can be carried out now (asked for by the kernel itself). */
  public enum PauseNow implements Input {
    INSTANCE
  }

  /** The kill switch. {@code reason}: why it was engaged (null when released). */
  public record KillSwitch(boolean engaged, String reason, long sinceMs) {
    public static final KillSwitch RELEASED = new KillSwitch(false, null, 0);
  }

  /** What a venue says about an order, venue-neutral. */
  public sealed interface VenueUpdate {
    String clientOrderId();

    /** The venue accepted the order. */
    record Accepted(String clientOrderId, String venueOrderId) implements VenueUpdate {}

    /** One execution. */
    record Filled(String clientOrderId, Fill fill) implements VenueUpdate {}

    /** The order is final. */
    record Ended(String clientOrderId, OrderStatus status, String reason) implements VenueUpdate {}

    /** Everything the venue knows of the order; {@code known} false: none; {@code finalStatus} null: working. */
    record Status(String clientOrderId, boolean known, List<Fill> fills, OrderStatus finalStatus) implements VenueUpdate {}
  }

  // ---- outputs -----------------------------------------------------------------------------

  /** Something for the caller to carry out, once the step's events are persisted. */
  public sealed interface Effect {}

  /** Ask risk about {@code intent}; {@code stopPrice} for an entry, null for an exit. */
  public record AskRisk(OrderIntent intent, BigDecimal stopPrice) implements Effect {}

  /** Ask risk where the kill switch stands (answered as {@link KillSwitchChanged}). */
  public enum AskKillSwitch implements Effect {
    INSTANCE
  }

  /** Send the approved order to the venue at {@code price}. */
  public record PlaceOrder(OrderIntent intent, BigDecimal price) implements Effect {}

  /** Cancel the order at the venue. */
  public record CancelOrder(String clientOrderId) implements Effect {}

  /** Ask the venue what it knows of the order (answered as {@link OrderQueried} or {@link OrderCheckDue}). */
  public record QueryOrder(String clientOrderId) implements Effect {}

  /** Check the order at the venue after the ask timeout, unless it ends first ({@link OrderCheckDue}). */
  public record ScheduleOrderCheck(String clientOrderId) implements Effect {}

  /** The order ended: no more checks. */
  public record CancelOrderCheck(String clientOrderId) implements Effect {}

  /** Send Portfolio the fill (answered as {@link FillConfirmed} or {@link FillNotConfirmed}). */
  public record ConfirmFill(Fill fill) implements Effect {}

  /** Send the unconfirmed fills again after the ask timeout ({@link ResendUnconfirmedFills}). */
  public enum ScheduleFillResend implements Effect {
    INSTANCE
  }

  /** Release Portfolio's reservation for the order. */
  public record ReleaseReservation(String clientOrderId) implements Effect {}

  /** Tell Portfolio the symbol's last price. */
  public record MarkPrice(BigDecimal price) implements Effect {}

  /** Tell Portfolio which order of the symbol is open (null: none), after recovery. */
  public record SyncPortfolio(String openClientOrderId) implements Effect {}

  /** Raise an alert. */
  public record Alert(Severity severity, String title, String text, Map<String, String> fields) implements Effect {}

  /** Reconciliation found {@code count} mismatches of {@code kind}. */
  public record ReconciliationMismatch(Mismatch kind, int count) implements Effect {}

  /** Log {@code text} (the symbol is prepended), correlated with the order and risk decision when given. */
  public record Log(Level level, String clientOrderId, String decisionId, String text) implements Effect {}

  /** Feed {@code input} back to the kernel as a new step. */
  public record FollowUp(Input input) implements Effect {}

  /** An alert's severity. */
  public enum Severity {
    WARN,
    CRITICAL
  }

  /** A log line's level. */
  public enum Level {
    INFO,
    WARN,
    ERROR
  }

  /** What reconciliation found amiss. */
  public enum Mismatch {
    MISSING_FILL,
    UNKNOWN_ORDER
  }

  /** An answer to an operator: {@code error} null when carried out (or nothing to do: {@code outcome} says which). */
  public record Reply(String outcome, String error) {}

  /**
   * One step's answer. {@code stash}: the input cannot be handled before recovery is validated;
   * the caller keeps it and hands it in again afterwards.
   */
  public record Decision(List<SymbolEvent> events, List<Effect> effects, Reply reply, boolean stash) {
    static final Decision STASH = new Decision(List.of(), List.of(), null, true);
    static final Decision NOTHING = new Decision(List.of(), List.of(), null, false);

    public Decision {
      // most steps (a trade inside a candle) decide nothing: no copy then
      events = events.isEmpty() ? List.of() : List.copyOf(events);
      effects = effects.isEmpty() ? List.of() : List.copyOf(effects);
    }
  }

  // ---- the kernel --------------------------------------------------------------------------

  private final SymbolId symbol;
  private final Strategy strategy;
  private final TradingDecisions.Params params;
  private final String unusable;
  private final CandleAggregator candles;
  private BigDecimal lastPrice;
  private String lastDecision = "starting";
  private boolean validated;
  private KillSwitch killSwitch = KillSwitch.RELEASED;

  /**
   * @param unusable why the symbol's listing cannot trade, or null; such a symbol recovers,
   *     answers and may be paused, trades nothing and refuses resume and flatten ({@code strategy}
   *     is null then)
   */
  public SymbolKernel(
      SymbolId symbol, Strategy strategy, TradingDecisions.Params params, long candleIntervalMs, int candleHistory, String unusable) {
    this.symbol = symbol;
    this.strategy = strategy;
    this.params = params;
    this.unusable = unusable;
    this.candles = new CandleAggregator(candleIntervalMs, candleHistory);
  }

  public CandleAggregator candles() {
    return candles;
  }

  /** The last trade price, null before the first trade. */
  public BigDecimal lastPrice() {
    return lastPrice;
  }

  /** What the symbol last decided, in words. */
  public String lastDecision() {
    return lastDecision;
  }

  /** Whether the recovered state was validated (before that, trades and operator commands wait). */
  public boolean validated() {
    return validated;
  }

  /** The kill switch as last announced (topic, risk's answer or a kill_switch rejection). */
  public KillSwitch killSwitch() {
    return killSwitch;
  }

  /** Why the symbol cannot trade, or null. */
  public String unusable() {
    return unusable;
  }

  /**
   * One step.
   *
   * @param state the persisted state
   * @param input what happened
   * @param nowMs the clock
   * @param nextSequenceNr the sequence number the step's first event will be persisted under
   */
  public Decision step(SymbolState state, Input input, long nowMs, long nextSequenceNr) {
    Step step = new Step(state, nowMs, nextSequenceNr);
    if (unusable != null) {
      return step.unusable(input);
    }
    if (input instanceof Trades trades) {
      return step.trades(trades);
    } else if (input == Tick.INSTANCE) {
      return step.tick();
    } else if (input == Recovered.INSTANCE) {
      return step.recovered();
    } else if (input instanceof KillSwitchChanged changed) {
      return step.killSwitchChanged(changed.status());
    } else if (input instanceof RiskDecided decided) {
      return step.riskDecided(decided);
    } else if (input instanceof RiskMissing missing) {
      return step.riskMissing(missing);
    } else if (input instanceof OrderReported reported) {
      return step.orderReported(reported.update());
    } else if (input instanceof OrderQueried queried) {
      return step.reconcile(queried.status());
    } else if (input instanceof OrderCheckDue check) {
      return step.orderCheckDue(check.clientOrderId());
    } else if (input instanceof FillConfirmed confirmed) {
      return step.fillConfirmed(confirmed.tradeId(), null);
    } else if (input instanceof FillNotConfirmed failed) {
      return step.fillConfirmed(failed.tradeId(), failed.error());
    } else if (input == ResendUnconfirmedFills.INSTANCE) {
      return step.resendUnconfirmedFills();
    } else if (input == Pause.INSTANCE) {
      return step.pause();
    } else if (input == Resume.INSTANCE) {
      return step.resume();
    } else if (input instanceof Flatten flatten) {
      return step.flatten(flatten.reason());
    } else if (input instanceof FlattenAndPause flatten) {
      return step.flattenAndPause(flatten.reason());
    } else if (input == FlattenNow.INSTANCE) {
      return step.flattenNow();
    } else if (input == PauseNow.INSTANCE) {
      return step.pauseNow();
    }
    throw new IllegalArgumentException("unknown input " + input);
  }

  /** One step's working: the state and time it runs at, and what it has decided so far. */
  private final class Step {
    private final SymbolState state;
    private final long now;
    private final long nextSequenceNr;
    private final List<SymbolEvent> events = new ArrayList<>();
    private final List<Effect> effects = new ArrayList<>();
    private Reply reply;

    Step(SymbolState state, long now, long nextSequenceNr) {
      this.state = state;
      this.now = now;
      this.nextSequenceNr = nextSequenceNr;
    }

    private Decision done() {
      return events.isEmpty() && effects.isEmpty() && reply == null ? Decision.NOTHING : new Decision(events, effects, reply, false);
    }

    /** The state once this step's events are applied. */
    private SymbolState after() {
      return SymbolEvent.applyAll(state, events);
    }

    private void log(Level level, String clientOrderId, String text) {
      effects.add(new Log(level, clientOrderId, null, text));
    }

    // ---- market data and decisions ---------------------------------------------------------

    Decision trades(Trades trades) {
      if (!validated) {
        return Decision.STASH;
      }
      // the aggregator keeps the closed candles; here only whether any closed matters
      boolean closedAny = false;
      for (Trade trade : trades.trades()) {
        closedAny |= !candles.onTrade(trade).isEmpty();
        lastPrice = trade.price();
      }
      if (!closedAny) {
        return done();
      }
      effects.add(new MarkPrice(lastPrice));
      decide();
      return done();
    }

    Decision tick() {
      if (!validated) {
        return done();
      }
      continueFlatten(state);
      List<Candle> closed = candles.advanceTo(now);
      if (closed.isEmpty() && state.phase() != SymbolPhase.COOLDOWN) {
        return done();
      }
      if (!closed.isEmpty() && lastPrice != null) {
        // a candle closed by the clock marks the symbol at its close, as one closed by a trade does
        effects.add(new MarkPrice(lastPrice));
      }
      decide();
      return done();
    }

    /** The next step of the strategy (or of a pending flatten), after the kill switch is in line. */
    private void decide() {
      SymbolEvent halt = haltOrRelease();
      if (halt != null) {
        events.add(halt);
        return;
      }
      TradingDecisions.Step next = TradingDecisions.next(state, candles.history(), lastPrice, strategy, params, now);
      if (next instanceof TradingDecisions.CompleteWarmUp warm) {
        decided("warm-up complete");
        events.add(new SymbolEvent.WarmUpCompleted(warm.candles(), now));
      } else if (next instanceof TradingDecisions.EndCooldown) {
        decided("cooldown over");
        events.add(new SymbolEvent.CooldownElapsed(now));
      } else if (next instanceof TradingDecisions.Enter enter) {
        OrderIntent intent = intent(IntentKind.ENTRY, enter.side(), enter.quantity(), enter.referencePrice(), enter.reason());
        lastDecision = "entry: " + enter.reason();
        log(Level.INFO, intent.clientOrderId(), "entry intended " + intent.clientOrderId() + ": buy " + intent.quantity().toPlainString()
            + " @ ~" + intent.referencePrice().toPlainString() + " (" + enter.reason() + ")");
        events.add(new SymbolEvent.EntryIntended(intent));
        effects.add(askRisk(intent));
      } else if (next instanceof TradingDecisions.Exit exit) {
        OrderIntent intent = intent(IntentKind.EXIT, Side.SELL, exit.quantity(), exit.referencePrice(), exit.reason());
        lastDecision = "exit: " + exit.reason();
        log(Level.INFO, intent.clientOrderId(), "exit intended " + intent.clientOrderId() + ": sell " + intent.quantity().toPlainString()
            + " @ ~" + intent.referencePrice().toPlainString() + " (" + exit.reason() + ")");
        events.add(new SymbolEvent.ExitIntended(intent));
        effects.add(askRisk(intent));
      } else {
        decided(((TradingDecisions.Nothing) next).why());
      }
    }

    /** Remembers what the symbol decided and logs it when it is news: signal changes, not every candle. */
    private void decided(String decision) {
      decided(decision, null, null);
    }

    private void decided(String decision, String clientOrderId, String decisionId) {
      if (TradingDecisions.isNews(lastDecision, decision)) {
        effects.add(new Log(Level.INFO, clientOrderId, decisionId, "decision: " + decision));
      }
      lastDecision = decision;
    }

    /** An intent whose client order id is derived from the sequence number of the event that persists it. */
    private OrderIntent intent(IntentKind kind, Side side, BigDecimal quantity, BigDecimal price, String reason) {
      return new OrderIntent(
          ClientOrderIds.of(symbol, nextSequenceNr + events.size()), symbol, kind, side, quantity, price, strategy.name(), reason, now);
    }

    // ---- kill switch -----------------------------------------------------------------------

    Decision killSwitchChanged(KillSwitch news) {
      if (news.sinceMs() < killSwitch.sinceMs()
          || (news.sinceMs() == killSwitch.sinceMs() && killSwitch.engaged() && !news.engaged())) {
        // older news (an answer overtaken by a rejection or an announcement): keep the newer; of two
        // from the same millisecond, the engaged one wins, so a tie never releases a halted symbol
        return done();
      }
      killSwitch = news;
      if (!validated) {
        return done();
      }
      SymbolEvent halt = haltOrRelease();
      if (halt != null) {
        events.add(halt);
      }
      return done();
    }

    /** The event that brings the phase in line with the kill switch, or null when it is. */
    private SymbolEvent haltOrRelease() {
      if (killSwitch.engaged() && PhaseTransitions.allows(state.phase(), PhaseTrigger.KILL_SWITCH_ENGAGED)) {
        lastDecision = "halted: " + killSwitch.reason();
        log(Level.WARN, null, "halted in " + state.phase() + ": kill switch engaged (" + killSwitch.reason() + ")");
        return new SymbolEvent.Halted(killSwitch.reason(), now);
      }
      if (!killSwitch.engaged() && state.phase() == SymbolPhase.HALTED) {
        lastDecision = "kill switch released";
        log(Level.INFO, null, "released from HALTED");
        return new SymbolEvent.Released(now);
      }
      return null;
    }

    // ---- risk ------------------------------------------------------------------------------

    private AskRisk askRisk(OrderIntent intent) {
      return new AskRisk(intent, intent.kind() == IntentKind.ENTRY ? strategy.stopPrice(intent.referencePrice()) : null);
    }

    Decision riskDecided(RiskDecided decision) {
      if (!state.isWorking(decision.clientOrderId()) || state.order().approved()) {
        return done();
      }
      if (decision.approved()) {
        events.add(new SymbolEvent.IntentApproved(decision.clientOrderId(), decision.decisionId(), now));
        effects.add(new Log(Level.INFO, decision.clientOrderId(), decision.decisionId(),
            decision.clientOrderId() + " approved by risk (decision " + decision.decisionId() + "): order sent"));
        OrderIntent intent = after().order().intent();
        effects.add(new PlaceOrder(intent, lastPrice != null ? lastPrice : intent.referencePrice()));
        effects.add(new ScheduleOrderCheck(intent.clientOrderId()));
        return done();
      }
      decided("rejected by risk: " + decision.reasonCode(), decision.clientOrderId(), decision.decisionId());
      events.add(new SymbolEvent.IntentRejected(decision.clientOrderId(), decision.reasonCode(), decision.message(), now));
      if (decision.reasonCode().equals(RiskCheck.KILL_SWITCH.code())) {
        if (!killSwitch.engaged()) {
          killSwitch = new KillSwitch(true, decision.message(), decision.atMs());
        }
        events.add(new SymbolEvent.Halted(killSwitch.reason(), now));
      }
      effects.add(new ReleaseReservation(decision.clientOrderId()));
      continueFlatten(after());
      return done();
    }

    Decision riskMissing(RiskMissing missing) {
      if (state.isWorking(missing.clientOrderId()) && !state.order().approved()) {
        log(Level.WARN, missing.clientOrderId(), "no risk decision for " + missing.clientOrderId() + " (" + missing.why() + "); asking again");
        effects.add(askRisk(state.order().intent()));
      }
      return done();
    }

    // ---- venue -----------------------------------------------------------------------------

    Decision orderReported(VenueUpdate update) {
      if (!state.isWorking(update.clientOrderId())) {
        log(Level.WARN, update.clientOrderId(), "report for " + update.clientOrderId() + " which is not the working order: " + update);
        return done();
      }
      if (update instanceof VenueUpdate.Accepted accepted) {
        if (state.order().venueOrderId() == null) {
          events.add(new SymbolEvent.OrderAccepted(accepted.clientOrderId(), accepted.venueOrderId(), now));
        }
        return done();
      }
      if (update instanceof VenueUpdate.Filled filled) {
        Fill fill = filled.fill();
        if (!state.hasApplied(fill.tradeId())) {
          events.add(new SymbolEvent.FillRecorded(fill));
          effects.add(new ConfirmFill(fill));
        }
        return done();
      }
      if (update instanceof VenueUpdate.Ended ended) {
        if (!state.order().canEnd(ended.status()) && ended.status() == OrderStatus.FILLED) {
          // the venue says filled while fills are missing here: ask it for them before ending
          effects.add(new QueryOrder(ended.clientOrderId()));
          return done();
        }
        endOrder(List.of(), ended.clientOrderId(), ended.status(), ended.reason());
        return done();
      }
      return reconcile((VenueUpdate.Status) update);
    }

    Decision orderCheckDue(String clientOrderId) {
      if (state.isWorking(clientOrderId) && state.order().approved()) {
        effects.add(new QueryOrder(clientOrderId));
      }
      return done();
    }

    /** Reconciliation: apply what the venue knows and we do not; end the order if it is final or unknown. */
    Decision reconcile(VenueUpdate.Status report) {
      if (!state.isWorking(report.clientOrderId())) {
        return done();
      }
      List<Fill> missing = report.fills().stream().filter(fill -> !state.hasApplied(fill.tradeId())).toList();
      effects.add(new ReconciliationMismatch(Mismatch.MISSING_FILL, missing.size()));
      if (!missing.isEmpty()) {
        log(Level.WARN, report.clientOrderId(), "reconciliation found " + missing.size() + " missing fill(s) of " + report.clientOrderId());
      }
      if (!report.known()) {
        effects.add(new ReconciliationMismatch(Mismatch.UNKNOWN_ORDER, 1));
        endOrder(missing, report.clientOrderId(), OrderStatus.UNKNOWN, "the venue has no record of the order");
        return done();
      }
      if (report.finalStatus() != null) {
        endOrder(missing, report.clientOrderId(), report.finalStatus(), "reconciled with the venue");
        return done();
      }
      effects.add(new ScheduleOrderCheck(report.clientOrderId()));
      missing.forEach(fill -> events.add(new SymbolEvent.FillRecorded(fill)));
      missing.forEach(fill -> effects.add(new ConfirmFill(fill)));
      return done();
    }

    /** Ends the working order, recording first the fills the venue reported and we had missed. */
    private void endOrder(List<Fill> missingFills, String clientOrderId, OrderStatus status, String reason) {
      missingFills.forEach(fill -> events.add(new SymbolEvent.FillRecorded(fill)));
      events.add(new SymbolEvent.OrderEnded(clientOrderId, status, reason, now + params.cooldownMs(), now));
      SymbolState ended = after();
      effects.add(new CancelOrderCheck(clientOrderId));
      missingFills.forEach(fill -> effects.add(new ConfirmFill(fill)));
      effects.add(new ReleaseReservation(clientOrderId));
      lastDecision = "order " + clientOrderId + " " + status;
      continueFlatten(ended);
      log(Level.INFO, clientOrderId, "order " + clientOrderId + " ended " + status + ": now " + ended.phase() + " holding "
          + ended.position().quantity().toPlainString());
    }

    // ---- portfolio -------------------------------------------------------------------------

    Decision fillConfirmed(String tradeId, String error) {
      Fill pending = state.unconfirmedFills().stream().filter(f -> f.tradeId().equals(tradeId)).findFirst().orElse(null);
      if (pending == null) {
        return done();
      }
      if (error != null) {
        log(Level.ERROR, pending.clientOrderId(), "Portfolio did not apply fill " + tradeId + ": " + error + "; retrying");
        effects.add(ScheduleFillResend.INSTANCE);
        return done();
      }
      events.add(new SymbolEvent.FillConfirmed(tradeId, now));
      return done();
    }

    Decision resendUnconfirmedFills() {
      state.unconfirmedFills().forEach(fill -> effects.add(new ConfirmFill(fill)));
      return done();
    }

    // ---- operator --------------------------------------------------------------------------

    Decision pause() {
      if (!validated) {
        return Decision.STASH;
      }
      if (state.phase() == SymbolPhase.PAUSED) {
        reply = new Reply("already paused", null);
        return done();
      }
      if (!PhaseTransitions.allows(state.phase(), PhaseTrigger.OPERATOR_PAUSED)) {
        reply = new Reply(null, "cannot pause in phase " + state.phase() + ": pause is allowed while flat (WARMING_UP, READY, COOLDOWN); "
            + "exit the position first or use the emergency stop");
        return done();
      }
      events.add(new SymbolEvent.Paused(now));
      lastDecision = "paused by operator";
      log(Level.INFO, null, "paused by operator");
      reply = new Reply("paused", null);
      return done();
    }

    Decision resume() {
      if (!validated) {
        return Decision.STASH;
      }
      if (state.phase() != SymbolPhase.PAUSED) {
        reply = new Reply(null, "the symbol is not paused (phase " + state.phase() + ")");
        return done();
      }
      events.add(new SymbolEvent.Resumed(now));
      lastDecision = "resumed by operator";
      log(Level.INFO, null, "resumed by operator");
      reply = new Reply("resumed", null);
      return done();
    }

    Decision flatten(String reason) {
      if (!validated) {
        return Decision.STASH;
      }
      if (state.position().isFlat() && !state.hasOrder()) {
        reply = new Reply("nothing to flatten", null);
        return done();
      }
      return requestFlatten(reason, false);
    }

    Decision flattenAndPause(String reason) {
      if (!validated) {
        return Decision.STASH;
      }
      if (state.phase() == SymbolPhase.PAUSED && state.position().isFlat() && !state.hasOrder()) {
        reply = new Reply("flat and paused already", null);
        return done();
      }
      return requestFlatten(reason, true);
    }

    /** Records the flatten, cancels a working entry at the venue and starts the exit (or the pause) when it can. */
    private Decision requestFlatten(String reason, boolean thenPause) {
      events.add(new SymbolEvent.FlattenRequested(reason, now, thenPause));
      SymbolState s = after();
      log(Level.WARN, null, "flatten requested (" + reason + ")" + (thenPause ? ", then pause" : "") + ": position "
          + s.position().quantity().toPlainString() + ", order " + (s.hasOrder() ? s.order().clientOrderId() : "none"));
      String outcome;
      if (s.hasOrder() && s.order().intent().kind() == IntentKind.ENTRY && s.order().approved()) {
        effects.add(new CancelOrder(s.order().clientOrderId()));
        outcome = "entry order " + s.order().clientOrderId() + " cancel sent; exit follows";
      } else if (s.hasOrder()) {
        outcome = "waiting for " + s.order().intent().kind().name().toLowerCase() + " " + s.order().clientOrderId();
      } else if (!s.position().isFlat()) {
        outcome = "exit intended";
      } else {
        outcome = "flat";
      }
      continueFlatten(s);
      reply = new Reply(thenPause ? outcome + "; pauses when flat" : outcome, null);
      return done();
    }

    /** A pending flatten goes on as soon as the state allows it, not at the next candle. */
    private void continueFlatten(SymbolState s) {
      if (s.flattenPending() && !s.hasOrder() && !s.position().isFlat()) {
        effects.add(new FollowUp(FlattenNow.INSTANCE));
      }
      if (s.pauseDue()) {
        effects.add(new FollowUp(PauseNow.INSTANCE));
      }
    }

    /**
     * The pause that follows one symbol's flatten, once it is flat with no order working; a phase
     * that allows no pause yet (HALTED by the kill switch, say) keeps it due, tried again each tick.
     */
    Decision pauseNow() {
      if (!validated || !state.pauseDue() || !PhaseTransitions.allows(state.phase(), PhaseTrigger.OPERATOR_PAUSED)) {
        return done();
      }
      events.add(new SymbolEvent.Paused(now));
      lastDecision = "paused after flatten";
      log(Level.INFO, null, "flat after the operator's flatten: paused");
      return done();
    }

    Decision flattenNow() {
      if (validated && state.flattenPending()) {
        decide();
      }
      return done();
    }

    // ---- recovery --------------------------------------------------------------------------

    Decision recovered() {
      RecoveryCheck.Repair repair = RecoveryCheck.repair(state);
      if (repair == null) {
        log(Level.INFO, null, "recovered in " + state.phase() + " with position " + state.position().quantity().toPlainString());
        resumeOpenWork(state);
        return done();
      }
      String dropped = repair.dropOrder() && state.hasOrder() ? state.order().clientOrderId() : null;
      SymbolEvent.StateCorrected correction = new SymbolEvent.StateCorrected(repair.violations(), state.phase(), repair.phase(), dropped, now);
      log(Level.WARN, dropped, "recovered with broken invariants " + repair.violations() + "; correcting " + state.phase() + " -> "
          + repair.phase() + (dropped == null ? "" : ", dropping order " + dropped));
      events.add(correction);
      if (dropped != null && state.order().approved()) {
        effects.add(new CancelOrder(dropped));
      }
      effects.add(
          new Alert(
              Severity.WARN,
              "State corrected on recovery: " + symbol,
              correction.from() + " -> " + correction.to() + (dropped == null ? "" : ", order " + dropped + " dropped"),
              Map.of(
                  "violations",
                  String.join("; ", correction.violations().stream().map(v -> v.code() + ": " + v.detail()).toList()))));
      resumeOpenWork(after());
      return done();
    }

    /** After recovery: re-send what may have been lost in the crash; all of it is idempotent. */
    private void resumeOpenWork(SymbolState s) {
      validated = true;
      continueFlatten(s);
      effects.add(AskKillSwitch.INSTANCE);
      s.unconfirmedFills().forEach(fill -> effects.add(new ConfirmFill(fill)));
      effects.add(new SyncPortfolio(s.hasOrder() ? s.order().clientOrderId() : null));
      if (!s.hasOrder()) {
        return;
      }
      if (s.order().approved()) {
        effects.add(new QueryOrder(s.order().clientOrderId()));
      } else {
        effects.add(askRisk(s.order().intent()));
      }
    }

    // ---- a symbol that cannot trade --------------------------------------------------------

    /**
     * The symbol whose listing cannot trade: it recovers (its position stays known and checked),
     * may be paused (while flat) and so removed, drops trades, refuses resume and flatten with the
     * reason and ignores everything else. It never fails over its listing.
     */
    Decision unusable(Input input) {
      if (input == Recovered.INSTANCE) {
        validated = true;
        lastDecision = "cannot trade: " + unusable;
        boolean holding = !state.position().isFlat() || state.hasOrder();
        log(Level.ERROR, null, "cannot trade: " + unusable + "; it stays in ERROR with position " + state.position().quantity().toPlainString()
            + (state.hasOrder() ? " and order " + state.order().clientOrderId() : "") + " until its listing is removed and added again");
        effects.add(
            new Alert(
                holding ? Severity.CRITICAL : Severity.WARN,
                "Symbol cannot trade: " + symbol,
                unusable,
                Map.of(
                    "position", state.position().quantity().toPlainString(),
                    "fix", "DELETE /api/v1/symbols/" + symbol.id() + " (while flat), then POST /api/v1/symbols with a registered strategy")));
        return done();
      }
      if (input == Pause.INSTANCE) {
        return pause();
      }
      if (input == Resume.INSTANCE || input instanceof Flatten || input instanceof FlattenAndPause) {
        reply = new Reply(null, "the symbol cannot trade: " + unusable);
      }
      return done();
    }
  }
}
