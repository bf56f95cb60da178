package io.pekkotrader.metrics;

import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.risk.Refusal;
import io.pekkotrader.domain.risk.RiskCheck;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kamon.Kamon;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;

/**
 * The trading catalogue: every metric the engine defines, named once here, with its type, labels
 * and meaning (docs/metrics.md). Counters and histograms are recorded where the thing happens,
 * one call each; the gauges are set by {@code app.MetricsSampler} from the actors' state and kept,
 * sign included, in {@link CatalogueGauges} (Kamon's own gauge drops a negative value).
 *
 * <p>Names are the Prometheus names: Kamon exports a counter, gauge or histogram under the name
 * given here unchanged (it adds {@code _total} or {@code _seconds} only when missing). Labels
 * have a bounded set of values: the configured venues, and reason codes from fixed lists
 * (anything else is counted as {@code other}). Money is exact everywhere in the engine; a gauge
 * of money is converted to a {@code double} here, at the metric boundary, and nowhere else.
 *
 * <p>Without {@link MetricsRuntime} (other commands, unit tests, {@code run} with metrics off)
 * every recording method returns at once without touching Kamon.
 */
public final class TradingMetrics {
  private TradingMetrics() {}

  /** A Prometheus metric type. */
  public enum Type {
    COUNTER,
    GAUGE,
    HISTOGRAM;

    /** As Prometheus writes it in {@code # TYPE}. */
    public String prometheus() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One metric of the catalogue: its exported name, type, labels and what it means. */
  public record Definition(String name, Type type, List<String> labels, String help) {}

  private static final List<Definition> DEFINITIONS = new ArrayList<>();

  /** The {@code venue} label: a configured venue ({@code binance}, {@code bybit}, {@code kraken}). */
  public static final String VENUE = "venue";
  /** The {@code reason} label: a reason code from a fixed list, else {@code other}. */
  public static final String REASON = "reason";

  public static final Definition WS_CONNECTED =
      define("ws_connected", Type.GAUGE, "1 while the venue's market-data WebSocket is connected, else 0", VENUE);
  public static final Definition WS_LAST_MESSAGE_AGE =
      define("ws_last_message_age_seconds", Type.GAUGE, "Seconds since the venue's last market-data frame (-1 before the first)", VENUE);
  public static final Definition WS_RECONNECTS =
      define("ws_reconnects_total", Type.COUNTER, "Market-data connection attempts after the first", VENUE);
  public static final Definition WS_CONNECTION_ATTEMPTS =
      define("ws_connection_attempts", Type.GAUGE, "Connection attempts within the venue's sliding connection-budget window", VENUE);
  public static final Definition WS_MALFORMED_FRAMES =
      define("ws_malformed_frames_total", Type.COUNTER, "Market-data frames that could not be decoded (counted and dropped)", VENUE);
  public static final Definition WS_TRADES_SHED =
      define("ws_trades_shed_total", Type.COUNTER,
          "Trades dropped without delivery because their symbol's delivery breaker was open (the symbol stopped answering)", VENUE);
  public static final Definition WS_SYMBOLS_SHEDDING =
      define("ws_symbols_shedding", Type.GAUGE, "Symbols whose delivery breaker is open or probing: their trades are being shed", VENUE);
  public static final Definition BREAKER_STATE =
      define("breaker_state", Type.GAUGE, "The venue's circuit breaker: 1 open (orders rejected), 0 closed", VENUE);
  public static final Definition ORDERS_SUBMITTED =
      define("orders_submitted_total", Type.COUNTER, "Orders sent to a venue after risk approved their intent");
  public static final Definition ORDERS_REJECTED =
      define("orders_rejected_total", Type.COUNTER, "Orders the venue ended without a fill: rejected, expired, or unknown to it", REASON);
  public static final Definition TRADE_REJECTS =
      define("trade_rejects_total", Type.COUNTER, "Intents the risk manager rejected, by reason code (the audit trail's)", REASON);
  public static final Definition KILLSWITCH_ENGAGED =
      define("killswitch_engaged", Type.GAUGE, "1 while the kill switch is engaged (entries rejected), else 0");
  public static final Definition DAILY_PNL =
      define("daily_pnl", Type.GAUGE, "Equity now minus equity at the start of the trading day, in the quote asset");
  public static final Definition EQUITY =
      define("equity", Type.GAUGE, "Cash plus the market value of every position, in the quote asset");
  public static final Definition DRAWDOWN =
      define("drawdown", Type.GAUGE, "Fall of equity from its peak, as a fraction of the peak (0 at the peak)");
  public static final Definition POSITIONS_OPEN = define("positions_open", Type.GAUGE, "Positions held");
  public static final Definition TICK_TO_DECISION =
      define(
          "tick_to_decision_seconds",
          Type.HISTOGRAM,
          "From SymbolTrader's receipt of the trade that closed a candle, or from the candle's end when its clock closed it, to the strategy's decision on it");
  public static final Definition PERSIST_LATENCY =
      define("persist_latency_seconds", Type.HISTOGRAM, "From issuing a persist of the order path to its callback", "actor");
  public static final Definition RECONCILIATION_MISMATCHES =
      define(
          "reconciliation_mismatches_total",
          Type.COUNTER,
          "Differences found when a working order was reconciled with the venue: missing fills, unknown orders",
          "kind");

