package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The command line itself: its help, its version, its exit codes, and what the client commands and {@code run} take from it. */
class CommandLineTest {
  @TempDir Path tmp;

  private HttpServer engine;

  @AfterEach
  void stopEngine() {
    if (engine != null) {
      engine.stop(0);
    }
  }

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome execute(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exitCode = Main.commandLine(env, outWriter, errWriter).execute(args);
    outWriter.flush();
    errWriter.flush();
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  /** Every command of the command line, subcommands included, depth first. */
  private static List<CommandLine> everyCommand() {
    List<CommandLine> commands = new ArrayList<>();
    collect(Main.commandLine(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), commands);
    return commands;
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }

  // ---- help ----------------------------------------------------------------------------------

  @Test
  void rendersEveryCommandsUsageHelpWithoutAPicocliWarning() throws Exception {
    Field stream = CommandLine.Tracer.class.getDeclaredField("stream");
    stream.setAccessible(true);
    PrintStream original = (PrintStream) stream.get(CommandLine.tracer());
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> rendered = new ArrayList<>();
    try {
      stream.set(CommandLine.tracer(), new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (CommandLine command : everyCommand()) {
        StringWriter usage = new StringWriter();
        command.usage(new PrintWriter(usage, true));
        rendered.add(command.getCommandSpec().qualifiedName());
        assertFalse(usage.toString().isBlank(), command.getCommandSpec().qualifiedName());
      }
    } finally {
      stream.set(CommandLine.tracer(), original);
    }

    assertTrue(rendered.contains("pekko-trader simulate-exchange"), rendered::toString);
    assertTrue(rendered.contains("pekko-trader bench heap"), rendered::toString);
    assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli warnings while rendering the usage help");
  }

  @Test
  void describesEveryCommandOptionAndParameterInWholeSentences() {
    List<String> cut = new ArrayList<>();
    for (CommandLine command : everyCommand()) {
      CommandSpec spec = command.getCommandSpec();
      List<String> texts = new ArrayList<>(List.of(spec.usageMessage().header()));
      texts.addAll(List.of(spec.usageMessage().description()));
      for (ArgSpec arg : spec.args()) {
        texts.addAll(List.of(arg.description()));
      }
      for (String text : texts) {
        if (!wholeSentences(text)) {
          cut.add(spec.qualifiedName() + ": " + text);
        }
      }
    }

    assertEquals(List.of(), cut, "each line of a description (the first one is the summary in the command list) must end a sentence");
  }

  /** Blank, or ends as a sentence ends ({@code .}, {@code !} or {@code ?}, perhaps closing a parenthesis). */
  private static boolean wholeSentences(String text) {
    String line = text.strip();
    if (line.endsWith("%n")) {
      line = line.substring(0, line.length() - 2).strip();
    }
    return line.isEmpty() || line.matches("(?s).*[.!?][)\"']?");
  }

  @Test
  void simulateExchangeHelpShowsThePercentSigns() {
    Outcome outcome = execute(Map.of(), "simulate-exchange", "--help");

    assertEquals(0, outcome.exitCode());
    assertTrue(outcome.out().contains("0.05 or 5%)."), outcome.out());
    assertTrue(outcome.out().contains("garbage=5%,"), outcome.out());
  }

  // ---- version and usage ---------------------------------------------------------------------

  @Test
  void versionNamesTheProjectVersionAndTheCommitOfTheBuild() {
    Outcome outcome = execute(Map.of(), "--version");

    assertEquals(0, outcome.exitCode());
    assertTrue(
        outcome.out().strip().matches("pekko-trader \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,}\\)"),
        () -> "version line: " + outcome.out());
  }

  @Test
  void noCommandPrintsTheUsageToStderrAndExitsTwo() {
    Outcome outcome = execute(Map.of());

    assertEquals(Main.EXIT_USAGE, outcome.exitCode());
    assertEquals(2, Main.EXIT_USAGE);
    assertTrue(outcome.err().startsWith("Usage: pekko-trader"), outcome.err());
    assertEquals("", outcome.out());
  }

  @Test
  void benchWithoutABenchmarkPrintsItsUsageToStderrAndExitsTwo() {
    Outcome outcome = execute(Map.of(), "bench");

    assertEquals(2, outcome.exitCode());
    assertTrue(outcome.err().startsWith("Usage: pekko-trader bench"), outcome.err());
  }

  // ---- client commands -----------------------------------------------------------------------

  /** A stand-in for the control API: answers {@code path} with {@code status} and {@code body} to the right key only. */
  private String engineAnswering(String key, String path, int status, String body) throws IOException {
    engine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    engine.createContext(
        "/api/v1" + path,
        exchange -> {
          boolean authorized = ("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] answer =
              (authorized ? body : "{\"error\":{\"code\":\"unauthorized\",\"message\":\"wrong key\"}}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(authorized ? status : 401, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    engine.start();
    return "http://127.0.0.1:" + engine.getAddress().getPort();
  }

  private static final String STATUS = "{\"mode\":\"paper\",\"uptimeMs\":1000,\"killSwitch\":{\"engaged\":false},\"venues\":[],\"symbols\":[],\"portfolio\":{}}";

  @Test
  void clientCommandsReadTheKeyFileOfTheDataDirectoryWhenNoKeyIsGiven() throws IOException {
    Path dataDir = Files.createDirectories(tmp.resolve("engine-data"));
    Files.writeString(dataDir.resolve("api-key"), "the-engines-own-key-0123\n");
    String url = engineAnswering("the-engines-own-key-0123", "/status", 200, STATUS);

    Outcome outcome = execute(Map.of("TRADER_DATA_DIR", dataDir.toString()), "status", "--url", url);

    assertEquals(0, outcome.exitCode(), outcome::err);
    assertTrue(outcome.out().startsWith("mode paper"), outcome.out());
  }

  @Test
  void clientCommandsLookForTheKeyFileInDataWithoutTraderDataDir() {
    assertEquals(Path.of("data", "api-key"), ClientCommands.Client.defaultKeyFile(Map.of()));
    assertEquals(Path.of("/srv/trader", "api-key"), ClientCommands.Client.defaultKeyFile(Map.of("TRADER_DATA_DIR", "/srv/trader")));
  }

  @Test
  void clientCommandsWithoutAKeyOrAKeyFileExitTwoNamingWhatTheyLookedFor() {
    Path empty = tmp.resolve("no-engine-here");

    Outcome outcome = execute(Map.of("TRADER_DATA_DIR", empty.toString()), "pause", "binance:BTCUSDT");

    assertEquals(ClientCommands.EXIT_NO_KEY, outcome.exitCode());
    assertEquals(2, ClientCommands.EXIT_NO_KEY);
    assertTrue(outcome.err().contains("TRADER_API_KEY is not set"), outcome.err());
    assertTrue(outcome.err().contains(empty.resolve("api-key").toAbsolutePath().toString()), outcome.err());
    assertTrue(outcome.err().contains("--key-file"), outcome.err());
  }

  @Test
  void clientCommandsPreferTraderApiKeyToTheDefaultKeyFile() throws IOException {
    Path dataDir = Files.createDirectories(tmp.resolve("engine-data"));
    Files.writeString(dataDir.resolve("api-key"), "a-stale-key-of-another-engine\n");
    String url = engineAnswering("the-key-in-the-environment", "/status", 200, STATUS);

    Outcome outcome =
        execute(Map.of("TRADER_DATA_DIR", dataDir.toString(), "TRADER_API_KEY", "the-key-in-the-environment"), "status", "--url", url);

    assertEquals(0, outcome.exitCode(), outcome::err);
  }

  @Test
  void emergencyStopExitsOneWhenASymbolAnsweredWithAnError() throws IOException {
    String url =
        engineAnswering(
            "operator-key-0123456789",
            "/emergency-stop",
            202,
            "{\"accepted\":true,\"killSwitch\":{\"engaged\":true,\"reason\":\"emergency stop: test\",\"sinceMs\":1},\"symbols\":["
                + "{\"id\":\"binance:BTCUSDT\",\"outcome\":\"exit intended\",\"error\":null},"
                + "{\"id\":\"binance:ETHUSDT\",\"outcome\":null,\"error\":\"unavailable: did not answer in time; call again\"}]}");

    Outcome outcome = execute(Map.of("TRADER_API_KEY", "operator-key-0123456789"), "emergency-stop", "--url", url);

    assertEquals(ClientCommands.EXIT_REFUSED, outcome.exitCode(), outcome::err);
    assertTrue(outcome.out().contains("ERROR: unavailable"), outcome.out());
    assertTrue(outcome.err().contains("binance:ETHUSDT"), outcome.err());
    assertFalse(outcome.err().contains("binance:BTCUSDT"), outcome.err());
  }

  @Test
  void emergencyStopExitsZeroWhenEverySymbolTookTheStop() throws IOException {
    String url =
        engineAnswering(
            "operator-key-0123456789",
            "/emergency-stop",
            202,
            "{\"accepted\":true,\"killSwitch\":{\"engaged\":true,\"reason\":\"emergency stop: test\",\"sinceMs\":1},\"symbols\":["
                + "{\"id\":\"binance:BTCUSDT\",\"outcome\":\"exit intended\",\"error\":null},"
                + "{\"id\":\"binance:ETHUSDT\",\"outcome\":\"nothing to flatten\",\"error\":null}]}");

    Outcome outcome = execute(Map.of("TRADER_API_KEY", "operator-key-0123456789"), "emergency-stop", "--url", url);

    assertEquals(0, outcome.exitCode(), outcome::err);
    assertTrue(outcome.out().contains("nothing to flatten"), outcome.out());
  }

  // ---- run's ports ---------------------------------------------------------------------------

  @Test
  void runTakesAFlagForEveryPortItOpensAndTheyReachTheSettings() {
    CommandLine commandLine = Main.commandLine(Map.of("TRADER_METRICS_PORT", "9999"), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed =
        commandLine.parseArgs(
            "run", "--data-dir", tmp.resolve("data").toString(), "--http-port", "18080", "--metrics-port", "19095",
            "--management-port", "17626", "--node-port", "17355");
    RunCommand run = parsed.subcommand().commandSpec().commandLine().getCommand();
    StringWriter err = new StringWriter();

    CommandSettings.Loaded loaded = run.settings(new PrintWriter(err, true));

    assertNotNull(loaded, err::toString);
    Settings settings = loaded.settings();
    assertEquals(18080, settings.http().port());
    assertEquals(19095, settings.metrics().port(), "the flag wins over TRADER_METRICS_PORT");
    assertEquals(17626, settings.management().port());
    assertEquals(17355, settings.cluster().port());
    com.typesafe.config.Config pekko = settings.pekkoOverrides("jdbc:h2:mem:x");
    assertEquals(17626, pekko.getInt("pekko.management.http.port"));
    assertEquals(17355, pekko.getInt("pekko.remote.artery.canonical.port"));
    assertFalse(Files.exists(tmp.resolve("data")), "reading the settings creates nothing");
  }

  @Test
  void runRejectsAPortFlagOutOfRangeNamingTheFlag() {
    Path dataDir = tmp.resolve("data");

    Outcome metrics = execute(Map.of(), "run", "--data-dir", dataDir.toString(), "--metrics-port", "0");
    Outcome node = execute(Map.of(), "run", "--data-dir", dataDir.toString(), "--node-port", "70000");

    assertEquals(Main.EXIT_BAD_CONFIG, metrics.exitCode(), metrics::err);
    assertTrue(metrics.err().contains("--metrics-port must be a port number in 1..65535, got 0"), metrics.err());
    assertEquals(Main.EXIT_BAD_CONFIG, node.exitCode(), node::err);
    assertTrue(node.err().contains("--node-port must be a port number in 0..65535 (0 = any free port), got 70000"), node.err());
    assertFalse(Files.exists(dataDir));
  }

  @Test
  void runHelpListsAFlagForEveryPort() {
    Outcome outcome = execute(Map.of(), "run", "--help");

    for (String flag : List.of("--http-port", "--metrics-port", "--management-port", "--node-port")) {
      assertTrue(outcome.out().contains(flag), () -> flag + " in\n" + outcome.out());
    }
  }

  // ---- strategies ----------------------------------------------------------------------------

  @Test
  void strategiesListsEveryRegisteredStrategyWithEachParameterItsDefaultRangeAndMeaning() {
    Outcome outcome = execute(Map.of(), "strategies");

    assertEquals(0, outcome.exitCode(), outcome.err());
    List<String> lines = outcome.out().lines().toList();
    for (io.pekkotrader.strategy.StrategyDescriptor descriptor : io.pekkotrader.strategy.Strategies.descriptors()) {
      assertTrue(lines.stream().anyMatch(line -> line.startsWith(descriptor.name())), descriptor.name() + " in:\n" + outcome.out());
      Map<String, String> defaults = io.pekkotrader.strategy.Strategies.shippedDefaults(descriptor.name());
      for (io.pekkotrader.strategy.StrategyParam param : descriptor.params()) {
        assertTrue(
            lines.stream()
                .anyMatch(line -> line.matches("  " + java.util.regex.Pattern.quote(param.name()) + " +" + java.util.regex.Pattern.quote(defaults.get(param.name()))
                    + " +" + java.util.regex.Pattern.quote(param.range()) + " +" + java.util.regex.Pattern.quote(param.meaning()))),
            descriptor.name() + "." + param.name() + " in:\n" + outcome.out());
      }
    }
    assertTrue(outcome.out().contains("  period      14       2..500    candles of the RSI"), outcome.out());
  }

  @Test
  void strategiesShowsOneByNameAndRefusesAnUnknownOne() {
    Outcome one = execute(Map.of(), "strategies", "rsi-reversion");
    assertEquals(0, one.exitCode());
    assertTrue(one.out().startsWith("rsi-reversion\n"), one.out());
    assertFalse(one.out().contains("ma-crossover"), one.out());

    Outcome unknown = execute(Map.of(), "strategies", "moon-shot");
    assertEquals(Main.EXIT_USAGE, unknown.exitCode());
    assertEquals("unknown strategy 'moon-shot' (known: [ma-crossover, rsi-reversion, volatility-breakout])", unknown.err().strip());
  }
}
