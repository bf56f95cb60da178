package io.pekkotrader.exchange.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The faults the exchange simulator injects, parsed from a one-line spec such as
 * {@code drop=2s,garbage=5%,truncate=0.01,stall=10s@30s,refuse=5s,latency=20ms,overlap=20}.
 *
 * <pre>
 * spec     := "" | "none" | item ("," item)*          each name at most once, spaces ignored
 * item     := "drop=" DURATION                        close every connection DURATION after it opened
 *           | "garbage=" FRACTION                     before that fraction of data frames, send one extra frame of non-JSON garbage
 *           | "truncate=" FRACTION                    cut that fraction of data frames short (their trade is lost)
 *           | "stall=" DURATION ["@" DURATION]        send no data to any connection for DURATION, starting OFFSET after the spec is applied
 *           | "refuse=" DURATION ["@" DURATION]       answer WebSocket upgrades with HTTP 503 for DURATION, from OFFSET
 *           | "latency=" DURATION                     delay every frame by DURATION
 *           | "overlap=" COUNT                        on every new subscription, first re-send the last COUNT trades of each symbol
 * DURATION := integer ("ms" | "s" | "m")              e.g. 250ms, 2s, 1m
 * FRACTION := decimal in [0, 1] | decimal "%"         e.g. 0.05 or 5%
 * COUNT    := integer in [0, 1000]
 * </pre>
 *
 * Data frames are trades (generated or replayed) and heartbeats; subscription acks and pongs are
 * never corrupted. Windows ({@code stall}, {@code refuse}) are measured from the moment the spec
 * is applied (start-up, or {@code POST /admin/faults}). An invalid spec is rejected whole with an
 * {@link IllegalArgumentException} whose message names the bad item and the rule.
 *
 * @param dropAfter connection lifetime before it is dropped; zero = never
 * @param garbage probability of an extra garbage frame before a data frame, in [0, 1]
 * @param truncate probability that a data frame is cut short, in [0, 1]
 * @param stall no-data window, or null
 * @param refuse refused-upgrade window, or null
 * @param latency added delay per frame; zero = none
 * @param overlap trades per symbol re-sent on every new subscription
 */
