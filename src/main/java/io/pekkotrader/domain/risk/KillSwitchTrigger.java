package io.pekkotrader.domain.risk;

import java.math.BigDecimal;
import java.util.Set;

/**
 * When the kill switch engages by itself: the day's loss reaches the daily loss limit, the
 * drawdown from peak equity reaches the max drawdown, or the portfolio ledger stops reconciling.
 * Each condition fires once per {@link #key()}: once per trading day for the daily loss, once
 * per peak for the drawdown, once per distinct invariant break; so an operator who releases the
 * switch after looking at the cause is not overruled a second later by the same condition. The
 * day's loss and the drawdown are judged only on complete figures: with an asset left out for
 * want of a rate (e.g. just after a restart, before the first price) equity is not the
 * account's, and a missing pool is no loss.
 *
 * @param key identifies the occurrence, e.g. {@code daily_loss_limit@1700006400000}
 * @param code the reason code ({@code daily_loss_limit}, {@code max_drawdown}, {@code portfolio_invariant})
 * @param reason in words, with the figures
 */
public record KillSwitchTrigger(String key, String code, String reason) {

  /** The causes, by reason code; the daily loss limit's is {@link RiskCheck#DAILY_LOSS_LIMIT}'s. */
  public static final String PORTFOLIO_INVARIANT = Refusal.PORTFOLIO_INVARIANT.code();

  public static final String MAX_DRAWDOWN = "max_drawdown";

  /** The first condition that holds and has not fired yet, or null. Pure. */
  public static KillSwitchTrigger check(PortfolioFigures figures, RiskLimits limits, Set<String> fired) {
    if (figures.brokenInvariants() != null) {
      String key = PORTFOLIO_INVARIANT + "@" + figures.brokenInvariants().hashCode();
      if (!fired.contains(key)) {
        return new KillSwitchTrigger(key, PORTFOLIO_INVARIANT, "portfolio ledger does not reconcile: " + figures.brokenInvariants());
      }
    }
    if (!figures.complete()) {
      return null;
    }
    BigDecimal daily = figures.dailyPnl();
    if (daily.compareTo(limits.maxDailyLoss().negate()) <= 0) {
      String key = "daily_loss_limit@" + figures.dayStartMs();
      if (!fired.contains(key)) {
        return new KillSwitchTrigger(
            key, RiskCheck.DAILY_LOSS_LIMIT.code(),
            "daily PnL " + RiskCheck.plain(daily) + " reached the daily loss limit of " + RiskCheck.plain(limits.maxDailyLoss()));
      }
    }
    BigDecimal drawdown = figures.drawdown();
    if (drawdown.compareTo(limits.maxDrawdown()) >= 0) {
      String key = MAX_DRAWDOWN + "@" + RiskCheck.plain(figures.peakEquity());
      if (!fired.contains(key)) {
        return new KillSwitchTrigger(
            key, MAX_DRAWDOWN,
            "drawdown " + RiskCheck.plain(drawdown) + " from peak equity " + RiskCheck.plain(figures.peakEquity())
                + " reached the limit of " + RiskCheck.plain(limits.maxDrawdown()));
      }
    }
    return null;
  }
}
