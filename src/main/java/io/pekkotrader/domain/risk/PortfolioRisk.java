package io.pekkotrader.domain.risk;

import io.pekkotrader.domain.CashBook;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Valuation;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The portfolio's risk figures as pure functions of its ledger, the last prices and the peak:
 * asking twice gives the same answer and changes nothing. The portfolio actor keeps the peak
 * and the prices and only calls these.
 */
public final class PortfolioRisk {
  private PortfolioRisk() {}

  /**
   * The equity peak after {@code valuation}: it follows the equity only while every asset is
   * converted (a pool left out for want of a rate is not a loss, and its return is not a gain).
   */
  public static BigDecimal peakAfter(BigDecimal peak, Valuation valuation) {
    return valuation.complete() ? peak.max(valuation.equity()) : peak;
  }

  /**
   * The figures risk judges by: the {@code valuation}'s equity, the highest of {@code
   * observedPeak}, {@code persistedPeak} and (while complete) the equity itself, the day's start.
   */
  public static PortfolioFigures figures(
      Valuation valuation,
      BigDecimal observedPeak,
      BigDecimal persistedPeak,
      long dayStartMs,
      BigDecimal dayStartEquity,
      String brokenInvariants) {
    BigDecimal peak = peakAfter(observedPeak.max(persistedPeak), valuation);
    return new PortfolioFigures(
        valuation.equity(), peak, dayStartEquity, dayStartMs, valuation.startingCapital(), brokenInvariants,
        valuation.unconverted());
  }

  /**
   * Reservations of symbols that hold no position (entries in flight), not counting {@code
   * excludedClientOrderId} (may be null).
   */
  public static int workingEntries(Ledger ledger, String excludedClientOrderId) {
    int working = 0;
    for (Reservation reservation : ledger.reservations().values()) {
      if (!reservation.clientOrderId().equals(excludedClientOrderId)
          && !ledger.positions().containsKey(reservation.symbol().id())) {
        working++;
      }
    }
    return working;
  }

  /**
   * What the ledger holds and has in flight, for the checks on {@code symbol} (may be null),
   * not counting the order {@code clientOrderId} being decided (may be null).
   *
   * @param lastPrices last price per symbol id (a position without one is valued at its average price)
   * @param configuredAsset the quote asset configured for {@code symbol} (null when none)
   */
  public static PortfolioExposure exposure(
      Ledger ledger,
      Valuation valuation,
      Map<String, BigDecimal> lastPrices,
      SymbolId symbol,
      String clientOrderId,
      String configuredAsset) {
    String symbolId = symbol == null ? null : symbol.id();
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal symbolNotional = BigDecimal.ZERO;
    for (Valuation.Pool pool : valuation.pools().values()) {
      if (!pool.converted()) {
        continue;
      }
      CashBook book = ledger.book(pool.asset());
      for (Map.Entry<String, Position> entry : book.positions().entrySet()) {
        BigDecimal last = lastPrices.get(entry.getKey());
        if (last == null) {
          // only a position without a price needs its average (a division)
          last = entry.getValue().averagePrice();
        }
        BigDecimal value = entry.getValue().marketValue(last).abs().multiply(pool.rate());
        gross = gross.add(value);
        if (entry.getKey().equals(symbolId)) {
          symbolNotional = value;
        }
      }
      for (Reservation reservation : book.reservations().values()) {
        if (!reservation.clientOrderId().equals(clientOrderId)) {
          gross = gross.add(reservation.amount().multiply(pool.rate()));
        }
      }
    }
    boolean symbolWorking =
        symbolId != null
            && ledger.reservations().values().stream()
                .anyMatch(r -> !r.clientOrderId().equals(clientOrderId) && r.symbol().id().equals(symbolId));
    String symbolAsset = symbol == null ? null : ledger.assetFor(symbol, clientOrderId, configuredAsset);
    if (symbolAsset != null && ledger.book(symbolAsset) == null) {
      symbolAsset = null;
    }
    return new PortfolioExposure(
        ledger.positions().size(),
        workingEntries(ledger, clientOrderId),
        symbolId != null && ledger.positions().containsKey(symbolId),
        symbolWorking,
        symbolNotional,
        gross,
        symbolAsset,
        symbolAsset == null ? null : ledger.rate(symbolAsset, lastPrices));
  }
}
