package io.pekkotrader.http;

import static io.pekkotrader.http.Requests.badRequest;
import static io.pekkotrader.http.Requests.done;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.actors.SymbolRegistry;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.http.Requests.BadInput;
import io.pekkotrader.strategy.Strategies;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Start and stop trading symbols at run time: {@code POST /symbols} and {@code DELETE
 * /symbols/{id}}, through the {@link SymbolRegistry}. A new symbol's fields are checked exactly as
 * the configuration checks a {@code symbols} entry ({@link Settings#listing}), and its venue must
 * have a connection in this engine. Removal is refused unless the symbol is flat with no order
 * working (409 {@code symbol_not_flat}); the symbol is left paused, so nothing trades it.
 */
final class CatalogueRoutes extends AllDirectives {
  static final Set<String> ADD_FIELDS = Set.of("venue", "symbol", "strategy", "lotStep", "orderNotional");
  private static final int MAX_TEXT = 40;
  /** The configuration's field names, as the API names them. */
  private static final Map<String, String> API_FIELDS =
      Map.of("order-notional", "orderNotional", "lot-step", "lotStep", "quote", "symbol", "start-price", "symbol");
  /** The registry may wait for a symbol (the trading ask timeout) before it answers. */
  private static final Duration REGISTRY_TIMEOUT = ControlRoutes.ASK_TIMEOUT.multipliedBy(3);

  private final Engine engine;
  private final ActorSystem<?> system;

  CatalogueRoutes(Engine engine, ActorSystem<?> system) {
    this.engine = engine;
    this.system = system;
  }

  Route routes() {
    return concat(
        path("symbols", () -> post(() -> Requests.body(this::add))),
        pathPrefix("symbols", () -> path(PathMatchers.segment(), id -> delete(() -> Requests.body(text -> remove(id, text))))));
  }

  // ---- add ---------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> add(String text) {
    SymbolListing listing;
    try {
      listing = listing(Requests.object(text));
    } catch (BadInput e) {
      return done(e.response());
    }
    return AskPattern.<SymbolRegistry.Command, SymbolRegistry.Change>ask(
            engine.registry(), replyTo -> new SymbolRegistry.Add(listing, replyTo), REGISTRY_TIMEOUT, system.scheduler())
        .thenApply(change -> answer(change, StatusCodes.CREATED, listing.id()))
        .exceptionally(ControlRoutes::unavailable);
  }

  /** The listing a body asks for, checked; a configured symbol added again keeps its configured settings as defaults. */
  private SymbolListing listing(JsonNode body) throws BadInput {
    Requests.onlyFields(body, ADD_FIELDS, "a new symbol");
    String venue = text(body, "venue", true);
    String symbol = text(body, "symbol", true);
    SymbolId id;
    try {
      id = new SymbolId(venue, symbol);
    } catch (IllegalArgumentException e) {
      throw new BadInput(badRequest("invalid_field", e.getMessage(), e.getMessage().startsWith("venue") ? "venue" : "symbol"));
    }
    Settings settings = engine.settings();
    SymbolListing configured = settings.symbol(id);
    String strategy = strategy(body, configured);
    BigDecimal lotStep = positive(body, "lotStep", configured != null ? configured.lotStep() : SymbolListing.FINEST_LOT_STEP);
    BigDecimal orderNotional = positive(body, "orderNotional", configured != null ? configured.orderNotional() : null);
    List<String[]> problems = new ArrayList<>();
    SymbolListing listing =
        Settings.listing(
            (field, rule, got) -> problems.add(new String[] {field, rule}),
            settings.market(),
            settings.trading(),
            venue,
            symbol,
            strategy,
            lotStep,
            configured != null ? configured.startPrice() : BigDecimal.ONE,
            configured != null && configured.quoteAsset() != null ? configured.quoteAsset() : "",
            orderNotional);
    if (!problems.isEmpty()) {
      String field = API_FIELDS.getOrDefault(problems.get(0)[0], problems.get(0)[0]);
      throw new BadInput(badRequest("invalid_field", field + " " + problems.get(0)[1], field));
    }
    if (!engine.venues().containsKey(venue)) {
      throw new BadInput(
          badRequest(
              "invalid_field",
              "venue has no connection in this engine (venues with one: " + engine.venues().keySet().stream().sorted().toList()
                  + "); configure a symbol on " + venue + " at start-up to open one",
              "venue"));
    }
    return listing;
  }

  /**
   * The strategy asked for: a named one must not be blank (an empty name is a mistake, not a
   * request for the default); none named: a configured symbol's own, else the default ({@code ""}).
   */
  private static String strategy(JsonNode body, SymbolListing configured) throws BadInput {
    JsonNode node = body.get("strategy");
    if (node == null || node.isNull()) {
      return configured != null ? configured.strategy() : "";
    }
    String strategy = text(body, "strategy", false);
    if (strategy.isEmpty()) {
      throw new BadInput(
          badRequest(
              "invalid_field",
              "strategy must be one of " + Strategies.names() + "; leave it out for the default (" + Strategies.DEFAULT + ")",
              "strategy"));
    }
    return strategy;
  }

  /** A required or optional short printable string field. */
  private static String text(JsonNode body, String field, boolean required) throws BadInput {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new BadInput(badRequest("missing_field", field + " is required", field));
      }
      return "";
    }
    if (!node.isTextual() || node.textValue().length() > MAX_TEXT || node.textValue().chars().anyMatch(Character::isISOControl)) {
      throw new BadInput(badRequest("invalid_field", field + " must be a string of at most " + MAX_TEXT + " printable characters", field));
    }
    return node.textValue().strip();
  }

  /** An optional decimal > 0, {@code fallback} when absent. */
  private static BigDecimal positive(JsonNode body, String field, BigDecimal fallback) throws BadInput {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    BigDecimal value = Requests.decimal(node);
    if (value == null || value.signum() <= 0 || value.precision() - value.scale() > 18 || value.scale() > 18) {
      throw new BadInput(badRequest("invalid_field", field + " must be a decimal > 0 (as a JSON string), at most 18 digits each side of the point", field));
    }
    return value.stripTrailingZeros();
  }

  // ---- remove ------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> remove(String rawId, String text) {
    SymbolId id;
    try {
      id = OperatorRoutes.tradedSymbol(engine, rawId);
      if (!text.isBlank()) {
        Requests.onlyFields(Requests.object(text), Set.of(), "this request (send no body or {})");
      }
    } catch (BadInput e) {
      return done(e.response());
    }
    return AskPattern.<SymbolRegistry.Command, SymbolRegistry.Change>ask(
            engine.registry(), replyTo -> new SymbolRegistry.Remove(id, replyTo), REGISTRY_TIMEOUT, system.scheduler())
        .thenApply(change -> answer(change, StatusCodes.OK, id))
        .exceptionally(ControlRoutes::unavailable);
  }

  // ---- answers -----------------------------------------------------------------------------

  /** The change made (this node's directory takes the new catalogue at once), or the refusal's 4xx / 503. */
  private HttpResponse answer(SymbolRegistry.Change change, StatusCode success, SymbolId id) {
    engine.symbols().offer(change.catalogue(), true);
    if (change.code() == null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("outcome", change.outcome());
      SymbolListing listing = change.catalogue().listing(id);
      body.put("symbol", listing != null ? view(listing) : Map.of("id", id.id()));
      body.put("symbols", change.catalogue().ids().stream().map(SymbolId::id).toList());
      return ControlRoutes.json(success, body);
    }
    StatusCode status =
        switch (change.code()) {
          case "unknown_symbol" -> StatusCodes.NOT_FOUND;
          case SymbolRegistry.INVALID_LISTING -> StatusCodes.BAD_REQUEST;
          case "unavailable" -> StatusCodes.SERVICE_UNAVAILABLE;
          default -> StatusCodes.CONFLICT;
        };
    return ControlRoutes.error(status, change.code(), change.message(), "unknown_symbol".equals(change.code()) ? "id" : null);
  }

  static Map<String, Object> view(SymbolListing listing) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", listing.id().id());
    view.put("venue", listing.id().venue());
    view.put("symbol", listing.id().symbol());
    view.put("strategy", listing.strategy());
    view.put("lotStep", listing.lotStep().toPlainString());
    view.put("quoteAsset", listing.quoteAsset());
    view.put("orderNotional", listing.orderNotional() == null ? null : listing.orderNotional().toPlainString());
    return view;
  }
}
