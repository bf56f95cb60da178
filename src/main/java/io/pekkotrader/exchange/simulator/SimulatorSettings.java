package io.pekkotrader.exchange.simulator;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.streams.SyntheticMarket;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How an exchange simulator runs.
 *
 * @param iface the interface to bind (loopback)
 * @param port the port; 0 = any free port
 * @param dialect the venue whose market-data wire format it speaks: binance, bybit or kraken
 * @param instruments the generated symbols (their venue is the dialect) with start price and lot step
 * @param seed the random walk's seed
 * @param tradesPerSecond generated trades per second, per symbol
 * @param stepBps one random-walk step, basis points
 * @param replay a file of raw frames (one per line) served to each connection instead of generated trades; null = generate
 * @param pace replayed frames per second per connection; 0 = as fast as the connection takes them
 * @param faults the faults injected from the start (changeable at run time)
 * @param heartbeatInterval how often the dialect's server heartbeat is sent, if it has one
 * @param serverPingInterval WebSocket pings to an idle connection (Binance: 20 s); zero = none
 */
public record SimulatorSettings(
    String iface,
    int port,
    String dialect,
    List<SyntheticMarket.Instrument> instruments,
    long seed,
    int tradesPerSecond,
    BigDecimal stepBps,
    Path replay,
    int pace,
    FaultSpec faults,
    Duration heartbeatInterval,
    Duration serverPingInterval) {

  /** The dialects the simulator speaks. */
  public static final List<String> DIALECTS = List.of("binance", "bybit", "kraken");

  public SimulatorSettings {
    if (!DIALECTS.contains(dialect)) {
      throw new IllegalArgumentException("dialect must be one of " + DIALECTS + ", got '" + dialect + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (instruments.isEmpty() && replay == null) {
      throw new IllegalArgumentException("the simulator needs at least one symbol, or a replay file");
    }
    for (SyntheticMarket.Instrument instrument : instruments) {
      if (!instrument.symbol().venue().equals(dialect)) {
        throw new IllegalArgumentException(instrument.symbol() + " is not a symbol of " + dialect);
      }
    }
    if (tradesPerSecond < 1 || pace < 0) {
      throw new IllegalArgumentException("rate must be >= 1 trade per second per symbol and pace >= 0");
    }
    instruments = List.copyOf(instruments);
  }

  /**
   * Defaults for {@code symbols} (engine form, {@code BTCUSDT}) on {@code dialect}: loopback, any
   * free port, seed 42, 20 trades per second per symbol, steps of 6 bp, no faults, the venue's
   * heartbeat every second and Binance's server ping every 20 s.
   */
  public static SimulatorSettings defaults(String dialect, List<String> symbols) {
    List<SyntheticMarket.Instrument> instruments = new ArrayList<>();
    for (String symbol : symbols) {
      instruments.add(instrument(new SymbolId(dialect, symbol)));
    }
    return new SimulatorSettings(
        "127.0.0.1", 0, dialect, instruments, 42, 20, new BigDecimal("6"), null, 0, FaultSpec.NONE, Duration.ofSeconds(1),
        dialect.equals("binance") ? Duration.ofSeconds(20) : Duration.ZERO);
  }

  /** A symbol with a plausible start price and lot step: well-known bases get their usual magnitude, others 100 and 0.001. */
  public static SyntheticMarket.Instrument instrument(SymbolId symbol) {
    String s = symbol.symbol().toUpperCase(Locale.ROOT);
    if (s.startsWith("BTC") || s.startsWith("XBT")) {
      return new SyntheticMarket.Instrument(symbol, new BigDecimal("60000"), new BigDecimal("0.00001"));
    }
    if (s.startsWith("ETH")) {
      return new SyntheticMarket.Instrument(symbol, new BigDecimal("3000"), new BigDecimal("0.0001"));
    }
    return new SyntheticMarket.Instrument(symbol, new BigDecimal("100"), new BigDecimal("0.001"));
  }

  public SimulatorSettings withPort(int newPort) {
    return new SimulatorSettings(iface, newPort, dialect, instruments, seed, tradesPerSecond, stepBps, replay, pace, faults, heartbeatInterval, serverPingInterval);
  }

  public SimulatorSettings withInstruments(List<SyntheticMarket.Instrument> newInstruments) {
    return new SimulatorSettings(iface, port, dialect, newInstruments, seed, tradesPerSecond, stepBps, replay, pace, faults, heartbeatInterval, serverPingInterval);
  }

  public SimulatorSettings withGenerator(long newSeed, int newTradesPerSecond, BigDecimal newStepBps) {
    return new SimulatorSettings(iface, port, dialect, instruments, newSeed, newTradesPerSecond, newStepBps, replay, pace, faults, heartbeatInterval, serverPingInterval);
  }

  public SimulatorSettings withReplay(Path file, int newPace) {
    return new SimulatorSettings(iface, port, dialect, instruments, seed, tradesPerSecond, stepBps, file, newPace, faults, heartbeatInterval, serverPingInterval);
  }

  public SimulatorSettings withFaults(FaultSpec newFaults) {
    return new SimulatorSettings(iface, port, dialect, instruments, seed, tradesPerSecond, stepBps, replay, pace, newFaults, heartbeatInterval, serverPingInterval);
  }
}
