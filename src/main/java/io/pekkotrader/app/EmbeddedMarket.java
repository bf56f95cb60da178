package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.exchange.simulator.ExchangeSimulator;
import io.pekkotrader.exchange.simulator.FaultSpec;
import io.pekkotrader.exchange.simulator.SimulatorSettings;
import io.pekkotrader.streams.SyntheticMarket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default market of {@code run}: one exchange simulator per venue of the configured symbols,
 * each on a free loopback port speaking that venue's dialect, in an actor system of their own
 * (the engine reaches them over real WebSockets, exactly as it reaches a venue).
 */
final class EmbeddedMarket implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedMarket.class);

  private final ActorSystem<Void> system;
  private final List<ExchangeSimulator> simulators;
  private final Map<String, String> urls;

  private EmbeddedMarket(ActorSystem<Void> system, List<ExchangeSimulator> simulators, Map<String, String> urls) {
    this.system = system;
    this.simulators = simulators;
    this.urls = urls;
  }

  /** Starts the simulators; throws when one cannot bind (the system is then stopped). */
  static EmbeddedMarket start(Settings settings) throws Exception {
    ActorSystem<Void> system = ExchangeSimulator.createSystem("exchange-simulator", settings.market().simulatorTick());
    List<ExchangeSimulator> simulators = new ArrayList<>();
    Map<String, String> urls = new LinkedHashMap<>();
    Settings.Market market = settings.market();
    try {
      for (String venue : settings.symbols().stream().map(s -> s.id().venue()).distinct().toList()) {
        List<SyntheticMarket.Instrument> instruments =
            settings.symbols().stream()
                .filter(s -> s.id().venue().equals(venue))
                .map(s -> new SyntheticMarket.Instrument(s.id(), s.startPrice(), s.lotStep()))
                .toList();
        SimulatorSettings simulatorSettings =
            SimulatorSettings.defaults(venue, instruments.stream().map(i -> i.symbol().symbol()).toList())
                .withInstruments(instruments)
                .withGenerator(market.seed(), market.tradesPerSecond(), market.stepBps())
                .withFaults(FaultSpec.parse(market.simulatorFaults()));
        ExchangeSimulator simulator =
            ExchangeSimulator.start(simulatorSettings, system).toCompletableFuture().get(30, TimeUnit.SECONDS);
        simulators.add(simulator);
        urls.put(venue, simulator.url());
        log.info(
            "Embedded exchange simulator ({} dialect, {}) on {}, faults: {}",
            venue,
            instruments.stream().map(i -> i.symbol().symbol()).toList(),
            simulator.url(),
            simulator.faults());
      }
    } catch (Exception e) {
      new EmbeddedMarket(system, simulators, urls).close();
      throw e;
    }
    return new EmbeddedMarket(system, simulators, Map.copyOf(urls));
  }

  /** Each venue's base URL. */
  Map<String, String> urls() {
    return urls;
  }

  @Override
  public void close() {
    for (ExchangeSimulator simulator : simulators) {
      simulator.stop().toCompletableFuture().exceptionally(failure -> null).join();
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("The embedded exchange simulators did not stop within 10 s: {}", e.toString());
    }
  }
}
