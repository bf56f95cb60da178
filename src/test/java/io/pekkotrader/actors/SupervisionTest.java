package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolId;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The supervision monitor behind {@code GET /actors} sees symbols that fail as they start, and symbols that cannot trade. */
class SupervisionTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final Duration WAIT = Duration.ofSeconds(5);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static Supervision.Node node(ActorRef<Supervision.Command> monitor, String name) {
    TestProbe<Supervision.Tree> tree = testKit.createTestProbe();
    monitor.tell(new Supervision.GetTree(tree.getRef()));
    return tree.receiveMessage(WAIT).actors().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
  }

  @Test
  void listsASymbolThatFailsAsItStartsWithItsRestartsAndLastFailure() {
    ActorRef<Supervision.Command> monitor = testKit.spawn(Supervision.monitor(Clock.systemUTC()));
    SymbolId symbol = SymbolId.parse("sim:BROKENUSDT");
    AtomicInteger attempts = new AtomicInteger();
    // a parent that starts the entity again at the same path once it has stopped, three times in
    // all, as sharding does on the entity's next message
    testKit.spawn(
        Behaviors.<Void>setup(
            parent -> {
              Runnable start =
                  () ->
                      parent.watch(
                          parent.spawn(
                              Supervision.monitored(monitor, "SymbolTrader (sharded)", Clock.systemUTC(),
                                  SymbolTrader.create(symbol, s -> {
                                    throw new IllegalStateException("cannot build symbol, attempt " + attempts.incrementAndGet());
                                  }, monitor)),
                              "failing-symbol"));
              start.run();
              return Behaviors.receive(Void.class)
                  .onSignal(Terminated.class, terminated -> {
                    if (attempts.get() < 3) {
                      start.run();
                    }
                    return Behaviors.same();
                  })
                  .build();
            }),
        "shard");

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      Supervision.Node node = node(monitor, "failing-symbol");
      assertNotNull(node, "listed although it never got past its start");
      assertEquals(2, node.restarts(), "three starts");
      assertEquals("IllegalStateException: cannot build symbol, attempt 3", node.lastFailure());
      assertEquals("backoff", node.state());
      return null;
    });
  }

  @Test
  void showsASymbolThatCannotTradeAsErrorWithTheReason() {
    ActorRef<Supervision.Command> monitor = testKit.spawn(Supervision.monitor(Clock.systemUTC()));
    SymbolTrader.Dependencies deps =
        new SymbolTrader.Dependencies(null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 10, WAIT, 100, 2,
            testKit.<RiskManager.Command>createTestProbe().getRef(), testKit.<Portfolio.Command>createTestProbe().getRef(), null,
            testKit.<Notifier.Command>createTestProbe().getRef(), null, Clock.systemUTC(), null)
            .unusableFor("unknown strategy '' (known: [ma-crossover])");

    testKit.spawn(
        Supervision.monitored(monitor, "SymbolTrader (sharded)", Clock.systemUTC(),
            SymbolTrader.create(SymbolId.parse("sim:ERRUSDT"), s -> deps, monitor)),
        "unusable-symbol");

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      Supervision.Node node = node(monitor, "unusable-symbol");
      assertNotNull(node);
      assertEquals("error", node.state());
      assertTrue(node.lastFailure().contains("unknown strategy ''"), node.lastFailure());
      assertEquals(0, node.restarts(), "it does not fail, so it is never restarted");
      return null;
    });
  }
}
