package io.pekkotrader.app;

import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import com.typesafe.config.Config;
import io.pekkotrader.http.ApiKeys;
import io.pekkotrader.http.ControlRoutes;
import io.pekkotrader.http.ControlServer;
import io.pekkotrader.http.DashboardRoutes;
import io.pekkotrader.metrics.MetricsRuntime;
import io.pekkotrader.persistence.JournalCompaction;
import io.pekkotrader.persistence.JournalDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: start the engine and block until it is shut down. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start the engine and run until SIGTERM or Ctrl-C, which stop it gracefully (exit 0).",
      "It trades on paper on the market data of an embedded exchange simulator (over a loopback WebSocket) or of the"
          + " real venues (TRADER_MARKET), and keeps its journal in the data directory."
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  /** The log files' directory under the data directory. */
  static final String LOG_DIR = "logs";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Journal, API key, lock and logs (default: ./data, or TRADER_DATA_DIR).")
  Path dataDir;

  @Option(names = "--http-port", paramLabel = "N", description = "Control API port (default: 8080, or TRADER_HTTP_PORT; 0 = any free port).")
  Integer httpPort;

  @Option(
      names = "--metrics-port",
      paramLabel = "N",
      description = "Prometheus endpoint port, 1..65535 (default: 9095, or TRADER_METRICS_PORT).")
  Integer metricsPort;

  @Option(
      names = "--management-port",
      paramLabel = "N",
      description = "Pekko Management port, serving /alive and /ready (default: 7626, or TRADER_MANAGEMENT_PORT; 0 = any free port).")
  Integer managementPort;

  @Option(
      names = "--node-port",
      paramLabel = "N",
      description = "Cluster remoting (Artery) port of this node (default: 7355, or TRADER_NODE_PORT; 0 = any free port).")
  Integer nodePort;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose values override the defaults.")
  Path configFile;

  private final Map<String, String> env;
  private volatile boolean shutdownRequested;

  RunCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    CommandSettings.Loaded loaded = settings(err);
    if (loaded == null) {
      return Main.EXIT_BAD_CONFIG;
    }
    Settings settings = loaded.settings();
    Config config = loaded.config();

    DataDirectory directory;
    try {
      directory = DataDirectory.acquire(settings.dataDir());
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return Main.EXIT_DATA_DIR_IN_USE;
    }
    JsonLogFile logFile = settings.logging().file() ? JsonLogFile.attach(directory.path().resolve(LOG_DIR), settings.logging()) : null;
    if (logFile != null) {
      log.info("Logging to the console and, as JSON lines, to {}", logFile.file());
    }
    try {
      return runWithMetrics(settings, config, directory, err);
    } finally {
      if (logFile != null) {
        logFile.close();
      }
      directory.close();
    }
  }

  /**
   * The settings with this command's flags over the environment and the config file, or null
   * after printing what is wrong with a flag or the configuration.
   */
  CommandSettings.Loaded settings(PrintWriter err) {
    Map<String, String> flags = new java.util.LinkedHashMap<>();
    if (dataDir != null) {
      flags.put("pekko-trader.data-dir", dataDir.toString());
    }
    boolean portsValid =
        portFlag(flags, "--http-port", httpPort, 0, "pekko-trader.http.port", err)
            & portFlag(flags, "--metrics-port", metricsPort, 1, "pekko-trader.metrics.port", err)
            & portFlag(flags, "--management-port", managementPort, 0, "pekko-trader.management.port", err)
            & portFlag(flags, "--node-port", nodePort, 0, "pekko-trader.cluster.port", err);
    if (!portsValid) {
      return null;
    }
    return CommandSettings.load(env, flags, configFile, err);
  }

  /** Puts a port flag's value under its key; false after printing why it is not a port from {@code min}. */
  private static boolean portFlag(Map<String, String> flags, String flag, Integer port, int min, String key, PrintWriter err) {
    if (port == null) {
      return true;
    }
    if (port < min || port > 65535) {
      err.println("Invalid option: " + flag + " must be a port number in " + min + "..65535" + (min == 0 ? " (0 = any free port)" : "")
          + ", got " + port);
      return false;
    }
    flags.put(key, String.valueOf(port));
    return true;
  }

  /** Kamon before the journal, the simulator and the actor system: it instruments the Pekko, HTTP and JDBC classes loaded after it. */
  private int runWithMetrics(Settings settings, Config config, DataDirectory directory, PrintWriter err) {
    if (!settings.metrics().enabled()) {
      return runEngine(settings, config, directory, err);
    }
    MetricsRuntime metrics;
    try {
      metrics = MetricsRuntime.start(settings.metrics(), config);
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return Main.EXIT_START_FAILED;
    }
    log.info("Prometheus metrics on {}", metrics.url());
    try (metrics) {
      return runEngine(settings, config, directory, err);
    }
  }

  private int runEngine(Settings settings, Config config, DataDirectory directory, PrintWriter err) {
    String apiKey;
    try {
      apiKey = ApiKeys.resolve(settings.http().apiKey(), directory.path());
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    String jdbcUrl = settings.db().kind().equals("h2") ? JournalDatabase.h2Url(directory.path()) : settings.db().url();
    try {
      JournalDatabase.createTablesIfMissing(settings.db().kind(), jdbcUrl, settings.db().user(), settings.db().password());
    } catch (IllegalStateException e) {
      err.println("Journal unavailable: " + e.getMessage());
      return Main.EXIT_JOURNAL_UNAVAILABLE;
    }

    JournalCompaction compaction = null;
    if (settings.db().kind().equals("h2")) {
      try {
        compaction = JournalCompaction.open(jdbcUrl, settings.db().user(), settings.db().password()).start();
      } catch (IllegalStateException e) {
        err.println("Journal unavailable: " + e.getMessage());
        return Main.EXIT_JOURNAL_UNAVAILABLE;
      }
    }
    try (JournalCompaction closedAtExit = compaction) {
      return runWithMarket(settings, config, directory, jdbcUrl, apiKey, err);
    }
  }

  /** The embedded exchange simulator (when configured) around the actor system. */
  private int runWithMarket(
      Settings settings, Config config, DataDirectory directory, String jdbcUrl, String apiKey, PrintWriter err) {
    EmbeddedMarket embedded = null;
    Map<String, String> marketUrls = new java.util.HashMap<>();
    if (settings.market().simulated()) {
      try {
        embedded = EmbeddedMarket.start(settings);
      } catch (Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
        err.println("Cannot start the embedded exchange simulator: " + cause.getMessage());
        return Main.EXIT_START_FAILED;
      }
      marketUrls.putAll(embedded.urls());
    } else {
      settings.market().venues().forEach((venue, endpoint) -> marketUrls.put(venue, endpoint.wsUrl()));
    }
    try {
      return runSystem(settings, config, directory, jdbcUrl, apiKey, marketUrls, err);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private int runSystem(
      Settings settings,
      Config config,
      DataDirectory directory,
      String jdbcUrl,
      String apiKey,
      Map<String, String> marketUrls,
      PrintWriter err) {
    Clock clock = Clock.systemUTC();
    CompletableFuture<Engine> started = new CompletableFuture<>();
    ActorSystem<Void> system =
        ActorSystem.create(
            TraderGuardian.create(settings, marketUrls, clock, started),
            "pekko-trader",
            settings.pekkoOverrides(jdbcUrl).withFallback(config));
    try {
      Cluster cluster = Cluster.get(system);
      if (settings.cluster().seedNodes().isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      Engine engine = started.get(30, TimeUnit.SECONDS);
      system.registerExtension(EngineReadiness.STARTED).set(engine);
      ControlServer binding =
          ControlServer.bind(
                  system,
                  settings.http(),
                  Directives.concat(new DashboardRoutes().routes(), new ControlRoutes(engine, system, apiKey, clock).routes()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      if (!settings.http().loopbackOnly() && !settings.http().behindTlsTerminator()) {
        log.warn(
            "The control API listens on {}, not only on loopback, and no TLS terminator is configured "
                + "(http.behind-tls-terminator): the API key and every answer travel in clear text",
            settings.http().iface());
      }
            PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      registerShutdownTasks(system, engine, binding);
      installSignalHandlers(system);
      log.info(
          "Control API on http://{}:{}/api/v1 (API key in {}), health on http://{}:{}/alive",
          settings.http().iface(),
          binding.localAddress().getPort(),
          settings.http().apiKey().isEmpty() ? directory.path().resolve(ApiKeys.FILE_NAME) : "TRADER_API_KEY",
          settings.management().iface(),
          settings.management().port());
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      err.println("Cannot start the engine: " + cause.getMessage());
      log.error("Start-up failed", cause);
      system.terminate();
      awaitTermination(system);
      return Main.EXIT_START_FAILED;
    }
    awaitTermination(system);
    if (shutdownRequested) {
      log.info("Engine stopped");
      return 0;
    }
    err.println("The engine stopped unexpectedly; see the log");
    return 1;
  }

  /** Stop order: market data first (no new decisions), then HTTP; sharding then stops entities after their persists. */
  private void registerShutdownTasks(ActorSystem<Void> system, Engine engine, ControlServer binding) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "unbind-control-api",
        () -> binding.unbind().thenApply(v -> Done.getInstance()));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceStop(),
        "stop-market-data",
        () -> {
          CompletableFuture<?>[] stops =
              engine.venues().values().stream()
                  .map(venue -> stopMarketData(system, venue))
                  .toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(stops).thenApply(v -> Done.getInstance());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "drain-control-api",
        () -> binding.terminate(Duration.ofSeconds(3)).thenApply(v -> Done.getInstance()));
  }

  private static CompletableFuture<Done> stopMarketData(
      ActorSystem<Void> system, ActorRef<io.pekkotrader.actors.VenueConnection.Command> venue) {
    return AskPattern.<io.pekkotrader.actors.VenueConnection.Command, Done>ask(
            venue, io.pekkotrader.exchange.MarketDataConnection.StopMarketData::new, Duration.ofSeconds(5), system.scheduler())
        .toCompletableFuture()
        .exceptionally(failure -> Done.getInstance());
  }

  /**
   * SIGTERM and SIGINT run coordinated shutdown and let {@link #call()} return 0. Replacing the
   * JVM's default handler is what makes a requested stop exit 0 instead of 143.
   */
  @SuppressWarnings("removal")
  private void installSignalHandlers(ActorSystem<Void> system) {
    sun.misc.SignalHandler handler =
        signal -> {
          shutdownRequested = true;
          log.info("SIG{} received: shutting down", signal.getName());
          CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason());
        };
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
  }

  private static void awaitTermination(ActorSystem<Void> system) {
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
