package io.pekkotrader.app;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.exchange.simulator.ExchangeSimulator;
import io.pekkotrader.exchange.simulator.FaultSpec;
import io.pekkotrader.exchange.simulator.SimulatorSettings;
import io.pekkotrader.streams.venue.VenueDialects;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate-exchange}: the exchange simulator alone, until SIGTERM or Ctrl-C. */
@Command(
    name = "simulate-exchange",
    mixinStandardHelpOptions = true,
    description = {
      "Serve one venue's public market data over HTTP + WebSocket on loopback until SIGTERM or Ctrl-C (exit 0).",
      "The trades are a seeded random walk (or a replay file) in the venue's wire format, with optional faults."
          + " Admin endpoints: GET/POST /admin/faults (body: a fault spec), GET /admin/stats.",
      "A fault spec is a comma list of drop=DUR, garbage=FRACTION, truncate=FRACTION, stall=DUR[@OFFSET],"
          + " refuse=DUR[@OFFSET], latency=DUR, overlap=N (DUR like 250ms, 2s, 1m; FRACTION like 0.05 or 5%%)."
    })
public final class SimulateExchangeCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = 9443;

  @Option(names = "--dialect", paramLabel = "VENUE", description = "binance, bybit or kraken (default: ${DEFAULT-VALUE}).")
  String dialect = "binance";

  @Option(
      names = "--symbols",
      paramLabel = "A,B",
      split = ",",
      description = "Symbols in the engine's form, e.g. BTCUSDT,ETHUSDT (default: BTCUSDT,ETHUSDT,SOLUSDT).")
  List<String> symbols = List.of("BTCUSDT", "ETHUSDT", "SOLUSDT");

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the random walk (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--rate", paramLabel = "N", description = "Generated trades per second per symbol (default: ${DEFAULT-VALUE}).")
  int rate = 20;

  @Option(names = "--replay", paramLabel = "FILE", description = "Serve this file (one raw frame per line) to every connection instead.")
  Path replay;

  @Option(names = "--pace", paramLabel = "N", description = "Replayed frames per second per connection (default: 0 = as fast as read).")
  int pace;

  @Option(names = "--faults", paramLabel = "SPEC", description = "Faults from the start, e.g. drop=2s,garbage=5%%,stall=10s@30s.")
  String faults = "";

  private final CompletableFuture<String> stopSignal = new CompletableFuture<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SimulatorSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println("Invalid option: " + e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    ActorSystem<Void> system = ExchangeSimulator.createSystem("exchange-simulator");
    try {
      ExchangeSimulator simulator;
      try {
        simulator = ExchangeSimulator.start(settings, system).toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        err.println("Cannot start the exchange simulator: " + e.getCause().getMessage());
        return Main.EXIT_START_FAILED;
      }
      out.println(
          "Exchange simulator (" + settings.dialect() + " dialect) on " + simulator.url()
              + (settings.replay() == null
                  ? ", symbols " + symbols + ", " + settings.tradesPerSecond() + " trades/s per symbol, seed " + settings.seed()
                  : ", replaying " + settings.replay() + (settings.pace() > 0 ? " at " + settings.pace() + " frames/s" : ""))
              + ", faults: " + simulator.faults());
      out.println("Admin: http://" + settings.iface() + ":" + simulator.port() + "/admin/faults and /admin/stats");
      out.flush();
      installSignalHandlers();
      String signal = stopSignal.join();
      out.println("SIG" + signal + " received: stopping");
      out.flush();
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return 0;
    } catch (Exception e) {
      err.println("The exchange simulator failed: " + e);
      return 1;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** The settings from the options; throws naming the option, the value and the rule. */
  SimulatorSettings settings() {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
    }
    if (!SimulatorSettings.DIALECTS.contains(dialect)) {
      throw new IllegalArgumentException("--dialect must be one of " + SimulatorSettings.DIALECTS + ", got \"" + dialect + "\"");
    }
    if (rate < 1) {
      throw new IllegalArgumentException("--rate must be >= 1 trade per second per symbol, got " + rate);
    }
    if (pace < 0) {
      throw new IllegalArgumentException("--pace must be >= 0 frames per second, got " + pace);
    }
    if (replay != null && !Files.isReadable(replay)) {
      throw new IllegalArgumentException("--replay file " + replay + " does not exist or cannot be read");
    }
    List<SymbolId> ids = new ArrayList<>();
    for (String raw : symbols) {
      String symbol = raw.strip();
      try {
        SymbolId id = new SymbolId(dialect, symbol);
        VenueDialects.forVenue(dialect).connectPath(List.of(symbol));
        ids.add(id);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--symbols: \"" + symbol + "\" is not a " + dialect + " symbol: " + e.getMessage());
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("--symbols must name at least one symbol");
    }
    FaultSpec faultSpec;
    try {
      faultSpec = FaultSpec.parse(faults);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--faults \"" + faults + "\": " + e.getMessage());
    }
    return SimulatorSettings.defaults(dialect, ids.stream().map(SymbolId::symbol).toList())
        .withPort(port)
        .withGenerator(seed, rate, new BigDecimal("6"))
        .withReplay(replay, pace)
        .withFaults(faultSpec);
  }

  @SuppressWarnings("removal")
  private void installSignalHandlers() {
    sun.misc.SignalHandler handler = signal -> stopSignal.complete(signal.getName());
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
  }
}
