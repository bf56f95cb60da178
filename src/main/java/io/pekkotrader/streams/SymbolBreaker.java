package io.pekkotrader.streams;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * One symbol's delivery breaker in the {@link TradeRouter}: whether that symbol's trades are asked
 * for at all. Pure and immutable (no Pekko, no clock: the caller passes the time), so that every
 * decision is tested without actors; the router keeps one per symbol inside its stream stage.
 *
 * <pre>
 *   phase \ event   ACKNOWLEDGED          FAILED                              COOL_OFF_ELAPSED
 *   CLOSED          CLOSED                OPEN, cool-off = initial            rejected: nothing to probe
 *   OPEN            rejected: none sent   rejected: none sent                 HALF_OPEN (the caller sends one probe)
 *                                                                             rejected before the cool-off is over
 *   HALF_OPEN       CLOSED, cool-off      OPEN, cool-off × multiplier,        rejected: one probe at a time
 *                   back to initial       capped at max
 * </pre>
 *
 * {@code ACKNOWLEDGED}: the symbol acknowledged the slice it was asked to take (while closed, or
 * the probe). {@code FAILED}: it did not within the ask timeout, or the ask failed. {@code
 * COOL_OFF_ELAPSED}: a trade arrived after the cool-off, and goes out alone as the probe. While
 * open, and while the probe is out, the symbol's trades are shed: dropped at once and counted,
 * without asking. OPEN never has a slice of its own in flight (the router asks each symbol one
 * slice at a time and only opens the breaker once that slice failed), which is why an outcome
 * while open is rejected rather than ignored silently.
 *
 * @param phase where the breaker is
 * @param coolOffMs the current cool-off: the time OPEN lasts before a probe; grows on every failed probe
 * @param probeAtMs when OPEN, the earliest time of the probe; otherwise 0
 * @param settings the cool-off's start, growth and cap
 */
public record SymbolBreaker(Phase phase, long coolOffMs, long probeAtMs, Settings settings) {

  /** Where a breaker is. */
  public enum Phase {
    /** Every slice is asked for. */
    CLOSED,
    /** Nothing is asked for until {@code probeAtMs}; trades are shed. */
    OPEN,
    /** One probe slice is in flight; other trades are shed until it is answered. */
    HALF_OPEN
  }

  /** What happened to the symbol's delivery. */
  public enum Event {
    ACKNOWLEDGED,
    FAILED,
    COOL_OFF_ELAPSED
  }

  /** What to do with a trade of this symbol now. */
  public enum Admission {
    /** Closed: queue it for the symbol's next slice. */
    DELIVER,
    /** The cool-off is over: send it at once as the probe (after applying {@link Event#COOL_OFF_ELAPSED}). */
    PROBE,
    /** Open, or a probe is out: drop it and count it, without asking. */
    SHED
  }

  /** How a transition reads in a log line or a report. */
  public enum Change {
    /** Closed → open: the symbol stopped answering. */
    OPENED,
    /** Open → half-open: one slice goes out as a probe. */
    PROBING,
    /** Half-open → closed: the probe was acknowledged. */
    RECOVERED,
    /** Half-open → open again, with a longer cool-off. */
    REOPENED,
    /** Closed → closed: nothing changed. */
    NONE
  }

  /**
   * @param initialCoolOff how long the breaker stays open after the first failure
   * @param maxCoolOff the cap of the growing cool-off
   * @param multiplier the cool-off's growth on every failed probe (≥ 1)
   */
  public record Settings(Duration initialCoolOff, Duration maxCoolOff, double multiplier) {
    public Settings {
      if (initialCoolOff.isNegative() || initialCoolOff.isZero() || maxCoolOff.compareTo(initialCoolOff) < 0) {
        throw new IllegalArgumentException("breaker cool-off needs 0 < initial <= max");
      }
      if (!(multiplier >= 1)) {
        throw new IllegalArgumentException("breaker cool-off multiplier must be >= 1");
      }
    }
  }

  /** The outcome of applying an event in a phase. */
  public sealed interface Transition {
    /** The event moves the breaker to {@code next}; {@code change} names the move. */
    record Allowed(SymbolBreaker next, Change change) implements Transition {}

    /** The event is not allowed in that phase (or not yet); nothing changes. */
    record Rejected(String reason) implements Transition {}
  }

  private static final Map<Phase, Map<Event, Change>> TABLE = new EnumMap<>(Phase.class);
  private static final Map<Phase, Map<Event, String>> REJECTED = new EnumMap<>(Phase.class);

