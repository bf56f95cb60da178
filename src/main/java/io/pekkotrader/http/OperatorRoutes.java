package io.pekkotrader.http;

import static io.pekkotrader.http.Requests.badRequest;
import static io.pekkotrader.http.Requests.done;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.http.Requests.BadInput;
import io.pekkotrader.persistence.FillHistory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operator's routes: symbols (list, pause, resume), the emergency stop, and the portfolio's
 * read side ({@code /portfolio}, {@code /orders}, {@code /fills}). Every path parameter and body
 * is checked before anything is asked of the engine.
 */
final class OperatorRoutes extends AllDirectives {
  private static final String EMERGENCY_DEFAULT_REASON = "emergency stop by operator";
  private static final String FLATTEN_DEFAULT_REASON = "by operator";
  private static final int DEFAULT_CANDLES = 200;
  private static final int MAX_CANDLES = 1000;

  private final Engine engine;
  private final ActorSystem<?> system;
  private final Supplier<FillHistory> fillHistoryFactory;
  private final AtomicReference<FillHistory> fillHistory = new AtomicReference<>();
  private final Executor blocking;

  private final Supplier<io.pekkotrader.persistence.TradingHistory> tradingHistory;

  OperatorRoutes(
      Engine engine, ActorSystem<?> system, Supplier<FillHistory> fillHistory, Supplier<io.pekkotrader.persistence.TradingHistory> tradingHistory) {
    this.tradingHistory = tradingHistory;
    this.engine = engine;
    this.system = system;
    this.fillHistoryFactory = fillHistory;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  Route routes() {
    return concat(
        path("symbols", () -> get(() -> completeWithFuture(symbols()))),
        pathPrefix(
            "symbols",
            () ->
                pathPrefix(
                    PathMatchers.segment(),
                    id ->
                        concat(
                            path("pause", () -> post(() -> Requests.body(text -> operate(id, text, SymbolTrader.Pause::new)))),
                            path("resume", () -> post(() -> Requests.body(text -> operate(id, text, SymbolTrader.Resume::new)))),
                            path("flatten", () -> post(() -> Requests.body(text -> flatten(id, text)))),
                            path("candles", () -> get(() -> parameterMap(params -> completeWithFuture(candles(id, params)))))))),
        path("emergency-stop", () -> post(() -> Requests.body(this::emergencyStop))),
        path("portfolio", () -> get(() -> completeWithFuture(portfolio()))),
        path("orders", () -> get(() -> parameterMap(params -> completeWithFuture(orders(params))))),
        path("fills", () -> get(() -> parameterMap(params -> completeWithFuture(fills(params))))));
  }

  // ---- symbols -----------------------------------------------------------------------------

  private CompletionStage<HttpResponse> symbols() {
    List<CompletableFuture<Object>> views = new ArrayList<>();
    for (SymbolId id : engine.symbolIds()) {
      views.add(
          ControlRoutes.askSymbol(engine, id, SymbolTrader.GetSymbol::new)
              .<Object>thenApply(view -> view)
              .exceptionally(failure -> Map.of("id", id.id(), "phase", "UNAVAILABLE"))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
        .thenApply(v -> ControlRoutes.ok(Map.of("symbols", views.stream().map(CompletableFuture::join).toList())));
  }

  /** A traded symbol from a path segment, or the 400 / 404 that says why not. */
  static SymbolId tradedSymbol(Engine engine, String rawId) throws BadInput {
    SymbolId id;
    try {
      id = SymbolId.parse(rawId);
    } catch (IllegalArgumentException e) {
      throw new BadInput(badRequest("invalid_symbol", e.getMessage(), "id"));
    }
    if (engine.symbols().listing(id) == null) {
      throw new BadInput(ControlRoutes.error(StatusCodes.NOT_FOUND, "unknown_symbol", "symbol " + id + " is not traded by this engine", "id"));
    }
    return id;
  }

  private CompletionStage<HttpResponse> operate(
      String rawId, String text, Function<ActorRef<SymbolTrader.OperatorResult>, SymbolTrader.Command> command) {
    SymbolId id;
    try {
      id = tradedSymbol(engine, rawId);
      if (!text.isBlank()) {
        Requests.onlyFields(Requests.object(text), Set.of(), "this request (send no body or {})");
      }
    } catch (BadInput e) {
      return done(e.response());
    }
    return ControlRoutes.askSymbol(engine, id, command)
        .thenApply(
            result ->
                result.error() == null
                    ? ControlRoutes.ok(Map.of("outcome", result.outcome(), "symbol", result.symbol()))
                    : ControlRoutes.error(StatusCodes.CONFLICT, "conflict", result.error(), "id"))
        .exceptionally(ControlRoutes::unavailable);
  }

  /** The closed candles a symbol holds, oldest first (decimals as strings). */
  private CompletionStage<HttpResponse> candles(String rawId, Map<String, String> params) {
    SymbolId id;
    int limit;
    try {
      id = tradedSymbol(engine, rawId);
      Requests.onlyParameters(params, Set.of("limit"), "/symbols/{id}/candles");
      limit = Requests.limit(params, DEFAULT_CANDLES, MAX_CANDLES);
    } catch (BadInput e) {
      return done(e.response());
    }
    return ControlRoutes.askSymbol(engine, id, (ActorRef<SymbolTrader.Candles> replyTo) -> new SymbolTrader.GetCandles(limit, replyTo))
        .thenApply(ControlRoutes::ok)
        .exceptionally(ControlRoutes::unavailable);
  }

  /**
   * One symbol's flatten: recorded with RiskManager (audited, alerted), then the symbol exits its
   * position whatever its strategy says and pauses once flat; 200 with what it does. Safe to repeat.
   */
  private CompletionStage<HttpResponse> flatten(String rawId, String text) {
    SymbolId id;
    String reason;
    try {
      id = tradedSymbol(engine, rawId);
      reason = optionalReason(text, FLATTEN_DEFAULT_REASON, "a symbol's flatten");
    } catch (BadInput e) {
      return done(e.response());
    }
    String recorded = "flatten: " + reason;
    return ControlRoutes.ask(
            system, engine.risk(), (ActorRef<String> replyTo) -> new RiskManager.FlattenSymbol(id.id(), recorded, replyTo))
        .thenCompose(
            eventId ->
                ControlRoutes.askSymbol(engine, id, (ActorRef<SymbolTrader.OperatorResult> replyTo) -> new SymbolTrader.FlattenAndPause(recorded, replyTo))
                    .thenApply(
                        result -> {
                          if (result.error() != null) {
                            return ControlRoutes.error(StatusCodes.CONFLICT, "conflict", result.error(), "id");
                          }
                          Map<String, Object> body = new LinkedHashMap<>();
                          body.put("outcome", result.outcome());
                          body.put("auditEventId", eventId);
                          body.put("symbol", result.symbol());
                          return ControlRoutes.ok(body);
                        }))
        .exceptionally(ControlRoutes::unavailable);
  }

  /** A body that is empty, {@code {}} or {@code {"reason":".."}}: the reason, or {@code fallback}. */
  private static String optionalReason(String text, String fallback, String what) throws BadInput {
    if (text.isBlank()) {
      return fallback;
    }
    JsonNode body = Requests.object(text);
    Requests.onlyFields(body, Set.of("reason"), what);
    return body.has("reason") ? Requests.reason(body) : fallback;
  }

  // ---- emergency stop ----------------------------------------------------------------------

  /**
   * Records the stop with RiskManager (audited, alerted, kill switch engaged), then tells every
   * symbol to flatten; answers 202 with what each symbol does. A symbol that does not answer in
   * time is listed as unavailable: the stop is persisted, so calling again is safe.
   */
  private CompletionStage<HttpResponse> emergencyStop(String text) {
    String reason;
    try {
      reason = optionalReason(text, EMERGENCY_DEFAULT_REASON, "the emergency stop");
    } catch (BadInput e) {
      return done(e.response());
    }
    String recorded = "emergency stop: " + reason;
    List<SymbolId> symbols = engine.symbolIds();
    return ControlRoutes.ask(
            system,
            engine.risk(),
            (ActorRef<RiskManager.KillSwitchStatus> replyTo) ->
                new RiskManager.EmergencyStop(recorded, symbols.stream().map(SymbolId::id).toList(), replyTo))
        .thenCompose(killSwitch -> flattenAll(symbols, recorded).thenApply(results -> emergencyAnswer(killSwitch, results)))
        .exceptionally(ControlRoutes::unavailable);
  }

  private CompletableFuture<List<Map<String, Object>>> flattenAll(List<SymbolId> symbols, String reason) {
    List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>();
    for (SymbolId id : symbols) {
      results.add(
          ControlRoutes.askSymbol(engine, id, (ActorRef<SymbolTrader.OperatorResult> replyTo) -> new SymbolTrader.Flatten(reason, replyTo))
              .thenApply(result -> symbolOutcome(id, result.outcome(), result.error()))
              .exceptionally(failure -> symbolOutcome(id, null, "unavailable: did not answer in time; call again"))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
  }

  private static Map<String, Object> symbolOutcome(SymbolId id, String outcome, String error) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id.id());
    view.put("outcome", outcome);
    view.put("error", error);
    return view;
  }

  private static HttpResponse emergencyAnswer(RiskManager.KillSwitchStatus killSwitch, List<Map<String, Object>> symbols) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", true);
    body.put("killSwitch", Map.of("engaged", killSwitch.engaged(), "reason", String.valueOf(killSwitch.reason()), "sinceMs", killSwitch.sinceMs()));
    body.put("symbols", symbols);
    return ControlRoutes.json(StatusCodes.ACCEPTED, body);
  }

  // ---- portfolio ---------------------------------------------------------------------------

  private CompletionStage<HttpResponse> portfolio() {
    CompletableFuture<Portfolio.Summary> summary = ControlRoutes.ask(system, engine.portfolio(), Portfolio.GetSummary::new).toCompletableFuture();
    CompletableFuture<Portfolio.EquityCurve> curve =
        ControlRoutes.ask(system, engine.portfolio(), Portfolio.GetEquityCurve::new).toCompletableFuture();
    CompletableFuture<Object> performance =
        TradingRoutes.fromHistory(tradingHistory, h -> h.performance())
            .<Object>thenApply(TradingRoutes::performanceView)
            .exceptionally(failure -> null);
    CompletableFuture<List<io.pekkotrader.domain.EquityHistory.Point>> persisted =
        TradingRoutes.fromHistory(tradingHistory, h -> h.equity(EQUITY_CURVE_POINTS)).exceptionally(failure -> List.of());
    return CompletableFuture.allOf(summary, curve, performance, persisted)
        .thenApply(
            v -> {
              Map<String, Object> body = new LinkedHashMap<>(Json.mapper().convertValue(summary.join(), Map.class));
              body.put("equityCurve", equityCurve(persisted.join(), curve.join().points()));
              body.put("performance", performance.join());
              return ControlRoutes.ok(body);
            })
        .exceptionally(ControlRoutes::unavailable);
  }

  /** Points in {@code GET /portfolio}'s equity curve. */
  static final int EQUITY_CURVE_POINTS = 2_000;

  /**
   * The equity curve: the samples persisted before the oldest point this node sampled in memory
   * (so the history from before a restart), then those points; the latest {@link
   * #EQUITY_CURVE_POINTS}, oldest first.
   */
  static List<Map<String, Object>> equityCurve(
      List<io.pekkotrader.domain.EquityHistory.Point> persisted, List<Portfolio.EquityPoint> sampled) {
    long firstSampled = sampled.isEmpty() ? Long.MAX_VALUE : sampled.get(0).atMs();
    List<Map<String, Object>> points = new ArrayList<>();
    for (io.pekkotrader.domain.EquityHistory.Point point : persisted) {
      if (point.atMs() < firstSampled) {
        points.add(Map.of("atMs", point.atMs(), "equity", point.equity()));
      }
    }
    for (Portfolio.EquityPoint point : sampled) {
      points.add(Map.of("atMs", point.atMs(), "equity", point.equity()));
    }
    return points.size() <= EQUITY_CURVE_POINTS ? points : List.copyOf(points.subList(points.size() - EQUITY_CURVE_POINTS, points.size()));
  }

  /**
   * Working orders (from the symbols) and recent orders: every order sent was an approved risk
   * decision, read from the audit trail, with the fills Portfolio applied to it.
   */
  private CompletionStage<HttpResponse> orders(Map<String, String> params) {
    int limit;
    try {
      Requests.onlyParameters(params, Set.of("limit"), "/orders");
      limit = Requests.limit(params, 50);
    } catch (BadInput e) {
      return done(e.response());
    }
    List<CompletableFuture<SymbolTrader.SymbolView>> views = new ArrayList<>();
    for (SymbolId id : engine.symbolIds()) {
      views.add(ControlRoutes.askSymbol(engine, id, SymbolTrader.GetSymbol::new).toCompletableFuture());
    }
    CompletableFuture<Portfolio.RecentFills> fills =
        ControlRoutes.ask(system, engine.portfolio(), (ActorRef<Portfolio.RecentFills> r) -> new Portfolio.GetRecentFills(Portfolio.RECENT_FILLS, r))
            .toCompletableFuture();
    CompletableFuture<List<JsonNode>> sent =
        CompletableFuture.supplyAsync(() -> approvedOrders(limit), blocking);
    List<CompletableFuture<?>> all = new ArrayList<>(views);
    all.add(fills);
    all.add(sent);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Object> working = new ArrayList<>();
              for (CompletableFuture<SymbolTrader.SymbolView> view : views) {
                SymbolTrader.SymbolView symbol = view.join();
                if (symbol.workingOrder() != null) {
                  Map<String, Object> order = new LinkedHashMap<>(Json.mapper().convertValue(symbol.workingOrder(), Map.class));
                  order.put("symbol", symbol.id());
                  working.add(order);
                }
              }
              List<Object> recent = new ArrayList<>();
              for (JsonNode decision : sent.join()) {
                recent.add(orderView(decision, fills.join().fills()));
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("working", working);
              body.put("recent", recent);
              return ControlRoutes.ok(body);
            })
        .exceptionally(ControlRoutes::unavailable);
  }

  /** The newest {@code limit} approved decisions in the audit trail (blocking file reads). */
  private List<JsonNode> approvedOrders(int limit) {
    List<JsonNode> found = new ArrayList<>();
    long before = Long.MAX_VALUE;
    for (int pages = 0; pages < 20 && found.size() < limit; pages++) {
      io.pekkotrader.persistence.AuditFile.Page page = engine.audit().page(before, Requests.MAX_PAGE);
      for (String line : page.lines()) {
        try {
          JsonNode node = Requests.BODIES.readTree(line);
          if ("decision".equals(node.path("type").asText()) && node.path("approved").asBoolean() && found.size() < limit) {
            found.add(node);
          }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          // an unreadable line is skipped; GET /audit shows it as it is
        }
      }
      if (page.nextBefore() == null) {
        break;
      }
      before = page.nextBefore();
    }
    return found;
  }

  private static Map<String, Object> orderView(JsonNode decision, List<Fill> recentFills) {
    String clientOrderId = decision.path("clientOrderId").asText();
    BigDecimal filled = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal fees = BigDecimal.ZERO;
    int count = 0;
    for (Fill fill : recentFills) {
      if (fill.clientOrderId().equals(clientOrderId)) {
        filled = filled.add(fill.quantity());
        cost = cost.add(fill.price().multiply(fill.quantity()));
        fees = fees.add(fill.fee());
        count++;
      }
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("clientOrderId", clientOrderId);
    view.put("symbol", decision.path("symbol").asText());
    view.put("kind", decision.path("kind").asText());
    view.put("side", decision.path("side").asText());
    view.put("quantity", decision.path("quantity").asText());
    view.put("approvedAtMs", decision.path("atMs").asLong());
    view.put("decisionId", decision.path("eventId").asText());
    view.put("strategy", decision.path("strategy").asText());
    view.put("fills", count);
    view.put("filledQuantity", filled);
    view.put("averagePrice", count == 0 || filled.signum() == 0 ? null : cost.divide(filled, java.math.MathContext.DECIMAL64).stripTrailingZeros().toPlainString());
    view.put("fees", fees);
    return view;
  }

  /** Fills newest first, paged by fill number: the latest from Portfolio's memory, older ones from the journal. */
  private CompletionStage<HttpResponse> fills(Map<String, String> params) {
    int limit;
    long before;
    try {
      Requests.onlyParameters(params, Set.of("limit", "before"), "/fills");
      limit = Requests.limit(params, 50);
      before = Requests.before(params);
    } catch (BadInput e) {
      return done(e.response());
    }
    return ControlRoutes.ask(
            system, engine.portfolio(), (ActorRef<Portfolio.RecentFills> r) -> new Portfolio.GetRecentFills(Portfolio.RECENT_FILLS, r))
        .thenCompose(
            recent -> {
              long total = recent.total();
              long newest = Math.min(before - 1, total);
              long oldestInMemory = total - recent.fills().size() + 1;
              long oldestWanted = Math.max(1, newest - limit + 1);
              if (newest < 1) {
                return CompletableFuture.completedFuture(fillsAnswer(List.of(), null, total));
              }
              if (oldestWanted >= oldestInMemory) {
                List<FillHistory.Numbered> page = new ArrayList<>();
                for (long n = newest; n >= oldestWanted; n--) {
                  page.add(new FillHistory.Numbered(n, recent.fills().get((int) (total - n))));
                }
                return CompletableFuture.completedFuture(fillsAnswer(page, oldestWanted > 1 ? oldestWanted : null, total));
              }
              return history().page(before, limit).thenApply(page -> fillsAnswer(page.fills(), page.nextBefore(), total));
            })
        .exceptionally(ControlRoutes::unavailable);
  }

  private FillHistory history() {
    FillHistory existing = fillHistory.get();
    if (existing != null) {
      return existing;
    }
    fillHistory.compareAndSet(null, fillHistoryFactory.get());
    return fillHistory.get();
  }

  private static HttpResponse fillsAnswer(List<FillHistory.Numbered> fills, Long nextBefore, long total) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (FillHistory.Numbered numbered : fills) {
      Fill fill = numbered.fill();
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("number", numbered.number());
      item.put("tradeId", fill.tradeId());
      item.put("clientOrderId", fill.clientOrderId());
      item.put("symbol", fill.symbol().id());
      item.put("side", fill.side());
      item.put("price", fill.price());
      item.put("quantity", fill.quantity());
      item.put("fee", fill.fee());
      item.put("atMs", fill.timestampMs());
      items.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fills", items);
    body.put("nextBefore", nextBefore);
    body.put("total", total);
    return ControlRoutes.ok(body);
  }
}
