package io.pekkotrader.exchange.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exchange's public market data on loopback, over real HTTP and WebSocket (Pekko HTTP): any
 * path other than {@code /admin/...} upgrades to a WebSocket speaking one venue's dialect —
 * symbols from the connect path and from subscribe frames, trades in the venue's exact shape, the
 * venue's heartbeat, and for Binance WebSocket pings from the server. Trades come from one seeded
 * random walk shared by all connections ({@link TradeTape}), or from a replay file served from
 * its first line to every connection. Faults ({@link FaultSpec}) are set at start and at run time:
 *
 * <pre>
 *   GET  /admin/faults   {"spec":"drop=2s,garbage=0.05","appliedAtMs":..}
 *   POST /admin/faults   body: a spec; 200 with the applied spec, 400 {"error":{..}} naming the bad item
 *   GET  /admin/stats    {"connectionsAccepted":..,"connectionsRefused":..,"framesSent":..,"garbageSent":..,..}
 *   POST /admin/drop     close every open connection now: {"dropped":N}
 * </pre>
 *
 * Used in-process by tests and by {@code run} (the embedded market), and alone by {@code
 * simulate-exchange}.
 */
public final class ExchangeSimulator {
  /** Pekko's scheduler tick, kept by the standalone simulator. */
  static final Duration DEFAULT_TICK = Duration.ofMillis(10);
  /** Pekko's lower bound on Windows; and a tenth of a second, the tape's pacing burst. */
  static final Duration MIN_TICK = Duration.ofMillis(10);
  static final Duration MAX_TICK = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(ExchangeSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimulatorSettings settings;
  private final SimulatedConnection connections;
  private final ServerBinding binding;
  private final TradeTape tape;
  private final SimulatorStats stats;
  private final AtomicReference<SimulatedConnection.ActiveFaults> faults;
  private final Clock clock;

  private ExchangeSimulator(
      SimulatorSettings settings,
      SimulatedConnection connections,
      ServerBinding binding,
      TradeTape tape,
      SimulatorStats stats,
      AtomicReference<SimulatedConnection.ActiveFaults> faults,
      Clock clock) {
    this.settings = settings;
    this.connections = connections;
    this.binding = binding;
    this.tape = tape;
    this.stats = stats;
    this.faults = faults;
    this.clock = clock;
  }

  /**
   * An actor system of its own for simulators run beside the engine or alone: local (no cluster,
   * no journal), logging through SLF4J, and never exiting the JVM itself.
   */
  public static ActorSystem<Void> createSystem(String name) {
    return createSystem(name, DEFAULT_TICK);
  }

  /**
   * As {@link #createSystem(String)}, with its scheduler ticking every {@code tick} instead of
   * Pekko's 10 ms. The scheduler's thread wakes every tick whether a timer is due or not, and its
   * timers (the tape's pacing, heartbeats, the fault clock, latency) fire on the tick after they
   * are due: a coarser tick wakes it less and paces the tape in groups of trades, one group a
   * tick, at the same rate (the pacing's burst covers a tick of up to 100 ms: {@link
   * io.pekkotrader.streams.SyntheticMarket#connect}).
   */
  public static ActorSystem<Void> createSystem(String name, Duration tick) {
    if (tick.compareTo(MIN_TICK) < 0 || tick.compareTo(MAX_TICK) > 0) {
      throw new IllegalArgumentException("a simulator's scheduler tick must be within " + MIN_TICK.toMillis() + "-" + MAX_TICK.toMillis() + " ms, got " + tick.toMillis() + " ms");
    }
    Config config =
        ConfigFactory.parseString(
                String.join(
                    "\n",
                    "pekko.scheduler.tick-duration = " + tick.toMillis() + "ms",
                    "pekko.actor.provider = local",
                    "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                    "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                    "pekko.loglevel = INFO",
                    "pekko.log-dead-letters = off",
                    "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                    "pekko.coordinated-shutdown.exit-jvm = off",
                    "pekko.http.server.server-header = \"\""))
            .withFallback(ConfigFactory.defaultReference());
    return ActorSystem.create(Behaviors.empty(), name, config);
  }

  /** Binds the simulator; completes when it listens (or fails, e.g. the port is taken). */
  public static CompletionStage<ExchangeSimulator> start(SimulatorSettings settings, ActorSystem<?> system) {
    return start(settings, system, trade -> {});
  }

  /**
   * As {@link #start(SimulatorSettings, ActorSystem)}, calling {@code tapeListener} with every
   * generated trade at the moment it is generated, in order, on the tape's stream stage (it must
   * not block); benchmarks use it to know when each trade was offered.
   */
  public static CompletionStage<ExchangeSimulator> start(
      SimulatorSettings settings, ActorSystem<?> system, java.util.function.Consumer<io.pekkotrader.streams.MarketTrade> tapeListener) {
    Clock clock = Clock.systemUTC();
    VenueDialect dialect = VenueDialects.forVenue(settings.dialect());
    Materializer materializer = Materializer.matFromSystem(system);
    TradeTape tape = settings.replay() == null ? new TradeTape(settings, clock, materializer, tapeListener) : null;
    SimulatorStats stats = new SimulatorStats();
    AtomicReference<SimulatedConnection.ActiveFaults> faults =
        new AtomicReference<>(new SimulatedConnection.ActiveFaults(settings.faults(), clock.millis()));
    SimulatedConnection connections =
        new SimulatedConnection(settings, dialect, tape, faults::get, stats, clock, system.classicSystem(), materializer);
    Route route = new Routes(connections, faults, stats, clock).route();
    return Http.get(system)
        .newServerAt(settings.iface(), settings.port())
        .withSettings(serverSettings(settings, system))
        .bind(route)
        .thenApply(binding -> new ExchangeSimulator(settings, connections, binding, tape, stats, faults, clock))
        .whenComplete(
            (simulator, failure) -> {
              if (failure != null && tape != null) {
                tape.stop();
              }
            });
  }

  /** Binance pings idle connections from the server; the other venues do not. */
  private static ServerSettings serverSettings(SimulatorSettings settings, ActorSystem<?> system) {
    ServerSettings base = ServerSettings.create(system.classicSystem());
    if (settings.serverPingInterval().isZero()) {
      return base;
    }
    return base.withWebsocketSettings(
        base.getWebsocketSettings()
            .withPeriodicKeepAliveMode("ping")
            .withPeriodicKeepAliveMaxIdle(settings.serverPingInterval()));
  }

  /** The bound port. */
  public int port() {
    return binding.localAddress().getPort();
  }

  /**
   * The base WebSocket URL, {@code ws://127.0.0.1:PORT}; a client appends its dialect's connect
   * path (which carries the venue's path, e.g. {@code /v5/public/spot}). Every path upgrades.
   */
  public String url() {
    return "ws://" + settings.iface() + ":" + port();
  }

  public SimulatorSettings settings() {
    return settings;
  }

  /** Applies new faults now (windows count from now). */
  public void setFaults(FaultSpec spec) {
    faults.set(new SimulatedConnection.ActiveFaults(spec, clock.millis()));
    log.info("Simulator faults: {}", spec);
  }

  /** Closes every open connection now, as a venue restarting its gateways would. */
  public void dropConnections() {
    connections.dropAll();
    log.info("Simulator: all open connections dropped on request");
  }

  public FaultSpec faults() {
    return faults.get().spec();
  }

  public SimulatorStats.Snapshot stats() {
    return stats.snapshot();
  }

  /** Stops listening, closes every connection and the tape. */
  public CompletionStage<Done> stop() {
    return binding
        .terminate(Duration.ofSeconds(2))
        .thenApply(
            terminated -> {
              if (tape != null) {
                tape.stop();
              }
              return Done.getInstance();
            });
  }

  /** The admin endpoints and the WebSocket upgrade. */
  private static final class Routes extends AllDirectives {
    private final SimulatedConnection connections;
    private final AtomicReference<SimulatedConnection.ActiveFaults> faults;
    private final SimulatorStats stats;
    private final Clock clock;
    private final AtomicLong numbers = new AtomicLong();

    Routes(
        SimulatedConnection connections,
        AtomicReference<SimulatedConnection.ActiveFaults> faults,
        SimulatorStats stats,
        Clock clock) {
      this.connections = connections;
      this.faults = faults;
      this.stats = stats;
      this.clock = clock;
    }

    Route route() {
      return concat(
          pathPrefix(
              "admin",
              () ->
                  concat(
                      path(
                          "faults",
                          () ->
                              concat(
                                  get(() -> complete(json(StatusCodes.OK, faultsView()))),
                                  post(() -> entity(Unmarshaller.entityToString(), this::setFaults)))),
                      path("stats", () -> get(() -> complete(json(StatusCodes.OK, stats.snapshot())))),
                      path(
                          "drop",
                          () ->
                              post(
                                  () -> {
                                    long open = stats.open.get();
                                    connections.dropAll();
                                    return complete(json(StatusCodes.OK, Map.of("dropped", open)));
                                  })))),
          extractRequest(this::upgrade));
    }

    private Route setFaults(String body) {
      FaultSpec spec;
      try {
        spec = FaultSpec.parse(body.strip());
      } catch (IllegalArgumentException e) {
        return complete(json(StatusCodes.BAD_REQUEST, error("invalid_fault_spec", e.getMessage())));
      }
      faults.set(new SimulatedConnection.ActiveFaults(spec, clock.millis()));
      log.info("Simulator faults set through the admin endpoint: {}", spec);
      return complete(json(StatusCodes.OK, faultsView()));
    }

    private Map<String, Object> faultsView() {
      SimulatedConnection.ActiveFaults active = faults.get();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("spec", active.spec().toString());
      view.put("appliedAtMs", active.appliedAtMs());
      return view;
    }

    private Route upgrade(HttpRequest request) {
      String pathAndQuery = request.getUri().path() + request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
      return extractWebSocketUpgrade(
          upgrade -> {
            SimulatedConnection.ActiveFaults active = faults.get();
            if (active.spec().refusingAt(active.appliedAtMs(), clock.millis())) {
              stats.refused.incrementAndGet();
              return complete(
                  json(StatusCodes.SERVICE_UNAVAILABLE, error("unavailable", "connections are refused for now (simulated)"))
                      .addHeader(RetryAfter.create(1L)));
            }
            stats.accepted.incrementAndGet();
            return complete(upgrade.handleMessagesWith(connections.handler(pathAndQuery, numbers.incrementAndGet())));
          });
    }

    private static Map<String, Object> error(String code, String message) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("code", code);
      body.put("message", message);
      body.put("field", "faults");
      return Map.of("error", body);
    }

    private static HttpResponse json(StatusCode status, Object body) {
      try {
        return HttpResponse.create()
            .withStatus(status)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsString(body)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
    }
  }
}
