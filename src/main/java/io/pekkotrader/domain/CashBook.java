package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cash of one quote asset and everything that trades against it, in exact decimals:
 * reservations of orders in symbols quoted in it, positions in those symbols (their cost basis is
 * in this asset), realized PnL and fees. Immutable: every operation returns the book after it.
 * {@link Ledger} holds one book per asset and routes each operation to the symbol's book, so an
 * order in {@code ETHBTC} never touches the {@code USDT} cash.
 *
 * <p>Cash: starting cash minus what buys cost (quote amount + fee) plus what sells returned (quote
 * amount − fee), each booked at the asset's precision (see {@link AssetPrecision}). Reserved: funds held for working buy orders. Available: cash − reserved. Realized PnL
 * has the sign of the trade's outcome, long or short, and is net of every fee.
 *
 * @param asset e.g. {@code USDT}
 * @param startingCash cash at start, >= 0
 * @param cash current cash
 * @param reservations by client order id, insertion order; each in this asset
 * @param positions by symbol id ({@code venue:SYMBOL}); flat positions are removed
 * @param realizedPnl trading profit net of all fees
 * @param feesPaid all fees paid
 */
public record CashBook(
    String asset,
    BigDecimal startingCash,
    BigDecimal cash,
    Map<String, Reservation> reservations,
    Map<String, Position> positions,
    BigDecimal realizedPnl,
    BigDecimal feesPaid) {

  public CashBook {
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(cash, "cash");
    Objects.requireNonNull(realizedPnl, "realizedPnl");
    Objects.requireNonNull(feesPaid, "feesPaid");
    if (startingCash == null || startingCash.signum() < 0) {
      throw new IllegalArgumentException("starting cash in " + asset + " must be >= 0, got " + startingCash);
    }
    reservations = Collections.unmodifiableMap(new LinkedHashMap<>(reservations == null ? Map.of() : reservations));
    positions = Collections.unmodifiableMap(new LinkedHashMap<>(positions == null ? Map.of() : positions));
  }

  /** A book holding {@code startingCash} (>= 0) of {@code asset} and nothing else. */
  public static CashBook start(String asset, BigDecimal startingCash) {
    return new CashBook(asset, startingCash, startingCash, Map.of(), Map.of(), BigDecimal.ZERO, BigDecimal.ZERO);
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

  /** Whether {@code amount} (> 0) can be held now from the available cash. */
  public boolean canReserve(BigDecimal amount) {
    return amount.signum() > 0 && available().compareTo(amount) >= 0;
  }

  /** Holds a reservation (already in this book's asset); a second one under the same id changes nothing. */
  CashBook reserve(Reservation reservation) {
    Map<String, Reservation> all = new LinkedHashMap<>(reservations);
    all.putIfAbsent(reservation.clientOrderId(), reservation);
    return new CashBook(asset, startingCash, cash, all, positions, realizedPnl, feesPaid);
  }

  CashBook release(String clientOrderId) {
    if (!reservations.containsKey(clientOrderId)) {
      return this;
    }
    Map<String, Reservation> all = new LinkedHashMap<>(reservations);
    all.remove(clientOrderId);
    return new CashBook(asset, startingCash, cash, all, positions, realizedPnl, feesPaid);
  }

  /**
   * Applies a fill of a symbol quoted in this asset, its amounts booked at {@code precision}
   * (null: exactly, as fills were booked before asset precision): a buy commits its cost (quote
   * amount + fee) from the order's reservation (what the reservation does not cover comes out of
   * free cash), a sell returns its proceeds (quote amount − fee) and realizes PnL against the
   * average price. Fees always reduce realized PnL. The quote amount is price × quantity and,
   * like the fee, rounded to {@code precision}: cash, fees, realized PnL and the reservation
   * change by amounts at that precision only.
   */
  CashBook applyFill(Fill fill, AssetPrecision precision) {
    Reservation reservation = reservations.get(fill.clientOrderId());
    Booking booking = booking(cash, realizedPnl, position(fill.symbol()), reservation, fill, precision);
    Map<String, Reservation> all = new LinkedHashMap<>(reservations);
    if (reservation != null) {
      all.put(fill.clientOrderId(), booking.reservation());
    }
    Map<String, Position> held = new LinkedHashMap<>(positions);
    if (booking.position().isFlat()) {
      held.remove(fill.symbol().id());
    } else {
      held.put(fill.symbol().id(), booking.position());
    }
    return new CashBook(asset, startingCash, booking.cash(), all, held, booking.realizedPnl(), feesPaid.add(booking.fee()));
  }

  /**
   * What one fill does to a book (see {@link #applyFill}): its cash, realized PnL, the fee booked,
   * the symbol's position and the order's reservation (null when it holds none) after it. The one
   * place these rules are written: {@link CashBook} and {@link RunningLedger} both book by it.
   */
  record Booking(BigDecimal cash, BigDecimal realizedPnl, BigDecimal fee, Position position, Reservation reservation) {}

  static Booking booking(
      BigDecimal cash, BigDecimal realizedPnl, Position before, Reservation reservation, Fill fill, AssetPrecision precision) {
    BigDecimal amount = Position.quoteAmount(fill.quantity(), fill.price(), precision);
    BigDecimal fee = precision == null ? fill.fee() : precision.round(fill.fee());
    Position.Change change = before.fill(fill.side(), fill.quantity(), fill.price(), precision);
    BigDecimal newRealized = realizedPnl.add(change.realized()).subtract(fee);
    if (fill.side() == Side.BUY) {
      BigDecimal cost = amount.add(fee);
      Reservation left =
          reservation == null ? null : reservation.withAmount(reservation.amount().subtract(cost).max(BigDecimal.ZERO));
      return new Booking(cash.subtract(cost), newRealized, fee, change.after(), left);
    }
    return new Booking(cash.add(amount).subtract(fee), newRealized, fee, change.after(), reservation);
  }

  /** Σ quantity × last price of the positions (average price where no last price is known). */
  public BigDecimal marketValue(Map<String, BigDecimal> lastPrices) {
    BigDecimal value = BigDecimal.ZERO;
    for (Map.Entry<String, Position> entry : positions.entrySet()) {
      value = value.add(entry.getValue().marketValue(lastPrice(entry.getKey(), lastPrices)));
    }
    return value;
  }

  /** Cash plus the market value of every position, in this asset. */
  public BigDecimal equity(Map<String, BigDecimal> lastPrices) {
    return cash.add(marketValue(lastPrices));
  }

  public BigDecimal unrealizedPnl(Map<String, BigDecimal> lastPrices) {
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, Position> entry : positions.entrySet()) {
      total = total.add(entry.getValue().unrealizedPnl(lastPrice(entry.getKey(), lastPrices)));
    }
    return total;
  }

  /** The last price of a held symbol, or its average price when none is known. */
  BigDecimal lastPrice(String symbolId, Map<String, BigDecimal> lastPrices) {
    BigDecimal last = lastPrices.get(symbolId);
    return last != null ? last : positions.getOrDefault(symbolId, Position.FLAT).averagePrice();
  }

  /**
   * Broken invariants of this asset, empty when consistent: cash + Σ cost basis = starting cash
   * + realized PnL (exactly: what is rounded is rounded once, in the amount booked), no negative cash, no negative or foreign
   * reservation, no negative available cash. Each names the asset.
   */
  public List<String> violations() {
    BigDecimal costBasis = BigDecimal.ZERO;
    for (Position position : positions.values()) {
      costBasis = costBasis.add(position.costBasis());
    }
    return violations(asset, startingCash, cash, costBasis, realizedPnl, reservations.values(), available());
  }

  /** The checks of {@link #violations()} on a book's figures: the one place they are written ({@link RunningLedger} keeps the sums as it goes). */
  static List<String> violations(
      String asset,
      BigDecimal startingCash,
      BigDecimal cash,
      BigDecimal costBasis,
      BigDecimal realizedPnl,
      Collection<Reservation> reservations,
      BigDecimal available) {
    List<String> found = new ArrayList<>();
    BigDecimal atCost = cash.add(costBasis);
    BigDecimal expected = startingCash.add(realizedPnl);
    if (atCost.compareTo(expected) != 0) {
      found.add(
          asset + ": cash + cost basis " + atCost.toPlainString() + " != starting cash + realized PnL " + expected.toPlainString());
    }
    if (cash.signum() < 0) {
      found.add(asset + ": negative cash " + cash.toPlainString());
    }
    for (Reservation reservation : reservations) {
      if (reservation.amount().signum() < 0) {
        found.add(asset + ": negative reservation " + reservation.clientOrderId());
      }
      if (!asset.equals(reservation.asset())) {
        found.add(asset + ": reservation " + reservation.clientOrderId() + " is in " + reservation.asset());
      }
    }
    if (available.signum() < 0) {
      found.add(asset + ": negative available cash " + available.toPlainString());
    }
    return found;
  }

}
