package io.pekkotrader.domain;

import io.pekkotrader.domain.risk.PortfolioExposure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Ledger} of one account asset for a single owner that drives it trade by trade (the
 * {@link TradingKernel}): it changes in place, and it keeps its valuation up to date as prices
 * move, so that booking a fill, holding a reservation and valuing the account for a risk decision
 * each cost the same with one position open or a thousand. The immutable {@link Ledger} rebuilds
 * its figures from every position on each question; that is right for the portfolio actor, which
 * answers a few a second, and too slow for a kernel that replays millions of trades.
 *
 * <p>The rules are not written twice: a fill is booked by {@link CashBook#booking}, a sell beyond
 * the position is refused by {@link Ledger#sellBeyond}, the invariants are {@link
 * CashBook#violations(String, BigDecimal, BigDecimal, BigDecimal, BigDecimal, java.util.Collection,
 * BigDecimal)}, and {@link #toLedger()} gives the immutable ledger the same operations would have
 * produced there. What is kept as it goes: reserved funds, the cost basis and the market value of
 * every position (each at its last price, its average price while it has none) and their sum
 * and absolute sum. Sums of exact decimals are exact, so they equal what {@link Valuation#of} and
 * {@code PortfolioRisk.exposure} compute from the ledger (a property test holds them to it), up to
 * trailing zeros.
 *
 * <p>Not thread-safe; not for the actors.
 */
public final class RunningLedger {
  private final String asset;
  private final BigDecimal startingCash;
  private BigDecimal cash;
  private BigDecimal realizedPnl = BigDecimal.ZERO;
  private BigDecimal feesPaid = BigDecimal.ZERO;
  private BigDecimal reserved = BigDecimal.ZERO;
  private BigDecimal costBasis = BigDecimal.ZERO;
  private BigDecimal marketValue = BigDecimal.ZERO;
  private BigDecimal grossValue = BigDecimal.ZERO;
  private long fills;
  private final Map<String, Reservation> reservations = new LinkedHashMap<>();
  private final Map<String, Position> positions = new LinkedHashMap<>();
  /** Every symbol's mark, by symbol id. */
  private final Map<String, Mark> marks = new HashMap<>();

  /** One symbol's last price and, while it holds a position, its quantity and market value there. */
  private static final class Mark {
    private final String symbolId;
    private BigDecimal lastPrice;
    /** Null while flat. */
    private BigDecimal quantity;
    private BigDecimal value;

    private Mark(String symbolId) {
      this.symbolId = symbolId;
    }
  }
  private final LinkedHashSet<String> recentTradeIds = new LinkedHashSet<>();

  private RunningLedger(String asset, BigDecimal startingCash) {
    this.asset = Objects.requireNonNull(asset, "asset");
    if (startingCash == null || startingCash.signum() <= 0) {
      throw new IllegalArgumentException("starting cash in the account asset " + asset + " must be > 0, got " + startingCash);
    }
    this.startingCash = startingCash;
    this.cash = startingCash;
  }

  /** A ledger with {@code startingCash} (> 0) of {@code asset}, the account asset. */
  public static RunningLedger start(String asset, BigDecimal startingCash) {
    return new RunningLedger(asset, startingCash);
  }

  public String asset() {
    return asset;
  }

  /**
   * The last price of {@code symbolId}: its position is valued at it from now on. One lookup, and
   * for a held symbol one product and the sums' change, however many positions are open.
   */
  public void mark(String symbolId, BigDecimal price) {
    Mark mark = markOf(symbolId);
    mark.lastPrice = price;
    if (mark.quantity != null) {
      BigDecimal value = mark.quantity.multiply(price);
      BigDecimal change = value.subtract(mark.value);
      marketValue = marketValue.add(change);
      // a long stays a long as its price moves: its absolute value changes by the same amount
      grossValue = mark.value.signum() >= 0 && value.signum() >= 0
          ? grossValue.add(change)
          : grossValue.subtract(mark.value.abs()).add(value.abs());
      mark.value = value;
    }
  }

  /** The mark of {@code symbolId}, made (without a price) when it has none. */
  private Mark markOf(String symbolId) {
    return marks.computeIfAbsent(symbolId, Mark::new);
  }

  /** The last price per symbol id (a new map). */
  public Map<String, BigDecimal> lastPrices() {
    Map<String, BigDecimal> prices = new HashMap<>();
    marks.values().forEach(mark -> {
      if (mark.lastPrice != null) {
        prices.put(mark.symbolId, mark.lastPrice);
      }
    });
    return prices;
  }

  public boolean hasApplied(String tradeId) {
    return recentTradeIds.contains(tradeId);
  }

  public Position position(SymbolId symbol) {
    return positions.getOrDefault(symbol.id(), Position.FLAT);
  }

  public int openPositions() {
    return positions.size();
  }

  public Reservation reservation(String clientOrderId) {
    return reservations.get(clientOrderId);
  }

  public BigDecimal available() {
    return cash.subtract(reserved);
  }

  /** As {@link Ledger#canReserve}: the order holds a reservation already, or {@code amount} > 0 is available. */
  public boolean canReserve(String clientOrderId, BigDecimal amount) {
    return reservations.containsKey(clientOrderId) || (amount.signum() > 0 && available().compareTo(amount) >= 0);
  }

  /** As {@link Ledger#reserve}, in the account asset; a second one under the same id changes nothing. */
  public void reserve(Reservation reservation) {
    if (reservations.containsKey(reservation.clientOrderId())) {
      return;
    }
    reservations.put(reservation.clientOrderId(), reservation.in(asset));
    reserved = reserved.add(reservation.amount());
  }

  /** As {@link Ledger#release}. */
  public void release(String clientOrderId) {
    Reservation gone = reservations.remove(clientOrderId);
    if (gone != null) {
      reserved = reserved.subtract(gone.amount());
    }
  }

  /** As {@link Ledger#whyNotApplicable}, for the account asset. */
  public String whyNotApplicable(Fill fill) {
    return Ledger.sellBeyond(fill, position(fill.symbol()));
  }

  /** As {@link Ledger#applyFill(Fill, String, AssetPrecision)} in the account asset: once per trade id. */
  public void applyFill(Fill fill, AssetPrecision precision) {
    if (!recentTradeIds.add(fill.tradeId())) {
      return;
    }
    if (recentTradeIds.size() > Ledger.DEDUP_WINDOW) {
      Iterator<String> oldest = recentTradeIds.iterator();
      oldest.next();
      oldest.remove();
    }
    String id = fill.symbol().id();
    Position before = position(fill.symbol());
    Reservation reservation = reservations.get(fill.clientOrderId());
    CashBook.Booking booking = CashBook.booking(cash, realizedPnl, before, reservation, fill, precision);
    cash = booking.cash();
    realizedPnl = booking.realizedPnl();
    feesPaid = feesPaid.add(booking.fee());
    if (reservation != null) {
      reservations.put(fill.clientOrderId(), booking.reservation());
      reserved = reserved.subtract(reservation.amount()).add(booking.reservation().amount());
    }
    costBasis = costBasis.subtract(before.costBasis()).add(booking.position().costBasis());
    if (booking.position().isFlat()) {
      positions.remove(id);
    } else {
      positions.put(id, booking.position());
    }
    revalue(id);
    fills++;
  }

  /** Brings the market value of {@code symbolId}'s position (none when flat) into the sums, at its last price (its average price while it has none). */
  private void revalue(String symbolId) {
    Mark mark = markOf(symbolId);
    if (mark.quantity != null) {
      marketValue = marketValue.subtract(mark.value);
      grossValue = grossValue.subtract(mark.value.abs());
      mark.quantity = null;
      mark.value = null;
    }
    Position position = positions.get(symbolId);
    if (position != null) {
      mark.quantity = position.quantity();
      mark.value = position.marketValue(mark.lastPrice != null ? mark.lastPrice : position.averagePrice());
      marketValue = marketValue.add(mark.value);
      grossValue = grossValue.add(mark.value.abs());
    }
  }

  /** Cash plus the market value of every position. */
  public BigDecimal equity() {
    return cash.add(marketValue);
  }

  /** As {@link Valuation#of} on {@link #toLedger()} (one book, the account asset's, at rate 1). */
  public Valuation valuation() {
    BigDecimal rate = BigDecimal.ONE;
    BigDecimal unrealized = marketValue.subtract(costBasis);
    BigDecimal equity = equity();
    Valuation.Pool pool =
        new Valuation.Pool(asset, startingCash, cash, reserved, available(), realizedPnl, unrealized, feesPaid, equity, rate, true);
    return new Valuation(
        asset,
        Map.of(asset, pool),
        BigDecimal.ZERO.add(startingCash.multiply(rate)),
        BigDecimal.ZERO.add(equity.multiply(rate)),
        BigDecimal.ZERO.add(cash.multiply(rate)),
        BigDecimal.ZERO.add(reserved.multiply(rate)),
        BigDecimal.ZERO.add(realizedPnl.multiply(rate)),
        BigDecimal.ZERO.add(unrealized.multiply(rate)),
        BigDecimal.ZERO.add(feesPaid.multiply(rate)),
        List.of());
  }

  /** Reservations of symbols that hold no position (entries in flight), not counting {@code excludedClientOrderId} (may be null). */
  public int workingEntries(String excludedClientOrderId) {
    int working = 0;
    for (Reservation reservation : reservations.values()) {
      if (!reservation.clientOrderId().equals(excludedClientOrderId) && !positions.containsKey(reservation.symbol().id())) {
        working++;
      }
    }
    return working;
  }

  /** As {@code PortfolioRisk.exposure} on {@link #toLedger()}, every symbol quoted in the account asset. */
  public PortfolioExposure exposure(SymbolId symbol, String clientOrderId) {
    String symbolId = symbol == null ? null : symbol.id();
    BigDecimal gross = grossValue.add(reserved);
    boolean symbolWorking = false;
    for (Reservation reservation : reservations.values()) {
      if (reservation.clientOrderId().equals(clientOrderId)) {
        gross = gross.subtract(reservation.amount());
      } else if (reservation.symbol().id().equals(symbolId)) {
        symbolWorking = true;
      }
    }
    Mark mark = symbolId == null ? null : marks.get(symbolId);
    boolean held = mark != null && mark.quantity != null;
    return new PortfolioExposure(
        positions.size(),
        workingEntries(clientOrderId),
        held,
        symbolWorking,
        held ? mark.value.abs().multiply(BigDecimal.ONE) : BigDecimal.ZERO,
        gross,
        symbol == null ? null : asset,
        symbol == null ? null : BigDecimal.ONE);
  }

  /** As {@link Ledger#violations()}: kept sums instead of a walk over every position. */
  public List<String> violations() {
    return new ArrayList<>(
        CashBook.violations(asset, startingCash, cash, costBasis, realizedPnl, reservations.values(), available()));
  }

  /** The immutable ledger these operations would have produced (a copy: it walks every position). */
  public Ledger toLedger() {
    CashBook book = new CashBook(asset, startingCash, cash, reservations, positions, realizedPnl, feesPaid);
    return new Ledger(asset, Map.of(asset, book), fills, new ArrayList<>(recentTradeIds));
  }
}