  /** Every metric of the catalogue, in the order of docs/metrics.md. */
  public static final List<Definition> CATALOGUE = Collections.unmodifiableList(DEFINITIONS);

  /** Values of the {@code actor} label of {@link #PERSIST_LATENCY}. */
  public static final String SYMBOL_TRADER = "symbol_trader";

  public static final String RISK_MANAGER = "risk_manager";

  public static final String PORTFOLIO = "portfolio";

  /** Values of the {@code kind} label of {@link #RECONCILIATION_MISMATCHES}. */
  public static final String MISSING_FILL = "missing_fill";

  public static final String UNKNOWN_ORDER = "unknown_order";

  /** A reason outside the fixed lists. */
  public static final String OTHER = "other";

  /**
   * Risk's reason codes: every check's, and Portfolio's refusals of a reservation (see
   * {@code RiskManager.Decision}).
   */
  public static final Set<String> RISK_REASONS = riskReasons();

  /** Why an order ended without a fill, from its final status. */
  public static final Set<String> ORDER_REJECT_REASONS =
      Set.of(reason(OrderStatus.REJECTED), reason(OrderStatus.EXPIRED), reason(OrderStatus.UNKNOWN));

  /**
   * The Kamon instruments, created when this class is first used after {@link #export()}: before
   * that (other commands, unit tests) every recording method returns at once and Kamon is never
   * touched, so no actor thread pays for loading it.
   */
  private static final class Instruments {
    static final Metric.Counter ORDERS_SUBMITTED_COUNTER = Kamon.counter(ORDERS_SUBMITTED.name(), ORDERS_SUBMITTED.help());
    static final Metric.Counter ORDERS_REJECTED_COUNTER = Kamon.counter(ORDERS_REJECTED.name(), ORDERS_REJECTED.help());
    static final Metric.Counter TRADE_REJECTS_COUNTER = Kamon.counter(TRADE_REJECTS.name(), TRADE_REJECTS.help());
    static final Metric.Counter WS_RECONNECTS_COUNTER = Kamon.counter(WS_RECONNECTS.name(), WS_RECONNECTS.help());
    static final Metric.Counter WS_MALFORMED_COUNTER = Kamon.counter(WS_MALFORMED_FRAMES.name(), WS_MALFORMED_FRAMES.help());
    static final Metric.Counter WS_TRADES_SHED_COUNTER = Kamon.counter(WS_TRADES_SHED.name(), WS_TRADES_SHED.help());
    static final Metric.Counter RECONCILIATION_COUNTER =
        Kamon.counter(RECONCILIATION_MISMATCHES.name(), RECONCILIATION_MISMATCHES.help());
    static final Metric.Histogram TICK_TO_DECISION_HISTOGRAM =
        Kamon.histogram(TICK_TO_DECISION.name(), TICK_TO_DECISION.help(), MeasurementUnit.time().nanoseconds());
    static final Metric.Histogram PERSIST_LATENCY_HISTOGRAM =
        Kamon.histogram(PERSIST_LATENCY.name(), PERSIST_LATENCY.help(), MeasurementUnit.time().nanoseconds());

