package io.pekkotrader.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.AssetPrecisions;
import io.pekkotrader.domain.Backoff;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.QuoteAssets;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.exchange.simulator.FaultSpec;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.domain.risk.VenueFilters;
import io.pekkotrader.metrics.MetricsSettings;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.strategy.InvalidStrategyParameter;
import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.strategy.StrategyDescriptor;
import io.pekkotrader.strategy.StrategyParam;
import io.pekkotrader.strategy.VolatilityBreakout;
import io.pekkotrader.streams.StreamSettings;
import io.pekkotrader.streams.SymbolBreaker;
import io.pekkotrader.streams.TradeRouter;
import io.pekkotrader.streams.WebSocketTransport;
import io.pekkotrader.streams.venue.VenueDialects;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's configuration, typed and validated, read once at start from the
 * {@code pekko-trader} namespace. Nothing reads config anywhere else.
 */
public record Settings(
    Path dataDir,
    String mode,
    Market market,
    List<SymbolListing> symbols,
    Trading trading,
    Map<String, Map<String, String>> strategies,
    Paper paper,
    Risk risk,
    Audit audit,
    Alerts alerts,
    Http http,
    Endpoint management,
    MetricsSettings metrics,
    Cluster cluster,
    Db db,
    Logging logging,
    VenueCredentials binance) {

  /** The configured parameters of strategy {@code name} (every parameter, as written). */
  public Map<String, String> strategyParams(String name) {
    Map<String, String> params = strategies.get(name);
    if (params == null) {
      throw new IllegalArgumentException("unknown strategy '" + name + "', known: " + strategies.keySet());
    }
    return params;
  }

  /** The strategy called {@code name} with its configured parameters. */
  public Strategy strategy(String name) {
    return Strategies.create(name, strategyParams(name));
  }

  /**
   * The strategy called {@code name} with its configured parameters, {@code overrides} (such as
   * {@code --param} values) taking their place; an unknown parameter or a value out of range throws
   * {@link InvalidStrategyParameter}.
   */
  public Strategy strategy(String name, Map<String, String> overrides) {
    Map<String, String> params = new java.util.LinkedHashMap<>(strategyParams(name));
    params.putAll(overrides);
    return Strategies.create(name, params);
  }

  /**
   * Where market data comes from: {@code simulator} (an embedded exchange simulator per venue, on
   * loopback, speaking that venue's dialect), {@code none}, or a comma list of real venues.
   * {@code streams} holds the backoff, watchdog and de-duplication of every connection, {@code
   * client} its WebSocket client, {@code router} how its trades reach their symbols (slices,
   * lanes, the delivery breakers' cool-off); each venue's connection budget and URL are in {@code
   * venues}.
   */
  public record Market(
      String source,
      long seed,
      int tradesPerSecond,
      BigDecimal stepBps,
      String simulatorFaults,
      Duration simulatorTick,
      StreamSettings streams,
      WebSocketTransport.Kind client,
      TradeRouter.Settings router,
      Map<String, VenueEndpoint> venues) {
    public boolean enabled() {
      return !"none".equals(source);
    }

    /** Whether the venues are the embedded simulators (the default). */
    public boolean simulated() {
      return SIMULATOR_SOURCE.equals(source);
    }

    /** One venue connection's stream settings: the common ones with the venue's budget. */
    public StreamSettings streams(String venue) {
      VenueEndpoint endpoint = venues.get(venue);
      return streams.withBudget(endpoint.connectionBudget(), endpoint.budgetWindow());
    }
  }

  /** A venue's public market-data endpoint and its connection budget (attempts per sliding window). */
  public record VenueEndpoint(String wsUrl, int connectionBudget, Duration budgetWindow) {}

  /**
   * Sizing, candles, cooldown, snapshots. {@code quoteAsset} is the account asset (risk and
   * reporting count in it), {@code startingCash} its starting cash; {@code startingCashByAsset}
   * holds every cash asset's, the account asset's included. {@code assetPrecisions}: the decimals
   * and rounding each asset's fees and quote amounts are booked at, as the venue books them.
   */
  public record Trading(
      String quoteAsset,
      BigDecimal startingCash,
      Map<String, BigDecimal> startingCashByAsset,
      BigDecimal orderNotional,
      Duration candleInterval,
      int candleHistory,
      Duration cooldown,
      int snapshotEvery,
      int keepSnapshots,
      Duration askTimeout,
      AssetPrecisions assetPrecisions,
      Duration equitySampleInterval) {}

  /** Paper execution. */
  public record Paper(BigDecimal feeRate, BigDecimal slippageBps, int partialFills, Duration fillDelay, BigDecimal priceBuffer) {
    /** The fill model of a symbol with this lot step, charging fees at its quote asset's {@code feePrecision}. */
    public PaperFillModel fillModel(BigDecimal lotStep, AssetPrecision feePrecision) {
      return new PaperFillModel(feeRate, slippageBps, partialFills, lotStep, feePrecision);
    }
  }

  /**
   * Pre-trade risk: the limits (see {@link RiskLimits}), when a trading day starts, the
   * cooldown after an exit, when stale market data opens a venue's circuit breaker, how often
   * the limits are watched, and the venue filters every symbol gets (its lot step from the
   * symbol's settings).
   */
  public record Risk(
      RiskLimits limits,
      TradingDay tradingDay,
      Duration cooldownAfterExit,
      Duration breakerStaleAfter,
      Duration watchInterval,
      BigDecimal minNotional,
      BigDecimal tickSize) {
    /** The venue filters of a symbol with this lot step. */
    public VenueFilters filters(BigDecimal lotStep) {
      return new VenueFilters(minNotional, lotStep, lotStep, tickSize);
    }
  }

  /** The audit trail file: rotated at {@code maxFileBytes}, gzip-compressed, {@code maxFiles} rotated files kept. */
  public record Audit(long maxFileBytes, int maxFiles) {}

  /** Alert channels (empty address = off) and delivery retries. The bot token is never printed. */
  public record Alerts(
      String webhookUrl, String telegramApiUrl, String telegramBotToken, String telegramChatId, int maxAttempts, Backoff backoff) {
    public boolean telegramEnabled() {
      return !telegramBotToken.isEmpty();
    }

    @Override
    public String toString() {
      return "Alerts[webhook=" + (webhookUrl.isEmpty() ? "off" : "on") + ", telegram=" + (telegramEnabled() ? "on" : "off")
          + ", maxAttempts=" + maxAttempts + ", backoff=" + backoff + "]";
    }
  }

  /**
   * The control API. {@code apiKey} is empty when it must come from the key file. A client
   * address keeps at most {@code maxConnectionsPerClient} connections open; a connection whose
   * next request's headers have not arrived {@code headerTimeout} after it opened (or after its
   * previous response) is closed; the API key holds at most {@code maxEventStreams} event streams.
   */
  public record Http(
      String iface,
      int port,
      String apiKey,
      boolean behindTlsTerminator,
      int ratePerSecond,
      int rateBurst,
      int maxConnectionsPerClient,
      Duration headerTimeout,
      int maxEventStreams) {
    /** Whether the control API listens only on the loopback interface. */
    public boolean loopbackOnly() {
      return iface.equals("127.0.0.1") || iface.equals("localhost") || iface.equals("::1");
    }

    @Override
    public String toString() {
      return "Http[iface=" + iface + ", port=" + port + ", apiKey=" + (apiKey.isEmpty() ? "<unset>" : "<set>") + "]";
    }
  }

  /** A host and port to bind. */
  public record Endpoint(String iface, int port) {}

  /** Artery binding and seed nodes (empty: join itself). */
  public record Cluster(String iface, int port, List<String> seedNodes) {}

  /** The journal database. */
  public record Db(String kind, String url, String user, String password, int maxConnections) {
    @Override
    public String toString() {
      return "Db[kind=" + kind + ", url=" + url + ", user=" + user + ", password=<hidden>]";
    }
  }

  /**
   * The engine's JSON-lines log file {@code <data-dir>/logs/engine.jsonl} (written by {@code run}
   * only, when {@code file} is on): rotated into gzip files beyond {@code maxFileBytes}, of which
   * {@code maxFiles} are kept.
   */
  public record Logging(boolean file, long maxFileBytes, int maxFiles) {
    /** Logback's fixed-window rolling keeps at most this many rotated files. */
    public static final int MAX_FILES = 20;
  }

  /** A venue's API key and secret (both empty: none). Never printed. */
  public record VenueCredentials(String apiKey, String apiSecret) {
    public boolean present() {
      return !apiKey.isEmpty();
    }

    @Override
    public String toString() {
      return "VenueCredentials[" + (present() ? "<set>" : "<unset>") + "]";
    }
  }

  /** {@code market.source} for the embedded exchange simulators. */
  public static final String SIMULATOR_SOURCE = "simulator";

  /** The venues whose market data the engine reads (each has a dialect and a simulator). */
  public static final List<String> VENUES = List.of("binance", "bybit", "kraken");

  /** Environment variables and the config key each overrides. */
  public static final Map<String, String> ENVIRONMENT =
      Map.ofEntries(
          Map.entry("TRADER_DATA_DIR", "pekko-trader.data-dir"),
          Map.entry("TRADER_HTTP_PORT", "pekko-trader.http.port"),
          Map.entry("TRADER_API_KEY", "pekko-trader.http.api-key"),
          Map.entry("TRADER_MANAGEMENT_PORT", "pekko-trader.management.port"),
          Map.entry("TRADER_METRICS_PORT", "pekko-trader.metrics.port"),
          Map.entry("TRADER_NODE_PORT", "pekko-trader.cluster.port"),
          Map.entry("TRADER_SEED_NODES", "pekko-trader.cluster.seed-nodes"),
          Map.entry("TRADER_DB", "pekko-trader.db.kind"),
          Map.entry("TRADER_DB_URL", "pekko-trader.db.url"),
          Map.entry("TRADER_DB_USER", "pekko-trader.db.user"),
          Map.entry("TRADER_DB_PASSWORD", "pekko-trader.db.password"),
          Map.entry("TRADER_MARKET", "pekko-trader.market.source"),
          Map.entry("TRADER_BINANCE_WS_URL", "pekko-trader.venues.binance.ws-url"),
          Map.entry("TRADER_BYBIT_WS_URL", "pekko-trader.venues.bybit.ws-url"),
          Map.entry("TRADER_KRAKEN_WS_URL", "pekko-trader.venues.kraken.ws-url"),
          Map.entry("TRADER_ALERT_WEBHOOK_URL", "pekko-trader.alerts.webhook.url"),
          Map.entry("TRADER_TELEGRAM_BOT_TOKEN", "pekko-trader.alerts.telegram.bot-token"),
          Map.entry("TRADER_TELEGRAM_CHAT_ID", "pekko-trader.alerts.telegram.chat-id"),
          Map.entry("TRADER_BINANCE_API_KEY", "pekko-trader.venues.binance.api-key"),
          Map.entry("TRADER_BINANCE_API_SECRET", "pekko-trader.venues.binance.api-secret"));

  /**
   * Builds the whole configuration: {@code flags} over the {@code TRADER_*} variables in
   * {@code env} over {@code configFile} (may be null) over {@code application.conf} over the
   * libraries' reference configs.
   */
  public static Config loadConfig(Map<String, String> flags, Map<String, String> env, Path configFile) {
    Config fromFlags = ConfigFactory.parseMap(flags, "command-line flags");
    Config fromEnv = ConfigFactory.empty("environment");
    for (Map.Entry<String, String> entry : ENVIRONMENT.entrySet()) {
      String value = env.get(entry.getKey());
      if (value != null) {
        Object typed = entry.getKey().equals("TRADER_SEED_NODES") ? splitList(value) : value;
        fromEnv = fromEnv.withValue(entry.getValue(), ConfigValueFactory.fromAnyRef(typed, "environment " + entry.getKey()));
      }
    }
    Config fromFile = ConfigFactory.empty();
    if (configFile != null) {
      if (!configFile.toFile().isFile()) {
        throw new SettingsException(List.of("--config file " + configFile + " does not exist or is not a file"));
      }
      try {
        fromFile = ConfigFactory.parseFile(configFile.toFile());
      } catch (com.typesafe.config.ConfigException e) {
        throw new SettingsException(List.of("--config file " + configFile + " cannot be parsed: " + e.getMessage()));
      }
    }
    Config layered = fromFlags.withFallback(fromEnv).withFallback(fromFile).withFallback(ConfigFactory.parseResources("application.conf"));
    try {
      // not ConfigFactory.load: that would put JVM system properties above the command-line flags
      return layered.withFallback(ConfigFactory.defaultReference()).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new SettingsException(List.of("configuration cannot be resolved: " + e.getMessage()));
    }
  }

  /**
   * The configuration as shipped: {@code application.conf} over the libraries' reference configs,
   * without flags, environment or file. It holds every default; nothing else does.
   */
  public static Config shippedConfig() {
    return loadConfig(Map.of(), Map.of(), null);
  }

  /** The settings of {@link #shippedConfig()}: the defaults, for tools (the benches) that use the engine's parts as shipped. */
  public static Settings shipped() {
    return from(shippedConfig());
  }

  private static List<String> splitList(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  /** Reads and validates {@code pekko-trader}; throws {@link SettingsException} listing every problem. */
  public static Settings from(Config root) {
    if (!root.hasPath("pekko-trader")) {
      throw new SettingsException(List.of("pekko-trader is missing (the whole configuration namespace)"));
    }
    ConfigReader r = new ConfigReader(root.getConfig("pekko-trader"), "pekko-trader");
    KNOWN_KEYS.check(root.getObject("pekko-trader"), r);

    Path dataDir = Path.of(r.nonEmpty("data-dir"));
    String mode = r.oneOf("mode", List.of("paper"));
    Market market = readMarket(r);

    String account = r.nonEmpty("trading.quote-asset");
    if (r.valid("trading.quote-asset") && !ASSET.matcher(account).matches()) {
      r.problem("trading.quote-asset", "must be an asset name such as USDT (" + ASSET + ")", account);
    }
    Map<String, BigDecimal> cash = readStartingCash(r, account);
    Trading trading =
        new Trading(
            account,
            cash.get(account),
            java.util.Collections.unmodifiableMap(cash),
            r.decimal("trading.order-notional", BigDecimal.ZERO, false),
            r.positiveDuration("trading.candle-interval"),
            r.intAtLeast("trading.candle-history", 2),
            r.positiveDuration("trading.cooldown"),
            r.intAtLeast("trading.snapshot-every", 1),
            r.intAtLeast("trading.keep-snapshots", 1),
            r.positiveDuration("trading.ask-timeout"),
            readAssetPrecisions(r),
            r.positiveDuration("trading.equity-sample-interval"));

    Map<String, Map<String, String>> strategies = readStrategies(r, trading);

    List<SymbolListing> symbols = readSymbols(r, market, trading);
    checkConversionSymbols(r, trading, symbols);

    Paper paper =
        new Paper(
            r.decimal("paper.fee-rate", BigDecimal.ZERO, true),
            r.decimal("paper.slippage-bps", BigDecimal.ZERO, true),
            r.intAtLeast("paper.partial-fills", 1),
            r.positiveDuration("paper.fill-delay"),
            r.decimal("paper.price-buffer", BigDecimal.ZERO, true));

    Risk risk = readRisk(r);
    Audit audit = new Audit(r.bytesAtLeast("audit.max-file-size", 1024), r.intAtLeast("audit.max-files", 1));

    Alerts alerts = readAlerts(r);

    Http http =
        new Http(
            r.nonEmpty("http.interface"),
            r.port("http.port"),
            r.string("http.api-key"),
            r.bool("http.behind-tls-terminator"),
            r.intInRange("http.rate-limit.per-second", 1, 100_000),
            r.intInRange("http.rate-limit.burst", 1, 1_000_000),
            r.intInRange("http.max-connections-per-client", 1, 10_000),
            r.positiveDuration("http.header-timeout"),
            r.intInRange("http.max-event-streams", 1, 10_000));
    if (http.headerTimeout().compareTo(Duration.ofMinutes(1)) > 0) {
      r.problem("http.header-timeout", "must be at most 1m (a client that takes longer to send its headers holds a connection)", http.headerTimeout());
    }
    if (!http.apiKey().isEmpty() && http.apiKey().length() < 16) {
      r.problem("http.api-key", "must be at least 16 characters (TRADER_API_KEY)", "<" + http.apiKey().length() + " characters>");
    }
    Endpoint management = new Endpoint(r.nonEmpty("management.interface"), r.port("management.port"));
    MetricsSettings metrics = readMetrics(r);
    Cluster cluster =
        new Cluster(r.nonEmpty("cluster.interface"), r.port("cluster.port"), r.stringList("cluster.seed-nodes"));
    Db db =
        new Db(
            r.oneOf("db.kind", List.of("h2", "postgres")),
            r.string("db.url"),
            r.string("db.user"),
            r.string("db.password"),
            r.intAtLeast("db.max-connections", 1));
    if (db.kind().equals("postgres") && db.url().isBlank()) {
      r.problem("db.url", "must be set when db.kind is postgres (TRADER_DB_URL)", "");
    }
    checkDistinctPorts(r, http.port(), management.port(), metrics.port(), cluster.port());
    Logging logging =
        new Logging(
            r.bool("logging.file"),
            r.bytesAtLeast("logging.max-file-size", 1024),
            r.intInRange("logging.max-files", 1, Logging.MAX_FILES));
    VenueCredentials binance = readCredentials(r, "venues.binance", "TRADER_BINANCE_API_KEY", "TRADER_BINANCE_API_SECRET");

    r.throwIfInvalid();
    return new Settings(
        dataDir, mode, market, symbols, trading, strategies, paper, risk, audit, alerts, http, management, metrics, cluster, db,
        logging, binance);
  }

  private static Risk readRisk(ConfigReader r) {
    RiskLimits limits =
        new RiskLimits(
            limit(r, "risk.max-daily-loss"),
            limit(r, "risk.max-loss-per-trade"),
            r.intAtLeast("risk.max-open-positions", 1),
            limit(r, "risk.max-notional-per-order"),
            limit(r, "risk.max-notional-per-symbol"),
            limit(r, "risk.max-gross-exposure-multiple"),
            r.intAtLeast("risk.max-orders-per-symbol-per-minute", 1),
            r.intAtLeast("risk.max-orders-per-minute", 1),
            limit(r, "risk.max-drawdown"));
    for (RiskLimits.Violation violation : limits.violations()) {
      String key = "risk." + kebab(violation.field());
      if (r.valid(key)) {
        r.problem(key, violation.rule(), violation.value());
      }
    }
    TradingDay day =
        new TradingDay(
            r.zone("risk.trading-day.zone"), r.timeOfDay("risk.trading-day.start"));
    return new Risk(
        limits,
        day,
        r.positiveDuration("risk.cooldown-after-exit"),
        r.positiveDuration("risk.breaker-stale-after"),
        r.positiveDuration("risk.watch-interval"),
        r.decimal("risk.venue-filters.min-notional", BigDecimal.ZERO, true),
        r.decimal("risk.venue-filters.tick-size", BigDecimal.ZERO, false));
  }

  /** A money limit; null (which the limits' own rules skip) when it has a problem already. */
  private static BigDecimal limit(ConfigReader r, String path) {
    BigDecimal value = r.decimal(path, null, false);
    return r.valid(path) ? value : null;
  }

  /** The Prometheus endpoint; a fixed port while enabled, since Prometheus must know where to scrape. */
  private static MetricsSettings readMetrics(ConfigReader r) {
    boolean enabled = r.bool("metrics.enabled");
    int port = r.port("metrics.port");
    // port 0 is allowed only while metrics are validly off
    if ((enabled || !r.valid("metrics.enabled")) && port == 0 && r.valid("metrics.port")) {
      r.problem("metrics.port", "must be in 1..65535 while metrics.enabled is on (TRADER_METRICS_PORT)", port);
    }
    return new MetricsSettings(
        enabled,
        r.nonEmpty("metrics.interface"),
        port,
        r.positiveDuration("metrics.tick-interval"),
        r.positiveDuration("metrics.sample-interval"));
  }

  /** {@code maxDailyLoss} → {@code max-daily-loss}: the config key of a limit named as in the API. */
  static String kebab(String field) {
    return field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
  }


  /**
   * Each registered strategy's parameters from {@code strategies.<name>}: every parameter checked
   * against its declared range, then the rules between them (such as fast < slow) by building the
   * strategy; and its warm-up must fit in {@code trading.candle-history}. Unknown strategies and
   * parameters are {@link KnownKeys}' problems (the shipped file has a block per strategy).
   */
  private static Map<String, Map<String, String>> readStrategies(ConfigReader r, Trading trading) {
    Map<String, Map<String, String>> strategies = new java.util.TreeMap<>();
    for (StrategyDescriptor descriptor : Strategies.descriptors()) {
      String block = "strategies." + descriptor.name() + ".";
      Map<String, String> values = new java.util.LinkedHashMap<>();
      boolean valid = true;
      for (StrategyParam param : descriptor.params()) {
        String path = block + param.name();
        String text = r.string(path);
        if (!r.valid(path)) {
          valid = false;
          continue;
        }
        try {
          param.parse(descriptor.name(), text);
        } catch (InvalidStrategyParameter e) {
          r.problem(path, e.rule(), text);
          valid = false;
        }
        values.put(param.name(), text.strip());
      }
      if (!valid) {
        continue;
      }
      try {
        Strategy strategy = descriptor.create(values);
        if (r.valid("trading.candle-history") && strategy.requiredCandles() > trading.candleHistory()) {
          r.problem(
              "trading.candle-history",
              "must cover the warm-up of strategy " + descriptor.name() + " (" + strategy.requiredCandles() + " candles)",
              trading.candleHistory());
        }
        // a growth filter longer than the warm-up is reported on each signal until it applies; one
        // longer than the candles kept would never apply
        if (strategy instanceof VolatilityBreakout breakout
            && r.valid("trading.candle-history")
            && breakout.growthCandles() > trading.candleHistory()) {
          r.problem(
              block + "growth-lookback",
              "must be < " + r.key("trading.candle-history") + " (" + trading.candleHistory() + "), else the growth filter never applies",
              values.get("growth-lookback"));
        }
      } catch (InvalidStrategyParameter e) {
        r.problem(block + e.parameter(), e.rule(), e.got());
      }
      strategies.put(descriptor.name(), java.util.Collections.unmodifiableMap(values));
    }
    return java.util.Collections.unmodifiableMap(strategies);
  }

  private static Alerts readAlerts(ConfigReader r) {
    String webhook = r.string("alerts.webhook.url");
    if (!webhook.isEmpty() && !webhook.matches("https?://\\S+")) {
      r.problem("alerts.webhook.url", "must be an http:// or https:// URL", webhook);
      webhook = "";
    }
    String apiUrl = r.string("alerts.telegram.api-url");
    if (r.valid("alerts.telegram.api-url") && !apiUrl.matches("https?://\\S+")) {
      r.problem("alerts.telegram.api-url", "must be an http:// or https:// URL", apiUrl);
    }
    String token = r.string("alerts.telegram.bot-token");
    String chatId = r.string("alerts.telegram.chat-id");
    if (token.isEmpty() != chatId.isEmpty() && r.valid("alerts.telegram.bot-token", "alerts.telegram.chat-id")) {
      r.problem(
          token.isEmpty() ? "alerts.telegram.bot-token" : "alerts.telegram.chat-id",
          "must be set together with " + r.key(token.isEmpty() ? "alerts.telegram.chat-id" : "alerts.telegram.bot-token"),
          "");
      token = "";
      chatId = "";
    }
    int attempts = r.intAtLeast("alerts.max-attempts", 1);
    Duration min = r.positiveDuration("alerts.min-backoff");
    Duration max = r.positiveDuration("alerts.max-backoff");
    if (max.compareTo(min) < 0) {
      if (r.valid("alerts.min-backoff", "alerts.max-backoff")) {
        r.problem("alerts.max-backoff", "must be >= " + r.key("alerts.min-backoff") + " (" + min + ")", max.toString());
      }
      max = min; // a placeholder: there is a problem already
    }
    return new Alerts(webhook, apiUrl, token, chatId, attempts, new Backoff(min, max, 0.2));
  }

  private static Market readMarket(ConfigReader r) {
    String source = r.nonEmpty("market.source").strip();
    if (!r.valid("market.source")) {
      source = SIMULATOR_SOURCE; // a placeholder: there is a problem already
    } else if (!source.equals(SIMULATOR_SOURCE) && !source.equals("none")) {
      List<String> venues = splitList(source);
      if (venues.isEmpty() || !VENUES.containsAll(venues) || new HashSet<>(venues).size() != venues.size()) {
        r.problem("market.source", "must be simulator, none or a comma list of distinct venues from " + VENUES + " (TRADER_MARKET)", source);
        source = SIMULATOR_SOURCE;
      } else {
        source = String.join(",", venues);
      }
    }
    String faults = r.string("market.simulator.faults");
    try {
      faults = FaultSpec.parse(faults).toString();
    } catch (IllegalArgumentException e) {
      r.problem("market.simulator.faults", "must be a fault spec such as drop=2s,garbage=5% (" + e.getMessage() + ")", faults);
      faults = "none";
    }
    Duration simulatorTick = r.positiveDuration("market.simulator.scheduler-tick");
    if (r.valid("market.simulator.scheduler-tick") && (simulatorTick.toMillis() < 10 || simulatorTick.toMillis() > 100)) {
      r.problem("market.simulator.scheduler-tick", "must be within 10ms-100ms", simulatorTick.toMillis() + "ms");
    }
    String s = "market.streams.";
    Duration minBackoff = r.positiveDuration(s + "min-backoff");
    Duration maxBackoff = r.positiveDuration(s + "max-backoff");
    if (maxBackoff.compareTo(minBackoff) < 0) {
      if (r.valid(s + "min-backoff", s + "max-backoff")) {
        r.problem(s + "max-backoff", "must be >= " + r.key(s + "min-backoff") + " (" + minBackoff + ")", maxBackoff.toString());
      }
      maxBackoff = minBackoff; // a placeholder: there is a problem already
    }
    double randomFactor = r.doubleAtLeast(s + "random-factor", 0);
    if (randomFactor > 1) {
      r.problem(s + "random-factor", "must be in [0, 1]", randomFactor);
      randomFactor = 1;
    }
    StreamSettings streams =
        new StreamSettings(
            minBackoff,
            maxBackoff,
            randomFactor,
            1,
            Duration.ofMinutes(1),
            r.positiveDuration(s + "idle-timeout"),
            r.intAtLeast(s + "dedup-window", 1),
            r.positiveDuration(s + "frame-timeout"),
            r.intAtLeast(s + "max-frame-chars", 1));
    String clientName = r.nonEmpty(s + "client");
    WebSocketTransport.Kind client = WebSocketTransport.Kind.DEFAULT;
    if (r.valid(s + "client")) {
      try {
        client = WebSocketTransport.Kind.parse(clientName);
      } catch (IllegalArgumentException e) {
        r.problem(s + "client", "must be netty", clientName);
      }
    }
    TradeRouter.Settings router = readRouter(r);
    Map<String, VenueEndpoint> venues = new java.util.LinkedHashMap<>();
    for (String venue : VENUES) {
      String v = "venues." + venue + ".";
      String url = r.nonEmpty(v + "ws-url");
      if (r.valid(v + "ws-url") && !url.matches("wss?://[^\\s/?#]+(/\\S*)?")) {
        r.problem(v + "ws-url", "must be a ws:// or wss:// URL (TRADER_" + venue.toUpperCase(java.util.Locale.ROOT) + "_WS_URL)", url);
      }
      venues.put(venue, new VenueEndpoint(url, r.intAtLeast(v + "connection-budget", 1), r.positiveDuration(v + "budget-window")));
    }
    return new Market(
        source,
        r.longValue("market.simulator.seed"),
        r.intAtLeast("market.simulator.trades-per-second", 1),
        r.decimal("market.simulator.step-bps", BigDecimal.ZERO, false),
        faults,
        simulatorTick,
        streams,
        client,
        router,
        Map.copyOf(venues));
  }

  /** {@code market.router}, with the engine's ask timeout ({@code trading.ask-timeout}) as the slice timeout. */
  private static TradeRouter.Settings readRouter(ConfigReader r) {
    String p = "market.router.";
    int sliceSize = r.intInRange(p + "slice-size", 1, 100_000);
    int laneSlices = r.intInRange(p + "lane-slices", 1, 1_000);
    Duration coolOff = r.positiveDuration(p + "breaker-cool-off");
    Duration maxCoolOff = r.positiveDuration(p + "breaker-max-cool-off");
    if (maxCoolOff.compareTo(coolOff) < 0) {
      if (r.valid(p + "breaker-cool-off", p + "breaker-max-cool-off")) {
        r.problem(p + "breaker-max-cool-off", "must be >= " + r.key(p + "breaker-cool-off") + " (" + coolOff + ")", maxCoolOff.toString());
      }
      maxCoolOff = coolOff; // a placeholder: there is a problem already
    }
    double multiplier = r.doubleAtLeast(p + "breaker-cool-off-multiplier", 1);
    return new TradeRouter.Settings(
        sliceSize,
        r.nonNegativeDuration(p + "slice-linger"),
        sliceSize * laneSlices,
        r.positiveDuration("trading.ask-timeout"),
        new SymbolBreaker.Settings(coolOff, maxCoolOff, Math.max(1, multiplier)),
        r.positiveDuration(p + "report-interval"),
        r.nonNegativeDuration(p + "breaker-log-interval"));
  }

  /** A venue's key and secret: both or neither; problems never show the values. */
  private static VenueCredentials readCredentials(ConfigReader r, String path, String keyVariable, String secretVariable) {
    String key = r.string(path + ".api-key").strip();
    String secret = r.string(path + ".api-secret").strip();
    if (key.isEmpty() != secret.isEmpty() && r.valid(path + ".api-key", path + ".api-secret")) {
      r.problem(
          path + (key.isEmpty() ? ".api-key" : ".api-secret"),
          "must be set together with " + r.key(path + (key.isEmpty() ? ".api-secret" : ".api-key"))
              + " (" + keyVariable + ", " + secretVariable + ")",
          "");
      return new VenueCredentials("", "");
    }
    return new VenueCredentials(key, secret);
  }

  /** How an asset is named: {@code USDT}, {@code BTC}. */
  private static final java.util.regex.Pattern ASSET = java.util.regex.Pattern.compile("[A-Z0-9]{2,20}");

  /**
   * {@code trading.starting-cash}: one decimal (the account asset's, > 0), or one per asset
   * ({@code { USDT = "10000", BTC = "0.5" }}): the account asset's > 0, the others' >= 0.
   */
  private static Map<String, BigDecimal> readStartingCash(ConfigReader r, String account) {
    Map<String, BigDecimal> cash = new java.util.TreeMap<>();
    String path = "trading.starting-cash";
    if (!r.isObject(path)) {
      cash.put(account, r.decimal(path, BigDecimal.ZERO, false));
      return cash;
    }
    for (String asset : r.objectKeys(path)) {
      if (!ASSET.matcher(asset).matches()) {
        r.problem(path, "must name assets such as USDT or BTC (" + ASSET + ")", asset);
        continue;
      }
      boolean isAccount = asset.equals(account);
      BigDecimal amount = r.decimal(path + "." + asset, BigDecimal.ZERO, !isAccount);
      cash.put(asset, amount);
    }
    if (!cash.containsKey(account) && r.valid("trading.quote-asset")) {
      r.problem(path, "must hold cash in the account asset " + account + " (trading.quote-asset)", String.join(", ", cash.keySet()));
    }
    cash.putIfAbsent(account, BigDecimal.ONE); // a placeholder: there is a problem already
    return cash;
  }

  /** The rounding modes {@code trading.asset-rounding} takes: every {@link RoundingMode} that rounds. */
  private static final List<String> ROUNDINGS =
      java.util.Arrays.stream(RoundingMode.values()).filter(m -> m != RoundingMode.UNNECESSARY).map(Enum::name).toList();

  /**
   * {@code trading.asset-precision} (decimals, 0..18) and {@code trading.asset-rounding} (a
   * rounding mode): each an object of {@code default} (which must be set) and per asset
   * ({@code { default = 8, JPY = 0 }}); an asset set in one and not in the other takes the
   * other's {@code default}.
   */
  private static AssetPrecisions readAssetPrecisions(ConfigReader r) {
    String decimalsPath = "trading.asset-precision";
    String roundingPath = "trading.asset-rounding";
    Map<String, Integer> decimals = new java.util.TreeMap<>();
    Map<String, String> roundings = new java.util.TreeMap<>();
    if (perAsset(r, decimalsPath, "{ default = 8, USDT = 8 }")) {
      for (String key : precisionKeys(r, decimalsPath)) {
        decimals.put(key, r.intInRange(decimalsPath + "." + key, 0, AssetPrecision.MAX_DECIMALS));
      }
    }
    if (perAsset(r, roundingPath, "{ default = HALF_EVEN }")) {
      for (String key : precisionKeys(r, roundingPath)) {
        roundings.put(key, r.oneOf(roundingPath + "." + key, ROUNDINGS));
      }
    }
    // placeholders where an object is not one: there is a problem already
    int defaultDecimals = decimals.getOrDefault("default", 0);
    String defaultRounding = roundings.getOrDefault("default", ROUNDINGS.get(0));
    Map<String, AssetPrecision> byAsset = new java.util.TreeMap<>();
    Set<String> assets = new java.util.TreeSet<>(decimals.keySet());
    assets.addAll(roundings.keySet());
    assets.remove("default");
    for (String asset : assets) {
      byAsset.put(
          asset,
          new AssetPrecision(
              decimals.getOrDefault(asset, defaultDecimals), RoundingMode.valueOf(roundings.getOrDefault(asset, defaultRounding))));
    }
    return new AssetPrecisions(new AssetPrecision(defaultDecimals, RoundingMode.valueOf(defaultRounding)), byAsset);
  }

  /** Whether {@code path} is a per-asset object (or missing, which its {@code default} reports); else a problem. */
  private static boolean perAsset(ConfigReader r, String path, String example) {
    if (r.has(path) && !r.isObject(path)) {
      r.problem(path, "must be an object such as " + example, r.raw(path));
      return false;
    }
    return true;
  }

  /**
   * The keys of a per-asset object: {@code default}, whether set or not (a missing one is
   * reported as missing), and asset names; any other is a problem and left out.
   */
  private static List<String> precisionKeys(ConfigReader r, String path) {
    List<String> keys = new ArrayList<>(List.of("default"));
    if (!r.isObject(path)) {
      return keys;
    }
    for (String key : r.objectKeys(path)) {
      if (ASSET.matcher(key).matches()) {
        keys.add(key);
      } else if (!key.equals("default")) {
        r.problem(path, "must name default or assets such as USDT or BTC (" + ASSET + ")", key);
      }
    }
    return keys;
  }

  /**
   * Every cash asset other than the account asset is valued at the last price of the symbol
   * {@code <asset><account asset>}: one must be traded, or the asset could never be counted.
   */
  private static void checkConversionSymbols(ConfigReader r, Trading trading, List<SymbolListing> symbols) {
    String account = trading.quoteAsset();
    for (String asset : trading.startingCashByAsset().keySet()) {
      if (asset.equals(account)) {
        continue;
      }
      boolean traded =
          symbols.stream().anyMatch(s -> s.id().symbol().equals(asset + account) && account.equals(s.quoteAsset()));
      if (!traded) {
        r.problem(
            "trading.starting-cash." + asset,
            "needs a symbol " + asset + account + " quoted in " + account + " in pekko-trader.symbols (its last price values "
                + asset + " in " + account + ")",
            "none");
      }
    }
  }

  /** The fields of a {@code symbols} entry. */
  static final List<String> SYMBOL_FIELDS = List.of("venue", "symbol", "strategy", "lot-step", "start-price", "quote", "order-notional");

  /** The keys the engine reads, from the shipped configuration. */
  private static final KnownKeys KNOWN_KEYS = KnownKeys.shipped();

  private static List<SymbolListing> readSymbols(ConfigReader r, Market market, Trading trading) {
    List<? extends Config> items = r.objectList("symbols");
    List<SymbolListing> symbols = new ArrayList<>();
    Set<SymbolId> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      ConfigReader s = r.nested(items.get(i), r.key("symbols[" + i + "]"));
      String venue = s.nonEmpty("venue");
      String symbol = s.nonEmpty("symbol");
      String strategy = s.nonEmpty("strategy");
      BigDecimal lotStep = s.decimal("lot-step", BigDecimal.ZERO, false);
      BigDecimal startPrice = s.decimal("start-price", BigDecimal.ZERO, false);
      String quote = items.get(i).hasPath("quote") ? s.string("quote").strip() : "";
      BigDecimal orderNotional =
          items.get(i).hasPath("order-notional") ? s.decimal("order-notional", BigDecimal.ZERO, false) : null;
      if (!s.valid("venue", "symbol", "strategy")) {
        continue; // the entry cannot be named: its problems are reported already
      }
      SymbolListing listing = listing(s::problem, market, trading, venue, symbol, strategy, lotStep, startPrice, quote, orderNotional);
      if (listing != null) {
        if (!seen.add(listing.id())) {
          s.problem("symbol", "must be unique in pekko-trader.symbols", listing.id().id());
        }
        symbols.add(listing);
      }
    }
    return symbols;
  }

  /** Where {@link #listing} reports a problem: the field (config name), the rule, the value. */
  @FunctionalInterface
  public interface ListingProblems {
    void problem(String field, String rule, Object got);
  }

  /**
   * A symbol's listing from its fields, checked as the configuration checks {@code symbols}
   * entries, for start-up and for symbols added at run time: the venue and its naming, the
   * strategy, the quote asset (set, or the longest cash asset the name ends with) and an order
   * notional of its own when it is quoted in another asset than the account's. Problems go to
   * {@code problems} (fields: {@code venue}, {@code symbol}, {@code strategy}, {@code quote},
   * {@code order-notional}); null when the symbol cannot be named at all.
   *
   * @param strategy the strategy's name; empty: {@link Strategies#DEFAULT}
   * @param quote the quote asset asked for; empty: derived from the name
   * @param orderNotional null: {@code trading.order-notional}
   */
  public static SymbolListing listing(
      ListingProblems problems,
      Market market,
      Trading trading,
      String venue,
      String symbol,
      String strategy,
      BigDecimal lotStep,
      BigDecimal startPrice,
      String quote,
      BigDecimal orderNotional) {
    SymbolId id;
    try {
      id = new SymbolId(venue, symbol);
    } catch (IllegalArgumentException e) {
      problems.problem("symbol", "must be a valid venue:SYMBOL (" + e.getMessage() + ")", venue + ":" + symbol);
      return null;
    }
    if (!VENUES.contains(venue)) {
      problems.problem("venue", "must be one of " + VENUES, venue);
    } else if (!namedByVenue(venue, symbol)) {
      problems.problem("symbol", "must be a symbol " + venue + " can name (" + dialectProblem(venue, symbol) + ")", symbol);
    } else if (market.enabled() && !market.simulated() && !splitList(market.source()).contains(venue)) {
      problems.problem("venue", "must be one of the venues of pekko-trader.market.source [" + market.source() + "] (TRADER_MARKET)", venue);
    }
    if (strategy.isEmpty()) {
      strategy = Strategies.DEFAULT;
    } else if (!Strategies.exists(strategy)) {
      problems.problem("strategy", "must be one of " + Strategies.names(), strategy);
    }
    java.util.Set<String> cashAssets = trading.startingCashByAsset().keySet();
    String quoteAsset = quote;
    if (!quoteAsset.isEmpty() && !cashAssets.contains(quoteAsset)) {
      problems.problem("quote", "must be an asset of pekko-trader.trading.starting-cash " + cashAssets + " (no cash is kept for " + id + ")", quoteAsset);
      quoteAsset = null;
    } else if (quoteAsset.isEmpty()) {
      quoteAsset = QuoteAssets.suffixAsset(symbol, cashAssets);
      if (quoteAsset == null && namedByVenue(venue, symbol)) {
        problems.problem(
            "symbol",
            "must end with an asset of pekko-trader.trading.starting-cash " + cashAssets
                + ", or set quote = <asset> with starting cash in it (no cash is kept in the quote asset of " + id + ")",
            id.id());
      }
    }
    if (orderNotional == null && quoteAsset != null && !quoteAsset.equals(trading.quoteAsset())) {
      problems.problem(
          "order-notional",
          "must be set for a symbol quoted in " + quoteAsset + " (pekko-trader.trading.order-notional is in " + trading.quoteAsset() + ")",
          "none");
    }
    return new SymbolListing(id, strategy, lotStep, startPrice, quoteAsset, orderNotional);
  }

  private static boolean namedByVenue(String venue, String symbol) {
    return dialectProblem(venue, symbol) == null;
  }

  /** Why the venue's dialect cannot name the symbol (Kraken needs a known quote asset), or null. */
  private static String dialectProblem(String venue, String symbol) {
    try {
      VenueDialects.forVenue(venue).connectPath(List.of(symbol));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static void checkDistinctPorts(ConfigReader r, int http, int management, int metrics, int node) {
    Map<Integer, String> used = new HashMap<>();
    String[][] ports = {
      {"http.port", String.valueOf(http)},
      {"management.port", String.valueOf(management)},
      {"metrics.port", String.valueOf(metrics)},
      {"cluster.port", String.valueOf(node)}
    };
    for (String[] port : ports) {
      int value = Integer.parseInt(port[1]);
      if (value == 0) {
        continue;
      }
      String other = used.putIfAbsent(value, port[0]);
      if (other != null) {
        r.problem(port[0], "must differ from " + r.key(other), value);
      }
    }
  }

  /** The symbol's settings, or null when it is not configured. */
  public SymbolListing symbol(SymbolId id) {
    for (SymbolListing s : symbols) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  /** The cash assets, their starting cash and every configured symbol's quote asset. */
  public QuoteAssets quoteAssets() {
    Map<String, String> quotes = new HashMap<>();
    for (SymbolListing symbol : symbols) {
      if (symbol.quoteAsset() != null) {
        quotes.put(symbol.id().id(), symbol.quoteAsset());
      }
    }
    return new QuoteAssets(trading.quoteAsset(), trading.startingCashByAsset(), quotes);
  }

  /** The amount of one entry of a symbol, in its quote asset. */
  public BigDecimal orderNotional(SymbolListing symbol) {
    return symbol.orderNotional() != null ? symbol.orderNotional() : trading.orderNotional();
  }

  /** The Pekko settings that follow from these: bindings, cluster, the journal database. */
  public Config pekkoOverrides(String jdbcUrl) {
    Map<String, Object> values = new HashMap<>();
    values.put("pekko.remote.artery.canonical.hostname", cluster.iface());
    values.put("pekko.remote.artery.canonical.port", cluster.port());
    values.put("pekko.cluster.seed-nodes", cluster.seedNodes());
    values.put("pekko.management.http.hostname", management.iface());
    values.put("pekko.management.http.port", management.port());
    String shared = "pekko-persistence-jdbc.shared-databases.trader.";
    boolean postgres = db.kind().equals("postgres");
    values.put(shared + "profile", postgres ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$");
    values.put(shared + "db.driver", postgres ? "org.postgresql.Driver" : "org.h2.Driver");
    values.put(shared + "db.url", jdbcUrl);
    values.put(shared + "db.user", db.user());
    values.put(shared + "db.password", db.password());
    values.put(shared + "db.numThreads", db.maxConnections());
    values.put(shared + "db.maxConnections", db.maxConnections());
    values.put(shared + "db.minConnections", Math.min(2, db.maxConnections()));
    return ConfigFactory.parseMap(values, "settings");
  }
}
