package io.pekkotrader.backtest;

import io.pekkotrader.domain.RoundTrips;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of a {@link Backtest.Result}, as {@code report.json} (and the HTML report) show it.
 * Money is exact (the account asset at its precision), written as decimal strings; ratios are
 * rounded half-even to 4 decimals (percentages to 2) so the same run always writes the same bytes.
 *
 * <p>Definitions: returns are the equity's change from one interval end to the next ({@code
 * equity.csv}); Sharpe = mean / standard deviation (n − 1) × √(intervals per year), Sortino =
 * mean / downside deviation (√(Σ min(r, 0)² / n)) × √(intervals per year), with a year of 365 days
 * (crypto trades every day) and no risk-free rate; CAGR = (final / start)^(365 days / period) − 1;
 * Calmar = CAGR / max drawdown. The max drawdown is the largest fall from a peak of the sampled
 * equity, in % of that peak, with its absolute size, the peak's time (start) and the trough's
 * (end). Trades are round trips (flat → position → flat): profit factor = gross profit / gross
 * loss, expectancy = mean PnL per trade, both net of fees. Exposure = time with any position
 * open / period. Market change = last / first trade price − 1, per symbol; overall their mean.
 * A figure that cannot be computed (no trade, no loss, no variance) is {@code null}.
 */
public final class BacktestReport {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final double YEAR_MS = 365.0 * 24 * 3600 * 1000;
  private static final long DAY_MS = 24L * 3600 * 1000;

  private BacktestReport() {}

