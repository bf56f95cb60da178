package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolCatalogue;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.strategy.Strategies;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SymbolRegistryTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");
  private static final SymbolId SOL = SymbolId.parse("binance:SOLUSDT");

  /** One probe per symbol stands for its SymbolTrader entity. */
  private final Map<SymbolId, TestProbe<SymbolTrader.Command>> entities = new ConcurrentHashMap<>();
  private EventSourcedBehaviorTestKit<SymbolRegistry.Command, SymbolRegistry.Event, SymbolCatalogue> registry;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static SymbolListing listing(SymbolId id) {
    return new SymbolListing(id, "ma-crossover", new BigDecimal("0.001"), BigDecimal.ONE, "USDT", null);
  }

  private TestProbe<SymbolTrader.Command> entity(SymbolId id) {
    return entities.computeIfAbsent(id, s -> testKit.createTestProbe());
  }

  @BeforeEach
  void start() {
    registry = registry(Set.of("USDT"), Duration.ofSeconds(3));
  }

  private EventSourcedBehaviorTestKit<SymbolRegistry.Command, SymbolRegistry.Event, SymbolCatalogue> registry(
      Set<String> cashAssets, Duration askTimeout) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        SymbolRegistry.create(
            new SymbolRegistry.Setup(
                List.of(listing(BTC), listing(ETH)), "USDT", cashAssets, id -> entity(id).getRef(), askTimeout, Clock.systemUTC(),
                listing -> Strategies.problem(listing.strategy()))));
  }

  private static SymbolTrader.SymbolView view(SymbolId id, SymbolPhase phase) {
    return new SymbolTrader.SymbolView(
        id.id(), "ma-crossover", true, phase, 0, null, null, null, BigDecimal.ZERO, BigDecimal.ZERO, null, 0, 0, 0, 0, null);
  }

  private SymbolRegistry.Change answer(TestProbe<SymbolRegistry.Change> replies) {
    return replies.receiveMessage(WAIT);
  }

  @Test
  void refusesToPersistAListingWhoseStrategyCannotTrade() {
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    for (String strategy : List.of("", "  ", "no-such-strategy")) {
      SymbolListing broken = new SymbolListing(SOL, strategy, new BigDecimal("0.001"), BigDecimal.ONE);

      EventSourcedBehaviorTestKit.CommandResult<SymbolRegistry.Command, SymbolRegistry.Event, SymbolCatalogue> result =
          registry.runCommand(new SymbolRegistry.Add(broken, replies.getRef()));

      assertTrue(result.hasNoEvents(), "nothing persisted for strategy '" + strategy + "'");
      SymbolRegistry.Change change = answer(replies);
      assertEquals(SymbolRegistry.INVALID_LISTING, change.code());
      assertTrue(change.message().contains("strategy"), change.message());
      assertEquals(List.of(BTC, ETH), change.catalogue().ids());
    }
  }

  @Test
  void addingPersistsPublishesAndResumesTheSymbol() {
    TestProbe<SymbolRegistry.Catalogue> subscriber = testKit.createTestProbe();
    ActorRef<Topic.Command<SymbolRegistry.Catalogue>> topic = testKit.spawn(Topic.create(SymbolRegistry.Catalogue.class, SymbolRegistry.TOPIC));
    topic.tell(Topic.subscribe(subscriber.getRef()));
    TestProbe<Topic.TopicStats> stats = testKit.createTestProbe();
    stats.awaitAssert(WAIT, () -> {
      topic.tell(Topic.getTopicStats(stats.getRef()));
      assertEquals(1, stats.receiveMessage(WAIT).localSubscriberCount(), "the subscription is registered");
      return null;
    });
    // Another topic instance learns of the subscriber through the receptionist, a moment later; a
    // publish before that is dropped. The registry's instance hears of it with the same listing
    // update as a fresh instance here does: wait until this one's publishes arrive.
    ActorRef<Topic.Command<SymbolRegistry.Catalogue>> other = testKit.spawn(Topic.create(SymbolRegistry.Catalogue.class, SymbolRegistry.TOPIC));
    SymbolRegistry.Catalogue marker = new SymbolRegistry.Catalogue(new SymbolCatalogue(999, List.of()));
    subscriber.awaitAssert(WAIT, () -> {
      other.tell(Topic.publish(marker));
      assertEquals(marker, subscriber.receiveMessage(Duration.ofMillis(200)), "the other instance reaches the subscriber");
      return null;
    });
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();

    EventSourcedBehaviorTestKit.CommandResult<SymbolRegistry.Command, SymbolRegistry.Event, SymbolCatalogue> result =
        registry.runCommand(new SymbolRegistry.Add(listing(SOL), replies.getRef()));

    assertTrue(result.event() instanceof SymbolRegistry.SymbolAdded added && added.listing().id().equals(SOL));
    SymbolRegistry.Change change = answer(replies);
    assertEquals("added", change.outcome());
    assertNull(change.code());
    assertEquals(List.of(BTC, ETH, SOL), change.catalogue().ids());
    assertEquals(1, change.catalogue().version());
    SymbolRegistry.Catalogue published = subscriber.fishForMessage(WAIT, c -> c.catalogue().version() == 1
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0);
    assertEquals(List.of(BTC, ETH, SOL), published.catalogue().ids());
    SymbolTrader.Resume resume = entity(SOL).expectMessageClass(SymbolTrader.Resume.class, WAIT);
    resume.replyTo().tell(new SymbolTrader.OperatorResult(null, "the symbol is not paused (phase WARMING_UP)", view(SOL, SymbolPhase.WARMING_UP)));
    entity(SOL).expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void aSymbolTradedAlreadyIsRefusedAndNothingIsPersisted() {
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    assertTrue(registry.runCommand(new SymbolRegistry.Add(listing(BTC), replies.getRef())).hasNoEvents());
    assertEquals("symbol_exists", answer(replies).code());
  }

  @Test
  void removingAFlatSymbolPausesItThenPersistsAndStopsIt() {
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    assertTrue(registry.runCommand(new SymbolRegistry.Remove(ETH, replies.getRef())).hasNoEvents());

    SymbolTrader.Pause pause = entity(ETH).expectMessageClass(SymbolTrader.Pause.class, WAIT);
    replies.expectNoMessage(Duration.ofMillis(200)); // nothing is decided before the symbol answers
    assertEquals(List.of(BTC, ETH), registry.getState().ids());
    pause.replyTo().tell(new SymbolTrader.OperatorResult("paused", null, view(ETH, SymbolPhase.PAUSED)));

    SymbolRegistry.Change change = answer(replies);
    assertEquals("removed", change.outcome());
    assertEquals(List.of(BTC), change.catalogue().ids());
    assertEquals(List.of(BTC), registry.getState().ids());
    entity(ETH).expectMessage(WAIT, SymbolTrader.Stop.INSTANCE);
  }

  @Test
  void aSymbolThatIsNotFlatKeepsTrading() {
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    registry.runCommand(new SymbolRegistry.Remove(ETH, replies.getRef()));
    SymbolTrader.Pause pause = entity(ETH).expectMessageClass(SymbolTrader.Pause.class, WAIT);
    pause.replyTo().tell(new SymbolTrader.OperatorResult(null, "cannot pause in phase IN_POSITION", view(ETH, SymbolPhase.IN_POSITION)));

    SymbolRegistry.Change change = answer(replies);
    assertEquals("symbol_not_flat", change.code());
    assertTrue(change.message().contains("IN_POSITION") && change.message().contains("binance:ETHUSDT"), change.message());
    assertEquals(List.of(BTC, ETH), registry.getState().ids());
    entity(ETH).expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aSymbolThatDoesNotAnswerIsNotRemovedAndASecondRemovalWaitsForTheFirst() {
    registry = registry(Set.of("USDT"), Duration.ofMillis(300));
    TestProbe<SymbolRegistry.Change> first = testKit.createTestProbe();
    TestProbe<SymbolRegistry.Change> second = testKit.createTestProbe();
    registry.runCommand(new SymbolRegistry.Remove(ETH, first.getRef()));
    registry.runCommand(new SymbolRegistry.Remove(ETH, second.getRef()));

    assertEquals("change_in_progress", answer(second).code());
    assertEquals("unavailable", answer(first).code());
    assertEquals(List.of(BTC, ETH), registry.getState().ids());
  }

  @Test
  void unknownSymbolsAndTheLastConversionSymbolAreRefused() {
    registry = registry(Set.of("USDT", "BTC"), Duration.ofSeconds(3));
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    registry.runCommand(new SymbolRegistry.Remove(SOL, replies.getRef()));
    assertEquals("unknown_symbol", answer(replies).code());
    registry.runCommand(new SymbolRegistry.Remove(BTC, replies.getRef()));
    assertEquals("conversion_symbol", answer(replies).code());
    entity(BTC).expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void changesSurviveARestart() {
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    registry.runCommand(new SymbolRegistry.Add(listing(SOL), replies.getRef()));
    answer(replies);
    registry.runCommand(new SymbolRegistry.Remove(BTC, replies.getRef()));
    entity(BTC).expectMessageClass(SymbolTrader.Pause.class, WAIT).replyTo()
        .tell(new SymbolTrader.OperatorResult("paused", null, view(BTC, SymbolPhase.PAUSED)));
    answer(replies);

    registry.restart();

    assertEquals(List.of(ETH, SOL), registry.getState().ids());
    assertEquals(2, registry.getState().version());
  }

  @Test
  void aResumeThatIsNotAnsweredIsAskedAgain() {
    registry = registry(Set.of("USDT"), Duration.ofMillis(200));
    TestProbe<SymbolRegistry.Change> replies = testKit.createTestProbe();
    registry.runCommand(new SymbolRegistry.Add(listing(SOL), replies.getRef()));
    entity(SOL).expectMessageClass(SymbolTrader.Resume.class, WAIT); // lost: its entity was not started yet
    SymbolTrader.Resume again = entity(SOL).expectMessageClass(SymbolTrader.Resume.class, WAIT);
    again.replyTo().tell(new SymbolTrader.OperatorResult("resumed", null, view(SOL, SymbolPhase.READY)));
    entity(SOL).expectNoMessage(Duration.ofMillis(500));
  }
}
