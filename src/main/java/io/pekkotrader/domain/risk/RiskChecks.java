package io.pekkotrader.domain.risk;

/** Runs every {@link RiskCheck} that applies, in order; the first failure decides. Pure. */
public final class RiskChecks {
  private RiskChecks() {}

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