  /** The JSON text of the report: keys in a fixed order, two-space indent, a newline at the end. */
  public static String json(Backtest.Result r, String strategy, Map<String, String> params) {
    Json j = new Json();
    j.open();
    j.field("strategy", strategy);
    j.key("params").open();
    for (Map.Entry<String, String> p : new TreeMap<>(params).entrySet()) {
      j.field(p.getKey(), p.getValue());
    }
    j.close();
    Backtest.Setup s = r.setup();
    j.key("settings").open()
        .field("intervalMs", s.intervalMs())
        .field("latencyMs", s.latencyMs())
        .field("quoteAsset", s.kernel().quoteAsset())
        .field("feeRate", s.kernel().feeRate().toPlainString())
        .close();
    long periodMs = r.lastTradeMs() - r.firstTradeMs();
    j.key("period").open()
        .field("startMs", r.firstTradeMs())
        .field("endMs", r.lastTradeMs())
        .field("start", java.time.Instant.ofEpochMilli(r.firstTradeMs()).toString())
        .field("end", java.time.Instant.ofEpochMilli(r.lastTradeMs()).toString())
        .field("days", ratio(periodMs / (double) DAY_MS))
        .close();
    Summary m = summary(r);
    j.key("summary").open()
        .field("startBalance", m.start.toPlainString())
        .field("finalBalance", m.end.toPlainString())
        .field("totalReturnPct", m.totalReturnPct.toPlainString())
        .field("cagrPct", pct(m.cagr))
        .field("sharpe", ratio(m.sharpe))
        .field("sortino", ratio(m.sortino))
        .field("calmar", ratio(m.calmar))
        .field("maxDrawdownPct", m.maxDrawdownPct.toPlainString())
        .field("maxDrawdown", m.maxDrawdown.toPlainString())
        .field("maxDrawdownStartMs", m.maxDrawdownStartMs)
        .field("maxDrawdownEndMs", m.maxDrawdownEndMs)
        .field("profitFactor", ratio(m.profitFactor))
        .field("expectancy", m.expectancy == null ? null : m.expectancy.toPlainString())
        .field("winRatePct", pct(m.winRate))
        .field("trades", (long) r.roundTrips().size())
        .field("tradesPerDay", periodMs <= 0 ? null : ratio(r.roundTrips().size() / (periodMs / (double) DAY_MS)))
        .field("avgHoldingMsWinners", m.avgHoldWinners)
        .field("avgHoldingMsLosers", m.avgHoldLosers)
        .field("bestTrade", m.best == null ? null : m.best.pnl().toPlainString())
        .field("bestTradePct", m.best == null ? null : m.best.pnlPct().toPlainString())
        .field("worstTrade", m.worst == null ? null : m.worst.pnl().toPlainString())
        .field("worstTradePct", m.worst == null ? null : m.worst.pnlPct().toPlainString())
        .field("feesPaid", r.fees().toPlainString())
        .field("exposurePct", periodMs <= 0 ? null : pct(r.exposedMs() / (double) periodMs))
        .field("marketChangePct", pct(m.marketChange))
        .field("fills", r.fills())
        .field("decisions", (long) r.decisions().size())
        .field("riskRejected", r.counts().rejected())
        .field("alerts", r.alerts())
        .field("tradesReplayed", r.trades())
        .close();
    j.key("openPositions").array();
    for (String open : r.openPositions()) {
      j.value(open);
    }
    j.end();
    j.key("symbols").array();
    for (Backtest.Market market : r.markets()) {
      Group g = new Group();
      r.roundTrips().stream().filter(t -> t.symbol().equals(market.symbol())).forEach(g::add);
      j.open()
          .field("symbol", market.symbol().id())
          .field("tradesReplayed", market.trades())
          .field("candles", market.candles())
          .field("firstPrice", market.firstPrice() == null ? null : market.firstPrice().toPlainString())
          .field("lastPrice", market.lastPrice() == null ? null : market.lastPrice().toPlainString())
          .field("marketChangePct", pct(change(market)))
          .field("trades", g.count)
          .field("wins", g.wins)
          .field("winRatePct", g.count == 0 ? null : pct(g.wins / (double) g.count))
          .field("pnl", g.pnl.toPlainString())
          .field("fees", g.fees.toPlainString())
          .close();
    }
    j.end();
    j.key("exitReasons").array();
    Map<String, Group> reasons = new TreeMap<>();
    for (RoundTrips.RoundTrip t : r.roundTrips()) {
      reasons.computeIfAbsent(reasonKey(t.exitReason()), k -> new Group()).add(t);
    }
    for (Map.Entry<String, Group> e : reasons.entrySet()) {
      Group g = e.getValue();
      j.open()
          .field("reason", e.getKey())
          .field("trades", g.count)
          .field("wins", g.wins)
          .field("winRatePct", pct(g.wins / (double) g.count))
          .field("pnl", g.pnl.toPlainString())
          .close();
    }
    j.end();
    j.close();
    return j.text() + "\n";
  }

  /**
   * The exit reason as a table key: the signal's words up to the first colon or comma, before the
   * figures ({@code stop loss: close 59000 <= 59100} → {@code stop loss}), so equal causes group together.
   */
  static String reasonKey(String reason) {
    if (reason == null || reason.isBlank()) {
      return "unknown";
    }
    int cut = reason.length();
    for (char c : new char[] {':', ','}) {
      int at = reason.indexOf(c);
      if (at > 0 && at < cut) {
        cut = at;
      }
    }
    String key = reason.substring(0, cut);
    key = key.strip();
    return key.isEmpty() ? "unknown" : key;
  }

  // ---- figures ------------------------------------------------------------------------------

  /** The figures of the summary. */
  static final class Summary {
    BigDecimal start;
    BigDecimal end;
    BigDecimal totalReturnPct;
    Double cagr;
    Double sharpe;
    Double sortino;
    Double calmar;
    BigDecimal maxDrawdownPct = BigDecimal.ZERO;
    BigDecimal maxDrawdown = BigDecimal.ZERO;
    Long maxDrawdownStartMs;
    Long maxDrawdownEndMs;
    Double profitFactor;
    BigDecimal expectancy;
    Double winRate;
    Long avgHoldWinners;
    Long avgHoldLosers;
    RoundTrips.RoundTrip best;
    RoundTrips.RoundTrip worst;
    Double marketChange;
  }

