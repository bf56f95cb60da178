package io.pekkotrader.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.SymbolRegistry;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.Side;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the whole journal offline and recomputes, with plain sums independent of the engine's
 * own ledger code, what it must say: each symbol's position, fill and intent counts, and the
 * portfolio's cash in each asset (each fill's quote amount and fee at the precision its event
 * records). It also checks what must never happen: a client order id used for two
 * intents, a trade id applied twice, a gap in a journal's sequence numbers, a portfolio fill no
 * symbol recorded. The crash tests and {@code scripts/crash-loop.sh} compare a recovered engine
 * against it; operators run it as {@code check-journal}.
 */
public final class JournalAudit {

  /** What one symbol's journal adds up to. */
  public record SymbolFigures(BigDecimal positionQty, long fills, long intents, long corrections, String lastEvent) {}

  /**
   * The audit's result; {@code problems} is empty for a sound journal. {@code portfolioCash} is
   * the account asset's cash, {@code portfolioCashByAsset} every asset's.
   */
  public record Report(
      Map<String, SymbolFigures> symbols,
      BigDecimal portfolioCash,
      Map<String, BigDecimal> portfolioCashByAsset,
      long portfolioFills,
      long unconfirmedFills,
      long events,
      List<String> problems) {}

  private static final String SYMBOL_PREFIX = SymbolTrader.ENTITY_KEY.name() + "|";

