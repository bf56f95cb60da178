package io.pekkotrader.actors;

import io.pekkotrader.domain.SymbolCatalogue;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.serialization.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Which symbols the engine trades, changed at run time (cluster singleton, event-sourced). Its
 * state is a {@link SymbolCatalogue}: the configured symbols, then every {@link SymbolAdded} and
 * {@link SymbolRemoved} in its journal, so a change survives restarts. Every catalogue it holds is
 * published on the {@value #TOPIC} topic, after recovery and after each change; each node's
 * {@link SymbolDirectory} follows it, and through it the venues' subscriptions and the symbols'
 * settings.
 *
 * <p>Removing a symbol first pauses it ({@link SymbolTrader.Pause}, persisted by the symbol),
 * which the symbol allows only while it is flat with no order working: that one step both checks
 * and keeps it flat, so no entry can slip in between the check and the removal. A symbol that is
 * not flat is refused with {@code symbol_not_flat} and keeps trading. Adding a symbol that was
 * removed before resumes it (it was left paused), asked until it answers.
 */
public final class SymbolRegistry extends EventSourcedBehavior<SymbolRegistry.Command, SymbolRegistry.Event, SymbolCatalogue> {

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("SymbolRegistry");

  /** The topic of catalogues; every node's topic actor of this name is one topic. */
  public static final String TOPIC = "symbol-catalogue";

  // ---- protocol ----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** The catalogue now. */
  public record GetCatalogue(ActorRef<Catalogue> replyTo) implements Command {}

  /** Start trading a symbol (its listing checked against the settings by the caller). */
  public record Add(SymbolListing listing, ActorRef<Change> replyTo) implements Command {}

  /** Stop trading a symbol; refused unless it is flat with no order working. */
  public record Remove(SymbolId id, ActorRef<Change> replyTo) implements Command {}

  private record PauseAnswered(SymbolId id, SymbolTrader.OperatorResult result, String failure, ActorRef<Change> replyTo)
      implements Command {}

  private record ResumeAnswered(SymbolId id, int attempt, boolean answered) implements Command {}

  /** A catalogue, as published and as answered. */
  public record Catalogue(SymbolCatalogue catalogue) implements CborSerializable {}

  /**
   * What became of a change: {@code code} null when it was made ({@code outcome} says what),
   * else a refusal code ({@code symbol_exists}, {@code unknown_symbol}, {@code conversion_symbol},
   * {@code symbol_not_flat}, {@code change_in_progress}, {@code unavailable}) and its message.
   */
  public record Change(String outcome, String code, String message, SymbolCatalogue catalogue) implements CborSerializable {
    static Change refused(String code, String message, SymbolCatalogue catalogue) {
      return new Change(null, code, message, catalogue);
    }
  }

  /** What the registry persists; every event records when it happened ({@code atMs}, from the registry's clock). */
  public sealed interface Event extends CborSerializable {}

  /** {@code listing} was added to the catalogue at {@code atMs}. */
  public record SymbolAdded(SymbolListing listing, long atMs) implements Event {}

  /** The symbol {@code id} was removed from the catalogue at {@code atMs}. */
  public record SymbolRemoved(SymbolId id, long atMs) implements Event {}

  /**
   * How the registry is built.
   *
   * @param configured the symbols of the settings, before any change
   * @param accountAsset the asset risk and reporting count in
   * @param cashAssets every asset cash is kept in
   * @param entities a symbol's SymbolTrader entity
   * @param askTimeout how long a symbol may take to answer a pause or resume
   * @param listingProblem why a listing cannot trade (its strategy is unknown, ...), or null: checked
   *     before a listing is persisted, so the journal never holds one the engine cannot run
   */
  public record Setup(
      List<SymbolListing> configured,
      String accountAsset,
      Set<String> cashAssets,
      Function<SymbolId, RecipientRef<SymbolTrader.Command>> entities,
      Duration askTimeout,
      Clock clock,
      Function<SymbolListing, String> listingProblem) {}

  /** The refusal of a listing that could not trade (the caller should have checked it: a bug, not an operator's mistake). */
  public static final String INVALID_LISTING = "invalid_listing";

  /** How often a re-added symbol is asked to resume before the registry gives up (and logs it). */
  static final int RESUME_ATTEMPTS = 10;

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> new SymbolRegistry(context, setup));
  }

  // ---- behavior ----------------------------------------------------------------------------

  private final ActorContext<Command> context;
  private final Setup setup;
  private final ActorRef<Topic.Command<Catalogue>> topic;
  private final ActorRef<Topic.Command<EngineEvents.EngineEvent>> events;
  /** Symbols asked to pause for a removal, not yet answered. */
  private final Set<SymbolId> removing = new HashSet<>();

  private SymbolRegistry(ActorContext<Command> context, Setup setup) {
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.context = context;
    this.setup = setup;
    this.topic = topic(context);
    this.events = EngineEvents.topic(context);
  }

  /** This actor's handle on the catalogue topic. */
  public static ActorRef<Topic.Command<Catalogue>> topic(ActorContext<?> context) {
    return context.spawn(Topic.create(Catalogue.class, TOPIC), TOPIC);
  }

  @Override
  public SymbolCatalogue emptyState() {
    return SymbolCatalogue.configured(setup.configured());
  }

  @Override
  public SignalHandler<SymbolCatalogue> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              context.getLog().info("Symbol catalogue recovered: version {}, {} symbol(s)", state.version(), state.listings().size());
              publish(state);
            })
        .build();
  }

  @Override
  public CommandHandler<Command, Event, SymbolCatalogue> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(GetCatalogue.class, (state, query) -> {
          query.replyTo().tell(new Catalogue(state));
          return Effect().none();
        })
        .onCommand(Add.class, this::onAdd)
        .onCommand(Remove.class, this::onRemove)
        .onCommand(PauseAnswered.class, this::onPauseAnswered)
        .onCommand(ResumeAnswered.class, this::onResumeAnswered)
        .build();
  }

  private Effect<Event, SymbolCatalogue> onAdd(SymbolCatalogue state, Add add) {
    String problem = setup.listingProblem().apply(add.listing());
    if (problem != null) {
      add.replyTo().tell(Change.refused(INVALID_LISTING, "symbol " + add.listing().id() + " cannot trade: " + problem, state));
      return Effect().none();
    }
    SymbolCatalogue.Refusal refusal = state.refusesAdd(add.listing());
    if (refusal != null) {
      add.replyTo().tell(Change.refused(refusal.code(), refusal.message(), state));
      return Effect().none();
    }
    SymbolId id = add.listing().id();
    return Effect()
        .persist(new SymbolAdded(add.listing(), setup.clock().millis()))
        .thenRun(
            s -> {
              context.getLog().info("Symbol {} added (strategy '{}'); catalogue version {}", id, add.listing().strategy(), s.version());
              publish(s);
              announce(id, "added");
              askResume(id, 1);
              add.replyTo().tell(new Change("added", null, null, s));
            });
  }

  private Effect<Event, SymbolCatalogue> onRemove(SymbolCatalogue state, Remove remove) {
    SymbolCatalogue.Refusal refusal = state.refusesRemove(remove.id(), setup.accountAsset(), setup.cashAssets());
    if (refusal != null) {
      remove.replyTo().tell(Change.refused(refusal.code(), refusal.message(), state));
      return Effect().none();
    }
    if (!removing.add(remove.id())) {
      remove.replyTo().tell(Change.refused("change_in_progress", "symbol " + remove.id() + " is being removed already", state));
      return Effect().none();
    }
    context.ask(
        SymbolTrader.OperatorResult.class,
        setup.entities().apply(remove.id()),
        setup.askTimeout(),
        SymbolTrader.Pause::new,
        (result, failure) ->
            new PauseAnswered(remove.id(), result, failure == null ? null : String.valueOf(failure.getMessage()), remove.replyTo()));
    return Effect().none();
  }

  private Effect<Event, SymbolCatalogue> onPauseAnswered(SymbolCatalogue state, PauseAnswered answer) {
    removing.remove(answer.id());
    if (answer.failure() != null) {
      answer.replyTo().tell(
          Change.refused("unavailable", "symbol " + answer.id() + " did not answer in time (" + answer.failure() + "); try again", state));
      return Effect().none();
    }
    if (answer.result().error() != null) {
      answer.replyTo().tell(
          Change.refused(
              "symbol_not_flat",
              "cannot remove " + answer.id() + " in phase " + answer.result().symbol().phase()
                  + ": a symbol is removed only while flat with no order working; exit its position first (or use the"
                  + " emergency stop), then remove it",
              state));
      return Effect().none();
    }
    if (!state.contains(answer.id())) {
      answer.replyTo().tell(Change.refused("unknown_symbol", "symbol " + answer.id() + " is not traded by this engine", state));
      return Effect().none();
    }
    return Effect()
        .persist(new SymbolRemoved(answer.id(), setup.clock().millis()))
        .thenRun(
            s -> {
              context.getLog().info("Symbol {} removed (left paused); catalogue version {}", answer.id(), s.version());
              publish(s);
              announce(answer.id(), "removed");
              setup.entities().apply(answer.id()).tell(SymbolTrader.Stop.INSTANCE);
              answer.replyTo().tell(new Change("removed", null, null, s));
            });
  }

  /** A symbol removed earlier was left paused; a fresh one answers that it is not paused. Either answer will do. */
  private void askResume(SymbolId id, int attempt) {
    context.ask(
        SymbolTrader.OperatorResult.class,
        setup.entities().apply(id),
        setup.askTimeout(),
        SymbolTrader.Resume::new,
        (result, failure) -> new ResumeAnswered(id, attempt, failure == null));
  }

  private Effect<Event, SymbolCatalogue> onResumeAnswered(SymbolCatalogue state, ResumeAnswered answer) {
    if (!answer.answered() && state.contains(answer.id())) {
      if (answer.attempt() < RESUME_ATTEMPTS) {
        askResume(answer.id(), answer.attempt() + 1);
      } else {
        context.getLog().warn("Symbol {} did not answer {} resume requests after it was added; resume it by hand", answer.id(), RESUME_ATTEMPTS);
      }
    }
    return Effect().none();
  }

  private void publish(SymbolCatalogue catalogue) {
    topic.tell(Topic.publish(new Catalogue(catalogue)));
  }

  private void announce(SymbolId id, String change) {
    EngineEvents.publish(events, new EngineEvents.SymbolsChanged(setup.clock().millis(), id.id(), change));
  }

  @Override
  public EventHandler<SymbolCatalogue, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(SymbolAdded.class, (state, event) -> state.added(event.listing()))
        .onEvent(SymbolRemoved.class, (state, event) -> state.removed(event.id()))
        .build();
  }
}
