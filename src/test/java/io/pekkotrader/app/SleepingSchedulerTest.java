package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerTask;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.event.NoLogging;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;
import scala.runtime.BoxedUnit;

/** The engine's Pekko scheduler: order, cancel, repeats, failures in tasks, close. */
class SleepingSchedulerTest {
  private static final long WAIT_SECONDS = 10;

  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
  private final ExecutionContext executor =
      ExecutionContext.fromExecutor(
          pool,
          failure -> {
            reported.add(failure);
            return BoxedUnit.UNIT;
          });
  private final SleepingScheduler scheduler =
      new SleepingScheduler(ConfigFactory.empty(), NoLogging.getInstance(), Executors.defaultThreadFactory());

  @AfterEach
  void close() {
    scheduler.close();
    pool.shutdownNow();
  }

  private static FiniteDuration ms(long millis) {
    return FiniteDuration.create(millis, TimeUnit.MILLISECONDS);
  }

  /** Waits until a one-shot timer scheduled after everything else has run: all due before it ran too. */
  private void awaitTimer(long millis) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    scheduler.scheduleOnce(ms(millis), done::countDown, executor);
    assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "a timer of " + millis + " ms never fired");
  }

  @Test
  void timersRunInTheOrderTheyAreDueNotTheOrderTheyWereSet() throws Exception {
    List<String> ran = new ArrayList<>();
    CountDownLatch all = new CountDownLatch(3);
    scheduler.scheduleOnce(ms(600), () -> { ran.add("third"); all.countDown(); }, executor);
    scheduler.scheduleOnce(ms(200), () -> { ran.add("first"); all.countDown(); }, executor);
    scheduler.scheduleOnce(ms(400), () -> { ran.add("second"); all.countDown(); }, executor);

    assertTrue(all.await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(List.of("first", "second", "third"), ran);
  }

  @Test
  void aTaskWithNoDelayRunsAtOnceOnItsExecutor() throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    Cancellable task = scheduler.scheduleOnce(ms(0), () -> thread.complete(Thread.currentThread().getName()), executor);
    String poolThread = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(), pool).get();

    assertEquals(poolThread, thread.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(task.cancel(), "a task that ran cannot be cancelled");
    assertFalse(task.isCancelled());
  }

  @Test
  void aCancelledTimerNeverRunsAndOnlyTheFirstCancelCounts() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch told = new CountDownLatch(1);
    Cancellable task =
        scheduler.scheduleOnce(
            ms(100),
            new SchedulerTask() {
              @Override
              public void run() {
                runs.incrementAndGet();
              }

              @Override
              public void cancelled() {
                told.countDown();
              }
            },
            executor);

    assertFalse(task.isCancelled());
    assertTrue(task.cancel());
    assertTrue(task.isCancelled());
    assertFalse(task.cancel(), "a second cancel stops nothing");
    assertTrue(told.await(WAIT_SECONDS, TimeUnit.SECONDS), "the task is told it was cancelled");
    awaitTimer(300);
    assertEquals(0, runs.get());
  }

  @Test
  void aTimerThatRanCannotBeCancelled() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    Cancellable task = scheduler.scheduleOnce(ms(20), ran::countDown, executor);
    assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
    awaitTimer(1); // the executor is done with the task

    assertFalse(task.cancel());
    assertFalse(task.isCancelled());
  }

  @Test
  void aRepeatingTimerRunsUntilCancelled() throws Exception {
    for (boolean fixedRate : new boolean[] {true, false}) {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch five = new CountDownLatch(5);
      Runnable count = () -> { runs.incrementAndGet(); five.countDown(); };
      Cancellable task =
          fixedRate
              ? scheduler.scheduleAtFixedRate(ms(10), ms(20), count, executor)
              : scheduler.scheduleWithFixedDelay(ms(10), ms(20), count, executor);

      assertTrue(five.await(WAIT_SECONDS, TimeUnit.SECONDS), "fixed rate " + fixedRate);
      assertTrue(task.cancel());
      assertTrue(task.isCancelled());
      assertFalse(task.cancel());
      awaitTimer(1); // a run handed to the executor before the cancel has finished
      int afterCancel = runs.get();
      awaitTimer(200); // ten periods
      assertEquals(afterCancel, runs.get(), "fixed rate " + fixedRate + ": runs after the cancel");
    }
  }

  @Test
  void underRacingCancelsEveryTimerEitherRunsOnceOrIsCancelledNeverBoth() throws Exception {
    int timers = 4_000;
    int[] runs = new int[timers];
    Cancellable[] tasks = new Cancellable[timers];
    for (int i = 0; i < timers; i++) {
      int id = i;
      tasks[i] = scheduler.scheduleOnce(ms(i % 7), () -> runs[id]++, executor); // the pool has one thread
    }
    boolean[] cancelled = new boolean[timers];
    ExecutorService cancellers = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int part = 0; part < 2; part++) {
        int from = part;
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = from; i < timers; i += 2) {
                    cancelled[i] = tasks[i].cancel();
                  }
                },
                cancellers));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      cancellers.shutdownNow();
    }
    awaitTimer(50);
    CompletableFuture.runAsync(() -> {}, pool).get(WAIT_SECONDS, TimeUnit.SECONDS); // every run handed over has run

    for (int i = 0; i < timers; i++) {
      assertEquals(cancelled[i] ? 0 : 1, runs[i], "timer " + i + " cancelled " + cancelled[i]);
      assertEquals(cancelled[i], tasks[i].isCancelled(), "timer " + i);
    }
  }

  @Test
  void aPeriodMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> scheduler.scheduleAtFixedRate(ms(10), ms(0), () -> {}, executor));
    assertThrows(IllegalArgumentException.class, () -> scheduler.scheduleWithFixedDelay(ms(10), ms(-1), () -> {}, executor));
  }

  @Test
  void aFailingTaskIsReportedAndTheSchedulerGoesOn() throws Exception {
    scheduler.scheduleOnce(ms(10), () -> { throw new IllegalStateException("one-shot failure"); }, executor);
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch three = new CountDownLatch(3);
    Cancellable repeating =
        scheduler.scheduleAtFixedRate(
            ms(10),
            ms(20),
            () -> {
              runs.incrementAndGet();
              three.countDown();
              throw new IllegalStateException("repeated failure");
            },
            executor);

    assertTrue(three.await(WAIT_SECONDS, TimeUnit.SECONDS), "a repeating task goes on after it throws");
    repeating.cancel();
    awaitTimer(50);
    // a one-shot task's exception is its executor's to handle (Pekko's dispatchers report it)
    assertTrue(reported.stream().filter(e -> "repeated failure".equals(e.getMessage())).count() >= 3);
  }

  @Test
  void aRepeatingTimerWhoseReceiverStoppedEndsQuietly() throws Exception {
    // what Pekko's message timers throw once their receiver has stopped
    RuntimeException receiverGone =
        (RuntimeException)
            Class.forName("org.apache.pekko.actor.SchedulerException")
                .getConstructor(String.class)
                .newInstance("timer active for terminated actor");
    AtomicInteger runs = new AtomicInteger();
    Cancellable task =
        scheduler.scheduleAtFixedRate(ms(10), ms(10), () -> { runs.incrementAndGet(); throw receiverGone; }, executor);

    awaitTimer(200);
    assertEquals(1, runs.get());
    assertTrue(task.isCancelled());
    assertTrue(reported.isEmpty(), "not reported: " + reported);
  }

  @Test
  void closeRunsThePendingShutdownTasksOnlyAndRefusesNewTimers() {
    AtomicInteger plain = new AtomicInteger();
    AtomicInteger onClose = new AtomicInteger();
    scheduler.scheduleOnce(ms(60_000), plain::incrementAndGet, executor);
    scheduler.scheduleOnce(ms(60_000), (Scheduler.TaskRunOnClose) onClose::incrementAndGet, executor);
    Cancellable cancelledOnClose =
        scheduler.scheduleOnce(ms(60_000), (Scheduler.TaskRunOnClose) onClose::incrementAndGet, executor);
    cancelledOnClose.cancel();

    scheduler.close();

    assertEquals(1, onClose.get(), "the pending shutdown task ran, the cancelled one did not");
    assertEquals(0, plain.get());
    assertThrows(IllegalStateException.class, () -> scheduler.scheduleOnce(ms(10), () -> {}, executor));
    assertThrows(IllegalStateException.class, () -> scheduler.scheduleOnce(ms(0), () -> {}, executor));
    assertThrows(IllegalStateException.class, () -> scheduler.scheduleAtFixedRate(ms(10), ms(10), () -> {}, executor));
  }

  @Test
  void theEnginesConfigurationPicksItAndAnActorSystemRunsItsTimersOnIt() throws Exception {
    var config =
        ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local"))
            .withFallback(ConfigFactory.parseResources("cluster.conf").withOnlyPath("pekko.scheduler"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sleeping-scheduler-test", config);
    try {
      assertInstanceOf(SleepingScheduler.class, system.classicSystem().scheduler());
      CompletableFuture<String> fired = new CompletableFuture<>();
      system.scheduler().scheduleOnce(java.time.Duration.ofMillis(20), () -> fired.complete("fired"), system.executionContext());
      assertEquals("fired", fired.get(WAIT_SECONDS, TimeUnit.SECONDS));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
