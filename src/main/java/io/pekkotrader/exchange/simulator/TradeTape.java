package io.pekkotrader.exchange.simulator;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.streams.MarketTrade;
import io.pekkotrader.streams.SyntheticMarket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The simulated venue's trades: one seeded random walk for the whole simulator (and one more for
 * each symbol {@linkplain #list listed} when a client first subscribes to it), broadcast to
 * every connection, so that all connections see the same trades with the same ids (as on a real
 * venue) and a client that reconnects meets trades it may have seen before. A permanent drain
 * keeps the tape running when no client is connected and records the last {@value #RECENT}
 * trades of each symbol for the {@code overlap} fault. A connection that falls more than
 * {@value #CONNECTION_BUFFER} trades behind is failed (a real venue drops slow consumers) rather
 * than slowing the others.
 */
final class TradeTape {
  static final int RECENT = 1024;
  static final int CONNECTION_BUFFER = 8192;
  private static final int HUB_BUFFER = 1024;

  /** At most this many symbols are listed on first subscription, so a client cannot start generators without end. */
  static final int MAX_LATE_LISTINGS = 1000;

  private final SimulatorSettings settings;
  private final Clock clock;
  private final Materializer materializer;
  private final UniqueKillSwitch stop;
  private final Sink<MarketTrade, NotUsed> walks;
  private final Source<MarketTrade, NotUsed> live;
  private final Map<String, Recent> recent = new ConcurrentHashMap<>();
  private final AtomicInteger lateListings = new AtomicInteger();

  TradeTape(SimulatorSettings settings, Clock clock, Materializer materializer, Consumer<MarketTrade> listener) {
    this.settings = settings;
    this.clock = clock;
    this.materializer = materializer;
    for (SyntheticMarket.Instrument instrument : settings.instruments()) {
      recent.put(instrument.symbol().symbol(), new Recent());
    }
    Pair<Pair<Sink<MarketTrade, NotUsed>, UniqueKillSwitch>, Source<MarketTrade, NotUsed>> running =
        MergeHub.of(MarketTrade.class, 16)
            .map(
                trade -> {
                  listener.accept(trade);
                  return trade;
                })
            .viaMat(KillSwitches.single(), Keep.both())
            .toMat(BroadcastHub.of(MarketTrade.class, HUB_BUFFER), Keep.both())
            .run(materializer);
    this.walks = running.first().first();
    this.stop = running.first().second();
    this.live = running.second();
    live.runWith(Sink.foreach(trade -> recent.get(trade.symbol().symbol()).add(trade)), materializer);
    new SyntheticMarket(settings.instruments(), settings.seed(), settings.tradesPerSecond(), settings.stepBps(), clock)
        .connect()
        .runWith(walks, materializer);
  }

  /**
   * Lists {@code symbol} (venue form as the dialect names it) when a client subscribes to it
   * and the tape does not generate it yet, as a venue lists far more symbols than one client
   * trades: a walk of its own starts at the plausible price of {@link SimulatorSettings#instrument},
   * seeded from the tape's seed and the name, at the tape's rate. Names that are not symbols, and
   * any beyond {@value #MAX_LATE_LISTINGS}, are not listed (their subscription gets no trades).
   */
  void list(String symbol) {
    if (recent.containsKey(symbol)) {
      return;
    }
    SymbolId id;
    try {
      id = new SymbolId(settings.dialect(), symbol);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (lateListings.incrementAndGet() > MAX_LATE_LISTINGS) {
      lateListings.decrementAndGet();
      return;
    }
    if (recent.putIfAbsent(symbol, new Recent()) != null) {
      lateListings.decrementAndGet();
      return;
    }
    new SyntheticMarket(
            List.of(SimulatorSettings.instrument(id)), settings.seed() * 31 + symbol.hashCode(), settings.tradesPerSecond(), settings.stepBps(), clock)
        .connect()
        .runWith(walks, materializer);
  }

  /** The trades from now on, for one connection. */
  Source<MarketTrade, NotUsed> live() {
    return live.buffer(CONNECTION_BUFFER, org.apache.pekko.stream.OverflowStrategy.fail())
        .mapError(org.apache.pekko.stream.BufferOverflowException.class, overflow -> new SlowConsumer());
  }

  /** A connection fell {@value #CONNECTION_BUFFER} trades behind and is dropped (one log line, no stack). */
  static final class SlowConsumer extends RuntimeException {
    SlowConsumer() {
      super("slow consumer: more than " + CONNECTION_BUFFER + " trades behind, connection dropped", null, false, false);
    }
  }

  /** Up to {@code count} of the symbol's latest trades, oldest first. */
  List<MarketTrade> latest(String symbol, int count) {
    Recent r = recent.get(symbol);
    return r == null ? List.of() : r.latest(Math.min(count, RECENT));
  }

  void stop() {
    stop.shutdown();
  }

  /** A lock-free ring: one writer (the drain stage), readers on any thread. */
  private static final class Recent {
    private final AtomicReferenceArray<MarketTrade> ring = new AtomicReferenceArray<>(RECENT);
    private final AtomicLong written = new AtomicLong();

    void add(MarketTrade trade) {
      long n = written.get();
      ring.set((int) (n % RECENT), trade);
      written.set(n + 1);
    }

    List<MarketTrade> latest(int count) {
      long end = written.get();
      long start = Math.max(0, end - count);
      List<MarketTrade> out = new ArrayList<>((int) (end - start));
      for (long i = start; i < end; i++) {
        MarketTrade trade = ring.get((int) (i % RECENT));
        if (trade != null) {
          out.add(trade);
        }
      }
      return out;
    }
  }
}
