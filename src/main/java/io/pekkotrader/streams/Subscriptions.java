package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The symbols one venue connection subscribes to, changeable while the pipeline runs. Each
 * connection attempt reads the list as it is then ({@link #connection(Function)}); {@link #change} sets a new
 * list and ends the open connection, so the pipeline reconnects with the new list through its
 * backoff and connection budget, keeping its de-duplication and its deliveries in flight. With no
 * symbols, a connection opens nothing and waits for a change.
 *
 * <p>Lock-free: the list and the open connection's switch are atomic references. A connection
 * registers its switch before it reads the list, so a change either is read by it or ends it.
 */
public final class Subscriptions {
  /** The list, the URL a connection with it opens (for the stream state), and whether a list was ever given by {@link #change}. */
  private record Current(List<SymbolId> symbols, String url, boolean changed) {}

  private final AtomicReference<Current> current;
  private final AtomicReference<SharedKillSwitch> open = new AtomicReference<>();

  public Subscriptions(List<SymbolId> initial, String url) {
    this.current = new AtomicReference<>(new Current(List.copyOf(initial), url, false));
  }

  public List<SymbolId> symbols() {
    return current.get().symbols();
  }

  public String url() {
    return current.get().url();
  }

  /**
   * Whether {@link #change} has been called: the owner has been told the symbols at least once
   * (an owner restarted after that may start at once with {@link #symbols}).
   */
  public boolean given() {
    return current.get().changed();
  }

  /**
   * One connection with the list as it is now, for {@link MarketDataPipeline} to call on every attempt.
   *
   * @param connect opens one connection's trades for a non-empty list of symbols
   */
  public Source<MarketTrade, NotUsed> connection(Function<List<SymbolId>, Source<MarketTrade, ?>> connect) {
    SharedKillSwitch stop = KillSwitches.shared("subscriptions");
    open.set(stop);
    List<SymbolId> now = current.get().symbols();
    Source<MarketTrade, ?> trades = now.isEmpty() ? Source.<MarketTrade>never() : connect.apply(now);
    return trades.via(stop.flow()).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** As {@link #change(List, String)}, the URL as it was. */
  public boolean change(List<SymbolId> next) {
    return change(next, current.get().url());
  }

  /**
   * Subscribes to {@code next} from now on: when it differs from the current list, the open
   * connection ends (reason: {@link Resubscribing}) and the next one uses it.
   *
   * @param url the URL a connection with {@code next} opens
   * @return whether the list changed
   */
  public boolean change(List<SymbolId> next, String url) {
    List<SymbolId> copy = List.copyOf(next);
    Current before = current.getAndSet(new Current(copy, url, true));
    if (before.symbols().equals(copy)) {
      return false;
    }
    SharedKillSwitch stop = open.get();
    if (stop != null) {
      stop.abort(new Resubscribing(copy.size()));
    }
    return true;
  }

  /** Why a connection was ended on purpose: the symbols changed. One line in the log, no stack. */
  public static final class Resubscribing extends RuntimeException {
    Resubscribing(int symbols) {
      super("resubscribing to " + symbols + " symbol(s)", null, false, false);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
