package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.engine.SettingsException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code application.conf} is the one place of every default: {@link Settings} reads
 * each of its keys and has no default of its own (a key unset over it is reported by name), and
 * the defaults in the tables of {@code docs/configuration.md} are the shipped values.
 */
class ShippedDefaultsTest {
  private static final Path DOC = Path.of("docs", "configuration.md");

  private final Config shipped = Settings.shippedConfig();

  /** Every leaf key of the shipped {@code pekko-trader} namespace, relative to it. */
  private static Set<String> shippedKeys() {
    Config application = ConfigFactory.parseResources("application.conf").withOnlyPath("pekko-trader").resolve();
    Set<String> keys = new TreeSet<>();
    application.getConfig("pekko-trader").entrySet().forEach(entry -> keys.add(entry.getKey()));
    return keys;
  }

  @Test
  void readsTheShippedConfigurationWithoutAProblem() {
    Settings settings = Settings.shipped();

    assertEquals(3, settings.symbols().size());
  }

  @Test
  void reportsEveryShippedKeyByNameWhenItIsUnsetInsteadOfDefaultingIt() {
    List<String> silentlyDefaulted = new ArrayList<>();
    for (String key : shippedKeys()) {
      Config unset = ConfigFactory.parseString("pekko-trader." + key + " = null").withFallback(shipped);
      String expected = "pekko-trader." + key + " is missing";
      try {
        Settings.from(unset);
        silentlyDefaulted.add(key + " (no problem)");
      } catch (SettingsException e) {
        if (e.problems().stream().noneMatch(problem -> problem.startsWith(expected))) {
          silentlyDefaulted.add(key + " " + e.problems());
        }
      }
    }

    assertEquals(List.of(), silentlyDefaulted, "keys whose absence is not reported as missing");
  }

  @Test
  void reportsAPerAssetObjectWithoutItsDefault() {
    Config unset = ConfigFactory.parseString("pekko-trader.trading.asset-precision = null").withFallback(shipped);

    SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(unset));

