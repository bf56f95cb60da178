package io.pekkotrader.domain.risk;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits every entry is checked against (see {@link RiskChecks} for the order). Money in the
 * quote asset, exact. Validated as a whole ({@link #violations()}); {@link #sha256()} identifies
 * the limits in force in every audited decision.
 *
 * @param maxDailyLoss entries stop once the day's PnL is at or below minus this, > 0
 * @param maxLossPerTrade stop distance × quantity may not exceed this, > 0
 * @param maxOpenPositions positions plus working entries, > 0
 * @param maxNotionalPerOrder one order's notional, > 0
 * @param maxNotionalPerSymbol a symbol's position plus this order, > 0
 * @param maxGrossExposureMultiple gross exposure after the order, as a multiple of starting capital, > 0
 * @param maxOrdersPerSymbolPerMinute order rate of one symbol, > 0
 * @param maxOrdersPerMinute order rate of the whole engine, >= the per-symbol rate
 * @param maxDrawdown the kill switch engages when drawdown from peak equity reaches this fraction, in (0, 1)
 */
public record RiskLimits(
    BigDecimal maxDailyLoss,
    BigDecimal maxLossPerTrade,
    int maxOpenPositions,
    BigDecimal maxNotionalPerOrder,
    BigDecimal maxNotionalPerSymbol,
    BigDecimal maxGrossExposureMultiple,
    int maxOrdersPerSymbolPerMinute,
    int maxOrdersPerMinute,
    BigDecimal maxDrawdown) {

  /** The limits' names as used in the API, in their canonical order. */
  public static final List<String> FIELDS =
      List.of(
          "maxDailyLoss",
          "maxLossPerTrade",
          "maxOpenPositions",
          "maxNotionalPerOrder",
          "maxNotionalPerSymbol",
          "maxGrossExposureMultiple",
          "maxOrdersPerSymbolPerMinute",
          "maxOrdersPerMinute",
          "maxDrawdown");

  /**
   * One broken rule: the field (as named in the API and config), the rule it breaks and the
   * value it has (null when missing).
   */
  public record Violation(String field, String rule, String value) {
    /** The rule and the value in words: {@code must be > 0, got -1}. */
    public String message() {
      return value == null ? rule : rule + ", got " + value;
    }
  }

  /** Every broken rule, empty when the limits can be used. Null fields count as missing. */
  public List<Violation> violations() {
    List<Violation> found = new ArrayList<>();
    positive(found, "maxDailyLoss", maxDailyLoss);
    positive(found, "maxLossPerTrade", maxLossPerTrade);
    if (maxOpenPositions <= 0) {
      found.add(new Violation("maxOpenPositions", "must be > 0", Integer.toString(maxOpenPositions)));
    }
    positive(found, "maxNotionalPerOrder", maxNotionalPerOrder);
    positive(found, "maxNotionalPerSymbol", maxNotionalPerSymbol);
    positive(found, "maxGrossExposureMultiple", maxGrossExposureMultiple);
    if (maxOrdersPerSymbolPerMinute <= 0) {
      found.add(new Violation("maxOrdersPerSymbolPerMinute", "must be > 0", Integer.toString(maxOrdersPerSymbolPerMinute)));
    }
    if (maxOrdersPerMinute < Math.max(1, maxOrdersPerSymbolPerMinute)) {
      found.add(
          new Violation(
              "maxOrdersPerMinute",
              "must be > 0 and >= maxOrdersPerSymbolPerMinute (" + maxOrdersPerSymbolPerMinute + ")",
              Integer.toString(maxOrdersPerMinute)));
    }
    if (positive(found, "maxDrawdown", maxDrawdown) && maxDrawdown.compareTo(BigDecimal.ONE) >= 0) {
      found.add(new Violation("maxDrawdown", "must be < 1 (a fraction of peak equity)", maxDrawdown.toPlainString()));
    }
    if (maxNotionalPerOrder != null
        && maxNotionalPerSymbol != null
        && maxNotionalPerOrder.compareTo(maxNotionalPerSymbol) > 0) {
      found.add(
          new Violation(
              "maxNotionalPerOrder",
              "must be <= maxNotionalPerSymbol (" + maxNotionalPerSymbol.toPlainString() + ")",
              maxNotionalPerOrder.toPlainString()));
    }
    return found;
  }

  private static boolean positive(List<Violation> found, String field, BigDecimal value) {
    if (value == null) {
      found.add(new Violation(field, "is missing", null));
      return false;
    }
    if (value.signum() <= 0) {
      found.add(new Violation(field, "must be > 0", value.toPlainString()));
      return false;
    }
    return true;
  }

  /** The limits as name → canonical text, in a fixed order (decimals without trailing zeros). */
  public Map<String, String> canonical() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("maxDailyLoss", text(maxDailyLoss));
    fields.put("maxLossPerTrade", text(maxLossPerTrade));
    fields.put("maxOpenPositions", Integer.toString(maxOpenPositions));
    fields.put("maxNotionalPerOrder", text(maxNotionalPerOrder));
    fields.put("maxNotionalPerSymbol", text(maxNotionalPerSymbol));
    fields.put("maxGrossExposureMultiple", text(maxGrossExposureMultiple));
    fields.put("maxOrdersPerSymbolPerMinute", Integer.toString(maxOrdersPerSymbolPerMinute));
    fields.put("maxOrdersPerMinute", Integer.toString(maxOrdersPerMinute));
    fields.put("maxDrawdown", text(maxDrawdown));
    return fields;
  }

  /**
   * sha256 (hex) of the canonical form {@code name=value;...}: equal limits hash equal however
   * their decimals were written ({@code 100} and {@code 100.00}).
   */
  public String sha256() {
    StringBuilder text = new StringBuilder();
    canonical().forEach((name, value) -> text.append(name).append('=').append(value).append(';'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String text(BigDecimal value) {
    return value == null ? "null" : value.stripTrailingZeros().toPlainString();
  }
}
