package io.pekkotrader.http;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;

/**
 * The control API on a real HTTP server on loopback, for route tests: the actor test kit they
 * run in (local, in-memory journal, the engine's serialization), settings without the rate limit
 * (tested on its own in RateLimitRoutesTest), and requests with or without a key.
 */
final class ControlApiUnderTest implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final ServerBinding binding;
  private final String base;
  private final Duration timeout;

  private ControlApiUnderTest(ServerBinding binding, Duration timeout) {
    this.binding = binding;
    this.base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/";
    this.timeout = timeout;
  }

  /** An actor test kit with the in-memory journal and the engine's serialization bindings. */
  static ActorTestKit testKit() {
    return ActorTestKit.create(
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(ConfigFactory.parseResources("serialization.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  /** The default settings with a rate limit no test reaches. */
  static Settings settings() {
    return Settings.from(
        Settings.loadConfig(Map.of("pekko-trader.http.rate-limit.per-second", "100000", "pekko-trader.http.rate-limit.burst", "100000"), Map.of(), null));
  }

  /** Serves {@code engine}'s control routes with {@code key}; each request may take up to {@code timeout}. */
  static ControlApiUnderTest bind(ActorTestKit testKit, Engine engine, String key, Duration timeout) throws Exception {
    ServerBinding binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ControlRoutes(engine, testKit.system(), key, Clock.systemUTC(), () -> tradingHistory(testKit, engine)).routes())
            .toCompletableFuture()
            .get();
    return new ControlApiUnderTest(binding, timeout);
  }

  /** The trading history read from the test kit's in-memory journal. */
  static io.pekkotrader.persistence.TradingHistory tradingHistory(ActorTestKit testKit, Engine engine) {
    return new io.pekkotrader.persistence.TradingHistory(
        testKit.system(),
        org.apache.pekko.persistence.query.PersistenceQuery.get(testKit.system())
            .getReadJournalFor(
                org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.class,
                org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.Identifier()),
        engine.settings().trading().quoteAsset());
  }

  /** {@code method} on {@code /api/v1/<path>} with a JSON {@code body} (or none) and {@code key} as the bearer (or none). */
  HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    binding.unbind();
  }
}