  static {
    allow(Phase.CLOSED, Event.ACKNOWLEDGED, Change.NONE);
    allow(Phase.CLOSED, Event.FAILED, Change.OPENED);
    reject(Phase.CLOSED, Event.COOL_OFF_ELAPSED, "closed: there is nothing to probe");

    reject(Phase.OPEN, Event.ACKNOWLEDGED, "open: no slice of this symbol is in flight");
    reject(Phase.OPEN, Event.FAILED, "open: no slice of this symbol is in flight");
    allow(Phase.OPEN, Event.COOL_OFF_ELAPSED, Change.PROBING);

    allow(Phase.HALF_OPEN, Event.ACKNOWLEDGED, Change.RECOVERED);
    allow(Phase.HALF_OPEN, Event.FAILED, Change.REOPENED);
    reject(Phase.HALF_OPEN, Event.COOL_OFF_ELAPSED, "half-open: one probe at a time");

    for (Phase phase : Phase.values()) {
      for (Event event : Event.values()) {
        boolean allowed = TABLE.getOrDefault(phase, Map.of()).containsKey(event);
        boolean rejected = REJECTED.getOrDefault(phase, Map.of()).containsKey(event);
        if (allowed == rejected) {
          throw new IllegalStateException("breaker table: " + phase + " + " + event + " must be allowed or rejected, once");
        }
      }
    }
  }

  private static void allow(Phase phase, Event event, Change change) {
    TABLE.computeIfAbsent(phase, p -> new EnumMap<>(Event.class)).put(event, change);
  }

  private static void reject(Phase phase, Event event, String reason) {
    REJECTED.computeIfAbsent(phase, p -> new EnumMap<>(Event.class)).put(event, reason);
  }

  public SymbolBreaker {
    if (phase == Phase.OPEN ? probeAtMs <= 0 : probeAtMs != 0) {
      throw new IllegalArgumentException("probeAtMs is set exactly when open: " + phase + ", " + probeAtMs);
    }
  }

  /** A closed breaker. */
  public static SymbolBreaker closed(Settings settings) {
    return new SymbolBreaker(Phase.CLOSED, settings.initialCoolOff().toMillis(), 0, settings);
  }

  /** What to do with a trade of this symbol that arrives at {@code nowMs}; changes nothing. */
  public Admission admit(long nowMs) {
    switch (phase) {
      case CLOSED:
        return Admission.DELIVER;
      case OPEN:
        return nowMs >= probeAtMs ? Admission.PROBE : Admission.SHED;
      default:
        return Admission.SHED;
    }
  }

  /** Applies {@code event} at {@code nowMs}: the next breaker, or why the event is not allowed now. */
  public Transition on(Event event, long nowMs) {
    String rejected = REJECTED.getOrDefault(phase, Map.of()).get(event);
    if (rejected != null) {
      return new Transition.Rejected(rejected);
    }
    Change change = TABLE.get(phase).get(event);
    switch (change) {
      case NONE:
        return new Transition.Allowed(this, Change.NONE);
      case OPENED:
        long initial = settings.initialCoolOff().toMillis();
        return new Transition.Allowed(new SymbolBreaker(Phase.OPEN, initial, openUntil(nowMs, initial), settings), change);
      case PROBING:
        if (nowMs < probeAtMs) {
          return new Transition.Rejected("open: the cool-off lasts until " + probeAtMs + " (now " + nowMs + ")");
        }
        return new Transition.Allowed(new SymbolBreaker(Phase.HALF_OPEN, coolOffMs, 0, settings), change);
      case RECOVERED:
        return new Transition.Allowed(closed(settings), change);
      case REOPENED:
        long longer = grown();
        return new Transition.Allowed(new SymbolBreaker(Phase.OPEN, longer, openUntil(nowMs, longer), settings), change);
      default:
        throw new IllegalStateException("unreachable: " + change);
    }
  }

  /** The cool-off after one more failed probe: multiplied, capped. */
  private long grown() {
    long max = settings.maxCoolOff().toMillis();
    double next = coolOffMs * settings.multiplier();
    return next >= max ? max : Math.max(coolOffMs, (long) next);
  }

  /** {@code probeAtMs} must be positive while open, even with a clock that starts at 0. */
  private static long openUntil(long nowMs, long coolOffMs) {
    return Math.max(1, nowMs + coolOffMs);
  }
}
