package io.pekkotrader.app;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.AbstractSchedulerBase;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerTask;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler for the engine's actor system ({@code pekko.scheduler.implementation}): its
 * thread sleeps until the next timer is due, where Pekko's own ({@code
 * LightArrayRevolverScheduler}) wakes every {@code tick-duration} (10 ms, 100 times a second)
 * whether a timer is due or not. An idle engine's timers are a few a second, so the thread wakes
 * a few times a second instead of a hundred (docs/performance.md, "Idle cost of `run`").
 *
 * <p>The core is the JDK's {@link ScheduledThreadPoolExecutor} with one thread (from the actor
 * system's thread factory, so it is named {@code <system>-scheduler-1}); cancelled timers leave its
 * queue at once. Its thread only hands each due task to the task's {@link ExecutionContext}, as
 * Pekko's does. Timers fire when due, not on the next 10 ms tick: a 20 ms timer fires after 20
 * ms, where Pekko's fired after 20-30 ms.
 *
 * <p>Pekko's contract, kept here: a task given with a delay of zero or less runs at once (on its
 * executor); {@link Cancellable#cancel()} returns true only for the call that stopped a task that
 * had not run, and then tells a {@link SchedulerTask} through {@code cancelled()} on its
 * executor; a repeating task stops when its runnable throws Pekko's {@code SchedulerException}
 * (the receiver of a scheduled message has stopped) and goes on after any other exception, which
 * is reported to its executor; scheduling after {@link #close()} throws {@link
 * IllegalStateException}; {@code close()} runs the pending tasks that are {@link
 * Scheduler.TaskRunOnClose} (the dispatchers' shutdown) and drops the rest.
 */
public final class SleepingScheduler extends AbstractSchedulerBase implements Closeable {

  /** Pekko's exception for "the target of this timer has stopped"; package-private in Scala. */
  private static final String SCHEDULER_EXCEPTION = "org.apache.pekko.actor.SchedulerException";

  private final ScheduledThreadPoolExecutor timer;
  private final LoggingAdapter log;
  /** Pending one-shot timers whose task is a {@link Scheduler.TaskRunOnClose}: run by close(). */
  private final Set<OnceTask> runOnClose = ConcurrentHashMap.newKeySet();

  /** The constructor Pekko calls for {@code pekko.scheduler.implementation}. */
  public SleepingScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
    this.log = log;
    this.timer = new ScheduledThreadPoolExecutor(1, threadFactory);
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  /** Timers fire to the millisecond or better; Pekko's cluster asks this to pick its own scheduler. */
  @Override
  public double maxFrequency() {
    return 1000.0;
  }

  @Override
  public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    OnceTask task = new OnceTask(runnable, executor);
    long nanos = delay.toNanos();
    if (nanos <= 0) {
      requireOpen();
      task.fire();
      return task;
    }
    boolean onClose = runnable instanceof Scheduler.TaskRunOnClose;
    if (onClose) {
      runOnClose.add(task); // before the timer can see it: a close in between still runs it
    }
    try {
      task.future = submit(task, nanos);
    } catch (IllegalStateException closed) {
      runOnClose.remove(task);
      throw closed;
    }
    return task;
  }

  @Override
  @SuppressWarnings("deprecation")
  public Cancellable schedule(
      FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
    return repeat(initialDelay, interval, runnable, executor, true);
  }

  @Override
  public Cancellable scheduleWithFixedDelay(
      FiniteDuration initialDelay, FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    return repeat(initialDelay, delay, runnable, executor, false);
  }

  private Cancellable repeat(
      FiniteDuration initialDelay, FiniteDuration period, Runnable runnable, ExecutionContext executor, boolean fixedRate) {
    if (period.toNanos() <= 0) {
      throw new IllegalArgumentException(
          "a task scheduled every " + period + " would run in a loop: the period must be greater than 0");
    }
    RepeatTask task = new RepeatTask(runnable, executor, period.toNanos(), fixedRate);
    task.start(Math.max(initialDelay.toNanos(), 0));
    return task;
  }

  private ScheduledFuture<?> submit(Runnable task, long nanos) {
    try {
      return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("cannot enqueue after timer shutdown", e);
    }
  }

  private void requireOpen() {
    if (timer.isShutdown()) {
      throw new IllegalStateException("cannot enqueue after timer shutdown");
    }
  }

  /**
   * Stops the timer thread; runs the pending {@link Scheduler.TaskRunOnClose} tasks here, as
   * Pekko's scheduler does, and drops the others without running them.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    for (OnceTask task : runOnClose) {
      if (task.claim()) {
        try {
          task.runnable.run();
        } catch (RuntimeException e) {
          if (!isSchedulerException(e)) {
            log.error(e, "exception while executing timer task");
          }
        }
      }
    }
    runOnClose.clear();
  }

  private static boolean isSchedulerException(Throwable e) {
    return e.getClass().getName().equals(SCHEDULER_EXCEPTION);
  }

  /** The three states of a timer: waiting, then run or cancelled for good. */
  private enum State { WAITING, DONE, CANCELLED }

  /** A one-shot timer: its thread hands the runnable to the executor once, unless cancelled. */
  private final class OnceTask implements Runnable, Cancellable {
    private final Runnable runnable;
    private final ExecutionContext executor;
    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
    private volatile ScheduledFuture<?> future;

    OnceTask(Runnable runnable, ExecutionContext executor) {
      this.runnable = runnable;
      this.executor = executor;
    }

    @Override
    public void run() {
      fire();
    }

    void fire() {
      if (claim()) {
        dispatch(executor, runnable);
      }
    }

    /** Waiting to done: true once, for whoever runs the task. */
    boolean claim() {
      if (state.compareAndSet(State.WAITING, State.DONE)) {
        runOnClose.remove(this);
        return true;
      }
      return false;
    }

    @Override
    public boolean cancel() {
      if (!state.compareAndSet(State.WAITING, State.CANCELLED)) {
        return false;
      }
      runOnClose.remove(this);
      stopped(future, executor, runnable);
      return true;
    }

    @Override
    public boolean isCancelled() {
      return state.get() == State.CANCELLED;
    }
  }

  /**
   * A repeating timer: each run on the executor schedules the next (after the period from the
   * previous due time at a fixed rate, or from the end of the run at a fixed delay), so a slow
   * run never overlaps the next, and a cancel between runs stops the chain.
   */
  private final class RepeatTask implements Cancellable {
    private final Runnable runnable;
    private final ExecutionContext executor;
    private final long periodNanos;
    private final boolean fixedRate;
    private final AtomicReference<ScheduledFuture<?>> next = new AtomicReference<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private long dueNanos;

    RepeatTask(Runnable runnable, ExecutionContext executor, long periodNanos, boolean fixedRate) {
      this.runnable = runnable;
      this.executor = executor;
      this.periodNanos = periodNanos;
      this.fixedRate = fixedRate;
    }

    void start(long initialNanos) {
      dueNanos = System.nanoTime() + initialNanos;
      next.set(submit(this::due, initialNanos));
    }

    /** On the timer's thread: hand one run to the executor. */
    private void due() {
      if (!stopped.get()) {
        dispatch(executor, this::runOnce);
      }
    }

    /** On the executor: one run, then the next timer unless cancelled or told to stop. */
    private void runOnce() {
      if (stopped.get()) {
        return;
      }
      try {
        runnable.run();
      } catch (RuntimeException e) {
        if (isSchedulerException(e)) {
          stopped.set(true);
          return;
        }
        executor.reportFailure(e);
      }
      long now = System.nanoTime();
      dueNanos = fixedRate ? dueNanos + periodNanos : now + periodNanos;
      long delay = Math.max(dueNanos - now, 0);
      try {
        ScheduledFuture<?> f = timer.schedule(this::due, delay, TimeUnit.NANOSECONDS);
        next.set(f);
        if (stopped.get()) {
          f.cancel(false);
        }
      } catch (RejectedExecutionException e) {
        stopped.set(true); // closed: the chain ends quietly, as Pekko's does
      }
    }

    @Override
    public boolean cancel() {
      if (!stopped.compareAndSet(false, true)) {
        return false;
      }
      stopped(next.get(), executor, runnable);
      return true;
    }

    @Override
    public boolean isCancelled() {
      return stopped.get();
    }
  }

  private static void dispatch(ExecutionContext executor, Runnable runnable) {
    try {
      executor.execute(runnable);
    } catch (RuntimeException e) {
      executor.reportFailure(e);
    }
  }

  /**
   * After a cancel won: takes the pending timer (if any) out of the queue and tells a {@link
   * SchedulerTask} on its executor that it will not run.
   */
  private static void stopped(ScheduledFuture<?> pending, ExecutionContext executor, Runnable runnable) {
    if (pending != null) {
      pending.cancel(false);
    }
    if (runnable instanceof SchedulerTask task) {
      dispatch(executor, task::cancelled);
    }
  }
}