    assertEquals(List.of("pekko-trader.trading.asset-precision.default is missing (it must be set)"), e.problems());
  }

  @Test
  void theStreamSettingsOfTestsAreTheShippedOnes() {
    assertEquals(Settings.shipped().market().streams("binance"), io.pekkotrader.streams.StreamSettings.defaults());
  }

  @Test
  void theWebSocketClientOfTestsIsTheShippedOne() {
    assertEquals(io.pekkotrader.streams.WebSocketTransport.Kind.DEFAULT, Settings.shipped().market().client());
  }

  @Test
  void thePekkoSettingsThatRepeatOursFollowThem() {
    Config config =
        Settings.loadConfig(
            Map.of(
                "pekko-trader.cluster.port", "7411",
                "pekko-trader.management.port", "7412",
                "pekko-trader.db.max-connections", "3"),
            Map.of(),
            null);

    assertEquals(7411, config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(7412, config.getInt("pekko.management.http.port"));
    assertEquals(3, config.getInt("pekko-persistence-jdbc.shared-databases.trader.db.maxConnections"));
    assertEquals(shipped.getString("pekko-trader.cluster.interface"), shipped.getString("pekko.remote.artery.canonical.hostname"));
  }

  // ---- docs/configuration.md ---------------------------------------------------------------

  /** One documented default: the key (relative to {@code pekko-trader}) and the default as written. */
  private record Documented(String key, String value, String row) {}

  /**
   * Rows whose default is a description rather than a value, each with why. Every other row with a
   * default must state the value.
   */
  private static final Map<String, String> DESCRIBED =
      Map.of(
          "http.api-key", "generated into the data directory when empty",
          "venues.<venue>.ws-url", "the environment table points at the keys table, which lists them",
          "symbols[].quote", "derived from the symbol's name",
          "symbols[].order-notional", "trading.order-notional");

  @Test
  void documentsEveryDefaultAsShipped() throws IOException {
    List<String> disagreements = new ArrayList<>();
    for (Documented documented : documentedDefaults()) {
      ConfigValue value = shipped.getValue("pekko-trader." + documented.key());
      if (!sameValue(value, documented.value())) {
        disagreements.add(
            documented.key() + ": documented " + documented.value() + ", shipped " + value.render() + "  [" + documented.row() + "]");
      }
    }

    assertEquals(List.of(), disagreements, "defaults in " + DOC + " that are not the shipped ones");
  }

  @Test
  void documentsEveryShippedKey() throws IOException {
    Set<String> documented = new TreeSet<>();
    documentedDefaults().forEach(d -> documented.add(d.key()));
    documented.addAll(documentedKeysWithoutDefault());

    Set<String> undocumented = new TreeSet<>(shippedKeys());
    undocumented.removeIf(
        key -> {
          String generic = key.replaceAll("^venues\\.[a-z]+\\.", "venues.<venue>.");
          // a row of a per-asset object (trading.asset-precision) covers its keys
          return documented.contains(key) || documented.contains(generic) || documented.contains(key.substring(0, Math.max(0, key.lastIndexOf('.'))));
        });

    assertEquals(Set.of(), undocumented, "shipped keys without a row in " + DOC);
  }

  private static List<String[]> tableRows() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(DOC)) {
      if (!line.startsWith("| ") || line.startsWith("|---")) {
        continue;
      }
      // cells split on | outside backticks (a rule may hold \| for an absolute value)
      String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).replace("\\|", "¦").split("\\|", -1);
      for (int i = 0; i < cells.length; i++) {
        cells[i] = cells[i].strip();
      }
      if (cells.length == 3 && !cells[2].equals("default")) {
        rows.add(cells);
      }
    }
    return rows;
  }

  /** The keys of a table row's key cell: {@code `a.b.c` / `d`} and {@code `a.b.c`, `.d`} name a.b.c and a.b.d. */
  private static List<String> keysOf(String[] cells) {
    String keyCell = cells[0].startsWith("`TRADER_") ? cells[1] : cells[0];
    List<String> keys = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(keyCell);
    String parent = "";
    while (m.find()) {
      String key = m.group(1).replaceFirst("^pekko-trader\\.", "");
      if (keys.isEmpty() || key.contains(".") && !key.startsWith(".")) {
        parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.') + 1) : "";
        keys.add(key);
      } else {
        keys.add(parent + key.replaceFirst("^\\.", ""));
      }
    }
    return keys;
  }

  private static List<String> documentedKeysWithoutDefault() throws IOException {
    List<String> keys = new ArrayList<>();
    for (String[] cells : tableRows()) {
      for (String key : keysOf(cells)) {
        if (key.endsWith(".*")) {
          String section = key.substring(0, key.length() - 2);
          Matcher m = Pattern.compile("`(TRADER_[A-Z_]+)`").matcher(cells[0]);
          while (m.find()) {
            String variable = Settings.ENVIRONMENT.get(m.group(1));
            if (variable != null && variable.startsWith("pekko-trader." + section + ".")) {
              keys.add(variable.substring("pekko-trader.".length()));
            }
          }
        } else {
          keys.add(key);
        }
      }
    }
    return keys;
  }

  /** Every (key, default) the tables state, one per key and venue. */
  private static List<Documented> documentedDefaults() throws IOException {
    List<Documented> found = new ArrayList<>();
    for (String[] cells : tableRows()) {
      List<String> keys = keysOf(cells);
      String cell = cells[2];
      if (keys.isEmpty() || cell.isEmpty()) {
        continue;
      }
      String row = String.join(" | ", cells);
      if (keys.size() == 1 && DESCRIBED.containsKey(keys.get(0))) {
        continue;
      }
      if (keys.get(0).equals("symbols[]")) {
        found.add(new Documented("symbols", cell, row));
        continue;
      }
      if (keys.get(0).contains("<venue>")) {
        // binance 300 / 5m, bybit 500 / 5m, ...
        for (String perVenue : cell.split(", ")) {
          String venue = perVenue.substring(0, perVenue.indexOf(' '));
          List<String> venueKeys = keys.stream().map(k -> k.replace("<venue>", venue)).toList();
          addEach(found, venueKeys, perVenue.substring(venue.length() + 1).strip(), row);
        }
        continue;
      }
      addEach(found, keys, cell, row);
    }
    return found;
  }

  /** {@code a / b} for two keys; one value for several keys applies to each. */
  private static void addEach(List<Documented> found, List<String> keys, String cell, String row) {
    String value = leadingValue(cell);
    String[] values = keys.size() > 1 && value.contains(" / ") ? value.split(" / ") : null;
    if (values != null) {
      assertEquals(keys.size(), values.length, () -> "as many defaults as keys in [" + row + "]");
    }
    for (int i = 0; i < keys.size(); i++) {
      found.add(new Documented(keys.get(i), values == null ? value : leadingValue(values[i]), row));
    }
  }

  /** The value a default cell starts with: {@code `x`: ...}, {@code 9095: ...}, {@code empty (off); ...}. */
  private static String leadingValue(String cell) {
    String c = cell.strip();
    if (c.startsWith("`")) {
      return c.substring(1, c.indexOf('`', 1));
    }
    if (c.contains(" / ")) {
      return c;
    }
    int end = c.length();
    for (String stop : List.of(": ", ";", " (")) {
      int at = c.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return c.substring(0, end).strip();
  }

  /** Whether the shipped value is the documented one, durations and sizes by their amount, numbers by value. */
  private boolean sameValue(ConfigValue value, String documented) {
    Object raw = value.unwrapped();
    if (documented.equals("empty")) {
      return "".equals(raw) || (raw instanceof List<?> list && list.isEmpty());
    }
    if (value.valueType() == ConfigValueType.LIST && raw instanceof List<?> entries) {
      // symbols: binance:BTCUSDT, binance:ETHUSDT, ...
      List<String> ids = new ArrayList<>();
      for (Object entry : entries) {
        Map<?, ?> fields = (Map<?, ?>) entry;
        ids.add(fields.get("venue") + ":" + fields.get("symbol"));
      }
      return String.join(", ", ids).equals(documented);
    }
    if (value.valueType() == ConfigValueType.OBJECT) {
      Config parsed = ConfigFactory.parseString("v = " + documented).getConfig("v");
      Config actual = ConfigFactory.empty().withValue("v", value).getConfig("v");
      return parsed.root().unwrapped().toString().equals(actual.root().unwrapped().toString());
    }
    if (value.valueType() == ConfigValueType.BOOLEAN) {
      return raw.equals(documented.equals("on") || documented.equals("true"));
    }
    Config both = ConfigFactory.parseString("documented = \"" + documented + "\"").withValue("shipped", value);
    if (documented.matches("\\d+(ns|us|ms|s|m|h|d)")) {
      return both.getDuration("documented").equals(both.getDuration("shipped"));
    }
    if (documented.matches("\\d+(KiB|MiB|GiB|k|M|G)")) {
      return both.getBytes("documented").equals(both.getBytes("shipped"));
    }
    String text = both.getString("shipped");
    if (documented.matches("-?\\d+(\\.\\d+)?") && text.matches("-?\\d+(\\.\\d+)?")) {
      return new BigDecimal(documented).compareTo(new BigDecimal(text)) == 0;
    }
    return documented.equals(text);
  }
}
