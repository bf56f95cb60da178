package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers trades to their SymbolTraders with back-pressure, one symbol never holding up another.
 *
 * <p>Each symbol has a lane inside one stream stage: its trades wait there (at most {@code
 * linger}, none when the symbol was quiet for longer than that) and go out as one {@code
 * SymbolTrader.OnTrades} slice of at most {@code maxSlice} trades; a symbol has one slice in
 * flight at a time, and the trades that arrive meanwhile form its next slice, so its trades stay
 * in order and a fast symbol is not slowed by a slow one. The stage keeps pulling while every
 * lane has room; only a lane that holds {@code maxWaitingPerSymbol} trades stops it, until that
 * symbol answers or its ask times out. That bounds memory and keeps back-pressure to the
 * WebSocket when the SymbolTraders are slower than the venue.
 *
 * <p>Each lane has a {@link SymbolBreaker}. A slice that is not acknowledged within {@code
 * askTimeout} opens it: the symbol's waiting trades and every trade of it that arrives while open
 * are shed (dropped at once and counted), without asking. After the cool-off, the next trade goes
 * out alone as a probe; while it is out the symbol's other trades are shed too. An acknowledged
 * probe closes the breaker; a failed one reopens it with a longer cool-off (capped). So a symbol
 * that stopped answering costs the others at most one ask timeout, once, and only if its lane
 * fills before that timeout; its probes never hold anyone up. Transitions are logged, each symbol
 * at most once per {@code logInterval} (with the count of changes not logged); counts per symbol
 * go to a listener at most once per {@code reportInterval}, when they changed.
 *
 * <p>All of this state belongs to the stage: answers come back through an async callback, so no
 * state is shared between threads and nothing blocks. The output is one {@link Done} per answered
 * slice (acknowledged or not), owed while downstream does not pull; the stage completes when its
 * upstream did and every waiting trade was asked for and answered.
 */
public final class TradeRouter {
  private static final Logger log = LoggerFactory.getLogger(TradeRouter.class);

  private TradeRouter() {}

  /** Asks a symbol to take a slice of its trades, oldest first. */
  @FunctionalInterface
  public interface Traders {
    /**
     * Completes when the symbol acknowledged the slice; fails when it did not within {@code
     * timeout} (it must complete or fail by then) or could not be asked.
     */
    CompletionStage<Done> offer(SymbolId symbol, List<Trade> trades, Duration timeout);
  }

  /**
   * @param maxSlice most trades in one slice
   * @param linger longest a trade waits for its slice to fill (0: a slice goes out as soon as the
   *     symbol has no slice in flight); a trade of a symbol whose previous trade came more than
   *     {@code linger} before goes out at once (a quiet symbol's next trade has nothing to wait for)
   * @param maxWaitingPerSymbol a symbol's lane holding this many trades stops the stream until it answers
   * @param askTimeout a slice not acknowledged within this opens the symbol's breaker
   * @param breaker the breakers' cool-off
   * @param reportInterval counts go to the listener at most this often
   * @param logInterval each symbol's breaker changes are logged at most this often
   */
  public record Settings(
      int maxSlice,
      Duration linger,
      int maxWaitingPerSymbol,
      Duration askTimeout,
      SymbolBreaker.Settings breaker,
      Duration reportInterval,
      Duration logInterval) {
    public Settings {
      if (maxSlice < 1 || maxWaitingPerSymbol < maxSlice) {
        throw new IllegalArgumentException("router needs 1 <= max slice <= max waiting per symbol");
      }
      if (linger.isNegative() || askTimeout.isNegative() || askTimeout.isZero()) {
        throw new IllegalArgumentException("router needs linger >= 0 and an ask timeout > 0");
      }
      if (reportInterval.isNegative() || reportInterval.isZero() || logInterval.isNegative()) {
        throw new IllegalArgumentException("router needs a report interval > 0 and a log interval >= 0");
      }
    }

    /** The same with {@code askTimeout} (the engine's ask timeout, configured with the trading settings). */
    public Settings withAskTimeout(Duration timeout) {
      return new Settings(maxSlice, linger, maxWaitingPerSymbol, timeout, breaker, reportInterval, logInterval);
    }
  }

