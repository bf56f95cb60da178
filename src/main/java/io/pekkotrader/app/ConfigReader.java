package io.pekkotrader.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads typed values from one config tree and collects every problem as
 * {@code <key> <rule>, got <value>} instead of stopping at the first. Callers read everything,
 * then call {@link #throwIfInvalid()}.
 */
final class ConfigReader {
  private final Config config;
  private final String prefix;
  private final List<String> problems;

  ConfigReader(Config config, String prefix) {
    this(config, prefix, new ArrayList<>());
  }

  private ConfigReader(Config config, String prefix, List<String> problems) {
    this.config = config;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** A reader of a nested object (e.g. one element of a list), sharing the problem list. */
  ConfigReader nested(Config nested, String nestedPrefix) {
    return new ConfigReader(nested, nestedPrefix, problems);
  }

  String key(String path) {
    return prefix.isEmpty() ? path : prefix + "." + path;
  }

  void problem(String path, String rule, Object got) {
    problems.add(key(path) + " " + rule + ", got " + shown(got));
  }

  /** A key the engine does not read, with the nearest known key (null: none close) and where it was set. */
  void unknownKey(String path, String nearest, String origin) {
    problems.add(
        key(path) + " is not a known key" + (nearest == null ? "" : " (did you mean " + nearest + "?)") + ", set at " + origin);
  }

  void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
  }

  String string(String path, String fallback) {
    return read(path, "must be a string", () -> config.getString(path), fallback);
  }

  String nonEmpty(String path, String fallback) {
    String value = string(path, fallback);
    if (value != null && value.isBlank()) {
      problem(path, "must not be empty", value);
      return fallback;
    }
    return value;
  }

  String oneOf(String path, String fallback, List<String> allowed) {
    String value = string(path, fallback);
    if (value != null && !allowed.contains(value)) {
      problem(path, "must be one of " + allowed, value);
      return fallback;
    }
    return value;
  }

  int intAtLeast(String path, int min, int fallback) {
    Integer value = read(path, "must be an integer", () -> config.getInt(path), null);
    if (value == null) {
      return fallback;
    }
    if (value < min) {
      problem(path, min == 1 ? "must be > 0" : "must be >= " + min, value);
      return fallback;
    }
    return value;
  }

  /** An integer in {@code min..max}. */
  int intInRange(String path, int min, int max, int fallback) {
    int value = intAtLeast(path, min, fallback);
    if (value > max) {
      problem(path, "must be in " + min + ".." + max, value);
      return fallback;
    }
    return value;
  }

  boolean bool(String path, boolean fallback) {
    Boolean value = read(path, "must be true or false (on, off)", () -> config.getBoolean(path), null);
    return value == null ? fallback : value;
  }

  int port(String path, int fallback) {
    int value = intAtLeast(path, 0, fallback);
    if (value > 65535) {
      problem(path, "must be a port number in 0..65535", value);
      return fallback;
    }
    return value;
  }

  long longValue(String path, long fallback) {
    Long value = read(path, "must be an integer", () -> config.getLong(path), null);
    return value == null ? fallback : value;
  }

  double doubleAtLeast(String path, double min, double fallback) {
    Double value = read(path, "must be a number", () -> config.getDouble(path), null);
    if (value == null) {
      return fallback;
    }
    if (value < min || value.isNaN()) {
      problem(path, "must be >= " + min, value);
      return fallback;
    }
    return value;
  }

  /** An exact decimal, given as a string or a number literal; {@code minExclusive} may be null. */
  BigDecimal decimal(String path, BigDecimal min, boolean inclusive, BigDecimal fallback) {
    String text = read(path, "must be a decimal number", () -> config.getString(path), null);
    if (text == null) {
      return fallback;
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      problem(path, "must be a decimal number", text);
      return fallback;
    }
    if (min != null) {
      int cmp = value.compareTo(min);
      if (inclusive ? cmp < 0 : cmp <= 0) {
        problem(path, "must be " + (inclusive ? ">= " : "> ") + min.toPlainString(), value.toPlainString());
        return fallback;
      }
    }
    return value;
  }

  Duration positiveDuration(String path, Duration fallback) {
    Duration value = read(path, "must be a duration (e.g. 500ms, 5s, 1m)", () -> config.getDuration(path), null);
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      problem(path, "must be > 0", config.getValue(path).unwrapped());
      return fallback;
    }
    return value;
  }

  /** A size in bytes ({@code 10MiB}, {@code 512k}), at least {@code min}. */
  long bytesAtLeast(String path, long min, long fallback) {
    Long value = read(path, "must be a size in bytes (e.g. 512KiB, 10MiB)", () -> config.getBytes(path), null);
    if (value == null) {
      return fallback;
    }
    if (value < min) {
      problem(path, "must be >= " + min + " bytes", config.getValue(path).unwrapped());
      return fallback;
    }
    return value;
  }

  /** A time zone id ({@code UTC}, {@code Europe/London}). */
  java.time.ZoneId zone(String path, java.time.ZoneId fallback) {
    String text = string(path, null);
    if (text == null) {
      return fallback;
    }
    try {
      return java.time.ZoneId.of(text.trim());
    } catch (java.time.DateTimeException e) {
      problem(path, "must be a time zone id such as UTC or Europe/London", text);
      return fallback;
    }
  }

  /** A local time of day {@code HH:mm}. */
  java.time.LocalTime timeOfDay(String path, java.time.LocalTime fallback) {
    String text = string(path, null);
    if (text == null) {
      return fallback;
    }
    try {
      return java.time.LocalTime.parse(text.trim());
    } catch (java.time.format.DateTimeParseException e) {
      problem(path, "must be a time of day HH:mm", text);
      return fallback;
    }
  }

  List<String> stringList(String path) {
    List<String> value = read(path, "must be a list of strings", () -> config.getStringList(path), null);
    return value == null ? List.of() : value;
  }

  /** Whether {@code path} holds an object (rather than a single value). */
  boolean isObject(String path) {
    return config.hasPath(path) && config.getValue(path).valueType() == com.typesafe.config.ConfigValueType.OBJECT;
  }

  /** Whether {@code path} is set. */
  boolean has(String path) {
    return config.hasPath(path);
  }

  /** The value at {@code path} as written, for a problem. */
  Object raw(String path) {
    return rawValue(path);
  }

  /** The keys of the object at {@code path}, sorted. */
  List<String> objectKeys(String path) {
    return config.getObject(path).keySet().stream().sorted().toList();
  }

  List<? extends Config> objectList(String path) {
    List<? extends Config> value = read(path, "must be a list of objects", () -> config.getConfigList(path), null);
    return value == null ? List.of() : value;
  }

  private <T> T read(String path, String typeRule, Supplier<T> getter, T fallback) {
    try {
      return getter.get();
    } catch (ConfigException.Missing e) {
      problems.add(key(path) + " is missing (it must be set)");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(path, typeRule, rawValue(path));
    }
    return fallback;
  }

  private Object rawValue(String path) {
    try {
      ConfigValue value = config.getValue(path);
      return value.unwrapped();
    } catch (ConfigException e) {
      return "?";
    }
  }

  private static String shown(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
