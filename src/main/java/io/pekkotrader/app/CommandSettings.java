package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.engine.SettingsException;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** Settings for a command: its flags over the environment over the config file; problems printed. */
final class CommandSettings {
  private CommandSettings() {}

  /** The whole configuration and the engine's settings read from it. */
  record Loaded(Config config, Settings settings) {}

  /** The configuration, or {@code null} after printing every problem to {@code err}. */
  static Loaded load(Map<String, String> env, Path dataDir, Path configFile, PrintWriter err) {
    return load(env, dataDir == null ? Map.of() : Map.of("pekko-trader.data-dir", dataDir.toString()), configFile, err);
  }

  /** As {@link #load(Map, Path, Path, PrintWriter)}, with {@code flags} by the config key each sets. */
  static Loaded load(Map<String, String> env, Map<String, String> flags, Path configFile, PrintWriter err) {
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