  /**
   * One symbol's deliveries since the router started.
   *
   * @param breaker the breaker's phase now
   * @param delivered trades acknowledged by the symbol
   * @param shed trades dropped without asking (breaker open, or its probe out)
   * @param timedOut trades of slices not acknowledged in time (the symbol may still have taken them late)
   * @param opened times the breaker opened (from closed, or again after a failed probe)
   */
  public record SymbolDelivery(SymbolId symbol, SymbolBreaker.Phase breaker, long delivered, long shed, long timedOut, long opened) {
    /** Trades this symbol may have missed: shed plus timed out. */
    public long dropped() {
      return shed + timedOut;
    }
  }

  /**
   * Every symbol the router has seen, in the order first seen. {@code router} tells one
   * materialization of the router from another (a restarted pipeline has a new one, counting from
   * zero): the {@link System#nanoTime()} at which it started.
   */
  public record Report(long router, List<SymbolDelivery> symbols) {}

  /**
   * Routes to {@code traders} (the SymbolTraders through sharding, {@code app.ShardedTraders}, or a
   * stand-in). {@code reports} is called on the stream's thread with the counts (at most once per
   * report interval, when they changed, and once at the end): it must not block, e.g. {@code report
   * -> actor.tell(..)}.
   */
  public static Flow<MarketTrade, Done, NotUsed> create(Traders traders, Settings settings, Consumer<Report> reports) {
    return Flow.fromGraph(new Routing(traders, settings, reports));
  }

  /** An answer to one slice, brought back into the stage. */
  private record Answer(Lane lane, int trades, Throwable failure) {}

  private static final Object REPORT = "report";

  /** One symbol inside the stage: its waiting trades, its slice in flight, its breaker and counts. */
  private static final class Lane {
    final SymbolId symbol;
    final List<Trade> waiting = new ArrayList<>();
    SymbolBreaker breaker;
    boolean inFlight;
    /** When the oldest waiting trade must go out (stage millis); meaningful while trades wait. */
    long sendByMs;
    /** When the symbol's last trade arrived (stage millis), {@link Long#MIN_VALUE} before its first. */
    long lastTradeAtMs = Long.MIN_VALUE;
    long delivered;
    long shed;
    long timedOut;
    long opened;
    long lastLogAtMs = Long.MIN_VALUE;
    int unloggedChanges;

    Lane(SymbolId symbol, SymbolBreaker breaker) {
      this.symbol = symbol;
      this.breaker = breaker;
    }

    SymbolDelivery delivery() {
      return new SymbolDelivery(symbol, breaker.phase(), delivered, shed, timedOut, opened);
    }
  }

  private static final class Routing extends GraphStage<FlowShape<MarketTrade, Done>> {
    private final Inlet<MarketTrade> in = Inlet.create("TradeRouter.in");
    private final Outlet<Done> out = Outlet.create("TradeRouter.out");
    private final FlowShape<MarketTrade, Done> shape = FlowShape.of(in, out);
    private final Traders traders;
    private final Settings settings;
    private final Consumer<Report> reports;

    Routing(Traders traders, Settings settings, Consumer<Report> reports) {
      this.traders = traders;
      this.settings = settings;
      this.reports = reports;
    }

    @Override
    public FlowShape<MarketTrade, Done> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new Logic();
    }

    private final class Logic extends TimerGraphStageLogic {
      private final Map<SymbolId, Lane> lanes = new LinkedHashMap<>();
      private final long startNanos = System.nanoTime();
      private final long lingerMs = settings.linger().toMillis();
      private AsyncCallback<Answer> answers;
      /** A lane at its limit with a slice in flight: the stage does not pull until it answers. */
      private Lane blockedOn;
      private int slicesInFlight;
      private long owed;
      private boolean upstreamFinished;
      private boolean changed;

      Logic() {
        super(shape);
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                onTrade(grab(in));
              }

