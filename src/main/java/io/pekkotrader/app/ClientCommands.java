package io.pekkotrader.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkotrader.http.ApiKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The control API's command-line clients: {@code status}, {@code kill-switch}, {@code
 * emergency-stop}, {@code pause}, {@code resume}, {@code flatten}. The key comes from {@code --key-file}, else
 * {@code TRADER_API_KEY}, else the key file the engine writes into its data directory
 * ({@code TRADER_DATA_DIR} or {@code ./data}); the answer is printed readably; any failure exits
 * non-zero.
 */
public final class ClientCommands {
  /** Exit code: the engine answered with an error. */
  public static final int EXIT_REFUSED = 1;
  /** Exit code: no key to send. */
  public static final int EXIT_NO_KEY = 2;
  /** Exit code: the engine could not be reached. */
  public static final int EXIT_UNREACHABLE = 6;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientCommands() {}

  /** What every client command shares: where the engine is and how to authenticate. */
  abstract static class Client implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080", description = "The engine's control API (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description =
            "Read the API key from this file instead of TRADER_API_KEY. Without either, the key is read from the engine's"
                + " key file api-key in TRADER_DATA_DIR, or in ./data when that is not set.")
    Path keyFile;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    Client(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String key = key(err);
      if (key == null) {
        return EXIT_NO_KEY;
      }
      HttpResponse<String> response;
      try {
        response = send(key);
      } catch (IllegalArgumentException e) {
        err.println("Bad --url " + url + ": " + e.getMessage());
        return EXIT_NO_KEY;
      } catch (IOException e) {
        err.println("Cannot reach the engine at " + url + ": " + e);
        return EXIT_UNREACHABLE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return EXIT_UNREACHABLE;
      }
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException e) {
        err.println("The engine answered " + response.statusCode() + " with a body that is not JSON");
        return EXIT_REFUSED;
      }
      if (response.statusCode() >= 300) {
        JsonNode error = body.path("error");
        err.println(
            "Refused (" + response.statusCode() + " " + error.path("code").asText("?") + "): " + error.path("message").asText(response.body())
                + (error.path("field").isTextual() ? " [field " + error.path("field").asText() + "]" : ""));
        return EXIT_REFUSED;
      }
      print(body, out);
      return exitCode(body, err);
    }

    /** The key to send: from --key-file, else TRADER_API_KEY, else the default key file; null after printing why there is none. */
    private String key(PrintWriter err) {
      Path file = keyFile;
      String fromEnv = env.get("TRADER_API_KEY");
      if (file == null && fromEnv != null && !fromEnv.isBlank()) {
        return fromEnv.strip();
      }
      if (file == null) {
        file = defaultKeyFile(env);
        if (!Files.isRegularFile(file)) {
          err.println(
              "No API key: TRADER_API_KEY is not set and there is no key file " + file.toAbsolutePath()
                  + "; set TRADER_API_KEY, run from the engine's directory (or set TRADER_DATA_DIR to its data directory),"
                  + " or pass --key-file FILE");
          return null;
        }
      }
      String key;
      try {
        key = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        err.println("Cannot read the API key file " + file + ": " + e.getMessage());
        return null;
      }
      if (key.isEmpty()) {
        err.println("No API key: the key file " + file + " is empty");
        return null;
      }
      return key;
    }

    /** The key file of the engine's data directory: {@code TRADER_DATA_DIR}, else {@code ./data}. */
    static Path defaultKeyFile(Map<String, String> env) {
      String dataDir = env.get("TRADER_DATA_DIR");
      return Path.of(dataDir == null || dataDir.isBlank() ? "data" : dataDir).resolve(ApiKeys.FILE_NAME);
    }

    private HttpResponse<String> send(String key) throws IOException, InterruptedException {
      String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      String body = body();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + "/api/v1" + path()))
              .timeout(Duration.ofSeconds(15))
              .header("Authorization", "Bearer " + key)
              .header("Accept", "application/json");
      if (body == null) {
        request.GET();
      } else {
        request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      }
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The path under /api/v1. */
    abstract String path();

    /** The JSON body to POST, or null for a GET. */
    abstract String body();

    abstract void print(JsonNode answer, PrintWriter out);

    /** The exit code of an accepted answer: 0, unless the answer reports a part that failed. */
    int exitCode(JsonNode answer, PrintWriter err) {
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the engine's status: kill switch, venues, symbols, portfolio.")
  public static final class Status extends Client {
    public Status(Map<String, String> env) {
      super(env);
    }

    @Override
    String path() {
      return "/status";
    }

    @Override
    String body() {
      return null;
    }

    @Override
    void print(JsonNode s, PrintWriter out) {
      JsonNode ks = s.path("killSwitch");
      out.printf("mode %s, up %s, kill switch %s%n", s.path("mode").asText(), uptime(s.path("uptimeMs").asLong()),
          ks.path("engaged").asBoolean() ? "ENGAGED (" + ks.path("reason").asText() + ")" : "off");
      for (JsonNode v : s.path("venues")) {
        out.printf("venue %-8s %s, last message %d ms ago, %d reconnects, %d malformed%n", v.path("venue").asText(),
            v.path("connected").asBoolean() ? "connected" : "DISCONNECTED", v.path("lastMessageAgeMs").asLong(),
            v.path("reconnects").asLong(), v.path("malformed").asLong());
      }
      for (JsonNode sym : s.path("symbols")) {
        out.printf("symbol %-18s %-13s position %s, fills %d%n", sym.path("id").asText(), sym.path("phase").asText(),
            sym.path("positionQty").asText("-"), sym.path("fills").asLong());
      }
      JsonNode p = s.path("portfolio");
      out.printf("portfolio equity %s %s, cash %s, realized %s, unrealized %s, open positions %d, fills %d%n",
          p.path("equity").asText(), p.path("quoteAsset").asText(""), p.path("cash").asText(), p.path("realizedPnl").asText(),
          p.path("unrealizedPnl").asText(), p.path("openPositions").asInt(), p.path("fills").asLong());
    }

    private static String uptime(long ms) {
      long s = ms / 1000;
      return s >= 3600 ? (s / 3600) + "h " + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
    }
  }

  @Command(name = "kill-switch", mixinStandardHelpOptions = true, description = "Engage or release the kill switch.")
  public static final class KillSwitch extends Client {
    @CommandLine.ArgGroup(multiplicity = "1")
    Action action;

    static final class Action {
      @Option(names = "--engage", required = true, description = "Engage: reject every new entry; exits still allowed.")
      boolean engage;

      @Option(names = "--release", required = true, description = "Release: entries allowed again.")
      boolean release;
    }

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (recorded in the audit trail and the alert).")
    String reason;

    public KillSwitch(Map<String, String> env) {
      super(env);
    }

    @Override
    String path() {
      return "/kill-switch";
    }

    @Override
    String body() {
      ObjectNode body = JSON.createObjectNode();
      body.put("engaged", action.engage);
      body.put("reason", reason);
      return body.toString();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println(answer.path("engaged").asBoolean() ? "Kill switch ENGAGED: " + answer.path("reason").asText() : "Kill switch released");
    }
  }

  @Command(name = "emergency-stop", mixinStandardHelpOptions = true, description = "Cancel working orders and flatten every position; engages the kill switch.")
  public static final class EmergencyStop extends Client {
    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "emergency stop by operator", description = "Why (default: ${DEFAULT-VALUE}).")
    String reason;

    public EmergencyStop(Map<String, String> env) {
      super(env);
    }

    @Override
    String path() {
      return "/emergency-stop";
    }

    @Override
    String body() {
      return reasonBody(reason);
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println("Emergency stop accepted; kill switch " + (answer.path("killSwitch").path("engaged").asBoolean() ? "ENGAGED" : "off"));
      for (JsonNode symbol : answer.path("symbols")) {
        out.printf("  %-18s %s%n", symbol.path("id").asText(),
            symbol.path("error").isTextual() ? "ERROR: " + symbol.path("error").asText() : symbol.path("outcome").asText());
      }
    }

    /** 1 when a symbol answered with an error: it may still hold a position. */
    @Override
    int exitCode(JsonNode answer, PrintWriter err) {
      List<String> failed = new ArrayList<>();
      for (JsonNode symbol : answer.path("symbols")) {
        if (symbol.path("error").isTextual()) {
          failed.add(symbol.path("id").asText());
        }
      }
      if (failed.isEmpty()) {
        return 0;
      }
      err.println(
          "Not every symbol took the stop: " + String.join(", ", failed)
              + ". The kill switch is engaged and the stop is recorded; run emergency-stop again to retry them.");
      return EXIT_REFUSED;
    }
  }

  /** A body of one field, {@code reason}. */
  static String reasonBody(String reason) {
    return JSON.createObjectNode().put("reason", reason).toString();
  }

  /** pause and resume: one symbol id. */
  abstract static class SymbolCommand extends Client {
    @Parameters(index = "0", paramLabel = "ID", description = "The symbol, venue:SYMBOL (e.g. binance:BTCUSDT).")
    String id;

    SymbolCommand(Map<String, String> env) {
      super(env);
    }

    @Override
    String body() {
      return "{}";
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println(id + ": " + answer.path("outcome").asText() + " (phase " + answer.path("symbol").path("phase").asText() + ")");
    }

    String encodedId() {
      return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a symbol: no new entries until resumed (allowed while flat).")
  public static final class Pause extends SymbolCommand {
    public Pause(Map<String, String> env) {
      super(env);
    }

    @Override
    String path() {
      return "/symbols/" + encodedId() + "/pause";
    }
  }

  @Command(
      name = "flatten",
      mixinStandardHelpOptions = true,
      description = "Close one symbol's position at once whatever its strategy says, then pause it; audited and safe to repeat.")
  public static final class Flatten extends SymbolCommand {
    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "by operator", description = "Why (default: ${DEFAULT-VALUE}).")
    String reason;

    public Flatten(Map<String, String> env) {
      super(env);
    }

    @Override
    String path() {
      return "/symbols/" + encodedId() + "/flatten";
    }

    @Override
    String body() {
      return reasonBody(reason);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused symbol.")
  public static final class Resume extends SymbolCommand {
    public Resume(Map<String, String> env) {
      super(env);
    }

    @Override
    String path() {
      return "/symbols/" + encodedId() + "/resume";
    }
  }
}