    private Instruments() {}
  }

  /**
   * The catalogue's gauges, held outside Kamon: Kamon's own gauge ignores a negative value (see
   * {@link CatalogueGauges}).
   */
  static final CatalogueGauges GAUGES =
      new CatalogueGauges(DEFINITIONS.stream().filter(definition -> definition.type() == Type.GAUGE).toList());

  private static volatile boolean exporting;

  /** From now on the instruments record (called by {@link MetricsRuntime} once Kamon runs). */
  static void export() {
    exporting = true;
  }

  /** From now on nothing is recorded (called by {@link MetricsRuntime} as Kamon stops). */
  static void stopExporting() {
    exporting = false;
  }

  // ---- counters and histograms: where the thing happens -------------------------------------

  /** An order was sent to its venue. */
  public static void orderSubmitted() {
    if (exporting) {
      Instruments.ORDERS_SUBMITTED_COUNTER.withoutTags().increment();
    }
  }

  /** A working order ended with {@code status}; counted when that means it ended without a fill. */
  public static void orderEnded(OrderStatus status) {
    String reason = reason(status);
    if (exporting && ORDER_REJECT_REASONS.contains(reason)) {
      Instruments.ORDERS_REJECTED_COUNTER.withTag(REASON, reason).increment();
    }
  }

  /** Risk recorded a decision; a rejection is counted under its reason code. */
  public static void riskDecided(boolean approved, String reasonCode) {
    if (exporting && !approved) {
      Instruments.TRADE_REJECTS_COUNTER.withTag(REASON, RISK_REASONS.contains(reasonCode) ? reasonCode : OTHER).increment();
    }
  }

  /** A venue's market data is connecting again (an attempt after the first). */
  public static void reconnecting(String venue) {
    if (exporting) {
      Instruments.WS_RECONNECTS_COUNTER.withTag(VENUE, venue).increment();
    }
  }

  /** A venue sent {@code count} frames that could not be decoded. */
  public static void malformedFrames(String venue, long count) {
    if (exporting && count > 0) {
      Instruments.WS_MALFORMED_COUNTER.withTag(VENUE, venue).increment(count);
    }
  }

  /** The trade router of a venue's stream shed {@code count} trades of symbols that stopped answering. */
  public static void tradesShed(String venue, long count) {
    if (exporting && count > 0) {
      Instruments.WS_TRADES_SHED_COUNTER.withTag(VENUE, venue).increment(count);
    }
  }

  /** Reconciliation with the venue found {@code count} differences of {@code kind}. */
  public static void reconciliationMismatches(String kind, long count) {
    if (exporting && count > 0) {
      Instruments.RECONCILIATION_COUNTER.withTag("kind", kind).increment(count);
    }
  }

  /** A strategy decided on a candle closed by a trade received at {@code receivedNanos} ({@link System#nanoTime()}). */
  public static void decided(long receivedNanos) {
    if (exporting) {
      Instruments.TICK_TO_DECISION_HISTOGRAM.withoutTags().record(Math.max(0, System.nanoTime() - receivedNanos));
    }
  }

  /**
   * Starts timing a persist of {@code actor}: pass the result to the effect's {@code thenRun},
   * which runs it once the events are stored.
   */
  public static org.apache.pekko.japi.function.Effect persistTimer(String actor) {
    if (!exporting) {
      return NOTHING;
    }
    long started = System.nanoTime();
    return () -> Instruments.PERSIST_LATENCY_HISTOGRAM.withTag("actor", actor).record(Math.max(0, System.nanoTime() - started));
  }

  /** The persist timer while nothing is exported. */
  static final org.apache.pekko.japi.function.Effect NOTHING = () -> {};

  // ---- gauges: set by the sampler ------------------------------------------------------------

