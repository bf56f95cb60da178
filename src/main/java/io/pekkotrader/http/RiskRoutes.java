package io.pekkotrader.http;

import static io.pekkotrader.http.Requests.badRequest;
import static io.pekkotrader.http.Requests.done;
import static io.pekkotrader.http.Requests.object;
import static io.pekkotrader.http.Requests.onlyFields;
import static io.pekkotrader.http.Requests.onlyParameters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.domain.risk.PortfolioFigures;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.http.Requests.BadInput;
import io.pekkotrader.persistence.AuditFile;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The risk part of the control API (mounted under {@code /api/v1}, behind the API key by
 * {@link ControlRoutes}): {@code GET /risk}, {@code PUT /risk/limits}, {@code POST /kill-switch}
 * and {@code GET /audit}. Bodies are validated field by field before anything is asked of the
 * engine; a bad body gets a 400 naming the field and changes nothing.
 */
final class RiskRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(RiskRoutes.class);

  private final ActorRef<RiskManager.Command> risk;
  private final AuditFile audit;
  private final ActorSystem<?> system;
  private final Executor blocking;

  RiskRoutes(ActorRef<RiskManager.Command> risk, AuditFile audit, ActorSystem<?> system) {
    this.risk = risk;
    this.audit = audit;
    this.system = system;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  Route routes() {
    return concat(
        pathPrefix(
            "risk",
            () ->
                concat(
                    pathEnd(() -> get(() -> completeWithFuture(riskStatus()))),
                    path("limits", () -> put(() -> Requests.body(this::changeLimits))))),
        path("kill-switch", () -> post(() -> Requests.body(this::killSwitch))),
        path("audit", () -> get(() -> parameterMap(params -> completeWithFuture(auditPage(params))))));
  }

  // ---- GET /risk ---------------------------------------------------------------------------

  private CompletionStage<HttpResponse> riskStatus() {
    return ControlRoutes.ask(system, risk, RiskManager.GetRiskStatus::new)
        .thenApply(status -> ControlRoutes.ok(view(status)))
        .exceptionally(ControlRoutes::unavailable);
  }

  private static Map<String, Object> view(RiskManager.RiskStatus status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("limits", limitsView(status.limits()));
    body.put("limitsHash", status.limitsHash());
    body.put("killSwitch", killSwitchView(status.killSwitch()));
    PortfolioFigures figures = status.figures();
    body.put("dailyPnl", figures == null ? null : figures.dailyPnl());
    body.put("dayStartMs", figures == null ? null : figures.dayStartMs());
    body.put("dayStartEquity", figures == null ? null : figures.dayStartEquity());
    body.put("equity", figures == null ? null : figures.equity());
    body.put("peakEquity", figures == null ? null : figures.peakEquity());
    body.put("drawdown", figures == null ? null : figures.drawdown());
    body.put("startingCapital", figures == null ? null : figures.startingCapital());
    body.put("ledgerInvariants", figures == null ? null : figures.brokenInvariants() == null ? "ok" : figures.brokenInvariants());
    List<Map<String, Object>> breakers = new ArrayList<>();
    status.breakers().forEach((venue, breaker) -> {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("venue", venue);
      b.put("state", breaker.open() ? "open" : "closed");
      b.put("reason", breaker.reason());
      b.put("sinceMs", breaker.sinceMs());
      breakers.add(b);
    });
    body.put("breakers", breakers);
    List<Map<String, Object>> cooldowns = new ArrayList<>();
    status.cooldownsUntilMs().forEach((symbol, until) -> cooldowns.add(Map.of("symbol", symbol, "untilMs", until)));
    body.put("cooldowns", cooldowns);
    body.put("decisions", status.decisions());
    return body;
  }

  private static Map<String, Object> limitsView(RiskLimits limits) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("maxDailyLoss", limits.maxDailyLoss());
    view.put("maxLossPerTrade", limits.maxLossPerTrade());
    view.put("maxOpenPositions", limits.maxOpenPositions());
    view.put("maxNotionalPerOrder", limits.maxNotionalPerOrder());
    view.put("maxNotionalPerSymbol", limits.maxNotionalPerSymbol());
    view.put("maxGrossExposureMultiple", limits.maxGrossExposureMultiple());
    view.put("maxOrdersPerSymbolPerMinute", limits.maxOrdersPerSymbolPerMinute());
    view.put("maxOrdersPerMinute", limits.maxOrdersPerMinute());
    view.put("maxDrawdown", limits.maxDrawdown());
    return view;
  }

  private static Map<String, Object> killSwitchView(RiskManager.KillSwitchStatus status) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("engaged", status.engaged());
    view.put("reason", status.reason());
    view.put("sinceMs", status.sinceMs());
    return view;
  }

  // ---- PUT /risk/limits --------------------------------------------------------------------

  private static final Set<String> DECIMAL_LIMITS =
      Set.of("maxDailyLoss", "maxLossPerTrade", "maxNotionalPerOrder", "maxNotionalPerSymbol", "maxGrossExposureMultiple", "maxDrawdown");
  private static final Set<String> INTEGER_LIMITS = Set.of("maxOpenPositions", "maxOrdersPerSymbolPerMinute", "maxOrdersPerMinute");
  private static final Set<String> ALL_LIMITS =
      java.util.stream.Stream.concat(DECIMAL_LIMITS.stream(), INTEGER_LIMITS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private CompletionStage<HttpResponse> changeLimits(String text) {
    JsonNode body;
    try {
      body = object(text);
      onlyFields(body, ALL_LIMITS, "the risk limits");
    } catch (BadInput e) {
      return done(e.response());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (String name : RiskLimits.FIELDS) {
      JsonNode node = body.get(name);
      if (node == null || node.isNull()) {
        return done(badRequest("missing_field", name + " is required", name));
      }
      if (DECIMAL_LIMITS.contains(name)) {
        BigDecimal value = Requests.decimal(node);
        if (value == null) {
          return done(badRequest("invalid_field", name + " must be a decimal number (preferably as a JSON string)", name));
        }
        values.put(name, value);
      } else {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
          return done(badRequest("invalid_field", name + " must be an integer", name));
        }
        values.put(name, node.intValue());
      }
    }
    RiskLimits limits =
        new RiskLimits(
            (BigDecimal) values.get("maxDailyLoss"),
            (BigDecimal) values.get("maxLossPerTrade"),
            (Integer) values.get("maxOpenPositions"),
            (BigDecimal) values.get("maxNotionalPerOrder"),
            (BigDecimal) values.get("maxNotionalPerSymbol"),
            (BigDecimal) values.get("maxGrossExposureMultiple"),
            (Integer) values.get("maxOrdersPerSymbolPerMinute"),
            (Integer) values.get("maxOrdersPerMinute"),
            (BigDecimal) values.get("maxDrawdown"));
    List<RiskLimits.Violation> violations = limits.violations();
    if (!violations.isEmpty()) {
      RiskLimits.Violation first = violations.get(0);
      return done(badRequest("invalid_limits", describe(violations), first.field()));
    }
    return ControlRoutes.ask(system, risk, (ActorRef<RiskManager.LimitsChange> replyTo) -> new RiskManager.ChangeLimits(limits, "api", replyTo))
        .thenApply(
            change -> {
              if (!change.accepted()) {
                RiskLimits.Violation first = change.violations().get(0);
                return badRequest("invalid_limits", describe(change.violations()), first.field());
              }
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("limits", limitsView(change.limits()));
              view.put("limitsHash", change.limitsHash());
              return ControlRoutes.ok(view);
            })
        .exceptionally(ControlRoutes::unavailable);
  }

  private static String describe(List<RiskLimits.Violation> violations) {
    return String.join("; ", violations.stream().map(v -> v.field() + " " + v.message()).toList());
  }

  // ---- POST /kill-switch -------------------------------------------------------------------

  private CompletionStage<HttpResponse> killSwitch(String text) {
    JsonNode engaged;
    String why;
    try {
      JsonNode body = object(text);
      onlyFields(body, Set.of("engaged", "reason"), "the kill switch");
      engaged = body.get("engaged");
      if (engaged == null || !engaged.isBoolean()) {
        return done(badRequest(engaged == null ? "missing_field" : "invalid_field", "engaged must be true or false", "engaged"));
      }
      why = Requests.reason(body);
    } catch (BadInput e) {
      return done(e.response());
    }
    String recorded = "operator: " + why;
    CompletionStage<RiskManager.KillSwitchStatus> reply =
        engaged.booleanValue()
            ? ControlRoutes.ask(system, risk, (ActorRef<RiskManager.KillSwitchStatus> replyTo) -> new RiskManager.EngageKillSwitch(recorded, replyTo))
            : ControlRoutes.ask(system, risk, (ActorRef<RiskManager.KillSwitchStatus> replyTo) -> new RiskManager.ReleaseKillSwitch(recorded, replyTo));
    return reply.thenApply(status -> ControlRoutes.ok(killSwitchView(status))).exceptionally(ControlRoutes::unavailable);
  }

  // ---- GET /audit --------------------------------------------------------------------------

  private CompletionStage<HttpResponse> auditPage(Map<String, String> params) {
    int limit;
    long before;
    try {
      onlyParameters(params, Set.of("limit", "before"), "/audit");
      limit = Requests.limit(params, 50);
      before = Requests.before(params);
    } catch (BadInput e) {
      return done(e.response());
    }
    return CompletableFuture.supplyAsync(() -> audit.page(before, limit), blocking)
        .thenApply(
            page -> {
              List<JsonNode> items = new ArrayList<>();
              for (String line : page.lines()) {
                try {
                  items.add(Requests.BODIES.readTree(line));
                } catch (JsonProcessingException e) {
                  log.warn("Skipping an unreadable audit line: {}", e.getOriginalMessage());
                }
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("items", items);
              body.put("nextBefore", page.nextBefore());
              return ControlRoutes.ok(body);
            })
        .exceptionally(ControlRoutes::unavailable);
  }
}