  private final ObjectMapper cbor =
      new ObjectMapper(new CBORFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Audits the journal of a portfolio in one asset; {@code startingCash} is the configured capital. */
  public Report audit(Connection connection, BigDecimal startingCash) throws SQLException {
    return audit(connection, "account", Map.of("account", startingCash));
  }

  /**
   * Audits the journal on {@code connection}; {@code startingCash} is the configured cash per
   * asset, {@code accountAsset} the one a fill recorded without an asset (older journals) is in.
   */
  public Report audit(Connection connection, String accountAsset, Map<String, BigDecimal> startingCash) throws SQLException {
    Map<String, BigDecimal> positions = new TreeMap<>();
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, String> lastEvent = new HashMap<>();
    Set<String> clientOrderIds = new HashSet<>();
    Set<String> symbolTradeIds = new HashSet<>();
    Set<String> portfolioTradeIds = new HashSet<>();
    List<String> problems = new ArrayList<>();
    Map<String, BigDecimal> cash = new TreeMap<>(startingCash);
    long events = 0;
    Map<String, Long> lastSequence = new HashMap<>();
    Map<String, SymbolListing> listed = new TreeMap<>();

    String sql =
        "SELECT \"persistence_id\", \"sequence_number\", \"event_ser_manifest\", \"event_payload\" "
            + "FROM PUBLIC.\"event_journal\" WHERE \"deleted\" = FALSE ORDER BY \"persistence_id\", \"sequence_number\"";
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        events++;
        String persistenceId = rows.getString(1);
        long sequenceNr = rows.getLong(2);
        long expected = lastSequence.getOrDefault(persistenceId, 0L) + 1;
        if (sequenceNr != expected) {
          problems.add(persistenceId + ": sequence number " + sequenceNr + " where " + expected + " was expected");
        }
        lastSequence.put(persistenceId, sequenceNr);
        Object event = decode(rows.getString(3), rows.getBytes(4), persistenceId, sequenceNr, problems);
        if (event == null) {
          continue;
        }
        if (persistenceId.startsWith(SYMBOL_PREFIX)) {
          String symbol = persistenceId.substring(SYMBOL_PREFIX.length());
          long[] count = counts.computeIfAbsent(symbol, s -> new long[3]);
          positions.putIfAbsent(symbol, BigDecimal.ZERO);
          lastEvent.put(symbol, event.getClass().getSimpleName());
          OrderIntent intent = null;
          if (event instanceof SymbolTrader.EntryIntended entry) {
            intent = entry.intent();
          } else if (event instanceof SymbolTrader.ExitIntended exit) {
            intent = exit.intent();
          }
          if (intent != null) {
            count[1]++;
            if (!clientOrderIds.add(intent.symbol().venue() + "/" + intent.clientOrderId())) {
              problems.add(symbol + ": client order id " + intent.clientOrderId() + " used for a second intent");
            }
          } else if (event instanceof SymbolTrader.FillRecorded recorded) {
            Fill fill = recorded.fill();
            count[0]++;
            if (!symbolTradeIds.add(symbol + "/" + fill.tradeId())) {
              problems.add(symbol + ": trade " + fill.tradeId() + " recorded twice");
            }
            positions.merge(symbol, fill.side() == Side.BUY ? fill.quantity() : fill.quantity().negate(), BigDecimal::add);
          } else if (event instanceof SymbolTrader.StateCorrected) {
            count[2]++;
          }
        } else if (persistenceId.equals(SymbolRegistry.PERSISTENCE_ID.id())) {
          if (event instanceof SymbolRegistry.SymbolAdded added) {
            listed.put(added.listing().id().id(), added.listing());
          } else if (event instanceof SymbolRegistry.SymbolRemoved removed) {
            listed.remove(removed.id().id());
          }
        } else if (persistenceId.equals(Portfolio.PERSISTENCE_ID.id()) && event instanceof Portfolio.FillApplied applied) {
          Fill fill = applied.fill();
          if (!portfolioTradeIds.add(fill.symbol().id() + "/" + fill.tradeId())) {
            problems.add("Portfolio: trade " + fill.tradeId() + " applied twice");
          }
          BigDecimal notional = booked(fill.price().multiply(fill.quantity()), applied);
          BigDecimal fee = booked(fill.fee(), applied);
          BigDecimal change = fill.side() == Side.BUY ? notional.negate().subtract(fee) : notional.subtract(fee);
          cash.merge(applied.asset() == null ? accountAsset : applied.asset(), change, BigDecimal::add);
        }
      }
    }
    listed.forEach(
        (symbol, listing) -> {
          String problem = Strategies.problem(listing.strategy());
          if (problem != null) {
            problems.add(
                symbol + ": listed at run time with a strategy that cannot trade (" + problem + "); it runs in ERROR:"
                    + " remove it (DELETE /api/v1/symbols/" + symbol + ") and add it again with a registered strategy");
          }
        });
    for (String tradeId : portfolioTradeIds) {
      if (!symbolTradeIds.contains(tradeId)) {
        problems.add("Portfolio applied trade " + tradeId + " that no symbol recorded");
      }
    }
    positions.forEach(
        (symbol, quantity) -> {
          if (quantity.signum() < 0) {
            problems.add(symbol + ": fills add up to a negative position " + quantity.toPlainString());
          }
        });
    Map<String, SymbolFigures> symbols = new TreeMap<>();
    counts.forEach(
        (symbol, count) ->
            symbols.put(symbol, new SymbolFigures(positions.get(symbol), count[0], count[1], count[2], lastEvent.get(symbol))));
    long unconfirmed = symbolTradeIds.size() - portfolioTradeIds.size();
    return new Report(
        symbols, cash.getOrDefault(accountAsset, BigDecimal.ZERO), cash, portfolioTradeIds.size(), unconfirmed, events, problems);
  }

  /** An amount as the fill event says it was booked: at its precision, or exactly when it names none (older journals). */
  private static BigDecimal booked(BigDecimal amount, Portfolio.FillApplied applied) {
    if (applied.precision() == null || amount.scale() <= applied.precision().decimals()) {
      return amount;
    }
    return amount.setScale(applied.precision().decimals(), applied.precision().rounding());
  }

  private Object decode(String manifest, byte[] payload, String persistenceId, long sequenceNr, List<String> problems) {
    String className = manifest.contains("#") ? manifest.substring(0, manifest.indexOf('#')) : manifest;
    try {
      return cbor.readValue(payload, Class.forName(className));
    } catch (ClassNotFoundException | IOException e) {
      problems.add(persistenceId + " #" + sequenceNr + ": cannot decode " + manifest + ": " + e.getMessage());
      return null;
    }
  }
}