public record FaultSpec(
    Duration dropAfter, double garbage, double truncate, Window stall, Window refuse, Duration latency, int overlap) {

  /** No faults at all. */
  public static final FaultSpec NONE = new FaultSpec(Duration.ZERO, 0, 0, null, null, Duration.ZERO, 0);

  /** The names a spec may use, in the order {@link #toString()} writes them. */
  public static final List<String> NAMES = List.of("drop", "garbage", "truncate", "stall", "refuse", "latency", "overlap");

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");
  private static final int MAX_OVERLAP = 1_000;

  /** A time window: starts {@code offset} after the spec is applied and lasts {@code length}. */
  public record Window(Duration offset, Duration length) {
    /** Whether the window covers {@code nowMs} for a spec applied at {@code appliedAtMs}. */
    public boolean covers(long appliedAtMs, long nowMs) {
      long start = appliedAtMs + offset.toMillis();
      return nowMs >= start && nowMs < start + length.toMillis();
    }

    @Override
    public String toString() {
      return offset.isZero() ? render(length) : render(length) + "@" + render(offset);
    }
  }

  public FaultSpec {
    if (dropAfter == null || latency == null || dropAfter.isNegative() || latency.isNegative()) {
      throw new IllegalArgumentException("drop and latency must be durations >= 0");
    }
    if (!(garbage >= 0 && garbage <= 1 && truncate >= 0 && truncate <= 1)) {
      throw new IllegalArgumentException("garbage and truncate must be fractions in [0, 1]");
    }
    if (overlap < 0 || overlap > MAX_OVERLAP) {
      throw new IllegalArgumentException("overlap must be in [0, " + MAX_OVERLAP + "]");
    }
  }

  /** Parses a spec; throws {@link IllegalArgumentException} naming the first bad item and its rule. */
  public static FaultSpec parse(String spec) {
    String text = spec == null ? "" : spec.replace(" ", "").replace("\t", "");
    if (text.isEmpty() || text.equalsIgnoreCase("none")) {
      return NONE;
    }
    Duration drop = Duration.ZERO;
    double garbage = 0;
    double truncate = 0;
    Window stall = null;
    Window refuse = null;
    Duration latency = Duration.ZERO;
    int overlap = 0;
    Set<String> seen = new HashSet<>();
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw bad(item, "is empty: items are name=value separated by single commas");
      }
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw bad(item, "must be name=value, one of " + NAMES);
      }
      String name = item.substring(0, eq).toLowerCase(Locale.ROOT);
      String value = item.substring(eq + 1);
      if (!NAMES.contains(name)) {
        throw bad(item, "is not a known fault; known: " + NAMES);
      }
      if (!seen.add(name)) {
        throw bad(item, "repeats " + name + ": give each fault at most once");
      }
      switch (name) {
        case "drop" -> drop = positiveDuration(item, name, value);
        case "garbage" -> garbage = fraction(item, name, value);
        case "truncate" -> truncate = fraction(item, name, value);
        case "stall" -> stall = window(item, name, value);
        case "refuse" -> refuse = window(item, name, value);
        case "latency" -> latency = positiveDuration(item, name, value);
        default -> overlap = count(item, name, value);
      }
    }
    if (garbage + truncate > 1) {
      throw new IllegalArgumentException(
          "fault spec \"" + spec + "\": garbage + truncate must not exceed 1 (100%), got " + (garbage + truncate));
    }
    return new FaultSpec(drop, garbage, truncate, stall, refuse, latency, overlap);
  }

  /** Whether data is withheld at {@code nowMs}. */
  public boolean stalledAt(long appliedAtMs, long nowMs) {
    return stall != null && stall.covers(appliedAtMs, nowMs);
  }

  /** Whether new connections are refused at {@code nowMs}. */
  public boolean refusingAt(long appliedAtMs, long nowMs) {
    return refuse != null && refuse.covers(appliedAtMs, nowMs);
  }

  /** The canonical spec: parsing it gives this spec back; {@code none} when there is no fault. */
  @Override
  public String toString() {
    List<String> items = new ArrayList<>();
    if (!dropAfter.isZero()) {
      items.add("drop=" + render(dropAfter));
    }
    if (garbage > 0) {
      items.add("garbage=" + fractionText(garbage));
    }
    if (truncate > 0) {
      items.add("truncate=" + fractionText(truncate));
    }
    if (stall != null) {
      items.add("stall=" + stall);
    }
    if (refuse != null) {
      items.add("refuse=" + refuse);
    }
    if (!latency.isZero()) {
      items.add("latency=" + render(latency));
    }
    if (overlap > 0) {
      items.add("overlap=" + overlap);
    }
    return items.isEmpty() ? "none" : String.join(",", items);
  }

  private static IllegalArgumentException bad(String item, String rule) {
    return new IllegalArgumentException("fault \"" + item + "\" " + rule);
  }

  private static IllegalArgumentException badValue(String item, String rule) {
    return new IllegalArgumentException("fault \"" + item + "\": " + rule);
  }

  private static Duration positiveDuration(String item, String name, String value) {
    Duration duration = duration(value);
    if (duration == null || duration.isZero()) {
      throw badValue(item, name + " must be a duration > 0 such as 250ms, 2s or 1m");
    }
    return duration;
  }

  private static Window window(String item, String name, String value) {
    int at = value.indexOf('@');
    Duration length = duration(at < 0 ? value : value.substring(0, at));
    Duration offset = at < 0 ? Duration.ZERO : duration(value.substring(at + 1));
    if (length == null || length.isZero() || offset == null) {
      throw badValue(item, name + " must be DURATION or DURATION@OFFSET such as 10s or 10s@30s (durations in ms, s or m, length > 0)");
    }
    return new Window(offset, length);
  }

  private static double fraction(String item, String name, String value) {
    boolean percent = value.endsWith("%");
    BigDecimal number;
    try {
      number = new BigDecimal(percent ? value.substring(0, value.length() - 1) : value);
    } catch (NumberFormatException e) {
      number = null;
    }
    if (number != null && percent) {
      number = number.movePointLeft(2);
    }
    if (number == null || number.signum() < 0 || number.compareTo(BigDecimal.ONE) > 0) {
      throw badValue(item, name + " must be a fraction in [0, 1] or a percentage in [0%, 100%], such as 0.05 or 5%");
    }
    return number.doubleValue();
  }

  private static int count(String item, String name, String value) {
    if (!value.matches("\\d{1,4}") || Integer.parseInt(value) > MAX_OVERLAP) {
      throw badValue(item, name + " must be a whole number of trades in [0, " + MAX_OVERLAP + "]");
    }
    return Integer.parseInt(value);
  }

  private static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      default:
        return Duration.ofMinutes(amount);
    }
  }

  private static String render(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String fractionText(double fraction) {
    return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
  }
}
