package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Round-trip trades from fills: a symbol's position goes flat → long or short → flat, and that
 * closed position is one {@link RoundTrip}, numbered 1, 2, ... in the order trades close. Fills
 * in the position's direction add to the entry, opposite fills to the exit; a fill larger than
 * the position closes it and opens the other way with the rest (its fee split pro rata). Prices
 * are volume-weighted over the fills; the sums behind them are exact. Immutable: {@link #apply}
 * returns the next fold, so a reader keeps only the open positions (one per symbol).
 */
public final class RoundTrips {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final Map<String, Open> open;
  private final long closed;

  private RoundTrips(Map<String, Open> open, long closed) {
    this.open = open;
    this.closed = closed;
  }

  /** No position open, no trade closed. */
  public static RoundTrips empty() {
    return new RoundTrips(Map.of(), 0);
  }

  /** Trades closed so far (the number of the last one). */
  public long closed() {
    return closed;
  }

  /** Symbols (ids) holding a position that is not a round trip yet. */
  public java.util.Set<String> openSymbols() {
    return open.keySet();
  }

  /**
   * A closed position.
   *
   * @param number 1, 2, ... in the order trades closed
   * @param side {@code long} or {@code short}
   * @param quoteAsset the cash asset its money is in (null: not known)
   * @param entryTimeMs the first entry fill's time
   * @param exitTimeMs the last exit fill's time
   * @param quantity base quantity entered (and exited)
   * @param entryCost Σ price × quantity of the entry fills
   * @param exitValue Σ price × quantity of the exit fills
   * @param fees entry and exit fees, in the quote asset
   * @param exitClientOrderId the order whose fill closed the position
   * @param exitReason why that order was sent (its intent's reason), null when not known
   */
  public record RoundTrip(
      long number,
      SymbolId symbol,
      String side,
      String quoteAsset,
      long entryTimeMs,
      long exitTimeMs,
      BigDecimal quantity,
      BigDecimal entryCost,
      BigDecimal exitValue,
      BigDecimal fees,
      String exitClientOrderId,
      String exitReason) {

    /** Volume-weighted entry price (16 significant digits when it does not terminate). */
    public BigDecimal entryPrice() {
      return entryCost.divide(quantity, MathContext.DECIMAL64).stripTrailingZeros();
    }

    /** Volume-weighted exit price. */
    public BigDecimal exitPrice() {
      return exitValue.divide(quantity, MathContext.DECIMAL64).stripTrailingZeros();
    }

    /** Profit net of fees, exact: exit value − entry cost − fees for a long, the reverse for a short. */
    public BigDecimal pnl() {
      BigDecimal gross = "long".equals(side) ? exitValue.subtract(entryCost) : entryCost.subtract(exitValue);
      return gross.subtract(fees);
    }

    /** {@link #pnl} / entry cost × 100, rounded half-even to 2 decimals. */
    public BigDecimal pnlPct() {
      return pnl().multiply(HUNDRED).divide(entryCost, 2, RoundingMode.HALF_EVEN);
    }

    public long holdingMs() {
      return exitTimeMs - entryTimeMs;
    }

    public RoundTrip withExitReason(String reason) {
      return new RoundTrip(
          number, symbol, side, quoteAsset, entryTimeMs, exitTimeMs, quantity, entryCost, exitValue, fees, exitClientOrderId, reason);
    }
  }

  /** The fold after one fill, and the trade that fill closed (null: none). */
  public record Step(RoundTrips next, RoundTrip closed) {}

  /** A position being held: what went in, what came out so far. */
  private record Open(
      Side entrySide,
      String quoteAsset,
      long entryTimeMs,
      BigDecimal entryQuantity,
      BigDecimal entryCost,
      BigDecimal exitQuantity,
      BigDecimal exitValue,
      BigDecimal fees) {

    static Open of(Fill fill, BigDecimal quantity, BigDecimal fee, String asset, AssetPrecision precision) {
      return new Open(
          fill.side(), asset, fill.timestampMs(), quantity, booked(fill.price().multiply(quantity), precision), BigDecimal.ZERO,
          BigDecimal.ZERO, fee);
    }

    BigDecimal held() {
      return entryQuantity.subtract(exitQuantity);
    }

    Open entered(Fill fill, AssetPrecision precision) {
      return new Open(
          entrySide, quoteAsset, entryTimeMs, entryQuantity.add(fill.quantity()), entryCost.add(booked(fill.notional(), precision)),
          exitQuantity, exitValue, fees.add(fill.fee()));
    }

    Open exited(Fill fill, BigDecimal quantity, BigDecimal fee, AssetPrecision precision) {
      return new Open(
          entrySide, quoteAsset, entryTimeMs, entryQuantity, entryCost, exitQuantity.add(quantity),
          exitValue.add(booked(fill.price().multiply(quantity), precision)), fees.add(fee));
    }
  }

  /** A quote amount as the ledger booked it: at the asset's precision, or exact when none was recorded (older journals). */
  private static BigDecimal booked(BigDecimal amount, AssetPrecision precision) {
    return precision == null ? amount : precision.round(amount);
  }

  /**
   * The fold after {@code fill}, applied in the cash of {@code asset} (null: not known). Fills
   * must come in the order the ledger applied them, each once.
   */
  public Step apply(Fill fill, String asset) {
    return apply(fill, asset, null);
  }

  /**
   * As {@link #apply(Fill, String)}, each quote amount (price × quantity) taken at {@code
   * precision} as the ledger booked it (null: exact), so a trade's PnL adds up to what the ledger
   * realized instead of differing from it by dust.
   */
  public Step apply(Fill fill, String asset, AssetPrecision precision) {
    Objects.requireNonNull(fill, "fill");
    String key = fill.symbol().id();
    Open position = open.get(key);
    Map<String, Open> next = new HashMap<>(open);
    if (position == null) {
      next.put(key, Open.of(fill, fill.quantity(), fill.fee(), asset, precision));
      return new Step(new RoundTrips(Map.copyOf(next), closed), null);
    }
    if (fill.side() == position.entrySide()) {
      next.put(key, position.entered(fill, precision));
      return new Step(new RoundTrips(Map.copyOf(next), closed), null);
    }
    int versusHeld = fill.quantity().compareTo(position.held());
    if (versusHeld < 0) {
      next.put(key, position.exited(fill, fill.quantity(), fill.fee(), precision));
      return new Step(new RoundTrips(Map.copyOf(next), closed), null);
    }
    BigDecimal closingQuantity = position.held();
    BigDecimal closingFee =
        versusHeld == 0 ? fill.fee() : fill.fee().multiply(closingQuantity).divide(fill.quantity(), MathContext.DECIMAL64);
    Open done = position.exited(fill, closingQuantity, closingFee, precision);
    next.remove(key);
    if (versusHeld > 0) {
      next.put(key, Open.of(fill, fill.quantity().subtract(closingQuantity), fill.fee().subtract(closingFee), asset, precision));
    }
    RoundTrip trip =
        new RoundTrip(
            closed + 1,
            fill.symbol(),
            done.entrySide() == Side.BUY ? "long" : "short",
            done.quoteAsset(),
            done.entryTimeMs(),
            fill.timestampMs(),
            done.entryQuantity(),
            done.entryCost(),
            done.exitValue(),
            done.fees(),
            fill.clientOrderId(),
            null);
    return new Step(new RoundTrips(Map.copyOf(next), closed + 1), trip);
  }
}
