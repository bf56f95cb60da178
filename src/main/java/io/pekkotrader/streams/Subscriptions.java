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
  private final AtomicReference<List<SymbolId>> symbols;
  private final AtomicReference<SharedKillSwitch> open = new AtomicReference<>();

  public Subscriptions(List<SymbolId> initial) {
    this.symbols = new AtomicReference<>(List.copyOf(initial));
  }

  public List<SymbolId> symbols() {
    return symbols.get();
  }

  /**
   * One connection with the list as it is now, for {@link MarketDataPipeline} to call on every attempt.
   *
   * @param connect opens one connection's trades for a non-empty list of symbols
   */
  public Source<MarketTrade, NotUsed> connection(Function<List<SymbolId>, Source<MarketTrade, ?>> connect) {
    SharedKillSwitch stop = KillSwitches.shared("subscriptions");
    open.set(stop);
    List<SymbolId> now = symbols.get();
    Source<MarketTrade, ?> trades = now.isEmpty() ? Source.<MarketTrade>never() : connect.apply(now);
    return trades.via(stop.flow()).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /**
   * Subscribes to {@code next} from now on: when it differs from the current list, the open
   * connection ends (reason: {@link Resubscribing}) and the next one uses it.
   *
   * @return whether the list changed
   */
  public boolean change(List<SymbolId> next) {
    List<SymbolId> copy = List.copyOf(next);
    List<SymbolId> before = symbols.getAndSet(copy);
    if (before.equals(copy)) {
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
