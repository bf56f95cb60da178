package io.pekkotrader.domain.risk;

/**
 * The outcome of the checks: approved, or the first failing check's reason code and why.
 *
 * @param approved whether every check passed
 * @param reasonCode {@code approved} or the failing {@link RiskCheck#code()}
 * @param message the reason in words, with the figures compared
 */
public record RiskVerdict(boolean approved, String reasonCode, String message) {
  public static final String APPROVED = "approved";

  static RiskVerdict approve() {
    return new RiskVerdict(true, APPROVED, "every check passed");
  }

  static RiskVerdict reject(RiskCheck check, String message) {
    return new RiskVerdict(false, check.code(), message);
  }
}
