package io.pekkotrader.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys the engine reads under {@code pekko-trader}: those the shipped {@code application.conf}
 * defines, the fields of a {@code symbols} entry, and any asset under the per-asset
 * {@code trading.starting-cash}, {@code trading.asset-precision} and {@code trading.asset-rounding}. A key outside them is a problem (a misspelt key would otherwise
 * leave its default in force), named with the nearest known key when one is close.
 */
final class KnownKeys {
  /** The sections whose keys are names of the operator's choosing (assets), not settings. */
  private static final Set<String> MAPS = Set.of("trading.starting-cash", "trading.asset-precision", "trading.asset-rounding");

  /** The list whose entries are objects with the fields of {@link Settings#SYMBOL_FIELDS}. */
  private static final String SYMBOLS = "symbols";

  private final ConfigObject shipped;
  private final List<String> shippedPaths = new ArrayList<>();

  private KnownKeys(ConfigObject shipped) {
    this.shipped = shipped;
    collectPaths(shipped, "");
    shippedPaths.sort(Comparator.naturalOrder());
  }

  /** The keys of the {@code application.conf} on the class path. */
  static KnownKeys shipped() {
    Config application = ConfigFactory.parseResources("application.conf").withOnlyPath("pekko-trader").resolve();
    return new KnownKeys(application.getObject("pekko-trader"));
  }

  /** Reports every key of {@code given} (the {@code pekko-trader} object) that the engine does not read. */
  void check(ConfigObject given, ConfigReader r) {
    check(given, shipped, "", r);
  }

  private void check(ConfigObject given, ConfigObject known, String path, ConfigReader r) {
    for (String key : given.keySet().stream().sorted().toList()) {
      String keyPath = path + key;
      ConfigValue value = given.get(key);
      if (MAPS.contains(keyPath)) {
        continue;
      }
      if (keyPath.equals(SYMBOLS) && value instanceof ConfigList entries) {
        checkSymbols(entries, r);
        continue;
      }
      ConfigValue knownValue = known.get(key);
      if (knownValue == null) {
        r.unknownKey(keyPath, suggestion(key, known.keySet()), value.origin().description());
      } else if (value.valueType() == ConfigValueType.OBJECT && knownValue.valueType() == ConfigValueType.OBJECT) {
        check((ConfigObject) value, (ConfigObject) knownValue, keyPath + ".", r);
      }
    }
  }

  private void checkSymbols(ConfigList entries, ConfigReader r) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) instanceof ConfigObject entry) {
        for (String key : entry.keySet().stream().sorted().toList()) {
          if (!Settings.SYMBOL_FIELDS.contains(key)) {
            String nearest = nearest(key, Settings.SYMBOL_FIELDS);
            r.unknownKey(SYMBOLS + "[" + i + "]." + key, nearest, entry.get(key).origin().description());
          }
        }
      }
    }
  }

  /** A sibling close to {@code key}, else the full paths of the closest keys elsewhere, else null. */
  private String suggestion(String key, Set<String> siblings) {
    String sibling = nearest(key, siblings);
    if (sibling != null) {
      return sibling;
    }
    String closest = nearest(key, shippedPaths.stream().map(KnownKeys::lastKey).toList());
    if (closest == null) {
      return null;
    }
    return String.join(" or ", shippedPaths.stream().filter(known -> lastKey(known).equals(closest)).map(known -> "pekko-trader." + known).toList());
  }

  private static String lastKey(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** The candidate at the smallest edit distance from {@code key}, when that is small for its length; else null. */
  static String nearest(String key, java.util.Collection<String> candidates) {
    int allowed = Math.max(2, key.length() / 3);
    return candidates.stream()
        .filter(candidate -> distance(key, candidate) <= allowed)
        .min(Comparator.<String>comparingInt(candidate -> distance(key, candidate)).thenComparing(Comparator.naturalOrder()))
        .orElse(null);
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private void collectPaths(ConfigObject object, String path) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      String keyPath = path + entry.getKey();
      shippedPaths.add(keyPath);
      if (entry.getValue() instanceof ConfigObject nested) {
        collectPaths(nested, keyPath + ".");
      }
    }
  }
}
