package io.pekkotrader.domain.risk;

/** Runs every {@link RiskCheck} that applies, in order; the first failure decides. Pure. */
public final class RiskChecks {
  private RiskChecks() {}

  /**
   * The verdict on one intent from what is known at {@code nowMs}; {@code figures} and {@code
   * exposure} are null for an exit (see {@link RiskContext#of}). The caller only gathers these
   * and persists the verdict.
   */
  public static RiskVerdict decide(
      RiskRequest request,
      RiskLimits limits,
      String killSwitchReason,
      PortfolioFigures figures,
      PortfolioExposure exposure,
      RiskContext.SymbolConditions symbol,
      RiskContext.OrderRates rates,
      long nowMs) {
    return evaluate(request, RiskContext.of(nowMs, killSwitchReason, figures, exposure, symbol, rates), limits);
  }

  public static RiskVerdict evaluate(RiskRequest request, RiskContext context, RiskLimits limits) {
    for (RiskCheck check : RiskCheck.values()) {
      if (!check.appliesTo(request.intent().kind())) {
        continue;
      }
      String failure = check.failure(request, context, limits);
      if (failure != null) {
        return RiskVerdict.reject(check, failure);
      }
    }
    return RiskVerdict.approve();
  }
}
