package io.pekkotrader.http;

import static io.pekkotrader.http.Requests.badRequest;
import static io.pekkotrader.http.Requests.done;

import io.pekkotrader.actors.Notifier;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.domain.EquityHistory;
import io.pekkotrader.domain.RoundTrips;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.TradeStats;
import io.pekkotrader.http.Requests.BadInput;
import io.pekkotrader.persistence.TradingHistory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The trader's history: round-trip trades ({@code /trades}), the equity history ({@code
 * /equity}), both from the journals so they survive restarts, and this node's recent alerts
 * ({@code /alerts}). Every parameter is checked before anything is read.
 */
final class TradingRoutes extends AllDirectives {
  static final int MAX_TRADES = 500;
  static final int MAX_EQUITY_POINTS = TradingHistory.EQUITY_SAMPLES;
  static final int MAX_ALERTS = Notifier.RECENT_ALERTS;

  private final Engine engine;
  private final ActorSystem<?> system;
  private final Supplier<TradingHistory> history;

  TradingRoutes(Engine engine, ActorSystem<?> system, Supplier<TradingHistory> history) {
    this.engine = engine;
    this.system = system;
    this.history = history;
  }

  Route routes() {
    return concat(
        path("trades", () -> get(() -> parameterMap(params -> completeWithFuture(trades(params))))),
        path("equity", () -> get(() -> parameterMap(params -> completeWithFuture(equity(params))))),
        path("alerts", () -> get(() -> parameterMap(params -> completeWithFuture(alerts(params))))));
  }

  /** {@code question} asked of the history; failed when the history cannot be made (no read journal). */
  static <T> CompletableFuture<T> fromHistory(
      Supplier<TradingHistory> history, java.util.function.Function<TradingHistory, CompletionStage<T>> question) {
    try {
      return question.apply(history.get()).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- trades ------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> trades(Map<String, String> params) {
    int limit;
    long before;
    SymbolId symbol = null;
    try {
      Requests.onlyParameters(params, Set.of("limit", "before", "symbol"), "/trades");
      limit = Requests.limit(params, 50, MAX_TRADES);
      before = Requests.before(params);
      if (params.containsKey("symbol")) {
        try {
          symbol = SymbolId.parse(params.get("symbol"));
        } catch (IllegalArgumentException e) {
          throw new BadInput(badRequest("invalid_parameter", e.getMessage(), "symbol"));
        }
      }
    } catch (BadInput e) {
      return done(e.response());
    }
    String wanted = symbol == null ? null : symbol.id();
    CompletionStage<Boolean> known =
        symbol == null || engine.symbols().listing(symbol) != null
            ? CompletableFuture.completedFuture(true)
            : fromHistory(history, h -> h.performance()).thenApply(p -> p.bySymbol().containsKey(wanted));
    return known
        .thenCompose(
            isKnown ->
                isKnown
                    ? fromHistory(history, h -> h.trades(before, limit, wanted)).thenApply(page -> tradesAnswer(page.trades(), page.nextBefore()))
                    : CompletableFuture.completedFuture(
                        ControlRoutes.error(
                            StatusCodes.NOT_FOUND, "unknown_symbol", "symbol " + wanted + " is not traded by this engine and has no trades", "symbol")))
        .exceptionally(ControlRoutes::unavailable);
  }

  private static HttpResponse tradesAnswer(List<RoundTrips.RoundTrip> trips, Long nextBefore) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (RoundTrips.RoundTrip trip : trips) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("number", trip.number());
      item.put("symbol", trip.symbol().id());
      item.put("side", trip.side());
      item.put("entryTimeMs", trip.entryTimeMs());
      item.put("exitTimeMs", trip.exitTimeMs());
      item.put("entryPrice", plain(trip.entryPrice()));
      item.put("exitPrice", plain(trip.exitPrice()));
      item.put("quantity", plain(trip.quantity()));
      item.put("fees", plain(trip.fees()));
      item.put("pnl", plain(trip.pnl()));
      item.put("pnlPct", trip.pnlPct().toPlainString());
      item.put("holdingMs", trip.holdingMs());
      item.put("exitReason", trip.exitReason());
      item.put("quoteAsset", trip.quoteAsset());
      items.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trades", items);
    body.put("nextBefore", nextBefore);
    return ControlRoutes.ok(body);
  }

  /** The {@code performance} object of {@code GET /portfolio}. */
  static Map<String, Object> performanceView(TradeStats.Performance performance) {
    Map<String, Object> bySymbol = new LinkedHashMap<>();
    performance.bySymbol().forEach((symbol, stats) -> bySymbol.put(symbol, statsView(stats)));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("total", statsView(performance.total()));
    view.put("bySymbol", bySymbol);
    return view;
  }

  private static Map<String, Object> statsView(TradeStats stats) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("trades", stats.trades());
    view.put("wins", stats.wins());
    view.put("losses", stats.losses());
    view.put("winRate", stats.winRate().toPlainString());
    view.put("pnl", plain(stats.pnl()));
    return view;
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  // ---- equity ------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> equity(Map<String, String> params) {
    int limit;
    try {
      Requests.onlyParameters(params, Set.of("limit"), "/equity");
      limit = Requests.limit(params, 1000, MAX_EQUITY_POINTS);
    } catch (BadInput e) {
      return done(e.response());
    }
    return fromHistory(history, h -> h.equity(limit))
        .thenApply(
            points -> {
              List<Map<String, Object>> items = new ArrayList<>();
              for (EquityHistory.Point point : points) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("atMs", point.atMs());
                item.put("equity", plain(point.equity()));
                item.put("peak", plain(point.peak()));
                item.put("drawdown", plain(point.drawdown()));
                item.put("drawdownPct", point.drawdownPct().toPlainString());
                items.add(item);
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("quoteAsset", engine.settings().trading().quoteAsset());
              body.put("points", items);
              return ControlRoutes.ok(body);
            })
        .exceptionally(ControlRoutes::unavailable);
  }

  // ---- alerts ------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> alerts(Map<String, String> params) {
    int limit;
    try {
      Requests.onlyParameters(params, Set.of("limit"), "/alerts");
      limit = Requests.limit(params, 50, MAX_ALERTS);
    } catch (BadInput e) {
      return done(e.response());
    }
    if (engine.notifier() == null) {
      return done(ControlRoutes.ok(Map.of("alerts", List.of())));
    }
    return ControlRoutes.ask(system, engine.notifier(), (ActorRef<Notifier.RecentAlerts> r) -> new Notifier.GetRecentAlerts(limit, r))
        .thenApply(
            recent -> {
              List<Map<String, Object>> items = new ArrayList<>();
              for (Notifier.Raised raised : recent.alerts()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("atMs", raised.atMs());
                item.put("severity", raised.alert().severity().name());
                item.put("title", raised.alert().title());
                item.put("text", raised.alert().text());
                item.put("fields", raised.alert().fields());
                items.add(item);
              }
              return ControlRoutes.ok(Map.of("alerts", items));
            })
        .exceptionally(ControlRoutes::unavailable);
  }
}
