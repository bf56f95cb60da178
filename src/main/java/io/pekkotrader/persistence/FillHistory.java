package io.pekkotrader.persistence;

import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.domain.Fill;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The full fill history, read from Portfolio's journal (the read side): fills are numbered 1, 2,
 * ... in the order Portfolio applied them, and a page is the {@code limit} fills numbered below
 * {@code before}, newest first. Portfolio keeps only the latest fills in memory; older pages come
 * from here. A page scans the journal once, holding at most {@code limit} fills.
 */
public final class FillHistory {
  private final java.util.function.Supplier<Source<EventEnvelope, NotUsed>> events;
  private final ActorSystem<?> system;

  /** @param events a finite query of Portfolio's events, oldest first */
  public FillHistory(ActorSystem<?> system, java.util.function.Supplier<Source<EventEnvelope, NotUsed>> events) {
    this.system = system;
    this.events = events;
  }

  /** Portfolio's events from the JDBC journal. */
  public static FillHistory jdbc(ActorSystem<?> system) {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return new FillHistory(system, () -> journal.currentEventsByPersistenceId(Portfolio.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE));
  }

  /** A fill with its number in the history. */
  public record Numbered(long number, Fill fill) {}

  /** Fills newest first; {@code nextBefore}: the cursor of the next (older) page, null at the start. */
  public record Page(List<Numbered> fills, Long nextBefore) {}

  public CompletionStage<Page> page(long before, int limit) {
    return events.get()
        .filter(envelope -> envelope.event() instanceof Portfolio.FillApplied)
        .runWith(
            Sink.fold(
                new Window(before, limit),
                (window, envelope) -> window.offer(((Portfolio.FillApplied) envelope.event()).fill())),
            system)
        .thenApply(Window::page);
  }

  /** The last {@code limit} fills numbered below {@code before}; mutable, used by one fold only. */
  private static final class Window {
    private final long before;
    private final int limit;
    private final ArrayDeque<Numbered> kept = new ArrayDeque<>();
    private long count;

    Window(long before, int limit) {
      this.before = before;
      this.limit = limit;
    }

    Window offer(Fill fill) {
      count++;
      if (count < before) {
        kept.addLast(new Numbered(count, fill));
        if (kept.size() > limit) {
          kept.removeFirst();
        }
      }
      return this;
    }

    Page page() {
      List<Numbered> newestFirst = new ArrayList<>(kept);
      Collections.reverse(newestFirst);
      Long next = kept.isEmpty() || kept.peekFirst().number() <= 1 ? null : kept.peekFirst().number();
      return new Page(newestFirst, next);
    }
  }
}
