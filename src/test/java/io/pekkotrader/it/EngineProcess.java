package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The engine's shaded jar run as a real process on loopback, with its own free ports, for the
 * integration tests. Stops with SIGTERM ({@link #terminate()}) or SIGKILL ({@link #kill9()}).
 */
final class EngineProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Path dataDir;
  final int httpPort;
  final int managementPort;
  /** The Prometheus endpoint's port: a free one per engine, so engines never share 9095. */
  final int metricsPort;
  final Path log;
  private final Process process;

  private EngineProcess(Path dataDir, int httpPort, int managementPort, int metricsPort, Path log, Process process) {
    this.dataDir = dataDir;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.metricsPort = metricsPort;
    this.log = log;
    this.process = process;
  }

  static Path jar() {
    String jar = System.getProperty("engine.jar", "target/pekko-trader.jar");
    Path path = Path.of(jar);
    assertTrue(Files.isRegularFile(path), "the shaded jar is built before the integration tests: " + path);
    return path;
  }

  /** Starts {@code run} on {@code dataDir}; {@code market} is {@code simulator} or {@code none}. */
  static EngineProcess start(Path dataDir, String market, String logName) throws IOException {
    return start(dataDir, market, logName, Map.of());
  }

  /** As {@link #start(Path, String, String)}, with more environment (a {@code TRADER_*} variable, or {@code --config}). */
  static EngineProcess start(Path dataDir, String market, String logName, Map<String, String> extra) throws IOException {
    // four distinct ports: free ports picked one after another can repeat, and the engine refuses
    // two of its ports being the same (a configuration error, exit 2)
    int[] ports = freePorts(4);
    int http = ports[0];
    int management = ports[1];
    int metrics = ports[2];
    Map<String, String> env = new HashMap<>();
    env.put("TRADER_MARKET", market);
    Path log = dataDir.getParent().resolve(logName + ".log");
    // every port through run's own flags, as an operator starting a second engine would
    List<String> args =
        new ArrayList<>(
            List.of(
                "run", "--data-dir", dataDir.toString(), "--http-port", String.valueOf(http), "--management-port", String.valueOf(management),
                "--metrics-port", String.valueOf(metrics), "--node-port", String.valueOf(ports[3])));
    for (Map.Entry<String, String> entry : extra.entrySet()) {
      if (entry.getKey().equals("--config")) {
        args.addAll(List.of("--config", entry.getValue()));
      } else {
        env.put(entry.getKey(), entry.getValue());
      }
    }
    Process process = launch(env, log, args.toArray(String[]::new));
    return new EngineProcess(dataDir, http, management, metrics, log, process);
  }

  /** Runs a command of the jar to completion; returns exit code and output. */
  static Result runToCompletion(Path log, String... args) throws IOException, InterruptedException {
    return runToCompletion(log, Map.of(), args);
  }

  /** As {@link #runToCompletion(Path, String...)}, with {@code env} (a {@code TRADER_*} variable). */
  static Result runToCompletion(Path log, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Process process = launch(env, log, args);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("command did not finish in 60 s: " + String.join(" ", args));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  record Result(int exitCode, String output) {}

  private static Process launch(Map<String, String> env, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("TRADER_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** {@code n} different free ports: each socket is held until all are picked. */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  String apiKey() throws IOException {
    return Files.readString(dataDir.resolve("api-key"), StandardCharsets.UTF_8).strip();
  }

  HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String bearer) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .header("Authorization", "Bearer " + bearer)
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .timeout(Duration.ofSeconds(10))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code body} as JSON with {@code method}; parses the answer, which must be {@code expected}. */
  JsonNode call(String method, String path, String body, int expected) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .header("Authorization", "Bearer " + apiKey())
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      fail(method + " " + path + " answered " + response.statusCode() + " (expected " + expected + "): " + response.body());
    }
    return JSON.readTree(response.body());
  }

  HttpResponse<String> management(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET of the Prometheus endpoint (no key). */
  HttpResponse<String> metrics() throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode status() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/api/v1/status", apiKey());
    if (response.statusCode() != 200) {
      throw new IOException("status answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Polls the status until {@code condition} holds; fails with the last status and the log tail. */
  JsonNode awaitStatus(Duration timeout, String what, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    Exception lastError = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("engine exited with " + process.exitValue() + " while waiting for " + what + "\n" + logTail());
      }
      try {
        if (Files.exists(dataDir.resolve("api-key"))) {
          last = status();
          if (condition.test(last)) {
            return last;
          }
        }
      } catch (IOException e) {
        lastError = e;
      }
      Thread.sleep(250);
    }
    fail("timed out after " + timeout + " waiting for " + what + "; last status " + last + "; last error " + lastError + "\n" + logTail());
    return null;
  }

  /** Waits until {@code /ready} answers 200 (the management server may not listen yet); fails after {@code timeout}. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = 0;
    while (System.nanoTime() < deadline) {
      try {
        last = management("/ready").statusCode();
        if (last == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the management server is not up yet
      }
      Thread.sleep(250);
    }
    fail("not ready after " + timeout + " (last /ready " + last + ")\n" + logTail());
  }

  /** Every symbol recovered and no order left in flight. */
  static boolean settled(JsonNode status) {
    for (JsonNode symbol : status.get("symbols")) {
      if (!symbol.get("recovered").asBoolean() || !symbol.get("workingOrder").isNull()) {
        return false;
      }
    }
    return status.get("symbols").size() > 0;
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "killed engine is gone");
  }

  /** SIGTERM; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("engine did not stop within 60 s of SIGTERM\n" + logTail());
    }
    return process.exitValue();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("process did not exit within " + timeout);
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logText() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