              @Override
              public void onUpstreamFinish() {
                upstreamFinished = true;
                for (Lane lane : lanes.values()) {
                  if (!lane.inFlight && !lane.waiting.isEmpty()) {
                    send(lane);
                  }
                }
                completeIfDone();
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pushOwed();
              }
            });
      }

      @Override
      public void preStart() {
        answers = createAsyncCallback(this::onAnswer);
        scheduleWithFixedDelay(REPORT, settings.reportInterval(), settings.reportInterval());
        pull(in);
      }

      @Override
      public void postStop() {
        report();
      }

      private long nowMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
      }

      private void onTrade(MarketTrade trade) {
        Lane lane = lanes.get(trade.symbol());
        if (lane == null) {
          lane = new Lane(trade.symbol(), SymbolBreaker.closed(settings.breaker()));
          lanes.put(trade.symbol(), lane);
        }
        long now = nowMs();
        switch (lane.breaker.admit(now)) {
          case DELIVER:
            enqueue(lane, trade.trade(), now);
            break;
          case PROBE:
            apply(lane, SymbolBreaker.Event.COOL_OFF_ELAPSED, now, null);
            lane.waiting.add(trade.trade());
            send(lane);
            break;
          default:
            lane.shed++;
            changed = true;
        }
        if (lane.inFlight && lane.waiting.size() >= settings.maxWaitingPerSymbol()) {
          blockedOn = lane;
        } else {
          pullIfAllowed();
        }
      }

      private void enqueue(Lane lane, Trade trade, long now) {
        if (lane.waiting.isEmpty()) {
          // after a quiet spell longer than the linger no other trade is likely within it either:
          // the trade goes out at once, without a timer (at 20 trades/s a symbol's trades come
          // 50 ms apart, and each lingered 20 ms alone, waking the stage once more per trade).
          // A trade that finds its symbol's slice in flight waits for that slice's answer instead
          // of a timer: the answer sends it with whatever came meanwhile, so a busy symbol still
          // gets its trades in batches (as large as the symbol is slow to answer) and the stage
          // is not woken a second time for it.
          boolean quiet = lane.lastTradeAtMs != Long.MIN_VALUE && now - lane.lastTradeAtMs > lingerMs;
          boolean linger = lingerMs > 0 && !quiet && !lane.inFlight;
          lane.sendByMs = linger ? now + lingerMs : now;
          if (linger) {
            scheduleOnce(lane, settings.linger());
          }
        }
        lane.lastTradeAtMs = now;
        lane.waiting.add(trade);
        if (!lane.inFlight && (lane.waiting.size() >= settings.maxSlice() || now >= lane.sendByMs)) {
          send(lane);
        }
      }

      @Override
      public void onTimer(Object key) {
        if (key == REPORT) {
          report();
          logPendingChanges(nowMs());
          return;
        }
        Lane lane = (Lane) key;
        if (!lane.inFlight && !lane.waiting.isEmpty()) {
          send(lane);
        }
      }

      /** Asks the lane's symbol to take its oldest waiting trades (one slice). */
      private void send(Lane lane) {
        int n = Math.min(settings.maxSlice(), lane.waiting.size());
        List<Trade> slice;
        if (n == lane.waiting.size()) {
          slice = List.copyOf(lane.waiting);
          lane.waiting.clear();
          cancelTimer(lane);
        } else {
          List<Trade> head = lane.waiting.subList(0, n);
          slice = List.copyOf(head);
          head.clear();
        }
        lane.inFlight = true;
        slicesInFlight++;
        CompletionStage<Done> ack;
        try {
          ack = traders.offer(lane.symbol, slice, settings.askTimeout());
        } catch (RuntimeException e) {
          ack = CompletableFuture.failedFuture(e);
        }
        // on the thread that completes the answer (the replying actor's, or the scheduler's at a
        // timeout): invoke only enqueues to this stage. Pekko's asks return Scala's view of a
        // Future, whose plain whenComplete hops to the common pool first: a wake-up per slice.
        ack.whenCompleteAsync((done, failure) -> answers.invoke(new Answer(lane, n, failure)), Runnable::run);
      }

      private void onAnswer(Answer answer) {
        Lane lane = answer.lane();
        lane.inFlight = false;
        slicesInFlight--;
        owed++;
        changed = true;
        long now = nowMs();
        if (answer.failure() == null) {
          lane.delivered += answer.trades();
          apply(lane, SymbolBreaker.Event.ACKNOWLEDGED, now, null);
        } else {
          lane.timedOut += answer.trades();
          apply(lane, SymbolBreaker.Event.FAILED, now, answer.failure());
        }
        if (lane.breaker.phase() == SymbolBreaker.Phase.OPEN && !lane.waiting.isEmpty()) {
          lane.shed += lane.waiting.size();
          lane.waiting.clear();
          cancelTimer(lane);
        }
        if (!lane.waiting.isEmpty()
            && (upstreamFinished || lane.waiting.size() >= settings.maxSlice() || now >= lane.sendByMs)) {
          send(lane);
        }
        if (blockedOn == lane && (lane.waiting.size() < settings.maxWaitingPerSymbol() || !lane.inFlight)) {
          blockedOn = null;
        }
        pullIfAllowed();
        pushOwed();
        completeIfDone();
      }

      private void apply(Lane lane, SymbolBreaker.Event event, long now, Throwable failure) {
        SymbolBreaker.Transition transition = lane.breaker.on(event, now);
        if (transition instanceof SymbolBreaker.Transition.Rejected rejected) {
          // cannot happen with one slice in flight per symbol; if it does, the breaker stays as it is
          log.error("{}: breaker ignored {}: {}", lane.symbol, event, rejected.reason());
          return;
        }
        SymbolBreaker.Transition.Allowed allowed = (SymbolBreaker.Transition.Allowed) transition;
        lane.breaker = allowed.next();
        if (allowed.change() == SymbolBreaker.Change.NONE) {
          return;
        }
        changed = true;
        if (allowed.change() == SymbolBreaker.Change.OPENED || allowed.change() == SymbolBreaker.Change.REOPENED) {
          lane.opened++;
        }
        logChange(lane, allowed.change(), now, failure);
      }

      private void logChange(Lane lane, SymbolBreaker.Change change, long now, Throwable failure) {
        if (lane.lastLogAtMs != Long.MIN_VALUE && now - lane.lastLogAtMs < settings.logInterval().toMillis()) {
          lane.unloggedChanges++;
          return;
        }
        lane.lastLogAtMs = now;
        lane.unloggedChanges = 0;
        switch (change) {
          case OPENED:
            log.warn(
                "{} did not take its trades within {} ({}): breaker open, its trades are shed for {} ms, then one goes out as a probe",
                lane.symbol, settings.askTimeout(), reason(failure), lane.breaker.coolOffMs());
            break;
          case REOPENED:
            log.warn("{}: probe not acknowledged; breaker open again for {} ms ({} trades shed so far)",
                lane.symbol, lane.breaker.coolOffMs(), lane.shed);
            break;
          case PROBING:
            log.info("{}: cool-off over, one trade goes out as a probe", lane.symbol);
            break;
          default:
            log.info("{}: probe acknowledged, breaker closed ({} trades shed, {} timed out in all)", lane.symbol, lane.shed, lane.timedOut);
        }
      }

      private String reason(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof org.apache.pekko.pattern.AskTimeoutException) {
          return "no answer";
        }
        return String.valueOf(cause);
      }

      /** Lanes whose changes were not logged: one line with where the breaker is now, once the interval allows. */
      private void logPendingChanges(long now) {
        for (Lane lane : lanes.values()) {
          if (lane.unloggedChanges > 0 && now - lane.lastLogAtMs >= settings.logInterval().toMillis()) {
            log.warn("{}: breaker {} after {} more change(s) in the last {} s; {} trades shed, {} timed out in all",
                lane.symbol, lane.breaker.phase(), lane.unloggedChanges, (now - lane.lastLogAtMs) / 1000, lane.shed, lane.timedOut);
            lane.lastLogAtMs = now;
            lane.unloggedChanges = 0;
          }
        }
      }

      private void report() {
        if (!changed) {
          return;
        }
        changed = false;
        List<SymbolDelivery> symbols = new ArrayList<>(lanes.size());
        for (Lane lane : lanes.values()) {
          symbols.add(lane.delivery());
        }
        try {
          reports.accept(new Report(startNanos, List.copyOf(symbols)));
        } catch (RuntimeException e) {
          log.error("trade router report listener failed", e);
        }
      }

      private void pullIfAllowed() {
        if (blockedOn == null && !upstreamFinished && !hasBeenPulled(in) && !isClosed(in)) {
          pull(in);
        }
      }

      private void pushOwed() {
        if (owed > 0 && isAvailable(out)) {
          owed--;
          push(out, Done.getInstance());
        }
      }

      private void completeIfDone() {
        if (upstreamFinished && slicesInFlight == 0) {
          report();
          completeStage();
        }
      }
    }
  }
}
