package io.pekkotrader.app;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for a command: its flags over the environment over the config file; problems printed. */
final class CommandSettings {
  private CommandSettings() {}

  /** The whole configuration and the engine's settings read from it. */
  record Loaded(Config config, Settings settings) {}

  /** The configuration, or {@code null} after printing every problem to {@code err}. */
  static Loaded load(Map<String, String> env, Path dataDir, Integer httpPort, Path configFile, PrintWriter err) {
    Map<String, String> flags = new HashMap<>();
    if (dataDir != null) {
      flags.put("pekko-trader.data-dir", dataDir.toString());
    }
    if (httpPort != null) {
      flags.put("pekko-trader.http.port", String.valueOf(httpPort));
    }
    try {
      Config config = Settings.loadConfig(flags, env, configFile);
      return new Loaded(config, Settings.from(config));
    } catch (SettingsException e) {
      err.println("Invalid configuration:");
      e.problems().forEach(problem -> err.println("  " + problem));
      return null;
    }
  }
}
