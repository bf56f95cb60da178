package io.pekkotrader.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Portfolio snapshots written before cash per quote asset kept one ledger in one asset:
 * {@code {quoteAsset, startingCash, cash, reservations, positions, realizedPnl, feesPaid, fills,
 * recentTradeIds}}. Version 2 keeps a book per asset: {@code {accountAsset, books: {asset: {asset,
 * startingCash, cash, reservations, positions, realizedPnl, feesPaid}}, fills, recentTradeIds}}.
 * A version 1 snapshot becomes a ledger whose only book is its quote asset's, which is also the
 * account asset; its reservations are marked as held in that asset.
 */
public final class PortfolioStateMigration extends JacksonMigration {

  private static final List<String> BOOK_FIELDS = List.of("startingCash", "cash", "reservations", "positions", "realizedPnl", "feesPaid");

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion >= 2 || !(json instanceof ObjectNode state) || !(state.get("ledger") instanceof ObjectNode old)) {
      return json;
    }
    if (old.has("books") || !old.has("quoteAsset")) {
      return json;
    }
    String asset = old.get("quoteAsset").asText();
    ObjectNode book = JsonNodeFactory.instance.objectNode();
    book.put("asset", asset);
    for (String field : BOOK_FIELDS) {
      if (old.has(field)) {
        book.set(field, old.get(field));
      }
    }
    if (book.get("reservations") instanceof ObjectNode reservations) {
      for (Iterator<JsonNode> it = reservations.elements(); it.hasNext(); ) {
        if (it.next() instanceof ObjectNode reservation && !reservation.hasNonNull("asset")) {
          reservation.put("asset", asset);
        }
      }
    }
    ObjectNode ledger = JsonNodeFactory.instance.objectNode();
    ledger.put("accountAsset", asset);
    ledger.putObject("books").set(asset, book);
    ledger.set("fills", old.get("fills"));
    ledger.set("recentTradeIds", old.get("recentTradeIds"));
    state.set("ledger", ledger);
    return state;
  }
}
