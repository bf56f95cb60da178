package io.pekkotrader.streams;

import com.typesafe.config.ConfigFactory;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.Dispatchers;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * A Pekko dispatcher whose only thread is a Netty event loop, so that a stream materialized on it
 * ({@code ActorAttributes.dispatcher(id)}) runs on the thread that reads its socket: the stream's
 * wake-up after a read is a task queued on the running loop, not another thread woken (on 2 cores
 * under virtualization a wake-up costs about 15 µs of CPU, more than the decoding and decision of
 * a trade; docs/performance.md, "bench ws"). Whatever runs on it must not block, as anything on
 * an event loop; the stream stages of this project never do.
 *
 * <p>Registered with the actor system's dispatchers under a name of its own, once per event loop
 * and system. Pekko shuts a dispatcher's executor down when no actor has used it for a while and
 * makes a new one when one does again: that only retires the wrapper here, never the loop, which
 * belongs to its transport. Tasks that arrive after the transport closed its loop (an actor still
 * stopping) run on the common pool instead of being lost.
 */
final class EventLoopDispatcher {
  /** Messages an actor handles before the loop turns to its other work (sockets, other actors). */
  static final int THROUGHPUT = 16;

  private EventLoopDispatcher() {}

  /** Registers (once) the dispatcher running on {@code loop} in {@code system}; its id. */
  static String register(ActorSystem<?> system, EventLoop loop, String id) {
    Dispatchers dispatchers = Adapter.toClassic(system).dispatchers();
    if (!dispatchers.hasDispatcher(id)) {
      dispatchers.registerConfigurator(id, new Configurator(dispatchers, loop, id));
    }
    return id;
  }

  private static final class Configurator extends MessageDispatcherConfigurator {
    private final Dispatcher dispatcher;

    Configurator(Dispatchers dispatchers, EventLoop loop, String id) {
      super(
          ConfigFactory.parseMap(Map.of("id", id, "type", "Dispatcher", "throughput", THROUGHPUT))
              .withFallback(dispatchers.defaultDispatcherConfig()),
          dispatchers.prerequisites());
      this.dispatcher =
          new Dispatcher(
              this,
              id,
              THROUGHPUT,
              Duration.Zero(),
              (name, threads) -> () -> new OnLoop(loop),
              FiniteDuration.create(1, TimeUnit.SECONDS));
    }

    @Override
    public MessageDispatcher dispatcher() {
      return dispatcher;
    }
  }

  /** The loop as an executor that Pekko may shut down without stopping the loop itself. */
  private static final class OnLoop extends AbstractExecutorService {
    private final EventLoop loop;
    private volatile boolean shutdown;

    OnLoop(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void execute(Runnable task) {
      if (loop.isShuttingDown()) {
        ForkJoinPool.commonPool().execute(task);
        return;
      }
      try {
        loop.execute(task);
      } catch (RejectedExecutionException e) {
        ForkJoinPool.commonPool().execute(task); // the loop closed between the check and the call
      }
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }
}
