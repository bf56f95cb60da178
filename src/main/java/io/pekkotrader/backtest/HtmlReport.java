package io.pekkotrader.backtest;

import io.pekkotrader.domain.RoundTrips;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page, no script and nothing fetched: the summary, the
 * per-symbol and exit-reason tables of {@code report.json}, the equity curve with its drawdown
 * underneath, and each symbol's price (candle closes) with entries (▲ green) and exits (▼ red)
 * marked, all as SVG drawn here. Curves longer than {@value #MAX_POINTS} points are thinned to
 * every n-th point (the last always kept). Every text is HTML-escaped.
 */
final class HtmlReport {
  static final int MAX_POINTS = 1500;
  private static final int WIDTH = 960;

  /** The summary rows' keys in {@code report.json}'s {@code summary}: each such cell carries it as {@code data-key} (and id {@code summary-<key>}). */
  static final Map<String, String> SUMMARY_KEYS = Map.ofEntries(
      Map.entry("start balance", "startBalance"),
      Map.entry("final balance", "finalBalance"),
      Map.entry("total return %", "totalReturnPct"),
      Map.entry("CAGR %", "cagrPct"),
      Map.entry("Sharpe", "sharpe"),
      Map.entry("Sortino", "sortino"),
      Map.entry("Calmar", "calmar"),
      Map.entry("max drawdown %", "maxDrawdownPct"),
      Map.entry("max drawdown", "maxDrawdown"),
      Map.entry("profit factor", "profitFactor"),
      Map.entry("expectancy", "expectancy"),
      Map.entry("win rate %", "winRatePct"),
      Map.entry("trades", "trades"),
      Map.entry("fees paid", "feesPaid"),
      Map.entry("market change %", "marketChangePct"),
      Map.entry("trades replayed", "tradesReplayed"));

  private HtmlReport() {}

  static String html(Backtest.Result r, String strategy, Map<String, String> params, Path dir) throws IOException {
    BacktestReport.Summary m = BacktestReport.summary(r);
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backtest report</title>\n<style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
        .append("svg{display:block;margin-bottom:16px;background:#fafafa;border:1px solid #ddd}</style></head><body>\n");
    h.append("<h1>Backtest: ").append(esc(strategy)).append("</h1>\n<p>");
    params.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(p -> h.append(esc(p.getKey())).append('=').append(esc(p.getValue())).append(' '));
    h.append("interval ").append(r.setup().intervalMs()).append(" ms, latency ").append(r.setup().latencyMs()).append(" ms</p>\n");

    h.append("<h2>Summary</h2>\n<table>\n");
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("period (UTC)", java.time.Instant.ofEpochMilli(r.firstTradeMs()) + " – " + java.time.Instant.ofEpochMilli(r.lastTradeMs()));
    rows.put("start balance", m.start);
    rows.put("final balance", m.end);
    rows.put("total return %", m.totalReturnPct);
    rows.put("CAGR %", BacktestReport.pct(m.cagr));
    rows.put("Sharpe", BacktestReport.ratio(m.sharpe));
    rows.put("Sortino", BacktestReport.ratio(m.sortino));
    rows.put("Calmar", BacktestReport.ratio(m.calmar));
    rows.put("max drawdown %", m.maxDrawdownPct);
    rows.put("max drawdown", m.maxDrawdown);
    rows.put("profit factor", BacktestReport.ratio(m.profitFactor));
    rows.put("expectancy", m.expectancy);
    rows.put("win rate %", BacktestReport.pct(m.winRate));
    rows.put("trades", r.roundTrips().size());
    rows.put("fees paid", r.fees());
    rows.put("market change %", BacktestReport.pct(m.marketChange));
    rows.put("trades replayed", r.trades());
    for (Map.Entry<String, Object> row : rows.entrySet()) {
      String key = SUMMARY_KEYS.get(row.getKey());
      h.append("<tr><th>").append(esc(row.getKey())).append("</th><td").append(key == null ? "" : " id=\"summary-" + key + "\" data-key=\"" + key + "\"")
          .append('>').append(esc(text(row.getValue()))).append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Symbols</h2>\n<table><tr><th>symbol</th><th>trades</th><th>wins</th><th>PnL</th><th>fees</th><th>market change %</th></tr>\n");
    for (Backtest.Market market : r.markets()) {
      long n = 0;
      long wins = 0;
      BigDecimal pnl = BigDecimal.ZERO;
      BigDecimal fees = BigDecimal.ZERO;
      for (RoundTrips.RoundTrip t : r.roundTrips()) {
        if (t.symbol().equals(market.symbol())) {
          n++;
          wins += t.pnl().signum() > 0 ? 1 : 0;
          pnl = pnl.add(t.pnl());
          fees = fees.add(t.fees());
        }
      }
      Double change = market.firstPrice() == null ? null
          : market.lastPrice().divide(market.firstPrice(), java.math.MathContext.DECIMAL64).doubleValue() - 1;
      h.append("<tr><td>").append(esc(market.symbol().id())).append("</td><td>").append(n).append("</td><td>").append(wins)
          .append("</td><td>").append(pnl.toPlainString()).append("</td><td>").append(fees.toPlainString()).append("</td><td>")
          .append(esc(text(BacktestReport.pct(change)))).append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Exit reasons</h2>\n<table><tr><th>reason</th><th>trades</th><th>wins</th><th>PnL</th></tr>\n");
    Map<String, long[]> counts = new java.util.TreeMap<>();
    Map<String, BigDecimal> pnls = new java.util.TreeMap<>();
    for (RoundTrips.RoundTrip t : r.roundTrips()) {
      String key = BacktestReport.reasonKey(t.exitReason());
      long[] c = counts.computeIfAbsent(key, k -> new long[2]);
      c[0]++;
      c[1] += t.pnl().signum() > 0 ? 1 : 0;
      pnls.merge(key, t.pnl(), BigDecimal::add);
    }
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(e.getValue()[0]).append("</td><td>").append(e.getValue()[1])
          .append("</td><td>").append(pnls.get(e.getKey()).toPlainString()).append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Equity and drawdown</h2>\n");
    Backtest.Curve curve = r.curve();
    double[] equity = new double[curve.times().length];
    double[] drawdown = new double[equity.length];
    double peak = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < equity.length; i++) {
      equity[i] = curve.equity()[i].doubleValue();
      peak = Math.max(peak, equity[i]);
      drawdown[i] = peak > 0 ? -(peak - equity[i]) / peak * 100 : 0;
    }
    h.append(chart(curve.times(), equity, 220, "#1f5fbf", List.of(), "equity"));
    h.append(chart(curve.times(), drawdown, 110, "#b03030", List.of(), "drawdown %"));

    h.append("<h2>Prices with entries and exits</h2>\n");
    Map<String, List<long[]>> closes =
        closes(dir.resolve(Backtest.CANDLES), r.markets().size() > 1 ? null : r.markets().get(0).symbol().id());
    for (Backtest.Market market : r.markets()) {
      List<long[]> rowsOf = closes.getOrDefault(market.symbol().id(), List.of());
      long[] times = new long[rowsOf.size()];
      double[] prices = new double[rowsOf.size()];
      for (int i = 0; i < times.length; i++) {
        times[i] = rowsOf.get(i)[0];
        prices[i] = Double.longBitsToDouble(rowsOf.get(i)[1]);
      }
      List<Marker> markers = new ArrayList<>();
      for (RoundTrips.RoundTrip t : r.roundTrips()) {
        if (t.symbol().equals(market.symbol())) {
          markers.add(new Marker(t.entryTimeMs(), t.entryPrice().doubleValue(), true));
          markers.add(new Marker(t.exitTimeMs(), t.exitPrice().doubleValue(), false));
        }
      }
      h.append("<h3>").append(esc(market.symbol().id())).append("</h3>\n");
      h.append(chart(times, prices, 220, "#444", markers, "close"));
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  /** An entry (up) or exit (down) to mark on a price chart. */
  record Marker(long atMs, double price, boolean entry) {}

  /** The candle closes by symbol id ({@code onlySymbol}'s, or the first column when there are several symbols), thinned to about {@link #MAX_POINTS}. */
  private static Map<String, List<long[]>> closes(Path candles, String onlySymbol) throws IOException {
    boolean symbolColumn = onlySymbol == null;
    Map<String, List<long[]>> all = new LinkedHashMap<>();
    Map<String, Long> seen = new LinkedHashMap<>();
    long lines = 0;
    try (BufferedReader in = Files.newBufferedReader(candles, StandardCharsets.UTF_8)) {
      in.readLine();
      while (in.readLine() != null) {
        lines++;
      }
    }
    long every = Math.max(1, lines / MAX_POINTS + 1);
    try (BufferedReader in = Files.newBufferedReader(candles, StandardCharsets.UTF_8)) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(",");
        int o = symbolColumn ? 1 : 0;
        String symbol = symbolColumn ? f[0] : onlySymbol;
        long n = seen.merge(symbol, 1L, Long::sum);
        if ((n - 1) % every == 0) {
          all.computeIfAbsent(symbol, k -> new ArrayList<>())
              .add(new long[] {Long.parseLong(f[o]), Double.doubleToLongBits(new BigDecimal(f[o + 4]).doubleValue())});
        }
      }
    }
    return all;
  }

  private static String chart(long[] times, double[] values, int height, String colour, List<Marker> markers, String label) {
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">");
    if (times.length == 0) {
      return s.append("</svg>\n").toString();
    }
    long t0 = times[0];
    long t1 = Math.max(times[times.length - 1], t0 + 1);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (Marker mk : markers) {
      lo = Math.min(lo, mk.price());
      hi = Math.max(hi, mk.price());
    }
    if (hi <= lo) {
      hi = lo + 1;
    }
    int pad = 20;
    double w = WIDTH - 2.0 * pad;
    double hgt = height - 2.0 * pad;
    int every = Math.max(1, times.length / MAX_POINTS + 1);
    s.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.2\" points=\"");
    for (int i = 0; i < times.length; i++) {
      if (i % every != 0 && i != times.length - 1) {
        continue;
      }
      s.append(num(pad + w * (times[i] - t0) / (t1 - t0))).append(',').append(num(pad + hgt * (hi - values[i]) / (hi - lo))).append(' ');
    }
    s.append("\"/>");
    for (Marker mk : markers) {
      double x = pad + w * (Math.min(Math.max(mk.atMs(), t0), t1) - t0) / (t1 - t0);
      double y = pad + hgt * (hi - mk.price()) / (hi - lo);
      if (mk.entry()) {
        s.append("<path fill=\"#1a8f3a\" d=\"M").append(num(x)).append(',').append(num(y)).append(" l-4,8 h8 z\"/>");
      } else {
        s.append("<path fill=\"#c02020\" d=\"M").append(num(x)).append(',').append(num(y)).append(" l-4,-8 h8 z\"/>");
      }
    }
    s.append("<text x=\"").append(pad).append("\" y=\"14\" font-size=\"11\">").append(esc(label)).append(": ").append(num(lo)).append(" – ")
        .append(num(hi)).append("</text>");
    return s.append("</svg>\n").toString();
  }

  private static String num(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  private static String text(Object value) {
    if (value == null) {
      return "–";
    }
    return value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
  }

  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
