package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.engine.SettingsException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class of bad configuration stops {@code run} before it touches anything: exit
 * {@link Main#EXIT_BAD_CONFIG}, a message naming the full key, the value and the rule, and no
 * data directory created.
 */
class ConfigurationErrorsTest {
  @TempDir Path tmp;

  /** What one in-process run of the command line left behind. */
  private record Outcome(int exitCode, String out, String err) {
    /** The indented problem lines under "Invalid configuration:". */
    List<String> problems() {
      return err.lines().filter(line -> line.startsWith("  ")).map(String::strip).toList();
    }
  }

  private Path dataDir() {
    return tmp.resolve("data");
  }

  private Path configFile(String hocon) throws IOException {
    Path file = tmp.resolve("bad.conf");
    Files.writeString(file, hocon);
    return file;
  }

  private Outcome execute(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exitCode = Main.commandLine(env, outWriter, errWriter).execute(args);
    outWriter.flush();
    errWriter.flush();
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  private Outcome runWithConfig(String hocon) throws IOException {
    return runWithConfig(Map.of(), hocon);
  }

  private Outcome runWithConfig(Map<String, String> env, String hocon) throws IOException {
    Path file = configFile(hocon);
    return execute(env, "run", "--data-dir", dataDir().toString(), "--config", file.toString());
  }

  private void assertRejected(Outcome outcome, String expectedMessage) {
    assertEquals(Main.EXIT_BAD_CONFIG, outcome.exitCode(), () -> "exit code; stderr was:\n" + outcome.err());
    assertTrue(outcome.err().contains(expectedMessage), () -> "stderr should contain [" + expectedMessage + "] but was:\n" + outcome.err());
    assertFalse(Files.exists(dataDir()), "a bad configuration must not create the data directory");
  }

  private static final String SYMBOL_BTC =
      "{ venue = \"binance\", symbol = \"BTCUSDT\", strategy = \"ma-crossover\", lot-step = \"0.00001\", start-price = \"60000\" }";

  @Test
  void reportsAMissingValueByItsFullKey() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.risk.max-open-positions = null\n");

    assertRejected(outcome, "pekko-trader.risk.max-open-positions is missing");
  }

  @Test
  void reportsAValueOfTheWrongTypeWithTheValueAndTheRule() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.risk.max-open-positions = \"abc\"\n");

    assertRejected(outcome, "pekko-trader.risk.max-open-positions must be an integer, got \"abc\"");
  }

  @Test
  void reportsAnOutOfRangeValueAsExactlyKeyRuleAndValue() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.risk.max-open-positions = -1\n");

    assertRejected(outcome, "pekko-trader.risk.max-open-positions must be > 0, got -1");
    assertEquals(List.of("pekko-trader.risk.max-open-positions must be > 0, got -1"), outcome.problems());
  }

  @Test
  void reportsConnectionLimitsOutOfRange() throws IOException {
    Outcome outcome =
        runWithConfig("pekko-trader.http { max-connections-per-client = 0, header-timeout = 2m, max-event-streams = 0 }\n");

    assertEquals(Main.EXIT_BAD_CONFIG, outcome.exitCode(), outcome.err());
    assertTrue(outcome.problems().stream().anyMatch(p -> p.startsWith("pekko-trader.http.max-connections-per-client must be")), outcome.err());
    assertTrue(outcome.problems().stream().anyMatch(p -> p.startsWith("pekko-trader.http.header-timeout must be at most 1m")), outcome.err());
    assertTrue(outcome.problems().stream().anyMatch(p -> p.startsWith("pekko-trader.http.max-event-streams must be")), outcome.err());
    assertFalse(Files.exists(dataDir()), "a bad configuration must not create the data directory");
  }

  @Test
  void reportsRiskLimitsThatBreakTheirRulesByTheirConfigKeys() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.risk { max-daily-loss = \"-5\", max-drawdown = \"1.5\", max-notional-per-order = \"5000\" }\n");

    assertRejected(outcome, "pekko-trader.risk.max-daily-loss must be > 0, got \"-5\"");
    assertTrue(outcome.err().contains("pekko-trader.risk.max-drawdown must be < 1 (a fraction of peak equity), got \"1.5\""), outcome.err());
    assertTrue(outcome.err().contains("pekko-trader.risk.max-notional-per-order must be <= maxNotionalPerSymbol (3000), got \"5000\""), outcome.err());
  }

  @Test
  void reportsABadTradingDayAndAnAuditFileTooSmall() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.risk.trading-day { zone = \"Mars/Olympus\", start = \"25:00\" }\npekko-trader.audit.max-file-size = 10\n");

    assertRejected(outcome, "pekko-trader.risk.trading-day.zone must be a time zone id such as UTC or Europe/London, got \"Mars/Olympus\"");
    assertTrue(outcome.err().contains("pekko-trader.risk.trading-day.start must be a time of day HH:mm, got \"25:00\""), outcome.err());
    assertTrue(outcome.err().contains("pekko-trader.audit.max-file-size must be >= 1024 bytes, got 10"), outcome.err());
  }

  @Test
  void reportsADecimalThatIsNotANumber() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.starting-cash = \"ten\"\n");

    assertRejected(outcome, "pekko-trader.trading.starting-cash must be a decimal number, got \"ten\"");
  }

  @Test
  void reportsAZeroDuration() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.candle-interval = 0s\n");

    assertRejected(outcome, "pekko-trader.trading.candle-interval must be > 0, got \"0s\"");
  }

  @Test
  void reportsANegativeDuration() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.cooldown = -5s\n");

    assertRejected(outcome, "pekko-trader.trading.cooldown must be > 0, got \"-5s\"");
  }

  @Test
  void reportsAnUnknownStrategyAndNamesTheKnownOnes() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.symbols = [ { venue = \"binance\", symbol = \"BTCUSDT\", strategy = \"moon-shot\","
                + " lot-step = \"0.00001\", start-price = \"60000\" } ]\n");

    assertRejected(outcome, "pekko-trader.symbols[0].strategy must be one of [ma-crossover, rsi-reversion, volatility-breakout], got \"moon-shot\"");
  }

  @Test
  void reportsAStrategyParameterOutOfItsRangeAtItsKey() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.strategies.rsi-reversion.period = 1\n"
                + "pekko-trader.strategies.volatility-breakout.range-factor = \"wide\"\n"
                + "pekko-trader.strategies.ma-crossover { fast = 8, slow = 5 }\n");

    assertRejected(outcome, "pekko-trader.strategies.rsi-reversion.period must be in 2..500, got \"1\"");
    assertTrue(outcome.err().contains("pekko-trader.strategies.volatility-breakout.range-factor must be a decimal number, got \"wide\""), outcome.err());
    assertTrue(outcome.err().contains("pekko-trader.strategies.ma-crossover.slow must be > fast (8), got \"5\""), outcome.err());
  }

  @Test
  void reportsAMisspeltStrategyOrParameter() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.strategies.rsi-reversion.overbougth = 80\n"
                + "pekko-trader.strategies.volatility-breakuot { lookback = 20 }\n");

    assertRejected(outcome, "pekko-trader.strategies.rsi-reversion.overbougth is not a known key (did you mean overbought?)");
    assertTrue(outcome.err().contains("pekko-trader.strategies.volatility-breakuot is not a known key (did you mean volatility-breakout?)"), outcome.err());
  }

  @Test
  void reportsACandleHistoryShorterThanAStrategysWarmUp() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.strategies.volatility-breakout.lookback = 250\n");

    assertRejected(outcome, "pekko-trader.trading.candle-history must cover the warm-up of strategy volatility-breakout (251 candles), got 200");
  }

  @Test
  void reportsAGrowthLookbackThatTheCandlesKeptCouldNeverCover() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.strategies.volatility-breakout.growth-lookback = 200\n");

    assertRejected(
        outcome,
        "pekko-trader.strategies.volatility-breakout.growth-lookback must be < pekko-trader.trading.candle-history (200),"
            + " else the growth filter never applies, got \"200\"");
  }

  @Test
  void reportsASymbolOnAVenueWithoutADialect() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.symbols = [ " + SYMBOL_BTC + ", { venue = \"sim\", symbol = \"ETHUSDT\","
                + " strategy = \"ma-crossover\", lot-step = \"0.0001\", start-price = \"3000\" } ]\n");

    assertRejected(outcome, "pekko-trader.symbols[1].venue must be one of [binance, bybit, kraken], got \"sim\"");
  }

  @Test
  void reportsASymbolTheVenueCannotName() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.symbols = [ { venue = \"kraken\", symbol = \"BTCXYZ\","
                + " strategy = \"ma-crossover\", lot-step = \"0.0001\", start-price = \"3000\" } ]\n");

    assertRejected(outcome, "pekko-trader.symbols[0].symbol must be a symbol kraken can name (");
    assertTrue(outcome.err().contains(", got \"BTCXYZ\""), outcome.err());
  }

  @Test
  void reportsAMarketSourceThatIsNeitherTheSimulatorNorAListOfVenues() {
    Outcome outcome = execute(Map.of("TRADER_MARKET", "binance,coinbase"), "run", "--data-dir", dataDir().toString());

    assertRejected(
        outcome,
        "pekko-trader.market.source must be simulator, none or a comma list of distinct venues from [binance, bybit, kraken]"
            + " (TRADER_MARKET), got \"binance,coinbase\"");
  }

  @Test
  void reportsASymbolWhoseVenueIsNotAmongTheRealVenuesOfTheMarket() {
    Outcome outcome = execute(Map.of("TRADER_MARKET", "kraken"), "run", "--data-dir", dataDir().toString());

    assertRejected(
        outcome,
        "pekko-trader.symbols[0].venue must be one of the venues of pekko-trader.market.source [kraken] (TRADER_MARKET), got \"binance\"");
  }

  @Test
  void reportsAVenueUrlThatIsNotAWebSocketUrl() {
    Outcome outcome = execute(Map.of("TRADER_BYBIT_WS_URL", "https://stream.bybit.com"), "run", "--data-dir", dataDir().toString());

    assertRejected(
        outcome,
        "pekko-trader.venues.bybit.ws-url must be a ws:// or wss:// URL (TRADER_BYBIT_WS_URL), got \"https://stream.bybit.com\"");
  }

  @Test
  void reportsStreamSettingsOutOfRange() throws IOException {
    Outcome outcome =
        runWithConfig(
            String.join(
                "\n",
                "pekko-trader.market.streams.min-backoff = 5s",
                "pekko-trader.market.streams.max-backoff = 1s",
                "pekko-trader.market.streams.random-factor = 1.5",
                "pekko-trader.market.streams.idle-timeout = 0s",
                "pekko-trader.market.streams.dedup-window = 0",
                "pekko-trader.market.streams.client = okhttp",
                "pekko-trader.venues.binance.connection-budget = 0",
                ""));

    List<String> problems = outcome.problems();
    assertRejected(outcome, "pekko-trader.market.streams.max-backoff must be >= pekko-trader.market.streams.min-backoff (PT5S), got \"PT1S\"");
    assertTrue(problems.contains("pekko-trader.market.streams.random-factor must be in [0, 1], got 1.5"), problems::toString);
    assertTrue(problems.contains("pekko-trader.market.streams.idle-timeout must be > 0, got \"0s\""), problems::toString);
    assertTrue(problems.contains("pekko-trader.market.streams.dedup-window must be > 0, got 0"), problems::toString);
    assertTrue(problems.contains("pekko-trader.market.streams.client must be netty, got \"okhttp\""), problems::toString);
    assertTrue(problems.contains("pekko-trader.venues.binance.connection-budget must be > 0, got 0"), problems::toString);
  }

  @Test
  void reportsASimulatorTickOutsideItsRange() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.market.simulator.scheduler-tick = 200ms\n");

    assertRejected(outcome, "pekko-trader.market.simulator.scheduler-tick must be within 10ms-100ms, got \"200ms\"");
  }

  @Test
  void reportsRouterSettingsOutOfRange() throws IOException {
    Outcome outcome =
        runWithConfig(
            String.join(
                "\n",
                "pekko-trader.market.router.slice-size = 0",
                "pekko-trader.market.router.slice-linger = -1ms",
                "pekko-trader.market.router.breaker-cool-off = 5s",
                "pekko-trader.market.router.breaker-max-cool-off = 1s",
                "pekko-trader.market.router.breaker-cool-off-multiplier = 0.5",
                "pekko-trader.market.router.report-interval = 0s",
                ""));

    List<String> problems = outcome.problems();
    assertRejected(
        outcome,
        "pekko-trader.market.router.breaker-max-cool-off must be >= pekko-trader.market.router.breaker-cool-off (PT5S), got \"PT1S\"");
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("pekko-trader.market.router.slice-size must be")), problems::toString);
    assertTrue(problems.contains("pekko-trader.market.router.slice-linger must be >= 0, got \"-1ms\""), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("pekko-trader.market.router.breaker-cool-off-multiplier must be")), problems::toString);
    assertTrue(problems.contains("pekko-trader.market.router.report-interval must be > 0, got \"0s\""), problems::toString);
  }

  @Test
  void reportsABadSimulatorFaultSpecNamingTheBadItem() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.market.simulator.faults = \"drop=2s,garbage=2\"\n");

    assertRejected(
        outcome,
        "pekko-trader.market.simulator.faults must be a fault spec such as drop=2s,garbage=5% (fault \"garbage=2\": garbage must be a fraction");
  }

  @Test
  void acceptsTheRealVenuesAndTheirUrlsFromTheEnvironment() {
    Map<String, String> env = Map.of("TRADER_MARKET", "binance, kraken", "TRADER_KRAKEN_WS_URL", "wss://ws.example.invalid/v2");
    Settings settings = Settings.from(Settings.loadConfig(Map.of(), env, null));

    assertEquals("binance,kraken", settings.market().source());
    assertFalse(settings.market().simulated());
    assertEquals("wss://ws.example.invalid/v2", settings.market().venues().get("kraken").wsUrl());
    assertEquals(300, settings.market().streams("binance").connectionBudget());
    assertEquals(java.time.Duration.ofMinutes(5), settings.market().streams("binance").budgetWindow());
  }

  @Test
  void reportsADuplicateSymbol() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.symbols = [ " + SYMBOL_BTC + ", " + SYMBOL_BTC + " ]\n");

    assertRejected(outcome, "pekko-trader.symbols[1].symbol must be unique in pekko-trader.symbols, got \"binance:BTCUSDT\"");
  }

  @Test
  void reportsAWebhookThatIsNotAnHttpUrl() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.alerts.webhook.url = \"ftp://example.invalid/hook\"\n");

    assertRejected(outcome, "pekko-trader.alerts.webhook.url must be an http:// or https:// URL, got \"ftp://example.invalid/hook\"");
  }

  @Test
  void reportsATelegramTokenWithoutAChatAndNeverPrintsTheToken() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.alerts.telegram.bot-token = \"123:very-secret\"\n");

    assertRejected(outcome, "pekko-trader.alerts.telegram.chat-id must be set together with pekko-trader.alerts.telegram.bot-token");
    assertFalse(outcome.err().contains("very-secret"), outcome.err());
  }

  @Test
  void reportsABinanceKeyWithoutItsSecretAndNeverPrintsTheKey() {
    Outcome outcome =
        execute(Map.of("TRADER_BINANCE_API_KEY", "binance-key-very-secret"), "run", "--data-dir", dataDir().toString());

    assertRejected(
        outcome,
        "pekko-trader.venues.binance.api-secret must be set together with pekko-trader.venues.binance.api-key"
            + " (TRADER_BINANCE_API_KEY, TRADER_BINANCE_API_SECRET), got \"\"");
    assertFalse(outcome.err().contains("very-secret"), outcome.err());
  }

  @Test
  void readsBinanceCredentialsFromTheEnvironmentAndNeverPrintsThem() {
    Map<String, String> env = Map.of("TRADER_BINANCE_API_KEY", "binance-key-very-secret", "TRADER_BINANCE_API_SECRET", "binance-secret-very-secret");

    Settings settings = Settings.from(Settings.loadConfig(Map.of(), env, null));

    assertEquals("binance-key-very-secret", settings.binance().apiKey());
    assertEquals("binance-secret-very-secret", settings.binance().apiSecret());
    assertFalse(settings.toString().contains("very-secret"), settings.toString());
  }

  @Test
  void reportsALogFileTooSmallMoreRotatedLogFilesThanLogbackKeepsAndANonBooleanSwitch() throws IOException {
    Outcome outcome =
        runWithConfig("pekko-trader.logging { max-file-size = 100, max-files = 21, file = maybe }\n");

    assertRejected(outcome, "pekko-trader.logging.max-file-size must be >= 1024 bytes, got 100");
    assertTrue(outcome.err().contains("pekko-trader.logging.max-files must be in 1..20, got 21"), outcome.err());
    assertTrue(outcome.err().contains("pekko-trader.logging.file must be true or false (on, off), got \"maybe\""), outcome.err());
  }

  @Test
  void reportsAPortOutOfRange() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.http.port = 70000\n");

    assertRejected(outcome, "pekko-trader.http.port must be a port number in 0..65535, got 70000");
  }

  @Test
  void reportsTwoServicesOnTheSamePort() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.http.port = 9095\npekko-trader.metrics.port = 9095\n");

    assertRejected(outcome, "pekko-trader.metrics.port must differ from pekko-trader.http.port, got 9095");
  }

  @Test
  void reportsBadMetricsSettings() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.metrics { enabled = maybe, port = 0, interface = \"\", tick-interval = 0s, sample-interval = soon }\n");

    assertRejected(outcome, "pekko-trader.metrics.enabled must be true or false (on, off), got \"maybe\"");
    for (String problem :
        List.of(
            "pekko-trader.metrics.port must be in 1..65535 while metrics.enabled is on (TRADER_METRICS_PORT), got 0",
            "pekko-trader.metrics.interface must not be empty",
            "pekko-trader.metrics.tick-interval must be > 0, got \"0s\"",
            "pekko-trader.metrics.sample-interval must be a duration (e.g. 500ms, 5s, 1m), got \"soon\"")) {
      assertTrue(outcome.err().contains(problem), () -> "stderr should contain [" + problem + "] but was:\n" + outcome.err());
    }
  }

  @Test
  void reportsEveryProblemAtOnce() throws IOException {
    Outcome outcome =
        runWithConfig(
            String.join(
                "\n",
                "pekko-trader.risk.max-open-positions = -1",
                "pekko-trader.trading.starting-cash = \"ten\"",
                "pekko-trader.trading.candle-interval = 0s",
                "pekko-trader.http.port = 70000",
                ""));

    assertRejected(outcome, "pekko-trader.risk.max-open-positions must be > 0, got -1");
    List<String> problems = outcome.problems();
    assertEquals(4, problems.size(), () -> "problems: " + problems);
    assertTrue(problems.contains("pekko-trader.trading.starting-cash must be a decimal number, got \"ten\""), problems::toString);
    assertTrue(problems.contains("pekko-trader.trading.candle-interval must be > 0, got \"0s\""), problems::toString);
    assertTrue(problems.contains("pekko-trader.http.port must be a port number in 0..65535, got 70000"), problems::toString);
  }

  @Test
  void reportsABadEnvironmentVariableByTheKeyItOverrides() {
    Outcome outcome = execute(Map.of("TRADER_HTTP_PORT", "abc"), "run", "--data-dir", dataDir().toString());

    assertRejected(outcome, "pekko-trader.http.port must be an integer, got \"abc\"");
  }

  // ---- unknown keys ------------------------------------------------------------------------

  /** The problems {@link Settings#from} finds in {@code hocon} over the defaults; fails when there are none. */
  private List<String> problems(String hocon) throws IOException {
    Path file = configFile(hocon);
    return org.junit.jupiter.api.Assertions.assertThrows(
            SettingsException.class, () -> Settings.from(Settings.loadConfig(Map.of(), Map.of(), file)), "a problem in " + hocon)
        .problems();
  }

  private static void assertProblem(List<String> problems, String expected) {
    assertTrue(problems.stream().anyMatch(problem -> problem.startsWith(expected)), () -> "[" + expected + "...] in " + problems);
  }

  @Test
  void reportsAMisspeltKeyAtTheTopOfTheNamespaceWithTheNearestKnownKey() throws IOException {
    List<String> problems = problems("pekko-trader.mdoe = \"paper\"\n");

    assertProblem(problems, "pekko-trader.mdoe is not a known key (did you mean mode?)");
  }

  @Test
  void reportsAMisspeltNestedKeyInsteadOfStartingWithTheDefault() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.risk.max-daily-los = 100\n");

    assertRejected(outcome, "pekko-trader.risk.max-daily-los is not a known key (did you mean max-daily-loss?)");
    assertEquals(1, outcome.problems().size(), outcome.problems()::toString);
    assertTrue(outcome.problems().get(0).endsWith("bad.conf: 1"), () -> "names where it is set: " + outcome.problems());
  }

  @Test
  void reportsAMisspeltKeyInsideASymbolsEntry() throws IOException {
    List<String> problems =
        problems(
            "pekko-trader.symbols = [ " + SYMBOL_BTC + ", " + SYMBOL_BTC.replace("BTCUSDT", "ETHUSDT").replace(" }", ", order-notionl = \"5\" }")
                + " ]\n");

    assertProblem(problems, "pekko-trader.symbols[1].order-notionl is not a known key (did you mean order-notional?)");
    assertEquals(1, problems.size(), problems::toString);
  }

  @Test
  void suggestsTheKeyOfAnotherSectionWhenTheKeyIsAtTheWrongLevel() throws IOException {
    List<String> problems = problems("pekko-trader.max-daily-loss = 100\n");

    assertProblem(problems, "pekko-trader.max-daily-loss is not a known key (did you mean pekko-trader.risk.max-daily-loss?)");
  }

  @Test
  void suggestsNothingForAKeyFarFromEveryKnownKey() throws IOException {
    List<String> problems = problems("pekko-trader.flux-capacitor { charge = 1.21 }\n");

    assertProblem(problems, "pekko-trader.flux-capacitor is not a known key, set at ");
    assertEquals(1, problems.size(), "the keys under an unknown key are not listed one by one: " + problems);
  }

  @Test
  void acceptsAnyAssetAsAKeyOfStartingCashPerAsset() throws IOException {
    Settings settings =
        settings(
            "pekko-trader.trading.starting-cash { USDT = \"10000\", BTC = \"0.5\" }\n"
                + "pekko-trader.symbols = [ " + SYMBOL_BTC + " ]\n");

    assertEquals(List.of("BTC", "USDT"), List.copyOf(settings.trading().startingCashByAsset().keySet()));
  }

  @Test
  void acceptsEveryKeyAnEnvironmentVariableSetsAndAnUnsetSubstitution() throws IOException {
    Map<String, String> env = new java.util.HashMap<>();
    Settings.ENVIRONMENT.keySet().forEach(variable -> env.put(variable, "x"));
    Path file = configFile("pekko-trader.http.api-key = ${?PEKKO_TRADER_TEST_VARIABLE_NEVER_SET}\n");

    SettingsException problems =
        org.junit.jupiter.api.Assertions.assertThrows(SettingsException.class, () -> Settings.from(Settings.loadConfig(Map.of(), env, file)));

    assertTrue(problems.problems().stream().noneMatch(problem -> problem.contains("not a known key")), problems::getMessage);
  }

  @Test
  void loadsTheShippedConfigurationAndTheTestsOverridesWithoutAnUnknownKey() {
    Settings.from(Settings.loadConfig(Map.of("pekko-trader.http.rate-limit.per-second", "100000"), Map.of(), null));
    Settings.from(Settings.loadConfig(Map.of(), Map.of("TRADER_MARKET", "binance,bybit,kraken"), null));
  }

  // ---- cash per quote asset ----------------------------------------------------------------

  private static final String SYMBOL_ETHBTC =
      "{ venue = \"binance\", symbol = \"ETHBTC\", strategy = \"ma-crossover\", lot-step = \"0.0001\", start-price = \"0.05\","
          + " order-notional = \"0.02\" }";

  private Settings settings(String hocon) throws IOException {
    return Settings.from(Settings.loadConfig(Map.of(), Map.of(), configFile(hocon)));
  }

  @Test
  void readsStartingCashPerAssetAndTheQuoteAssetOfEachSymbol() throws IOException {
    Settings settings =
        settings(
            "pekko-trader.trading.starting-cash { USDT = \"10000\", BTC = \"0.5\", ETH = 0 }\n"
                + "pekko-trader.symbols = [ " + SYMBOL_BTC + ", " + SYMBOL_ETHBTC + ","
                + " { venue = \"binance\", symbol = \"ETHUSDT\", strategy = \"ma-crossover\", lot-step = \"0.0001\", start-price = \"3000\" },"
                + " { venue = \"bybit\", symbol = \"SOLXYZ\", quote = \"BTC\", order-notional = \"0.01\", strategy = \"ma-crossover\","
                + " lot-step = \"0.01\", start-price = \"0.002\" } ]\n");

    assertEquals("USDT", settings.trading().quoteAsset());
    assertEquals(0, new java.math.BigDecimal("10000").compareTo(settings.trading().startingCash()));
    assertEquals(List.of("BTC", "ETH", "USDT"), List.copyOf(settings.trading().startingCashByAsset().keySet()));
    io.pekkotrader.domain.QuoteAssets assets = settings.quoteAssets();
    assertEquals("USDT", assets.of(io.pekkotrader.domain.SymbolId.parse("binance:BTCUSDT")));
    assertEquals("BTC", assets.of(io.pekkotrader.domain.SymbolId.parse("binance:ETHBTC")));
    assertEquals("BTC", assets.of(io.pekkotrader.domain.SymbolId.parse("bybit:SOLXYZ")), "set per symbol");
    assertEquals(0, new java.math.BigDecimal("0.02").compareTo(settings.orderNotional(settings.symbols().get(1))));
    assertEquals(0, new java.math.BigDecimal("1000").compareTo(settings.orderNotional(settings.symbols().get(0))));
  }

  @Test
  void keepsOneStartingCashAsTheCashOfTheQuoteAsset() throws IOException {
    Settings settings = settings("pekko-trader.trading { quote-asset = USDT, starting-cash = \"2500\" }\n");

    assertEquals(Map.of("USDT", new java.math.BigDecimal("2500")), settings.trading().startingCashByAsset());
    assertEquals("USDT", settings.quoteAssets().of(io.pekkotrader.domain.SymbolId.parse("binance:SOLUSDT")));
  }

  @Test
  void reportsASymbolWhoseQuoteAssetHasNoCash() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.symbols = [ " + SYMBOL_BTC + ", " + SYMBOL_ETHBTC + " ]\n");

    assertRejected(
        outcome,
        "pekko-trader.symbols[1].symbol must end with an asset of pekko-trader.trading.starting-cash [USDT], or set quote = <asset>"
            + " with starting cash in it (no cash is kept in the quote asset of binance:ETHBTC), got \"binance:ETHBTC\"");
    assertEquals(1, outcome.problems().size(), outcome.problems()::toString);
  }

  @Test
  void reportsAQuoteAssetSetForASymbolWithoutCashInIt() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.symbols = [ { venue = \"binance\", symbol = \"BTCUSDT\", quote = \"EUR\", strategy = \"ma-crossover\","
                + " lot-step = \"0.00001\", start-price = \"60000\" } ]\n");

    assertRejected(
        outcome,
        "pekko-trader.symbols[0].quote must be an asset of pekko-trader.trading.starting-cash [USDT] (no cash is kept for binance:BTCUSDT),"
            + " got \"EUR\"");
  }

  @Test
  void reportsStartingCashNotAboveZeroForTheAccountAssetOrBelowZeroForAnother() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.starting-cash { USDT = 0, BTC = \"-0.1\" }\n");

    assertRejected(outcome, "pekko-trader.trading.starting-cash.USDT must be > 0, got \"0\"");
    assertTrue(outcome.problems().contains("pekko-trader.trading.starting-cash.BTC must be >= 0, got \"-0.1\""), outcome.problems()::toString);
    assertEquals(2, outcome.problems().size(), outcome.problems()::toString);
  }

  @Test
  void reportsStartingCashWithoutTheAccountAsset() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.starting-cash { BTC = 1 }\n");

    assertRejected(
        outcome, "pekko-trader.trading.starting-cash must hold cash in the account asset USDT (trading.quote-asset), got \"BTC\"");
  }

  @Test
  void reportsACashAssetNoTradedSymbolCanValue() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.starting-cash { USDT = 100, BNB = 2 }\n");

    assertRejected(
        outcome,
        "pekko-trader.trading.starting-cash.BNB needs a symbol BNBUSDT quoted in USDT in pekko-trader.symbols (its last price values"
            + " BNB in USDT), got \"none\"");
  }

  @Test
  void reportsASymbolQuotedInAnotherAssetWithoutItsOwnOrderNotional() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.trading.starting-cash { USDT = 100, BTC = 1 }\n"
                + "pekko-trader.symbols = [ " + SYMBOL_BTC + ", " + SYMBOL_ETHBTC.replace(", order-notional = \"0.02\"", "") + " ]\n");

    assertRejected(
        outcome,
        "pekko-trader.symbols[1].order-notional must be set for a symbol quoted in BTC (pekko-trader.trading.order-notional is in USDT),"
            + " got \"none\"");
  }

  @Test
  void reportsAnAssetThatIsNotAnAssetName() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading { quote-asset = \"usdt\" }\n");

    assertRejected(outcome, "pekko-trader.trading.quote-asset must be an asset name such as USDT ([A-Z0-9]{2,20}), got \"usdt\"");
  }

  @Test
  void readsThePrecisionOfEachAssetWithEightDecimalsHalfEvenByDefault() throws IOException {
    Settings settings =
        settings(
            "pekko-trader.trading.asset-precision { default = 6, JPY = 0, BTC = 8 }\n"
                + "pekko-trader.trading.asset-rounding { BTC = DOWN, XRP = HALF_UP }\n");

    io.pekkotrader.domain.AssetPrecisions precisions = settings.trading().assetPrecisions();
    assertEquals(new io.pekkotrader.domain.AssetPrecision(0, java.math.RoundingMode.HALF_EVEN), precisions.of("JPY"));
    assertEquals(new io.pekkotrader.domain.AssetPrecision(8, java.math.RoundingMode.DOWN), precisions.of("BTC"));
    assertEquals(new io.pekkotrader.domain.AssetPrecision(6, java.math.RoundingMode.HALF_UP), precisions.of("XRP"), "default decimals");
    assertEquals(new io.pekkotrader.domain.AssetPrecision(6, java.math.RoundingMode.HALF_EVEN), precisions.of("USDT"), "defaults");
    assertEquals(
        io.pekkotrader.domain.AssetPrecision.DEFAULT,
        Settings.from(Settings.loadConfig(Map.of(), Map.of(), null)).trading().assetPrecisions().of("USDT"),
        "shipped: 8 decimals, half to even");
  }

  @Test
  void reportsAnAssetPrecisionOutOfRangeNotAnIntegerOrForAKeyThatIsNoAsset() throws IOException {
    Outcome outcome =
        runWithConfig(
            "pekko-trader.trading.asset-precision { default = 19, USDT = -1, BTC = eight, usdt = 2 }\n"
                + "pekko-trader.trading.asset-rounding { default = NEAREST, ETH = UNNECESSARY }\n");

    assertRejected(outcome, "pekko-trader.trading.asset-precision.default must be in 0..18, got 19");
    assertRejected(outcome, "pekko-trader.trading.asset-precision.USDT must be >= 0, got -1");
    assertRejected(outcome, "pekko-trader.trading.asset-precision.BTC must be an integer, got \"eight\"");
    assertRejected(outcome, "pekko-trader.trading.asset-precision must name default or assets such as USDT or BTC");
    assertRejected(
        outcome,
        "pekko-trader.trading.asset-rounding.default must be one of [UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_DOWN, HALF_EVEN],"
            + " got \"NEAREST\"");
    assertRejected(outcome, "pekko-trader.trading.asset-rounding.ETH must be one of");
  }

  @Test
  void reportsAnAssetPrecisionThatIsNotAnObject() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader.trading.asset-precision = 8\n");

    assertRejected(outcome, "pekko-trader.trading.asset-precision must be an object such as { default = 8, USDT = 8 }, got 8");
  }

  @Test
  void reportsAConfigFileThatDoesNotExist() {
    Path missing = tmp.resolve("nowhere.conf");

    Outcome outcome = execute(Map.of(), "run", "--data-dir", dataDir().toString(), "--config", missing.toString());

    assertRejected(outcome, "--config file " + missing + " does not exist or is not a file");
  }

  @Test
  void reportsAConfigFileThatCannotBeParsed() throws IOException {
    Outcome outcome = runWithConfig("pekko-trader { risk { max-open-positions = 5 \n");

    assertRejected(outcome, "cannot be parsed");
    assertTrue(outcome.err().contains(tmp.resolve("bad.conf").toString()), outcome.err());
  }

  @Test
  void loadsTheDefaultsWhenNothingIsGiven() {
    Settings settings = Settings.from(Settings.loadConfig(Map.of(), Map.of(), null));

    assertEquals(3, settings.symbols().size());
    assertEquals("paper", settings.mode());
    assertEquals(8080, settings.http().port());
    assertEquals(new Settings.Logging(true, 20L << 20, 10), settings.logging());
    assertFalse(settings.binance().present());
  }

  @Test
  void flagsOverrideTheEnvironmentWhichOverridesTheFile() throws IOException {
    Path file = configFile("pekko-trader.http.port = 3333\n");
    Map<String, String> flags = Map.of("pekko-trader.http.port", "1111");
    Map<String, String> env = Map.of("TRADER_HTTP_PORT", "2222");

    Config all = Settings.loadConfig(flags, env, file);
    Config envAndFile = Settings.loadConfig(Map.of(), env, file);
    Config fileOnly = Settings.loadConfig(Map.of(), Map.of(), file);

    assertEquals(1111, Settings.from(all).http().port());
    assertEquals(2222, Settings.from(envAndFile).http().port());
    assertEquals(3333, Settings.from(fileOnly).http().port());
  }

  @Test
  void runHelpExitsZeroAndDescribesTheDataDirectory() {
    Outcome outcome = execute(Map.of(), "run", "--help");

    assertEquals(0, outcome.exitCode());
    assertTrue(outcome.out().contains("--data-dir"), outcome.out());
    assertFalse(Files.exists(dataDir()));
  }

  @Test
  void topLevelHelpExitsZeroAndListsTheCommands() {
    Outcome outcome = execute(Map.of(), "--help");

    assertEquals(0, outcome.exitCode());
    assertTrue(outcome.out().startsWith("Usage: pekko-trader"), outcome.out());
    assertTrue(outcome.out().contains("  run "), outcome.out());
    assertTrue(outcome.out().contains("  check-journal "), outcome.out());
  }

  @Test
  void helpForRunThroughTheHelpCommandDescribesTheDataDirectory() {
    Outcome outcome = execute(Map.of(), "help", "run");

    assertEquals(0, outcome.exitCode());
    assertTrue(outcome.out().contains("--data-dir"), outcome.out());
  }

  @Test
  void anUnknownSubcommandExitsNonZero() {
    Outcome outcome = execute(Map.of(), "fly-to-the-moon");

    assertNotEquals(0, outcome.exitCode());
    assertTrue(outcome.err().contains("fly-to-the-moon"), outcome.err());
  }
}
