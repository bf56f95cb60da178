package io.pekkotrader.actors;

import io.pekkotrader.domain.SymbolId;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Feeds {@link EngineEvents} with what no single actor announces: phase changes of the symbols
 * and changes of each venue's stream state (sampled every {@code interval}), and the kill switch
 * (from its topic). One per node; asks never block it, and an answer that does not come is
 * simply not news.
 */
public final class EventFeed {
  private EventFeed() {}

  public sealed interface Command {}

  private enum Sample implements Command {
    INSTANCE
  }

  private record SymbolSeen(SymbolTrader.SymbolView view) implements Command {}

  private record StreamSeen(VenueConnection.VenueStatus status) implements Command {}

  private record KillSwitchSeen(RiskManager.KillSwitchStatus status) implements Command {}

  private enum Missed implements Command {
    INSTANCE
  }

  /**
   * @param symbols the traded symbols, read at every sample
   * @param symbolRef the entity of a symbol
   * @param venues the venue connections, read at every sample
   */
  public static Behavior<Command> create(
      Supplier<List<SymbolId>> symbols,
      Function<SymbolId, RecipientRef<SymbolTrader.Command>> symbolRef,
      Supplier<Map<String, ActorRef<VenueConnection.Command>>> venues,
      ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic,
      Duration interval,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<Topic.Command<EngineEvents.EngineEvent>> events = EngineEvents.topic(context);
                  killSwitchTopic.tell(
                      Topic.subscribe(context.messageAdapter(RiskManager.KillSwitchStatus.class, KillSwitchSeen::new)));
                  timers.startTimerWithFixedDelay(Sample.INSTANCE, interval);
                  Map<String, String> phases = new HashMap<>();
                  Map<String, String> streams = new HashMap<>();
                  return Behaviors.receive(Command.class)
                      .onMessageEquals(Sample.INSTANCE, () -> sample(context, symbols, symbolRef, venues, interval))
                      .onMessage(SymbolSeen.class, seen -> onSymbol(seen.view(), phases, events, clock))
                      .onMessage(StreamSeen.class, seen -> onStream(seen.status(), streams, events, clock))
                      .onMessage(KillSwitchSeen.class, seen -> onKillSwitch(seen.status(), events, clock))
                      .onMessageEquals(Missed.INSTANCE, Behaviors::same)
                      .build();
                }));
  }

  private static Behavior<Command> sample(
      ActorContext<Command> context,
      Supplier<List<SymbolId>> symbols,
      Function<SymbolId, RecipientRef<SymbolTrader.Command>> symbolRef,
      Supplier<Map<String, ActorRef<VenueConnection.Command>>> venues,
      Duration timeout) {
    for (SymbolId symbol : symbols.get()) {
      context.ask(
          SymbolTrader.SymbolView.class,
          symbolRef.apply(symbol),
          timeout,
          SymbolTrader.GetSymbol::new,
          (view, failure) -> view != null ? new SymbolSeen(view) : Missed.INSTANCE);
    }
    for (ActorRef<VenueConnection.Command> venue : venues.get().values()) {
      context.ask(
          VenueConnection.VenueStatus.class,
          venue,
          timeout,
          VenueConnection.GetVenueStatus::new,
          (status, failure) -> status != null ? new StreamSeen(status) : Missed.INSTANCE);
    }
    return Behaviors.same();
  }

  private static Behavior<Command> onSymbol(
      SymbolTrader.SymbolView view, Map<String, String> phases, ActorRef<Topic.Command<EngineEvents.EngineEvent>> events, Clock clock) {
    String phase = view.phase().name();
    String before = phases.put(view.id(), phase);
    if (!phase.equals(before)) {
      EngineEvents.publish(
          events, new EngineEvents.PhaseChanged(clock.millis(), view.id(), before, phase, view.positionQty(), view.lastSignal()));
    }
    return Behaviors.same();
  }

  private static Behavior<Command> onStream(
      VenueConnection.VenueStatus status, Map<String, String> streams, ActorRef<Topic.Command<EngineEvents.EngineEvent>> events, Clock clock) {
    String state = status.connected() + "/" + status.reconnects() + "/" + status.malformed();
    String before = streams.put(status.venue(), state);
    if (!state.equals(before)) {
      EngineEvents.publish(
          events,
          new EngineEvents.StreamChanged(
              clock.millis(),
              status.venue(),
              status.connected(),
              status.lastMessageAgeMs(),
              status.reconnects(),
              status.malformed(),
              status.trades()));
    }
    return Behaviors.same();
  }

  private static Behavior<Command> onKillSwitch(
      RiskManager.KillSwitchStatus status, ActorRef<Topic.Command<EngineEvents.EngineEvent>> events, Clock clock) {
    EngineEvents.publish(
        events, new EngineEvents.KillSwitchChanged(clock.millis(), status.engaged(), status.reason(), status.sinceMs()));
    return Behaviors.same();
  }
}