  static Summary summary(Backtest.Result r) {
    Summary m = new Summary();
    Backtest.Setup s = r.setup();
    m.start = r.startingCash();
    m.end = s.kernel().precision().round(r.finalEquity());
    m.totalReturnPct = m.end.subtract(m.start).multiply(HUNDRED).divide(m.start, 4, RoundingMode.HALF_EVEN);
    long periodMs = r.lastTradeMs() - r.firstTradeMs();
    double growth = m.end.divide(m.start, MathContext.DECIMAL64).doubleValue();
    if (periodMs > 0 && growth > 0) {
      m.cagr = Math.pow(growth, YEAR_MS / periodMs) - 1;
    }
    drawdown(r.curve(), m);
    returns(r.curve(), s.intervalMs(), m);
    if (m.cagr != null && m.maxDrawdownPct.signum() > 0) {
      m.calmar = m.cagr / (m.maxDrawdownPct.doubleValue() / 100);
    }
    trades(r.roundTrips(), m);
    double sum = 0;
    int markets = 0;
    for (Backtest.Market market : r.markets()) {
      Double change = change(market);
      if (change != null) {
        sum += change;
        markets++;
      }
    }
    m.marketChange = markets == 0 ? null : sum / markets;
    return m;
  }

  private static Double change(Backtest.Market market) {
    if (market.firstPrice() == null) {
      return null;
    }
    return market.lastPrice().divide(market.firstPrice(), MathContext.DECIMAL64).doubleValue() - 1;
  }

  private static void drawdown(Backtest.Curve curve, Summary m) {
    BigDecimal peak = null;
    long peakAt = 0;
    for (int i = 0; i < curve.times().length; i++) {
      BigDecimal e = curve.equity()[i];
      if (peak == null || e.compareTo(peak) > 0) {
        peak = e;
        peakAt = curve.times()[i];
        continue;
      }
      BigDecimal fall = peak.subtract(e);
      BigDecimal pct = fall.multiply(HUNDRED).divide(peak, 4, RoundingMode.HALF_EVEN);
      if (pct.compareTo(m.maxDrawdownPct) > 0) {
        m.maxDrawdownPct = pct;
        m.maxDrawdown = fall;
        m.maxDrawdownStartMs = peakAt;
        m.maxDrawdownEndMs = curve.times()[i];
      }
    }
  }

  private static void returns(Backtest.Curve curve, long intervalMs, Summary m) {
    int n = curve.times().length;
    if (n < 3) {
      return;
    }
    List<Double> rs = new ArrayList<>(n - 1);
    for (int i = 1; i < n; i++) {
      BigDecimal before = curve.equity()[i - 1];
      if (before.signum() > 0) {
        rs.add(curve.equity()[i].divide(before, MathContext.DECIMAL64).doubleValue() - 1);
      }
    }
    double mean = 0;
    for (double x : rs) {
      mean += x;
    }
    mean /= rs.size();
    double squares = 0;
    double downside = 0;
    for (double x : rs) {
      squares += (x - mean) * (x - mean);
      downside += Math.min(x, 0) * Math.min(x, 0);
    }
    double perYear = Math.sqrt(YEAR_MS / intervalMs);
    double sd = Math.sqrt(squares / (rs.size() - 1));
    double dd = Math.sqrt(downside / rs.size());
    if (sd > 0) {
      m.sharpe = mean / sd * perYear;
    }
    if (dd > 0) {
      m.sortino = mean / dd * perYear;
    }
  }

