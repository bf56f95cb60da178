package io.pekkotrader.http;

import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.actors.VenueConnection;
import java.math.BigDecimal;
import java.util.List;

/** The body of {@code GET /api/v1/status} (see the control API contract in DESIGN.md). */
public record StatusView(
    String mode,
    long uptimeMs,
    KillSwitch killSwitch,
    List<Venue> venues,
    List<Symbol> symbols,
    Portfolio.Summary portfolio) {

  public record KillSwitch(boolean engaged, String reason) {}

  /** A venue's market data in short; {@code GET /api/v1/streams} has the full stream state. */
  public record Venue(
      String venue,
      boolean connected,
      long lastMessageAgeMs,
      long reconnects,
      long messages,
      long trades,
      long malformed,
      long duplicatesDropped) {
    static Venue of(VenueConnection.VenueStatus status) {
      return new Venue(
          status.venue(),
          status.connected(),
          status.lastMessageAgeMs(),
          status.reconnects(),
          status.messages(),
          status.trades(),
          status.malformed(),
          status.duplicatesDropped());
    }
  }

  /**
   * A symbol's summary; {@code phase} is {@code UNAVAILABLE} when its entity did not answer in
   * time, {@code ERROR} with {@code error} saying why when its listing cannot trade.
   */
  public record Symbol(
      String id,
      String phase,
      boolean recovered,
      BigDecimal positionQty,
      BigDecimal averagePrice,
      BigDecimal lastPrice,
      long intents,
      long fills,
      long corrections,
      SymbolTrader.OrderView workingOrder,
      String error) {
    static Symbol of(SymbolTrader.SymbolView view) {
      return new Symbol(
          view.id(),
          view.phase().name(),
          view.recovered(),
          view.positionQty(),
          view.averagePrice(),
          view.lastPrice(),
          view.intents(),
          view.fills(),
          view.corrections(),
          view.workingOrder(),
          view.error());
    }

    static Symbol unavailable(String id) {
      return new Symbol(id, "UNAVAILABLE", false, null, null, null, 0, 0, 0, null, null);
    }
  }

}
