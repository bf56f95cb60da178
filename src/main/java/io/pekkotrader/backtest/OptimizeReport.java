package io.pekkotrader.backtest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The files of an optimisation, written all or nothing into an output directory (as {@link
 * BacktestRun} writes a backtest's): {@code results.csv}, every parameter set evaluated, best on the
 * training part first, with its training and test figures side by side; and {@code optimize.html},
 * one static page with no script and nothing fetched: the split, two heat maps over two parameters
 * (the training objective, and the test objective of the same sets) drawn as SVG, and the top
 * {@value #TOP} sets with the figures of {@code results.csv} (but the final balances).
 */
public final class OptimizeReport {
  /** The results file name. */
  public static final String RESULTS_CSV = "results.csv";
  /** The HTML page's file name. */
  public static final String OPTIMIZE_HTML = "optimize.html";
  /** Every file an optimisation writes. */
  public static final Set<String> OUTPUT_FILES = Set.of(RESULTS_CSV, OPTIMIZE_HTML);
  /** Sets shown in the page's ranking. */
  static final int TOP = 50;

  private static final List<String> FIGURES = List.of("return_pct", "sharpe", "calmar", "max_drawdown_pct", "trades", "final_balance");

  /**
   * What the page says about the run besides the outcome.
   *
   * @param heatmap the two parameters of the heat maps (columns, rows), or one, or none
   */
  public record Context(String strategy, String symbol, String method, List<String> heatmap) {
    public Context {
      heatmap = List.copyOf(heatmap);
    }
  }

  private OptimizeReport() {}

  /**
   * Writes both files into {@code out}; on any failure {@code out} is left as it was.
   *
   * @throws BacktestInputException {@code out} is a file or holds other files than an optimisation's
   */
  public static void write(Optimizer.Outcome outcome, Context context, Path out) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    BacktestRun.checkReplaceable(target, OUTPUT_FILES, "optimize");
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
    try {
      Files.writeString(staging.resolve(RESULTS_CSV), csv(outcome), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve(OPTIMIZE_HTML), html(outcome, context), StandardCharsets.UTF_8);
      BacktestRun.moveIntoPlace(staging, target);
    } catch (IOException | RuntimeException | Error e) {
      BacktestRun.deleteTree(staging);
      throw e;
    }
  }

  /** The heat map's parameters: {@code chosen} checked against the space, or its first two ranged ones. */
  public static List<String> heatmapAxes(ParameterSpace space, List<String> chosen) {
    if (chosen == null || chosen.isEmpty()) {
      return space.ranged().stream().limit(2).map(ParameterSpace.Axis::name).toList();
    }
    if (chosen.size() != 2 || chosen.get(0).equals(chosen.get(1))) {
      throw new IllegalArgumentException("--heatmap takes two different parameters as A,B; got " + chosen);
    }
    for (String name : chosen) {
      if (space.axes().stream().noneMatch(a -> a.name().equals(name))) {
        throw new IllegalArgumentException("--heatmap " + name + " is not one of the --param names " + space.axes().stream()
            .map(ParameterSpace.Axis::name).toList());
      }
    }
    return List.copyOf(chosen);
  }

  /** The CSV header: rank, the parameters, then each figure of the training part and of the test part. */
  static List<String> header(ParameterSpace space) {
    List<String> columns = new ArrayList<>();
    columns.add("rank");
    space.axes().forEach(a -> columns.add(a.name()));
    for (String part : List.of("train", "test")) {
      FIGURES.forEach(f -> columns.add(part + "_" + f));
    }
    return columns;
  }

  /** A row's fields in the order of {@link #header}; a missing figure is empty. */
  static List<String> fields(int rank, Optimizer.Row row) {
    List<String> fields = new ArrayList<>();
    fields.add(String.valueOf(rank));
    fields.addAll(row.params().values());
    for (Optimizer.Metrics m : List.of(row.train(), row.test())) {
      fields.add(plain(m.returnPct()));
      fields.add(plain(m.sharpe()));
      fields.add(plain(m.calmar()));
      fields.add(plain(m.maxDrawdownPct()));
      fields.add(String.valueOf(m.trades()));
      fields.add(plain(m.finalBalance()));
    }
    return fields;
  }

  static String csv(Optimizer.Outcome outcome) {
    StringBuilder s = new StringBuilder(256 + outcome.ranked().size() * 128);
    s.append(String.join(",", header(outcome.space()))).append('\n');
    int rank = 1;
    for (Optimizer.Row row : outcome.ranked()) {
      s.append(String.join(",", fields(rank++, row))).append('\n');
    }
    return s.toString();
  }

  private static String plain(BigDecimal value) {
    return value == null ? "" : value.toPlainString();
  }

  // ---- HTML ---------------------------------------------------------------------------------

  static String html(Optimizer.Outcome outcome, Context context) {
    Optimizer.Split split = outcome.split();
    String objective = outcome.objective().label();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Optimisation</title>\n<style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
        .append("#ranking{font-size:12px}#ranking td,#ranking th{padding:2px 5px}#ranking th{max-width:80px;white-space:normal}")
        .append("th.train,td.train{background:#eef4fb}th.test,td.test{background:#fbf3ea}")
        .append("svg{display:block;margin-bottom:16px;background:#fff;border:1px solid #ddd}</style></head><body>\n");
    h.append("<h1>Optimisation: ").append(esc(context.strategy())).append(" on ").append(esc(context.symbol())).append("</h1>\n");
    h.append("<table id=\"run\">\n");
    row(h, "objective (ranked on the training part)", objective);
    row(h, "method", context.method());
    row(h, "training part (UTC)", Instant.ofEpochMilli(split.firstMs()) + " – " + Instant.ofEpochMilli(split.cutMs() - 1) + ", "
        + split.trainTrades() + " trades");
    row(h, "test part (UTC)", Instant.ofEpochMilli(split.cutMs()) + " – " + Instant.ofEpochMilli(split.lastMs()) + ", "
        + split.testTrades() + " trades");
    row(h, "parameter sets tried", String.valueOf(outcome.tried()));
    row(h, "evaluated", String.valueOf(outcome.ranked().size()));
    row(h, "skipped (refused by the strategy)", outcome.skipped() + (outcome.skipReason() == null ? "" : ", e.g. " + outcome.skipReason()));
    for (ParameterSpace.Axis axis : outcome.space().axes()) {
      row(h, "param " + axis.name(), axis.ranged()
          ? axis.values().get(0).toPlainString() + " … " + axis.values().get(axis.values().size() - 1).toPlainString() + " ("
              + axis.values().size() + " values)"
          : axis.values().get(0).toPlainString());
    }
    h.append("</table>\n");

    List<String> axes = context.heatmap();
    if (axes.isEmpty()) {
      h.append("<p>No heat map: no parameter takes more than one value.</p>\n");
    } else {
      h.append("<h2>Heat maps</h2>\n<p>Each cell is the best set with those two values (over the other parameters);"
          + " grey: every set there was skipped.</p>\n");
      h.append("<h3>Training ").append(esc(objective)).append("</h3>\n");
      h.append(heatmap(outcome, axes, true, "heatmap-train"));
      h.append("<h3>Test ").append(esc(objective)).append(" of the same sets</h3>\n");
      h.append(heatmap(outcome, axes, false, "heatmap-test"));
    }
    h.append("<h2>Ranking (top ").append(Math.min(TOP, outcome.ranked().size())).append(" of ").append(outcome.ranked().size())
        .append(", by training ").append(esc(objective)).append(")</h2>\n");
    h.append("<p>Training and test figures side by side: a set that ranks high on training but falls away on test was fitted to noise."
        + " The final balances are in " + RESULTS_CSV + ".</p>\n");
    List<String> header = header(outcome.space());
    h.append("<table id=\"ranking\"><tr>");
    for (String column : header) {
      if (column.endsWith("_final_balance")) {
        continue;
      }
      h.append("<th class=\"").append(part(column)).append("\">").append(esc(column.replace('_', ' '))).append("</th>");
    }
    h.append("</tr>\n");
    int rank = 1;
    for (Optimizer.Row row : outcome.ranked()) {
      if (rank > TOP) {
        break;
      }
      List<String> fields = fields(rank, row);
      h.append("<tr id=\"rank-").append(rank).append("\">");
      for (int i = 0; i < fields.size(); i++) {
        if (header.get(i).endsWith("_final_balance")) {
          continue;
        }
        String value = fields.get(i);
        h.append("<td class=\"").append(part(header.get(i))).append("\" data-col=\"").append(esc(header.get(i))).append("\">")
            .append(value.isEmpty() ? "–" : esc(value)).append("</td>");
      }
      h.append("</tr>\n");
      rank++;
    }
    h.append("</table>\n");

    h.append("</body></html>\n");
    return h.toString();
  }

  private static String part(String column) {
    return column.startsWith("train_") ? "train" : column.startsWith("test_") ? "test" : "param";
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
  }

  /** A grid of cells over {@code axes} (x, then y if given), coloured red (low) to yellow to green (high). */
  private static String heatmap(Optimizer.Outcome outcome, List<String> axes, boolean train, String id) {
    ParameterSpace space = outcome.space();
    ParameterSpace.Axis x = axis(space, axes.get(0));
    ParameterSpace.Axis y = axes.size() > 1 ? axis(space, axes.get(1)) : null;
    int nx = x.values().size();
    int ny = y == null ? 1 : y.values().size();
    // ranked order: the first row seen for a cell is its best
    Map<Long, Optimizer.Row> cells = new HashMap<>();
    for (Optimizer.Row row : outcome.ranked()) {
      int cx = x.values().indexOf(new BigDecimal(row.params().get(x.name())));
      int cy = y == null ? 0 : y.values().indexOf(new BigDecimal(row.params().get(y.name())));
      cells.putIfAbsent((long) cy * nx + cx, row);
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Optimizer.Row row : cells.values()) {
      BigDecimal v = (train ? row.train() : row.test()).value(outcome.objective());
      if (v != null) {
        lo = Math.min(lo, v.doubleValue());
        hi = Math.max(hi, v.doubleValue());
      }
    }
    int cellW = Math.max(34, Math.min(72, 840 / nx));
    int cellH = ny > 30 ? 16 : 26;
    int left = 90;
    int top = 30;
    int width = left + cellW * nx + 20;
    int height = top + cellH * ny + 44;
    StringBuilder s = new StringBuilder();
    s.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
        .append(esc(id)).append("\" font-family=\"sans-serif\">");
    // x labels under the grid, every n-th when crowded
    int labelEvery = Math.max(1, (int) Math.ceil(40.0 / cellW));
    for (int i = 0; i < nx; i++) {
      if (i % labelEvery != 0) {
        continue;
      }
      s.append("<text x=\"").append(left + cellW * i + cellW / 2).append("\" y=\"").append(top + cellH * ny + 14)
          .append("\" font-size=\"10\" text-anchor=\"middle\">").append(esc(x.values().get(i).toPlainString())).append("</text>");
    }
    s.append("<text x=\"").append(left + cellW * nx / 2).append("\" y=\"").append(top + cellH * ny + 32)
        .append("\" font-size=\"12\" text-anchor=\"middle\" font-weight=\"bold\">").append(esc(x.name())).append("</text>");
    if (y != null) {
      int yEvery = Math.max(1, (int) Math.ceil(12.0 / cellH));
      for (int j = 0; j < ny; j++) {
        if (j % yEvery != 0) {
          continue;
        }
        s.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + cellH * j + cellH / 2 + 4)
            .append("\" font-size=\"10\" text-anchor=\"end\">").append(esc(y.values().get(j).toPlainString())).append("</text>");
      }
      s.append("<text x=\"8\" y=\"").append(top - 10).append("\" font-size=\"12\" font-weight=\"bold\">").append(esc(y.name()))
          .append(" ↓</text>");
    }
    s.append("<text x=\"").append(left).append("\" y=\"").append(top - 10).append("\" font-size=\"11\">")
        .append(esc(outcome.objective().label())).append(": ")
        .append(lo <= hi ? num(lo) + " (red) … " + num(hi) + " (green)" : "no figure").append("</text>");
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        Optimizer.Row row = cells.get((long) j * nx + i);
        BigDecimal v = row == null ? null : (train ? row.train() : row.test()).value(outcome.objective());
        String fill = v == null ? "#d0d0d0" : colour(hi > lo ? (v.doubleValue() - lo) / (hi - lo) : 1.0);
        int cx = left + cellW * i;
        int cy = top + cellH * j;
        s.append("<rect x=\"").append(cx).append("\" y=\"").append(cy).append("\" width=\"").append(cellW).append("\" height=\"")
            .append(cellH).append("\" fill=\"").append(fill).append("\" stroke=\"#fff\"");
        if (row != null) {
          s.append(" data-params=\"").append(esc(row.params().toString())).append('"');
        }
        s.append("><title>").append(esc(x.name() + "=" + x.values().get(i).toPlainString()
            + (y == null ? "" : ", " + y.name() + "=" + y.values().get(j).toPlainString()) + ": " + (v == null ? "–" : v.toPlainString())))
            .append("</title></rect>");
        if (v != null && cellW >= 40 && cellH >= 20) {
          s.append("<text x=\"").append(cx + cellW / 2).append("\" y=\"").append(cy + cellH / 2 + 4)
              .append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#111\">").append(esc(shortText(v))).append("</text>");
        }
      }
    }
    return s.append("</svg>\n").toString();
  }

  private static ParameterSpace.Axis axis(ParameterSpace space, String name) {
    return space.axes().stream().filter(a -> a.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
  }

  /** Red (0) through pale yellow (0.5) to green (1), light enough for dark text. */
  static String colour(double t) {
    double u = Math.max(0, Math.min(1, t));
    int[] low = {230, 90, 80};
    int[] mid = {255, 240, 160};
    int[] high = {70, 180, 100};
    int[] a = u < 0.5 ? low : mid;
    int[] b = u < 0.5 ? mid : high;
    double f = u < 0.5 ? u * 2 : (u - 0.5) * 2;
    return String.format(Locale.ROOT, "#%02x%02x%02x", (int) Math.round(a[0] + (b[0] - a[0]) * f),
        (int) Math.round(a[1] + (b[1] - a[1]) * f), (int) Math.round(a[2] + (b[2] - a[2]) * f));
  }

  private static String shortText(BigDecimal v) {
    return v.setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String num(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  private static String esc(String text) {
    return HtmlReport.esc(text);
  }
}
