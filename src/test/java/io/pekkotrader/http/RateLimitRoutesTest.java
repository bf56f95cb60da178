package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.persistence.TradingHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-client rate limit on a real server: the burst passes, then 429 with Retry-After, before
 * the key is even checked. The buckets refill by a clock the test moves, so a slow machine cannot
 * change the counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitRoutesTest {
  private ActorTestKit testKit;
  private ServerBinding binding;
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);

  @BeforeAll
  void start() throws Exception {
    testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.http.server.remote-address-attribute = on"));
    Settings settings =
        Settings.from(
            Settings.loadConfig(Map.of("pekko-trader.http.rate-limit.per-second", "1", "pekko-trader.http.rate-limit.burst", "5"), Map.of(), null));
    Engine engine = new Engine(settings, 0, null, null, Map.of(), null, null, null, null, new io.pekkotrader.actors.SymbolDirectory(settings.symbols()), null, null);
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(
                new ControlRoutes(
                        engine,
                        testKit.system(),
                        "rate-limit-test-key-0123456789",
                        Clock.systemUTC(),
                        () -> TradingHistory.jdbc(testKit.system(), settings.trading().quoteAsset()),
                        nanoTime::get)
                    .routes())
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  void stop() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  @Test
  void answers429WithRetryAfterOnceTheBurstIsUsedAndLetsOneMoreThroughPerSecondOfRefill() throws Exception {
    int passed = 0;
    HttpResponse<String> limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      HttpResponse<String> response = statusWithAWrongKey();
      if (response.statusCode() == 429) {
        limited = response;
      } else {
        assertEquals(401, response.statusCode(), response.body());
        passed++;
      }
    }
    assertEquals(5, passed, "the burst of 5 passed, and nothing refilled while the clock stood still");
    assertTrue(limited != null, "refused after the burst");
    assertEquals("1", limited.headers().firstValue("Retry-After").orElseThrow(), "one token a second: retry in 1 s");
    assertEquals("rate_limited", new ObjectMapper().readTree(limited.body()).get("error").get("code").asText());

    nanoTime.addAndGet(999_000_000L);
    assertEquals(429, statusWithAWrongKey().statusCode(), "not yet a whole token after 0.999 s");

    nanoTime.addAndGet(1_000_000L);
    assertEquals(401, statusWithAWrongKey().statusCode(), "one token after 1 s: the request reaches the key check");
    assertEquals(429, statusWithAWrongKey().statusCode(), "and only one");
  }

  private HttpResponse<String> statusWithAWrongKey() throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/status"))
            .header("Authorization", "Bearer a-wrong-key-of-some-length")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
