package io.pekkotrader.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads typed values from one config tree and collects every problem as
 * {@code <key> <rule>, got <value>} instead of stopping at the first. Callers read everything,
 * then call {@link #throwIfInvalid()}.
 *
 * <p>There are no defaults here: every default is in the shipped {@code application.conf}, so a
 * key missing from the loaded configuration is a problem like any other. In place of a missing
 * or bad value a reader returns a placeholder (a valid value of the type, such as the lower
 * bound) only so that reading can go on to find the other problems; it never reaches a
 * {@link Settings}, because {@link #throwIfInvalid()} throws first. Checks that relate several
 * values ask {@link #valid} first.
 */
final class ConfigReader {
  private final Config config;
  private final String prefix;
  private final List<String> problems;
  /** The full keys that have a problem. */
  private final Set<String> invalid;

  ConfigReader(Config config, String prefix) {
    this(config, prefix, new ArrayList<>(), new HashSet<>());
  }

  private ConfigReader(Config config, String prefix, List<String> problems, Set<String> invalid) {
    this.config = config;
    this.prefix = prefix;
    this.problems = problems;
    this.invalid = invalid;
  }

  /** A reader of a nested object (e.g. one element of a list), sharing the problem list. */
  ConfigReader nested(Config nested, String nestedPrefix) {
    return new ConfigReader(nested, nestedPrefix, problems, invalid);
  }

  /**
   * Whether none of {@code paths} has a problem: a check that relates several values runs only
   * on valid ones, so that a bad value is reported once, not again through the placeholder a
   * reader returns in its place.
   */
  boolean valid(String... paths) {
    for (String path : paths) {
      if (invalid.contains(key(path))) {
        return false;
      }
    }
    return true;
  }

  String key(String path) {
    return prefix.isEmpty() ? path : prefix + "." + path;
  }

  void problem(String path, String rule, Object got) {
    invalid.add(key(path));
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

  String string(String path) {
    return read(path, "must be a string", () -> config.getString(path), "");
  }

  String nonEmpty(String path) {
    String value = string(path);
    if (valid(path) && value.isBlank()) {
      problem(path, "must not be empty", value);
    }
    return value;
  }

  /** One of {@code allowed}; on a problem, the first of them (a placeholder). */
  String oneOf(String path, List<String> allowed) {
    String value = string(path);
    if (valid(path) && !allowed.contains(value)) {
      problem(path, "must be one of " + allowed, value);
    }
    return valid(path) ? value : allowed.get(0);
  }

  int intAtLeast(String path, int min) {
    Integer value = read(path, "must be an integer", () -> config.getInt(path), null);
    if (value == null) {
      return min;
    }
    if (value < min) {
      problem(path, min == 1 ? "must be > 0" : "must be >= " + min, value);
      return min;
    }
    return value;
  }

  /** An integer in {@code min..max}. */
  int intInRange(String path, int min, int max) {
    int value = intAtLeast(path, min);
    if (value > max) {
      problem(path, "must be in " + min + ".." + max, value);
      return min;
    }
    return value;
  }

  boolean bool(String path) {
    Boolean value = read(path, "must be true or false (on, off)", () -> config.getBoolean(path), null);
    return value != null && value;
  }

  int port(String path) {
    int value = intAtLeast(path, 0);
    if (value > 65535) {
      problem(path, "must be a port number in 0..65535", value);
      return 0;
    }
    return value;
  }

  long longValue(String path) {
    Long value = read(path, "must be an integer", () -> config.getLong(path), null);
    return value == null ? 0 : value;
  }

  double doubleAtLeast(String path, double min) {
    Double value = read(path, "must be a number", () -> config.getDouble(path), null);
    if (value == null) {
      return min;
    }
    if (value < min || value.isNaN()) {
      problem(path, "must be >= " + min, value);
      return min;
    }
    return value;
  }

  /** An exact decimal, given as a string or a number literal; {@code min} may be null (no bound). */
  BigDecimal decimal(String path, BigDecimal min, boolean inclusive) {
    String text = read(path, "must be a decimal number", () -> config.getString(path), null);
    if (text == null) {
      return BigDecimal.ONE;
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      problem(path, "must be a decimal number", text);
      return BigDecimal.ONE;
    }
    if (min != null) {
      int cmp = value.compareTo(min);
      if (inclusive ? cmp < 0 : cmp <= 0) {
        problem(path, "must be " + (inclusive ? ">= " : "> ") + min.toPlainString(), value.toPlainString());
        return BigDecimal.ONE;
      }
    }
    return value;
  }

  Duration nonNegativeDuration(String path) {
    Duration value = read(path, "must be a duration (e.g. 0ms, 500ms, 5s)", () -> config.getDuration(path), null);
    if (value == null) {
      return PLACEHOLDER_DURATION;
    }
    if (value.isNegative()) {
      problem(path, "must be >= 0", config.getValue(path).unwrapped());
      return PLACEHOLDER_DURATION;
    }
    return value;
  }

  Duration positiveDuration(String path) {
    Duration value = read(path, "must be a duration (e.g. 500ms, 5s, 1m)", () -> config.getDuration(path), null);
    if (value == null) {
      return PLACEHOLDER_DURATION;
    }
    if (value.isNegative() || value.isZero()) {
      problem(path, "must be > 0", config.getValue(path).unwrapped());
      return PLACEHOLDER_DURATION;
    }
    return value;
  }

  /** A size in bytes ({@code 10MiB}, {@code 512k}), at least {@code min}. */
  long bytesAtLeast(String path, long min) {
    Long value = read(path, "must be a size in bytes (e.g. 512KiB, 10MiB)", () -> config.getBytes(path), null);
    if (value == null) {
      return min;
    }
    if (value < min) {
      problem(path, "must be >= " + min + " bytes", config.getValue(path).unwrapped());
      return min;
    }
    return value;
  }

  /** A time zone id ({@code UTC}, {@code Europe/London}). */
  java.time.ZoneId zone(String path) {
    String text = string(path);
    if (!valid(path)) {
      return java.time.ZoneOffset.UTC;
    }
    try {
      return java.time.ZoneId.of(text.trim());
    } catch (java.time.DateTimeException e) {
      problem(path, "must be a time zone id such as UTC or Europe/London", text);
      return java.time.ZoneOffset.UTC;
    }
  }

  /** A local time of day {@code HH:mm}. */
  java.time.LocalTime timeOfDay(String path) {
    String text = string(path);
    if (!valid(path)) {
      return java.time.LocalTime.MIDNIGHT;
    }
    try {
      return java.time.LocalTime.parse(text.trim());
    } catch (java.time.format.DateTimeParseException e) {
      problem(path, "must be a time of day HH:mm", text);
      return java.time.LocalTime.MIDNIGHT;
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

  /** The placeholder of a missing or bad duration (see the class comment). */
  private static final Duration PLACEHOLDER_DURATION = Duration.ofSeconds(1);

  private <T> T read(String path, String typeRule, Supplier<T> getter, T placeholder) {
    try {
      return getter.get();
    } catch (ConfigException.Missing e) {
      invalid.add(key(path));
      problems.add(key(path) + " is missing (it must be set)");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(path, typeRule, rawValue(path));
    }
    return placeholder;
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
