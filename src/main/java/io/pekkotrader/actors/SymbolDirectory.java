package io.pekkotrader.actors;

import io.pekkotrader.domain.SymbolCatalogue;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's view of the {@link SymbolRegistry}'s catalogue: which symbols are traded and how,
 * read without asking by the HTTP routes, the symbols' settings and the venues' subscriptions. It
 * starts with the configured symbols and is not {@link #synced} until the registry's own
 * catalogue arrives (readiness waits for that). A catalogue replaces the current one only when
 * its version is newer, so catalogues heard out of order (topic, answer, the routes' own result)
 * never go back; every change is handed to the listeners with its version.
 *
 * <p>The {@link #follower} actor keeps it current: it subscribes to the registry's topic and asks
 * the registry until the first answer comes.
 */
public final class SymbolDirectory {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SymbolDirectory.class);
  /** A catalogue with its ids and an index by id, built once per catalogue: every read is a lookup, on any thread. */
  private record Indexed(SymbolCatalogue catalogue, List<SymbolId> ids, Map<SymbolId, SymbolListing> byId) {
    static Indexed of(SymbolCatalogue catalogue) {
      Map<SymbolId, SymbolListing> byId = new HashMap<>();
      catalogue.listings().forEach(listing -> byId.put(listing.id(), listing));
      return new Indexed(catalogue, catalogue.ids(), Map.copyOf(byId));
    }
  }

  private final AtomicReference<Indexed> current;
  private final AtomicBoolean synced = new AtomicBoolean();
  private final List<Consumer<SymbolCatalogue>> listeners = new CopyOnWriteArrayList<>();

  public SymbolDirectory(List<SymbolListing> configured) {
    this.current = new AtomicReference<>(Indexed.of(SymbolCatalogue.configured(configured)));
  }

  public SymbolCatalogue catalogue() {
    return current.get().catalogue();
  }

  public List<SymbolId> ids() {
    return current.get().ids();
  }

  /** The symbol's listing, or null when it is not traded. */
  public SymbolListing listing(SymbolId id) {
    return current.get().byId().get(id);
  }

  /** Whether the registry's catalogue has arrived (before: the configured symbols). */
  public boolean synced() {
    return synced.get();
  }

  /** Called with each newer catalogue, and with the current one when the registry's first arrives, on the thread that offered it. */
  public void onChange(Consumer<SymbolCatalogue> listener) {
    listeners.add(listener);
  }

  /**
   * Takes {@code catalogue} when it is newer than the current one.
   *
   * @param fromRegistry whether it is the registry's (marks the directory synced)
   * @return whether it replaced the current one
   */
  public boolean offer(SymbolCatalogue catalogue, boolean fromRegistry) {
    boolean replaced = false;
    Indexed now = current.get();
    Indexed next = null;
    while (catalogue.version() > now.catalogue().version()) {
      next = next != null ? next : Indexed.of(catalogue);
      if (current.compareAndSet(now, next)) {
        replaced = true;
        break;
      }
      now = current.get();
    }
    boolean firstSync = fromRegistry && !synced.getAndSet(true);
    if (replaced || firstSync) {
      SymbolCatalogue changed = replaced ? catalogue : current.get().catalogue();
      listeners.forEach(listener -> listener.accept(changed));
    }
    return replaced;
  }

  // ---- follower ----------------------------------------------------------------------------

  public sealed interface Command {}

  private record Heard(SymbolRegistry.Catalogue catalogue) implements Command {}

  private enum AskAgain implements Command {
    INSTANCE
  }

  /**
   * Keeps {@code directory} current from the registry's topic, asking the registry every
   * {@code retry} until it has answered once.
   */
  public static Behavior<Command> follower(SymbolDirectory directory, ActorRef<SymbolRegistry.Command> registry, Duration retry) {
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<SymbolRegistry.Catalogue>> topic = SymbolRegistry.topic(context);
          ActorRef<SymbolRegistry.Catalogue> heard = context.messageAdapter(SymbolRegistry.Catalogue.class, Heard::new);
          topic.tell(Topic.subscribe(heard));
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(AskAgain.INSTANCE, Duration.ZERO, retry);
                return Behaviors.receive(Command.class)
                    .onMessage(
                        AskAgain.class,
                        ask -> {
                          if (directory.synced()) {
                            timers.cancel(AskAgain.INSTANCE);
                          } else {
                            registry.tell(new SymbolRegistry.GetCatalogue(heard));
                          }
                          return Behaviors.same();
                        })
                    .onMessage(
                        Heard.class,
                        message -> {
                          if (directory.offer(message.catalogue().catalogue(), true)) {
                            log.info(
                                "Symbols now (catalogue version {}): {}",
                                message.catalogue().catalogue().version(),
                                message.catalogue().catalogue().ids().stream().map(SymbolId::id).toList());
                          }
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }
}
