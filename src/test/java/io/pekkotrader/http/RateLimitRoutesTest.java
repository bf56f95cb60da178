package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The per-client rate limit on a real server: the burst passes, then 429 with Retry-After, before the key is even checked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitRoutesTest {
  private ActorTestKit testKit;
  private ServerBinding binding;
  private final HttpClient client = HttpClient.newHttpClient();

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
            .bind(new ControlRoutes(engine, testKit.system(), "rate-limit-test-key-0123456789", Clock.systemUTC()).routes())
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  void stop() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  @Test
  void answers429WithRetryAfterOnceTheBurstIsUsed() throws Exception {
    int passed = 0;
    HttpResponse<String> limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/status"))
                  .header("Authorization", "Bearer a-wrong-key-of-some-length")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 429) {
        limited = response;
      } else {
        assertEquals(401, response.statusCode(), response.body());
        passed++;
      }
    }
    assertTrue(passed >= 5 && passed <= 6, "the burst of 5 (plus what refilled meanwhile) passed: " + passed);
    assertTrue(limited != null, "refused after the burst");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 1, "Retry-After " + retryAfter);
    assertEquals("rate_limited", new ObjectMapper().readTree(limited.body()).get("error").get("code").asText());
  }
}
