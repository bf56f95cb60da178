package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cash, reservations and positions in one quote asset, in exact decimals. Immutable: every
 * operation returns the ledger after it. Fills are applied once per trade id (a bounded window of
 * the most recent {@code DEDUP_WINDOW} trade ids is kept; senders only re-send recent fills).
 *
 * <p>Cash: starting cash minus what buys cost (notional + fee) plus what sells returned (notional
 * − fee). Reserved: funds held for working buy orders. Available: cash − reserved. Positions may
 * be long or short (see {@link Position}); realized PnL has the sign of the trade's outcome for
 * both and is net of every fee, entry and exit. Equity = cash + Σ quantity × last price, and
 * equity − starting cash = realized + unrealized PnL exactly: no rounding accumulates.
 *
 * @param quoteAsset e.g. {@code USDT}
 * @param startingCash capital at start, > 0
 * @param cash current cash
 * @param reservations by client order id, insertion order
 * @param positions by symbol id ({@code venue:SYMBOL}); flat positions are removed
 * @param realizedPnl trading profit net of all fees
 * @param feesPaid all fees paid
 * @param fills fills applied
 * @param recentTradeIds trade ids of the most recent fills, oldest first
 */
public record Ledger(
    String quoteAsset,
    BigDecimal startingCash,
    BigDecimal cash,
    Map<String, Reservation> reservations,
    Map<String, Position> positions,
    BigDecimal realizedPnl,
    BigDecimal feesPaid,
    long fills,
    List<String> recentTradeIds) {

  public static final int DEDUP_WINDOW = 10_000;

  public Ledger {
    Objects.requireNonNull(quoteAsset, "quoteAsset");
    if (startingCash.signum() <= 0) {
      throw new IllegalArgumentException("starting cash must be > 0, got " + startingCash.toPlainString());
    }
    reservations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reservations));
    positions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(positions));
    recentTradeIds = List.copyOf(recentTradeIds);
  }

  public static Ledger start(String quoteAsset, BigDecimal startingCash) {
    return new Ledger(
        quoteAsset, startingCash, startingCash, Map.of(), Map.of(), BigDecimal.ZERO, BigDecimal.ZERO, 0, List.of());
  }

  public BigDecimal reserved() {
    return reservations.values().stream().map(Reservation::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public BigDecimal available() {
    return cash.subtract(reserved());
  }

  public Position position(SymbolId symbol) {
    return positions.getOrDefault(symbol.id(), Position.FLAT);
  }

  public boolean hasApplied(String tradeId) {
    return recentTradeIds.contains(tradeId);
  }

  /** Whether {@code amount} can be reserved now (or is already reserved under that id). */
  public boolean canReserve(String clientOrderId, BigDecimal amount) {
    return reservations.containsKey(clientOrderId) || amount.signum() > 0 && available().compareTo(amount) >= 0;
  }

  /**
   * Why a spot venue cannot take the fill: a sell may not exceed the long position held. The
   * ledger itself accounts for shorts; this is the rule of the spot engine that uses it.
   */
  public String whyNotApplicable(Fill fill) {
    if (fill.side() == Side.SELL && position(fill.symbol()).quantity().compareTo(fill.quantity()) < 0) {
      return "sell of " + fill.quantity().toPlainString() + " exceeds the position of "
          + position(fill.symbol()).quantity().toPlainString() + " in " + fill.symbol();
    }
    return null;
  }

  public Ledger reserve(Reservation reservation) {
    Map<String, Reservation> all = new LinkedHashMap<>(reservations);
    all.putIfAbsent(reservation.clientOrderId(), reservation);
    return new Ledger(quoteAsset, startingCash, cash, all, positions, realizedPnl, feesPaid, fills, recentTradeIds);
  }

  /** Releases whatever is left of an order's reservation (order ended). */
  public Ledger release(String clientOrderId) {
    if (!reservations.containsKey(clientOrderId)) {
      return this;
    }
    Map<String, Reservation> all = new LinkedHashMap<>(reservations);
    all.remove(clientOrderId);
    return new Ledger(quoteAsset, startingCash, cash, all, positions, realizedPnl, feesPaid, fills, recentTradeIds);
  }

  /**
   * Applies a fill once: a buy commits its cost from the order's reservation (what the
   * reservation does not cover comes out of free cash), a sell returns its proceeds and realizes
   * PnL against the average price. Fees always reduce realized PnL.
   */
  public Ledger applyFill(Fill fill) {
    if (hasApplied(fill.tradeId())) {
      return this;
    }
    BigDecimal notional = fill.notional();
    Map<String, Reservation> all = new LinkedHashMap<>(reservations);
    Map<String, Position> held = new LinkedHashMap<>(positions);
    Position before = position(fill.symbol());
    BigDecimal newCash;
    Position.Change change = before.fill(fill.side(), fill.quantity(), fill.price());
    BigDecimal newRealized = realizedPnl.add(change.realized()).subtract(fill.fee());
    if (fill.side() == Side.BUY) {
      BigDecimal cost = notional.add(fill.fee());
      newCash = cash.subtract(cost);
      Reservation reservation = all.get(fill.clientOrderId());
      if (reservation != null) {
        BigDecimal left = reservation.amount().subtract(cost).max(BigDecimal.ZERO);
        all.put(fill.clientOrderId(), new Reservation(reservation.clientOrderId(), reservation.symbol(), left));
      }
    } else {
      newCash = cash.add(notional).subtract(fill.fee());
    }
    Position after = change.after();
    if (after.isFlat()) {
      held.remove(fill.symbol().id());
    } else {
      held.put(fill.symbol().id(), after);
    }
    ArrayDeque<String> ids = new ArrayDeque<>(recentTradeIds);
    ids.addLast(fill.tradeId());
    while (ids.size() > DEDUP_WINDOW) {
      ids.removeFirst();
    }
    return new Ledger(
        quoteAsset, startingCash, newCash, all, held, newRealized, feesPaid.add(fill.fee()), fills + 1, new ArrayList<>(ids));
  }

  /** Cash plus the market value of every position at the given last prices (average price if unknown). */
  public BigDecimal equity(Map<String, BigDecimal> lastPrices) {
    BigDecimal value = cash;
    for (Map.Entry<String, Position> entry : positions.entrySet()) {
      BigDecimal last = lastPrices.getOrDefault(entry.getKey(), entry.getValue().averagePrice());
      value = value.add(entry.getValue().marketValue(last));
    }
    return value;
  }

  public BigDecimal unrealizedPnl(Map<String, BigDecimal> lastPrices) {
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, Position> entry : positions.entrySet()) {
      BigDecimal last = lastPrices.getOrDefault(entry.getKey(), entry.getValue().averagePrice());
      total = total.add(entry.getValue().unrealizedPnl(last));
    }
    return total;
  }

  /**
   * Broken invariants, empty when consistent: cash + Σ cost basis = starting cash + realized PnL
   * (exactly: nothing is rounded away), no negative cash, no negative reservation, no negative
   * available cash, no trade id applied twice.
   */
  public List<String> violations() {
    List<String> found = new ArrayList<>();
    BigDecimal atCost = cash;
    for (Position position : positions.values()) {
      atCost = atCost.add(position.costBasis());
    }
    BigDecimal expected = startingCash.add(realizedPnl);
    if (atCost.compareTo(expected) != 0) {
      found.add(
          "cash + cost basis " + atCost.toPlainString() + " != starting cash + realized PnL " + expected.toPlainString());
    }
    if (cash.signum() < 0) {
      found.add("negative cash " + cash.toPlainString());
    }
    for (Reservation reservation : reservations.values()) {
      if (reservation.amount().signum() < 0) {
        found.add("negative reservation " + reservation.clientOrderId());
      }
    }
    if (available().signum() < 0) {
      found.add("negative available cash " + available().toPlainString());
    }
    Set<String> unique = new HashSet<>(recentTradeIds);
    if (unique.size() != recentTradeIds.size()) {
      found.add("a trade id was applied twice");
    }
    return found;
  }
}
