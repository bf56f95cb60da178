package io.pekkotrader.domain.risk;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the checks need to know at the moment of one decision, gathered by the caller.
 *
 * @param nowMs the clock
 * @param killSwitchReason why the kill switch is engaged, null while it is released
 * @param dailyPnl realized plus unrealized PnL since the start of the trading day
 * @param startingCapital capital at start (gross exposure is a multiple of this, not of equity)
 * @param openPositions positions held across all symbols
 * @param workingEntries entry orders or intents in flight across all symbols, this one excluded
 * @param symbolHasPosition the order's symbol holds a position
 * @param symbolHasWorkingOrder the order's symbol has another order or intent in flight
 * @param symbolCooldownUntilMs end of the symbol's cooldown after its last exit (0: none)
 * @param venueBreakerOpen the venue's circuit breaker is open
 * @param symbolNotional market value of the symbol's position
 * @param grossExposure market value of all positions plus working entries
 * @param symbolOrdersLastMinute orders the symbol sent in the last 60 s
 * @param ordersLastMinute orders the engine sent in the last 60 s
 * @param filters the venue's rules for the symbol
 * @param quoteAsset the symbol's quote asset, in which the intent's prices are (null: none known)
 * @param conversionRate what one unit of the quote asset is worth in the account asset, in which
 *     the limits are; null when unknown
 * @param unconvertedAssets assets the portfolio's figures leave out for want of a rate
 */
public record RiskContext(
    long nowMs,
    String killSwitchReason,
    BigDecimal dailyPnl,
    BigDecimal startingCapital,
    int openPositions,
    int workingEntries,
    boolean symbolHasPosition,
    boolean symbolHasWorkingOrder,
    long symbolCooldownUntilMs,
    boolean venueBreakerOpen,
    BigDecimal symbolNotional,
    BigDecimal grossExposure,
    int symbolOrdersLastMinute,
    int ordersLastMinute,
    VenueFilters filters,
    String quoteAsset,
    BigDecimal conversionRate,
    List<String> unconvertedAssets) {

  public RiskContext {
    unconvertedAssets = unconvertedAssets == null ? List.of() : List.copyOf(unconvertedAssets);
  }

  /**
   * The context of one decision from named inputs.
   *
   * @param killSwitchReason why the kill switch is engaged, null while it is released
   * @param figures the portfolio's figures; null for an exit, which does not depend on them
   * @param exposure what the portfolio holds and has in flight; null for an exit
   * @param symbol the cooldown, breaker and filters of the intent's symbol
   * @param rates orders sent in the last minute
   */
  public static RiskContext of(
      long nowMs,
      String killSwitchReason,
      PortfolioFigures figures,
      PortfolioExposure exposure,
      SymbolConditions symbol,
      OrderRates rates) {
    return new RiskContext(
        nowMs,
        killSwitchReason,
        figures == null ? BigDecimal.ZERO : figures.dailyPnl(),
        figures == null ? BigDecimal.ONE : figures.startingCapital(),
        exposure == null ? 0 : exposure.openPositions(),
        exposure == null ? 0 : exposure.workingEntries(),
        exposure != null && exposure.symbolHasPosition(),
        exposure != null && exposure.symbolHasWorkingOrder(),
        symbol.cooldownUntilMs(),
        symbol.venueBreakerOpen(),
        exposure == null ? BigDecimal.ZERO : exposure.symbolNotional(),
        exposure == null ? BigDecimal.ZERO : exposure.grossExposure(),
        rates.symbolLastMinute(),
        rates.lastMinute(),
        symbol.filters(),
        exposure == null ? null : exposure.symbolAsset(),
        exposure == null ? null : exposure.symbolRate(),
        figures == null ? List.of() : figures.unconvertedAssets());
  }

  /**
   * What risk knows about the intent's symbol apart from the portfolio.
   *
   * @param cooldownUntilMs end of the symbol's cooldown after its last exit (0: none)
   * @param venueBreakerOpen the venue's circuit breaker is open
   * @param filters the venue's rules for the symbol
   */
  public record SymbolConditions(long cooldownUntilMs, boolean venueBreakerOpen, VenueFilters filters) {}

  /**
   * Orders sent in the last 60 s.
   *
   * @param symbolLastMinute by the intent's symbol
   * @param lastMinute by the whole engine
   */
  public record OrderRates(int symbolLastMinute, int lastMinute) {}

  public boolean killSwitchEngaged() {
    return killSwitchReason != null;
  }
}
