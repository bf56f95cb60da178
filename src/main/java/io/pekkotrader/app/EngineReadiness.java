package io.pekkotrader.app;

import io.pekkotrader.engine.Engine;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.domain.SymbolId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Pekko Management's readiness check ({@code /ready}): ready once the engine has started, its
 * journal answers a query through the engine's own connection pool, Portfolio and RiskManager
 * have recovered and answer, the symbol catalogue has come from SymbolRegistry, and every
 * symbol has recovered. Nothing here blocks: each part is
 * an ask or a stream with a timeout, and a part that does not answer in time means not ready.
 */
public final class EngineReadiness implements Supplier<CompletionStage<Boolean>> {
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;

  /** Called by Pekko Management with the classic system. */
  public EngineReadiness(org.apache.pekko.actor.ActorSystem classic) {
    this.system = Adapter.toTyped(classic);
  }

  /** Where the started engine is handed to the check. */
  public static final class Started implements Extension {
    private final AtomicReference<Engine> engine = new AtomicReference<>();

    public void set(Engine started) {
      engine.set(started);
    }
  }

  public static final ExtensionId<Started> STARTED =
      new ExtensionId<>() {
        @Override
        public Started createExtension(ActorSystem<?> system) {
          return new Started();
        }
      };

  @Override
  public CompletionStage<Boolean> get() {
    Engine engine = system.registerExtension(STARTED).engine.get();
    if (engine == null || !engine.symbols().synced()) {
      return CompletableFuture.completedFuture(false);
    }
    List<CompletableFuture<Boolean>> parts = new ArrayList<>();
    parts.add(journalAnswers());
    parts.add(
        AskPattern.ask(engine.portfolio(), Portfolio.GetSummary::new, TIMEOUT, system.scheduler())
            .thenApply(summary -> true)
            .toCompletableFuture());
    parts.add(
        AskPattern.ask(engine.risk(), RiskManager.GetKillSwitch::new, TIMEOUT, system.scheduler())
            .thenApply(status -> true)
            .toCompletableFuture());
    for (SymbolId id : engine.symbolIds()) {
      parts.add(
          engine.sharding().entityRefFor(SymbolTrader.ENTITY_KEY, id.id())
              .ask(SymbolTrader.GetSymbol::new, TIMEOUT)
              .thenApply(SymbolTrader.SymbolView::recovered)
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(v -> parts.stream().allMatch(CompletableFuture::join))
        .exceptionally(failure -> false);
  }

  /** A query that returns nothing but needs the database to answer. */
  private CompletableFuture<Boolean> journalAnswers() {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return journal
        .currentEventsByPersistenceId(Portfolio.PERSISTENCE_ID.id(), Long.MAX_VALUE, Long.MAX_VALUE)
        .completionTimeout(TIMEOUT)
        .runWith(Sink.ignore(), system)
        .thenApply(done -> true)
        .toCompletableFuture();
  }
}