  /** A venue's market-data connection as last sampled; {@code lastMessageAgeMs} is -1 before the first frame. */
  public static void venue(String venue, boolean connected, long lastMessageAgeMs, int attemptsInWindow, long symbolsShedding) {
    if (exporting) {
      GAUGES.set(WS_SYMBOLS_SHEDDING, VENUE, venue, symbolsShedding);
      GAUGES.set(WS_CONNECTED, VENUE, venue, connected ? 1 : 0);
      GAUGES.set(WS_LAST_MESSAGE_AGE, VENUE, venue, lastMessageAgeMs < 0 ? -1 : lastMessageAgeMs / 1000.0);
      GAUGES.set(WS_CONNECTION_ATTEMPTS, VENUE, venue, attemptsInWindow);
    }
  }

  /** A venue's circuit breaker. */
  public static void breaker(String venue, boolean open) {
    if (exporting) {
      GAUGES.set(BREAKER_STATE, VENUE, venue, open ? 1 : 0);
    }
  }

  /** The kill switch. */
  public static void killSwitch(boolean engaged) {
    if (exporting) {
      GAUGES.set(KILLSWITCH_ENGAGED, engaged ? 1 : 0);
    }
  }

  /**
   * The portfolio's figures, signs kept (a loss is a negative {@code dailyPnl}); the decimals
   * become doubles here, for the metric only.
   */
  public static void portfolio(BigDecimal equity, BigDecimal dailyPnl, BigDecimal drawdown, int positionsOpen) {
    if (exporting) {
      GAUGES.set(EQUITY, equity.doubleValue());
      GAUGES.set(DAILY_PNL, dailyPnl.doubleValue());
      GAUGES.set(DRAWDOWN, drawdown.doubleValue());
      GAUGES.set(POSITIONS_OPEN, positionsOpen);
    }
  }

  // ---- registration --------------------------------------------------------------------------

  /**
   * Creates every unlabelled instrument and every counter series of a fixed reason, at zero, so
   * that the catalogue is complete from the first scrape and {@code rate()} starts from zero.
   */
  static void registerAll() {
    Instruments.ORDERS_SUBMITTED_COUNTER.withoutTags();
    ORDER_REJECT_REASONS.forEach(reason -> Instruments.ORDERS_REJECTED_COUNTER.withTag(REASON, reason));
    RISK_REASONS.forEach(reason -> Instruments.TRADE_REJECTS_COUNTER.withTag(REASON, reason));
    Instruments.TRADE_REJECTS_COUNTER.withTag(REASON, OTHER);
    Instruments.RECONCILIATION_COUNTER.withTag("kind", MISSING_FILL);
    Instruments.RECONCILIATION_COUNTER.withTag("kind", UNKNOWN_ORDER);
    Instruments.TICK_TO_DECISION_HISTOGRAM.withoutTags();
    Instruments.PERSIST_LATENCY_HISTOGRAM.withTag("actor", SYMBOL_TRADER);
    Instruments.PERSIST_LATENCY_HISTOGRAM.withTag("actor", RISK_MANAGER);
    Instruments.PERSIST_LATENCY_HISTOGRAM.withTag("actor", PORTFOLIO);
  }

  /** Creates a venue's counter series at zero. */
  public static void registerVenue(String venue) {
    if (exporting) {
      Instruments.WS_RECONNECTS_COUNTER.withTag(VENUE, venue);
      Instruments.WS_MALFORMED_COUNTER.withTag(VENUE, venue);
      Instruments.WS_TRADES_SHED_COUNTER.withTag(VENUE, venue);
    }
  }

  private static Definition define(String name, Type type, String help, String... labels) {
    Definition definition = new Definition(name, type, List.of(labels), help);
    DEFINITIONS.add(definition);
    return definition;
  }

  private static String reason(OrderStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static Set<String> riskReasons() {
    Set<String> reasons = new LinkedHashSet<>();
    for (RiskCheck check : RiskCheck.values()) {
      reasons.add(check.code());
    }
    // Portfolio's and RiskManager's own refusals (max_open_positions, Portfolio's too, is a RiskCheck's)
    for (Refusal refusal : Refusal.values()) {
      reasons.add(refusal.code());
    }
    return Collections.unmodifiableSet(reasons);
  }
}
