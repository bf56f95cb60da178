package io.pekkotrader.domain.risk;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What the portfolio holds and has in flight, as the checks of one entry need it: money in the
 * account asset; positions and reservations of an asset whose rate is not known are left out of
 * the money figures (the {@link PortfolioFigures} name such assets).
 *
 * @param openPositions positions held
 * @param workingEntries reservations of symbols without a position, the decided order excluded
 * @param symbolHasPosition the symbol holds a position
 * @param symbolHasWorkingOrder the symbol has a reservation other than the decided order's
 * @param symbolNotional market value of the symbol's position (absolute)
 * @param grossExposure Σ |market value| of positions plus every reservation but the decided order's
 * @param symbolAsset the quote asset the symbol trades in, null when no cash is kept in it
 * @param symbolRate what one unit of {@code symbolAsset} is worth in the account asset, null when unknown
 */
public record PortfolioExposure(
    int openPositions,
    int workingEntries,
    boolean symbolHasPosition,
    boolean symbolHasWorkingOrder,
    BigDecimal symbolNotional,
    BigDecimal grossExposure,
    String symbolAsset,
    BigDecimal symbolRate) {

  public PortfolioExposure {
    Objects.requireNonNull(symbolNotional, "symbolNotional");
    Objects.requireNonNull(grossExposure, "grossExposure");
  }

  /** Positions held plus entries in flight: what {@link RiskCheck#MAX_OPEN_POSITIONS} counts. */
  public int openPositionsAndEntries() {
    return openPositions + workingEntries;
  }
}
