package io.pekkotrader.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.DelayOverflowStrategy;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One venue connection's market data, from connect to the SymbolTraders:
 *
 * <pre>
 *   episodes: repeat { [after max backoff, from the second on]
 *                      RestartSource.withBackoff(backoff, maxRestarts = budget within window) {
 *                        wait for the ConnectionBudget → connect (one connection's trades) } }
 *   → drop duplicate trade ids (bounded memory per symbol)
 *   → router (back-pressured delivery to the SymbolTraders)
 * </pre>
 *
 * Any end of a connection (error, close, idle timeout) restarts it after an exponential, jittered
 * backoff. Every attempt first takes a slot of the venue's {@link ConnectionBudget}, a sliding
 * window; when the budget is used up the attempt waits on a timer until the oldest attempt leaves
 * the window, so the budget is never exceeded and nothing blocks. Pekko's own {@code
 * maxRestarts(budget, window)} is kept as a second guard; when it gives up, the episode ends and
 * a new one starts after the maximum backoff (again through the budget), so the stream never stays
 * dead. The de-duplication
 * and the router sit outside the restarts: trade ids delivered before a reconnect are remembered
 * after it, and deliveries in flight are not lost when a connection drops.
 */
public final class MarketDataPipeline {
  private static final Logger log = LoggerFactory.getLogger(MarketDataPipeline.class);
  /**
   * A connection's trades cross the restart and episode stages (each a sub-stream boundary, one
   * asynchronous hand-over per element) in lists of at most this many: one trade each while the
   * stream keeps up, more while it catches up, so a backlog costs fewer hand-overs. A connection
   * that fails still hands on the list it was filling (its failure becomes an end there, after
   * being reported), so a disconnect during a backlog loses no trade already decoded.
   */
  private static final int MAX_BATCH = 512;

  private MarketDataPipeline() {}

  /**
   * Starts the pipeline on the default dispatcher; the returned switch stops it for good.
   *
   * @param connect opens one connection's worth of trades (called again on every attempt)
   * @param router delivers trades to their symbols, with back-pressure
   * @param settings backoff, budget and de-duplication window
   * @param events receives {@link StreamEvent}s
   */
  public static UniqueKillSwitch start(
      Supplier<Source<MarketTrade, ?>> connect,
      Flow<MarketTrade, Done, NotUsed> router,
      StreamSettings settings,
      ActorRef<StreamEvent> events,
      Clock clock,
      Materializer materializer) {
    return start(connect, router, settings, events, clock, materializer, Attributes.none());
  }

  /**
   * Starts the pipeline with {@code attributes} on the whole graph: the connections' {@link
   * WebSocketTransport#streamAttributes}, so that the stream runs where its client reads (Netty's
   * event loop) and a socket read wakes one thread, not two. The stages are fused into one
   * interpreter (the restart and episode sub-streams included), so the attributes place all of it.
   */
  public static UniqueKillSwitch start(
      Supplier<Source<MarketTrade, ?>> connect,
      Flow<MarketTrade, Done, NotUsed> router,
      StreamSettings settings,
      ActorRef<StreamEvent> events,
      Clock clock,
      Materializer materializer,
      Attributes attributes) {
    Attempts attempts = new Attempts(connect, new ConnectionBudget(settings.connectionBudget(), settings.budgetWindow()), events, clock);
    Source<List<MarketTrade>, NotUsed> episode =
        RestartSource.withBackoff(settings.restartSettings(), attempts::next)
            .recoverWithRetries(
                1,
                Throwable.class,
                () -> {
                  log.warn("Restart limit of {} within {} reached; starting over through the connection budget",
                      settings.connectionBudget(), settings.budgetWindow());
                  return Source.empty();
                });
    return Source.repeat(NotUsed.getInstance())
        .zipWithIndex()
        .flatMapConcat(n -> n.second() == 0 ? episode : afterMaxBackoff(settings, episode))
        .via(Flow.fromGraph(new Deduplicate(settings.dedupWindow(), events)))
        .via(router)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.both())
        .mapMaterializedValue(
            pair -> {
              pair.second().whenComplete(
                  (ok, failure) -> events.tell(new StreamEvent.Stopped(failure == null ? null : String.valueOf(failure))));
              return pair.first();
            })
        .addAttributes(attributes)
        .run(materializer);
  }

  /** A later episode starts after the maximum backoff (jittered), never at once after the last failure. */
  private static Source<List<MarketTrade>, NotUsed> afterMaxBackoff(StreamSettings settings, Source<List<MarketTrade>, NotUsed> episode) {
    double jitter = 1 + settings.randomFactor() * java.util.concurrent.ThreadLocalRandom.current().nextDouble();
    Duration delay = Duration.ofMillis((long) (settings.maxBackoff().toMillis() * jitter));
    return Source.single(NotUsed.getInstance())
        .delay(delay, DelayOverflowStrategy.backpressure())
        .flatMapConcat(n -> episode);
  }

  /**
   * Connection attempts through the budget. Called by the restart stage, one attempt at a time
   * (an attempt that has to wait is itself the running "connection" until its timer fires).
   */
  private static final class Attempts {
    private final Supplier<Source<MarketTrade, ?>> connect;
    private final ConnectionBudget budget;
    private final ActorRef<StreamEvent> events;
    private final Clock clock;
    private long attempt;

    Attempts(Supplier<Source<MarketTrade, ?>> connect, ConnectionBudget budget, ActorRef<StreamEvent> events, Clock clock) {
      this.connect = connect;
      this.budget = budget;
      this.events = events;
      this.clock = clock;
    }

    Source<List<MarketTrade>, NotUsed> next() {
      long now = clock.millis();
      long waitMs = budget.tryAcquire(now);
      if (waitMs > 0) {
        events.tell(new StreamEvent.BudgetExhausted(budget.budget(), waitMs));
        return Source.single(NotUsed.getInstance())
            .delay(Duration.ofMillis(waitMs), DelayOverflowStrategy.backpressure())
            .flatMapConcat(n -> next());
      }
      attempt++;
      events.tell(new StreamEvent.Connecting(attempt, budget.attemptsInWindow(now), budget.budget(), now));
      Source<MarketTrade, ?> connection;
      try {
        connection = connect.get();
      } catch (RuntimeException e) {
        connection = Source.failed(e);
      }
      return connection
          .watchTermination(
              (mat, done) -> {
                done.whenComplete(
                    (ok, failure) ->
                        events.tell(
                            new StreamEvent.Disconnected(
                                failure == null ? "closed by the venue" : String.valueOf(failure), clock.millis())));
                return NotUsed.getInstance();
              })
          // the failure is reported above; ended normally, the batch hands on the trades it holds
          // (a failure would discard them) and the restart stage restarts it all the same
          .recoverWithRetries(1, Throwable.class, Source::empty)
          .batch(MAX_BATCH, Attempts::firstOf, Attempts::add);
    }

    private static List<MarketTrade> firstOf(MarketTrade trade) {
      List<MarketTrade> batch = new ArrayList<>(4);
      batch.add(trade);
      return batch;
    }

    private static List<MarketTrade> add(List<MarketTrade> batch, MarketTrade trade) {
      batch.add(trade);
      return batch;
    }
  }

  /**
   * Takes the connections' lists of trades and emits each trade whose id this pipeline has not
   * delivered before, in order, one at a time as downstream asks; drops the rest and reports how
   * many (at the next delivered trade, or every 256). One stage for what was a flattening and a
   * filtering stage, with no list per trade.
   */
  static final class Deduplicate extends GraphStage<FlowShape<List<MarketTrade>, MarketTrade>> {
    private final Inlet<List<MarketTrade>> in = Inlet.create("MarketDataPipeline.batches");
    private final Outlet<MarketTrade> out = Outlet.create("MarketDataPipeline.firstSeen");
    private final FlowShape<List<MarketTrade>, MarketTrade> shape = FlowShape.of(in, out);
    private final int window;
    private final ActorRef<StreamEvent> events;

    Deduplicate(int window, ActorRef<StreamEvent> events) {
      this.window = window;
      this.events = events;
    }

    @Override
    public FlowShape<List<MarketTrade>, MarketTrade> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        private final TradeDeduplicator seen = new TradeDeduplicator(window);
        private List<MarketTrade> batch = List.of();
        private int next;
        private long pending;

        {
          setHandler(
              in,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  batch = grab(in);
                  next = 0;
                  emitNext();
                }

                @Override
                public void onUpstreamFinish() {
                  if (next >= batch.size()) {
                    completeStage();
                  }
                }
              });
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  emitNext();
                }
              });
        }

        /** Pushes the batch's next first-seen trade if downstream wants one; asks for the next batch when this one is done. */
        private void emitNext() {
          if (!isAvailable(out)) {
            return;
          }
          while (next < batch.size()) {
            MarketTrade trade = batch.get(next++);
            if (seen.firstSeen(trade.symbol(), trade.trade().tradeId())) {
              if (pending > 0) {
                events.tell(new StreamEvent.DuplicatesDropped(pending));
                pending = 0;
              }
              push(out, trade);
              return;
            }
            if (++pending == 256) {
              events.tell(new StreamEvent.DuplicatesDropped(pending));
              pending = 0;
            }
          }
          if (isClosed(in)) {
            completeStage();
          } else if (!hasBeenPulled(in)) {
            pull(in);
          }
        }
      };
    }
  }
}
