package io.pekkotrader.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One venue's market data: connect, decode, route to the SymbolTraders, all inside
 * {@link RestartSource#withBackoff} so that any failure (disconnect, stall, routing error)
 * restarts the connection with exponential backoff and jitter, and never leaves the stream
 * dead. Progress is reported to the owning actor a few times a second (conflated, so reporting
 * never back-pressures the data).
 */
public final class MarketDataPipeline {
  private MarketDataPipeline() {}

  /**
   * Starts the pipeline; the returned switch stops it for good.
   *
   * @param connect opens one connection's worth of trades (called again on every restart)
   * @param router delivers trades to their symbols, with back-pressure
   * @param restart backoff settings
   * @param events receives {@link StreamEvent}s
   */
  public static UniqueKillSwitch start(
      Supplier<Source<MarketTrade, ?>> connect,
      Flow<MarketTrade, Done, NotUsed> router,
      RestartSettings restart,
      ActorRef<StreamEvent> events,
      Clock clock,
      Materializer materializer) {
    AtomicLong attempts = new AtomicLong();
    Source<Done, NotUsed> restarting =
        RestartSource.withBackoff(
            restart,
            () -> {
              events.tell(new StreamEvent.Connecting(attempts.incrementAndGet()));
              return connect.get()
                  .alsoTo(progress(events, clock))
                  .via(router)
                  .watchTermination(
                      (mat, done) -> {
                        done.whenComplete(
                            (ok, failure) ->
                                events.tell(
                                    new StreamEvent.Disconnected(failure == null ? "completed" : String.valueOf(failure))));
                        return NotUsed.getInstance();
                      });
            });
    return restarting
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.both())
        .mapMaterializedValue(
            pair -> {
              pair.second().whenComplete((ok, failure) -> events.tell(new StreamEvent.Stopped()));
              return pair.first();
            })
        .run(materializer);
  }

  private static Sink<MarketTrade, NotUsed> progress(ActorRef<StreamEvent> events, Clock clock) {
    return Flow.<MarketTrade>create()
        .conflateWithSeed(trade -> new long[] {1, clock.millis()}, (acc, trade) -> new long[] {acc[0] + 1, clock.millis()})
        .throttle(5, Duration.ofSeconds(1))
        .to(Sink.foreach(acc -> events.tell(new StreamEvent.Progress(acc[0], acc[1]))));
  }
}
