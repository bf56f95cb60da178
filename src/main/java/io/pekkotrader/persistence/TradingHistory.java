package io.pekkotrader.persistence;

import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.domain.EquityHistory;
import io.pekkotrader.domain.RoundTrips;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.TradePage;
import io.pekkotrader.domain.TradeStats;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Round-trip trades, their win/loss figures and the equity history, read from the journals (the
 * read side), so they survive restarts. Portfolio's journal is followed incrementally: each
 * question first reads the events persisted since the last one, folding the fills into round
 * trips ({@link RoundTrips}) and running figures ({@link TradeStats.Performance}), and keeping the
 * latest {@link #RECENT_TRADES} trades and {@link #EQUITY_SAMPLES} equity samples; questions are
 * answered one after the other (a chain of futures, no lock). Memory is bounded: one open
 * position and one set of figures per symbol, and those two windows. An older page of trades
 * scans Portfolio's journal from its start, holding one page. A trade's exit reason is looked up
 * in its symbol's journal at the sequence number its exit order's client order id carries.
 */
public final class TradingHistory {
  /** Latest trades kept for the first pages. */
  public static final int RECENT_TRADES = 500;

  /** Latest equity samples kept (the most {@code GET /equity} gives). */
  public static final int EQUITY_SAMPLES = 10_000;

  /** Events after an intent's computed sequence number its event may be at (a batch persisted with it). */
  private static final long INTENT_LOOKAHEAD = 8;

  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final String accountAsset;
  private final AtomicReference<CompletableFuture<Tail>> latest;

  public TradingHistory(ActorSystem<?> system, CurrentEventsByPersistenceIdQuery journal, String accountAsset) {
    this(system, journal, accountAsset, RECENT_TRADES);
  }

  /** As above, keeping the latest {@code recentTrades} trades (the first pages) in memory. */
  public TradingHistory(ActorSystem<?> system, CurrentEventsByPersistenceIdQuery journal, String accountAsset, int recentTrades) {
    this.system = system;
    this.journal = journal;
    this.accountAsset = accountAsset;
    this.latest = new AtomicReference<>(CompletableFuture.completedFuture(new Tail(accountAsset, recentTrades)));
  }

  /** From the JDBC journal. */
  public static TradingHistory jdbc(ActorSystem<?> system, String accountAsset) {
    return new TradingHistory(
        system, PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier()), accountAsset);
  }

  /** A page of round trips, newest first, exit reasons filled in. */
  public CompletionStage<TradePage.Page> trades(long before, int limit, String symbol) {
    return read(tail -> tail.page(before, limit, symbol))
        .thenCompose(page -> page != null ? CompletableFuture.completedFuture(page) : scanPage(before, limit, symbol))
        .thenCompose(this::withExitReasons);
  }

  /** Win/loss figures over every round trip so far. */
  public CompletionStage<TradeStats.Performance> performance() {
    return read(tail -> tail.performance);
  }

  /** The latest {@code limit} equity samples (at most {@link #EQUITY_SAMPLES}), oldest first, with their drawdowns. */
  public CompletionStage<List<EquityHistory.Point>> equity(int limit) {
    return read(tail -> tail.equity(limit));
  }

  // ---- following Portfolio's journal -------------------------------------------------------

  /** What has been read of Portfolio's journal; touched only inside the chain, one question at a time. */
  private static final class Tail {
    long sequenceNr;
    RoundTrips trips = RoundTrips.empty();
    TradeStats.Performance performance;
    final ArrayDeque<RoundTrips.RoundTrip> recent = new ArrayDeque<>();
    final ArrayDeque<EquityHistory.Sample> samples = new ArrayDeque<>();
    /** The highest equity of the samples that left the window (null: none left). */
    BigDecimal peakBefore;

    final int recentTrades;

    Tail(String accountAsset, int recentTrades) {
      this.performance = TradeStats.Performance.empty(accountAsset);
      this.recentTrades = recentTrades;
    }

    Tail offer(EventEnvelope envelope) {
      if (envelope.event() instanceof Portfolio.FillApplied applied) {
        RoundTrips.Step step = trips.apply(applied.fill(), applied.asset() == null ? performance.accountAsset() : applied.asset(), applied.precision());
        trips = step.next();
        if (step.closed() != null) {
          performance = performance.add(step.closed());
          recent.addLast(step.closed());
          if (recent.size() > recentTrades) {
            recent.removeFirst();
          }
        }
      } else if (envelope.event() instanceof Portfolio.EquitySampled sampled) {
        samples.addLast(new EquityHistory.Sample(sampled.atMs(), sampled.equity()));
        if (samples.size() > EQUITY_SAMPLES) {
          BigDecimal gone = samples.removeFirst().equity();
          peakBefore = peakBefore == null ? gone : peakBefore.max(gone);
        }
      }
      sequenceNr = envelope.sequenceNr();
      return this;
    }

    /** The page from the latest trades, or null when it reaches below them. */
    TradePage.Page page(long before, int limit, String symbol) {
      TradePage page = new TradePage(before, limit, symbol);
      recent.forEach(page::offer);
      boolean all = recent.isEmpty() || recent.peekFirst().number() == 1;
      if (all) {
        return page.page();
      }
      TradePage.Page answer = page.page();
      if (answer.trades().size() < limit) {
        return null;
      }
      long oldest = answer.trades().get(answer.trades().size() - 1).number();
      long inWindowFromOldest = recent.stream().filter(t -> t.number() >= oldest && matches(t, symbol)).count();
      long ofSymbol = symbol == null ? trips.closed() : performance.bySymbol().getOrDefault(symbol, TradeStats.NONE).trades();
      return new TradePage.Page(answer.trades(), ofSymbol > inWindowFromOldest ? oldest : null);
    }

    private static boolean matches(RoundTrips.RoundTrip trip, String symbol) {
      return symbol == null || symbol.equals(trip.symbol().id());
    }

    List<EquityHistory.Point> equity(int limit) {
      List<EquityHistory.Sample> all = new ArrayList<>(samples);
      int from = Math.max(0, all.size() - limit);
      BigDecimal prior = peakBefore;
      for (int i = 0; i < from; i++) {
        prior = prior == null ? all.get(i).equity() : prior.max(all.get(i).equity());
      }
      return EquityHistory.drawdowns(prior, all.subList(from, all.size()));
    }
  }

  /**
   * Runs {@code reader} on the tail once it has caught up with the journal, after every earlier
   * question. A failed read leaves the tail where it got to (it is consistent event by event).
   */
  private <T> CompletionStage<T> read(Function<Tail, T> reader) {
    CompletableFuture<Tail> mine = new CompletableFuture<>();
    CompletableFuture<Tail> previous = latest.getAndSet(mine);
    CompletableFuture<T> answer = new CompletableFuture<>();
    previous.thenAccept(
        tail ->
            catchUp(tail)
                .whenComplete(
                    (caughtUp, failure) -> {
                      try {
                        if (failure != null) {
                          answer.completeExceptionally(failure);
                        } else {
                          answer.complete(reader.apply(tail));
                        }
                      } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                      } finally {
                        mine.complete(tail);
                      }
                    }));
    return answer;
  }

  private CompletionStage<Tail> catchUp(Tail tail) {
    try {
      return journal
          .currentEventsByPersistenceId(Portfolio.PERSISTENCE_ID.id(), tail.sequenceNr + 1, Long.MAX_VALUE)
          .runWith(Sink.fold(tail, Tail::offer), system);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The page from the whole journal: one scan, one page held. */
  private CompletionStage<TradePage.Page> scanPage(long before, int limit, String symbol) {
    record Scan(RoundTrips trips, TradePage page) {}
    return journal
        .currentEventsByPersistenceId(Portfolio.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE)
        .filter(envelope -> envelope.event() instanceof Portfolio.FillApplied)
        .runWith(
            Sink.fold(
                new Scan(RoundTrips.empty(), new TradePage(before, limit, symbol)),
                (scan, envelope) -> {
                  Portfolio.FillApplied applied = (Portfolio.FillApplied) envelope.event();
                  RoundTrips.Step step = scan.trips().apply(applied.fill(), applied.asset() == null ? accountAsset : applied.asset(), applied.precision());
                  if (step.closed() != null) {
                    scan.page().offer(step.closed());
                  }
                  return new Scan(step.next(), scan.page());
                }),
            system)
        .thenApply(scan -> scan.page().page());
  }

  // ---- exit reasons from the symbols' journals ---------------------------------------------

  private CompletionStage<TradePage.Page> withExitReasons(TradePage.Page page) {
    return Source.from(page.trades())
        .mapAsync(4, trip -> exitReason(trip).thenApply(trip::withExitReason))
        .runWith(Sink.seq(), system)
        .thenApply(trips -> new TradePage.Page(trips, page.nextBefore()));
  }

  /** The reason of the intent behind the order that closed {@code trip}; null when the journal does not have it. */
  private CompletionStage<String> exitReason(RoundTrips.RoundTrip trip) {
    String clientOrderId = trip.exitClientOrderId();
    long sequenceNr;
    try {
      sequenceNr = Long.parseLong(clientOrderId.substring(clientOrderId.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return CompletableFuture.completedFuture(null);
    }
    if (sequenceNr < 1) {
      return CompletableFuture.completedFuture(null);
    }
    SymbolId symbol = trip.symbol();
    return journal
        .currentEventsByPersistenceId(SymbolTrader.persistenceId(symbol).id(), sequenceNr, sequenceNr + INTENT_LOOKAHEAD)
        .map(EventEnvelope::event)
        .filter(event -> event instanceof SymbolTrader.ExitIntended exit && exit.intent().clientOrderId().equals(clientOrderId))
        .map(event -> ((SymbolTrader.ExitIntended) event).intent().reason())
        .runWith(Sink.headOption(), system)
        .thenApply(reason -> reason.orElse(null))
        .exceptionally(failure -> null);
  }
}