  private static void trades(List<RoundTrips.RoundTrip> trips, Summary m) {
    if (trips.isEmpty()) {
      return;
    }
    BigDecimal gains = BigDecimal.ZERO;
    BigDecimal losses = BigDecimal.ZERO;
    BigDecimal total = BigDecimal.ZERO;
    long wins = 0;
    long holdWinners = 0;
    long holdLosers = 0;
    for (RoundTrips.RoundTrip t : trips) {
      BigDecimal pnl = t.pnl();
      total = total.add(pnl);
      if (pnl.signum() > 0) {
        wins++;
        gains = gains.add(pnl);
        holdWinners += t.holdingMs();
      } else {
        losses = losses.add(pnl.negate());
        holdLosers += t.holdingMs();
      }
      if (m.best == null || pnl.compareTo(m.best.pnl()) > 0) {
        m.best = t;
      }
      if (m.worst == null || pnl.compareTo(m.worst.pnl()) < 0) {
        m.worst = t;
      }
    }
    long losers = trips.size() - wins;
    m.winRate = wins / (double) trips.size();
    m.expectancy = total.divide(BigDecimal.valueOf(trips.size()), 8, RoundingMode.HALF_EVEN).stripTrailingZeros();
    if (m.expectancy.scale() < 0) {
      m.expectancy = m.expectancy.setScale(0);
    }
    m.profitFactor = losses.signum() == 0 ? null : gains.divide(losses, MathContext.DECIMAL64).doubleValue();
    m.avgHoldWinners = wins == 0 ? null : holdWinners / wins;
    m.avgHoldLosers = losers == 0 ? null : holdLosers / losers;
  }

  /** Round trips of one symbol or one exit reason. */
  private static final class Group {
    long count;
    long wins;
    BigDecimal pnl = BigDecimal.ZERO;
    BigDecimal fees = BigDecimal.ZERO;

    void add(RoundTrips.RoundTrip t) {
      count++;
      if (t.pnl().signum() > 0) {
        wins++;
      }
      pnl = pnl.add(t.pnl());
      fees = fees.add(t.fees());
    }
  }

  /** A ratio at 4 decimals, half-even; null stays null. */
  static BigDecimal ratio(Double x) {
    if (x == null || x.isNaN() || x.isInfinite()) {
      return null;
    }
    return BigDecimal.valueOf(x).setScale(4, RoundingMode.HALF_EVEN);
  }

  /** A fraction as a percentage at 2 decimals, half-even; null stays null. */
  static BigDecimal pct(Double x) {
    if (x == null || x.isNaN() || x.isInfinite()) {
      return null;
    }
    return BigDecimal.valueOf(x * 100).setScale(2, RoundingMode.HALF_EVEN);
  }

  // ---- JSON ---------------------------------------------------------------------------------

  /** A small ordered JSON writer: strings escaped, numbers as BigDecimal/long text, null as null. */
  static final class Json {
    private final StringBuilder out = new StringBuilder(4096);
    private final java.util.ArrayDeque<Boolean> first = new java.util.ArrayDeque<>();
    private boolean afterKey;

    Json open() {
      prefix();
      out.append('{');
      first.push(true);
      return this;
    }

    Json close() {
      boolean empty = first.pop();
      if (!empty) {
        out.append('\n').append("  ".repeat(first.size()));
      }
      out.append('}');
      return this;
    }

    Json array() {
      prefix();
      out.append('[');
      first.push(true);
      return this;
    }

    Json end() {
      boolean empty = first.pop();
      if (!empty) {
        out.append('\n').append("  ".repeat(first.size()));
      }
      out.append(']');
      return this;
    }

    Json key(String key) {
      prefix();
      string(key);
      out.append(": ");
      afterKey = true;
      return this;
    }

    Json field(String key, Object value) {
      key(key);
      return value(value);
    }

    Json value(Object value) {
      prefix();
      if (value == null) {
        out.append("null");
      } else if (value instanceof String text) {
        string(text);
      } else if (value instanceof BigDecimal d) {
        out.append(d.toPlainString());
      } else {
        out.append(value);
      }
      return this;
    }

    private void prefix() {
      if (afterKey) {
        afterKey = false;
        return;
      }
      if (!first.isEmpty()) {
        if (!first.peek()) {
          out.append(',');
        }
        first.pop();
        first.push(false);
        out.append('\n').append("  ".repeat(first.size()));
      }
    }

    private void string(String text) {
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20 || c == '<' || c == '>' || c == '&') {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }

    String text() {
      return out.toString();
    }
  }
}
