package io.pekkotrader.actors;

import io.pekkotrader.serialization.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the engine asks of a venue's connection: its market-data state. The protocol belongs here,
 * with the actors that ask (RiskManager's venue watch, the event feed); {@code
 * exchange.MarketDataConnection} speaks it and adds its own commands, so {@code actors} never
 * depends on {@code exchange}.
 */
public final class VenueConnection {
  private VenueConnection() {}

  /** Every message a venue connection takes. */
  public interface Command extends CborSerializable {}

  /** Connection state for the status API. */
  public record GetVenueStatus(ActorRef<VenueStatus> replyTo) implements Command {}

  /**
   * The market-data stream's state. {@code lastMessageAgeMs} is -1 before the first message;
   * {@code reconnects} = connection attempts after the first; {@code attemptsInWindow} of at most
   * {@code connectionBudget}; {@code waitingForBudgetMs} > 0 while an attempt waits for the budget;
   * {@code lastDisconnect} the reason the last connection ended (null before any); {@code
   * deliveries} every symbol's trades as the trade router delivered them (see {@link
   * SymbolDeliveryStatus}), empty before the first report.
   */
  public record VenueStatus(
      String venue,
      String url,
      boolean connected,
      long lastMessageAgeMs,
      long reconnects,
      long messages,
      long trades,
      long ignored,
      long malformed,
      long duplicatesDropped,
      int attemptsInWindow,
      int connectionBudget,
      long waitingForBudgetMs,
      String lastDisconnect,
      boolean stopped,
      List<SymbolDeliveryStatus> deliveries)
      implements CborSerializable {

    /** The state of a venue without stream details (no counts beyond messages, no budget). */
    public VenueStatus(String venue, boolean connected, long lastMessageAgeMs, long reconnects, long messages, boolean stopped) {
      this(venue, null, connected, lastMessageAgeMs, reconnects, messages, 0, 0, 0, 0, 0, 0, 0, null, stopped, List.of());
    }

    /** Symbols whose delivery breaker is not closed: their trades are being shed. */
    public long symbolsShedding() {
      return deliveries.stream().filter(delivery -> !delivery.breaker().equals(SymbolDeliveryStatus.CLOSED)).count();
    }
  }

  /**
   * One symbol's trades from this venue's stream, as the trade router delivered them to its
   * SymbolTrader, counted since this connection started (across restarts of its pipeline).
   *
   * @param breaker the symbol's delivery breaker: {@code closed} (trades are delivered), {@code
   *     open} (the symbol did not take a slice in time; its trades are shed until a probe goes
   *     out) or {@code half_open} (one probe is out; the others are shed)
   * @param delivered trades the symbol acknowledged
   * @param shed trades dropped without asking, while the breaker was not closed
   * @param timedOut trades of slices not acknowledged within the ask timeout (the symbol may have taken them late)
   * @param breakerOpened times the breaker opened
   */
  public record SymbolDeliveryStatus(String symbol, String breaker, long delivered, long shed, long timedOut, long breakerOpened)
      implements CborSerializable {
    public static final String CLOSED = "closed";
  }
}
