package io.pekkotrader.http;

import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.actors.VenueConnection;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.persistence.FillHistory;
import io.pekkotrader.persistence.TradingHistory;
import java.util.function.Supplier;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API under {@code /api/v1}: every route behind {@code Authorization: Bearer <key>}
 * (compared in constant time), JSON in and out, every error as {@code {"error":{..}}} with a 4xx.
 * Answers are composed from the actors with bounded asks; a part that does not answer in time is
 * shown as unavailable rather than failing the whole request.
 */
public final class ControlRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ControlRoutes.class);
  private static final scala.concurrent.duration.FiniteDuration STRICT_ENTITY_TIMEOUT =
      scala.concurrent.duration.FiniteDuration.create(5, java.util.concurrent.TimeUnit.SECONDS);
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  private final Engine engine;
  private final ActorSystem<?> system;
  private final String apiKey;
  private final Clock clock;
  private final RiskRoutes riskRoutes;
  private final OperatorRoutes operatorRoutes;
  private final TradingRoutes tradingRoutes;
  private final CatalogueRoutes catalogueRoutes;
  private final FeedRoutes feedRoutes;
  private final RateLimiter rateLimiter;

  public ControlRoutes(Engine engine, ActorSystem<?> system, String apiKey, Clock clock) {
    this(engine, system, apiKey, clock, () -> TradingHistory.jdbc(system, engine.settings().trading().quoteAsset()));
  }

  /** With the trading history read from {@code tradingHistory} (made once, on first use). */
  ControlRoutes(Engine engine, ActorSystem<?> system, String apiKey, Clock clock, Supplier<TradingHistory> tradingHistory) {
    this(engine, system, apiKey, clock, tradingHistory, System::nanoTime);
  }

  /** With the rate limit's buckets refilled by {@code rateLimitNanoTime} (a monotonic clock in nanoseconds). */
  ControlRoutes(
      Engine engine, ActorSystem<?> system, String apiKey, Clock clock, Supplier<TradingHistory> tradingHistory, LongSupplier rateLimitNanoTime) {
    Supplier<TradingHistory> history = once(tradingHistory);
    this.riskRoutes = new RiskRoutes(engine.risk(), engine.audit(), system);
    this.operatorRoutes = new OperatorRoutes(engine, system, () -> FillHistory.jdbc(system), history);
    this.tradingRoutes = new TradingRoutes(engine, system, history);
    this.catalogueRoutes = new CatalogueRoutes(engine, system);
    this.feedRoutes = new FeedRoutes(engine, system);
    Settings.Http http = engine.settings().http();
    this.rateLimiter = new RateLimiter(http.ratePerSecond(), http.rateBurst(), rateLimitNanoTime);
    this.engine = engine;
    this.system = system;
    this.apiKey = apiKey;
    this.clock = clock;
  }

  public Route routes() {
    return handleExceptions(
        exceptions(),
        () ->
            handleRejections(
                rejections(),
                () ->
                    pathPrefix(
                        "api",
                        () ->
                            pathPrefix(
                                "v1",
                                () ->
                                    rateLimited(
                                    () ->
                                    // read the whole body (bounded by the server's max-content-length) before routing,
                                    // so a request refused early is still answered on an intact connection
                                    toStrictEntity(
                                    STRICT_ENTITY_TIMEOUT,
                                    () ->
                                    authenticated(
                                        () ->
                                            concat(
                                                path("status", () -> get(() -> completeWithFuture(status()))),
                                                path("streams", () -> get(() -> completeWithFuture(streams()))),
                                                riskRoutes.routes(),
                                                operatorRoutes.routes(),
                                                tradingRoutes.routes(),
                                                catalogueRoutes.routes(),
                                                feedRoutes.routes(),
                                                pathPrefix(
                                                    "symbols",
                                                    () ->
                                                        path(
                                                            PathMatchers.segment(),
                                                            id -> get(() -> completeWithFuture(symbol(id)))))))))))));
  }

  // ---- rate limit --------------------------------------------------------------------------

  /** A 429 with Retry-After once a client address has used its burst; before the key check, so guessing keys is slowed too. */
  private Route rateLimited(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        request -> {
          String client =
              request
                  .getAttribute(AttributeKeys.remoteAddress)
                  .flatMap(RemoteAddress::getAddress)
                  .map(java.net.InetAddress::getHostAddress)
                  .orElse("unknown");
          long retryAfter = rateLimiter.acquire(client);
          if (retryAfter > 0) {
            return complete(
                error(StatusCodes.TOO_MANY_REQUESTS, "rate_limited", "too many requests from " + client + "; retry after " + retryAfter + " s", null)
                    .addHeader(RetryAfter.create(retryAfter)));
          }
          return inner.get();
        });
  }

  // ---- auth --------------------------------------------------------------------------------

  private Route authenticated(java.util.function.Supplier<Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          Optional<String> token = header.filter(h -> h.startsWith("Bearer ")).map(h -> h.substring("Bearer ".length()).strip());
          if (token.isEmpty()) {
            return complete(unauthorized("missing bearer token: send Authorization: Bearer <key>"));
          }
          if (!ApiKeys.matches(apiKey, token.get())) {
            return complete(unauthorized("wrong API key"));
          }
          return inner.get();
        });
  }

  private static HttpResponse unauthorized(String message) {
    return error(StatusCodes.UNAUTHORIZED, "unauthorized", message, "Authorization")
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "pekko-trader")));
  }

  // ---- status ------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> status() {
    Settings settings = engine.settings();
    CompletableFuture<RiskManager.KillSwitchStatus> killSwitch =
        ask(system, engine.risk(), RiskManager.GetKillSwitch::new).toCompletableFuture();
    CompletableFuture<Portfolio.Summary> portfolio = ask(system, engine.portfolio(), Portfolio.GetSummary::new).toCompletableFuture();
    List<CompletableFuture<StatusView.Venue>> venues = new ArrayList<>();
    for (ActorRef<VenueConnection.Command> venue : engine.venues().values()) {
      venues.add(ask(system, venue, VenueConnection.GetVenueStatus::new).thenApply(StatusView.Venue::of).toCompletableFuture());
    }
    List<CompletableFuture<StatusView.Symbol>> symbols = new ArrayList<>();
    for (SymbolId symbol : engine.symbolIds()) {
      symbols.add(
          askSymbol(engine, symbol, SymbolTrader.GetSymbol::new)
              .thenApply(StatusView.Symbol::of)
              .exceptionally(failure -> StatusView.Symbol.unavailable(symbol.id()))
              .toCompletableFuture());
    }
    List<CompletableFuture<?>> all = new ArrayList<>(List.of(killSwitch, portfolio));
    all.addAll(venues);
    all.addAll(symbols);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                ok(
                    new StatusView(
                        settings.mode(),
                        clock.millis() - engine.startedAtMs(),
                        new StatusView.KillSwitch(killSwitch.join().engaged(), killSwitch.join().reason()),
                        venues.stream().map(CompletableFuture::join).toList(),
                        symbols.stream().map(CompletableFuture::join).toList(),
                        portfolio.join())))
        .exceptionally(failure -> unavailable(failure));
  }

  /** {@code {"streams":[..]}}: every venue connection's market-data state (see {@link VenueConnection.VenueStatus}). */
  private CompletionStage<HttpResponse> streams() {
    List<CompletableFuture<VenueConnection.VenueStatus>> venues = new ArrayList<>();
    for (ActorRef<VenueConnection.Command> venue : engine.venues().values()) {
      venues.add(ask(system, venue, VenueConnection.GetVenueStatus::new).toCompletableFuture());
    }
    return CompletableFuture.allOf(venues.toArray(CompletableFuture[]::new))
        .thenApply(v -> ok(java.util.Map.of("streams", venues.stream().map(CompletableFuture::join).toList())))
        .exceptionally(ControlRoutes::unavailable);
  }

  private CompletionStage<HttpResponse> symbol(String rawId) {
    SymbolId id;
    try {
      id = OperatorRoutes.tradedSymbol(engine, rawId);
    } catch (Requests.BadInput e) {
      return CompletableFuture.completedFuture(e.response());
    }
    return askSymbol(engine, id, SymbolTrader.GetSymbol::new).thenApply(ControlRoutes::ok).exceptionally(ControlRoutes::unavailable);
  }

  /** {@code factory}'s value, made on first use and kept (read journals are looked up lazily: tests may have none). */
  private static <T> Supplier<T> once(Supplier<T> factory) {
    java.util.concurrent.atomic.AtomicReference<T> made = new java.util.concurrent.atomic.AtomicReference<>();
    return () -> {
      T existing = made.get();
      if (existing != null) {
        return existing;
      }
      made.compareAndSet(null, factory.get());
      return made.get();
    };
  }

  /** Asks a symbol's entity (wherever it runs in the cluster) with the control API's timeout. */
  static <R> CompletionStage<R> askSymbol(
      Engine engine, SymbolId id, java.util.function.Function<ActorRef<R>, SymbolTrader.Command> message) {
    return engine.sharding().entityRefFor(SymbolTrader.ENTITY_KEY, id.id()).ask(message::apply, ASK_TIMEOUT);
  }

  /** Asks {@code target} with the control API's timeout. */
  static <Q, R> CompletionStage<R> ask(
      ActorSystem<?> system, ActorRef<Q> target, java.util.function.Function<ActorRef<R>, Q> message) {
    return AskPattern.ask(target, message::apply, ASK_TIMEOUT, system.scheduler());
  }

  /** The 503 for a part of the engine that did not answer. */
  static HttpResponse unavailable(Throwable failure) {
    log.warn("A request could not be answered in {}: {}", ASK_TIMEOUT, failure.toString());
    return error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", "the engine did not answer in time; retry", null);
  }

  // ---- responses ---------------------------------------------------------------------------

  static HttpResponse ok(Object body) {
    return json(StatusCodes.OK, body);
  }

  static HttpResponse error(StatusCode status, String code, String message, String field) {
    return json(status, ApiError.of(code, message, field));
  }

  static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(body)));
  }

  private static RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejected ->
                completeResponse(
                    error(
                        StatusCodes.METHOD_NOT_ALLOWED,
                        "method_not_allowed",
                        "allowed: " + rejected.stream().map(r -> r.supported().name()).distinct().toList(),
                        null)))
        .handleNotFound(completeResponse(error(StatusCodes.NOT_FOUND, "not_found", "no such resource", null)))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(
            response -> {
              if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                return response;
              }
              return json(response.status(), ApiError.of("bad_request", response.status().reason(), null));
            });
  }

  private static Route completeResponse(HttpResponse response) {
    return new AllDirectives() {}.complete(response);
  }

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(
            EntityStreamSizeException.class,
            tooBig ->
                new AllDirectives() {}.complete(
                    error(
                        StatusCodes.PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        "the request body is larger than " + tooBig.limit() + " bytes",
                        null)))
        .matchAny(
            failure -> {
              log.error("Bug: unhandled exception in the control API", failure);
              return new AllDirectives() {}.complete(error(StatusCodes.INTERNAL_SERVER_ERROR, "internal", "internal error", null));
            })
        .build();
  }
}
