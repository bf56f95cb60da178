package io.pekkotrader.domain.risk;

/**
 * Why an intent is refused after the pre-trade checks ({@link RiskCheck}) passed: the portfolio
 * cannot hold its reservation, or cannot be asked. The reason codes of a {@link RiskVerdict},
 * beside the checks' own.
 */
public enum Refusal {
  /** The available cash does not cover the reservation, or no cash is kept in the symbol's quote asset. */
  INSUFFICIENT_FUNDS("insufficient_funds"),
  /** The ledger does not reconcile: nothing is reserved until an operator has looked. */
  PORTFOLIO_INVARIANT("portfolio_invariant"),
  /** The portfolio did not answer in time. */
  PORTFOLIO_UNAVAILABLE("portfolio_unavailable");

  private final String code;

  Refusal(String code) {
    this.code = code;
  }

  /** The reason code in verdicts, events, metrics and the API. */
  public String code() {
    return code;
  }
}
