package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pekkotrader.domain.Backoff;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Notifier against a real HTTP server on loopback. */
class NotifierTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 0.2);

  /** A request the server received: path and body. */
  record Received(String path, JsonNode body) {}

  private HttpServer server;
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status;
          if (exchange.getRequestURI().getPath().startsWith("/down")) {
            status = 503;
          } else if (failuresLeft.getAndDecrement() > 0) {
            status = 500;
          } else {
            received.add(new Received(exchange.getRequestURI().getPath(), JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            status = 200;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static Notifier.Alert alert() {
    return new Notifier.Alert(Notifier.Severity.CRITICAL, "Kill switch engaged", "entries rejected", Map.of("reason", "daily loss"));
  }

  @Test
  void postsTheAlertAsJsonToTheWebhook() throws Exception {
    ActorRef<Notifier.Command> notifier =
        testKit.spawn(Notifier.create(List.of(AlertChannels.webhook(testKit.system(), url("/hook"))), 3, FAST));

    notifier.tell(alert());

    Received request = received.poll(10, TimeUnit.SECONDS);
    assertEquals("/hook", request.path());
    assertEquals("CRITICAL", request.body().get("severity").asText());
    assertEquals("Kill switch engaged", request.body().get("title").asText());
    assertEquals("daily loss", request.body().get("fields").get("reason").asText());
  }

  /** An alert as it was before {@link Notifier.Severity}: the severity a string. */
  record AlertWithSeverityName(String severity, String title, String text, Map<String, String> fields) {}

  @Test
  void carriesTheSeverityByItsNameInThePayloadAndOnTheWireAsBefore() throws Exception {
    ActorTestKit cborKit =
        ActorTestKit.create(
            com.typesafe.config.ConfigFactory.parseResources("serialization.conf").withFallback(com.typesafe.config.ConfigFactory.defaultReference()));
    try {
      assertSeverityTravelsByName(cborKit);
    } finally {
      cborKit.shutdownTestKit();
    }
  }

  private static void assertSeverityTravelsByName(ActorTestKit kit) throws Exception {
    org.apache.pekko.serialization.Serialization serialization =
        org.apache.pekko.serialization.SerializationExtension.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(kit.system()));
    org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(alert());
    com.fasterxml.jackson.databind.ObjectMapper cbor =
        org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(kit.system())
            .getOrCreate("jackson-cbor", java.util.Optional.empty());
    byte[] before =
        cbor.writeValueAsBytes(new AlertWithSeverityName("CRITICAL", "Kill switch engaged", "entries rejected", Map.of("reason", "daily loss")));

    byte[] now = serializer.toBinary(alert());
    Object read = serialization.deserialize(before, serializer.identifier(), Notifier.Alert.class.getName()).get();

    assertEquals("CRITICAL", alert().payload().get("severity"), "the payload the channels render");
    assertEquals(java.util.HexFormat.of().formatHex(before), java.util.HexFormat.of().formatHex(now), "the CBOR form is unchanged");
    assertEquals(alert(), read, "an alert written before the enum reads back");
  }

  @Test
  void retriesAFailingDeliveryWithBackoffUntilItIsAccepted() throws Exception {
    failuresLeft.set(2);
    ActorRef<Notifier.Command> notifier =
        testKit.spawn(Notifier.create(List.of(AlertChannels.webhook(testKit.system(), url("/hook"))), 5, FAST));

    notifier.tell(alert());

    Received request = received.poll(10, TimeUnit.SECONDS);
    assertEquals("Kill switch engaged", request.body().get("title").asText());
    assertTrue(failuresLeft.get() < 0, "the two failures were retried");
  }

  @Test
  void logsAnUndeliveredAlertWithItsPayloadAndNeverDelaysTheOtherChannels() throws Exception {
    List<Notifier.Channel> channels =
        List.of(AlertChannels.webhook(testKit.system(), url("/down")), AlertChannels.webhook(testKit.system(), url("/hook")));
    ActorRef<Notifier.Command> notifier = testKit.spawn(Notifier.create(channels, 3, FAST));

    LoggingTestKit.empty()
        .withLogLevel(org.slf4j.event.Level.ERROR)
        .withMessageRegex("Alert undelivered to webhook after 3 attempts \\(HTTP 503\\); payload: .*daily loss.*")
        .expect(
            testKit.system(),
            () -> {
              notifier.tell(alert());
              try {
                Received healthy = received.poll(10, TimeUnit.SECONDS);
                assertEquals("/hook", healthy.path(), "the healthy channel is served while the other retries");
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return null;
            });
  }

  @Test
  void sendsTelegramMessagesToTheBotApiWithoutLoggingTheToken() throws Exception {
    String token = "123456:SECRET-token-value";
    ActorRef<Notifier.Command> notifier =
        testKit.spawn(Notifier.create(List.of(AlertChannels.telegram(testKit.system(), url("/"), token, "-1001")), 3, FAST));

    LoggingTestKit.empty()
        .withMessageRegex(".*SECRET-token-value.*")
        .withOccurrences(0)
        .expect(
            testKit.system(),
            () -> {
              failuresLeft.set(1);
              notifier.tell(alert());
              try {
                Received request = received.poll(10, TimeUnit.SECONDS);
                assertEquals("/bot" + token + "/sendMessage", request.path());
                assertEquals("-1001", request.body().get("chat_id").asText());
                assertTrue(request.body().get("text").asText().startsWith("[CRITICAL] Kill switch engaged"));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return null;
            });
  }

  @Test
  void keepsTheLatestTwoHundredAlertsNewestFirstWithTheirTime() {
    ActorTests.ManualClock clock = new ActorTests.ManualClock(1_700_000_000_000L);
    ActorRef<Notifier.Command> notifier = testKit.spawn(Notifier.create(List.of(), 1, FAST, clock));
    for (int i = 1; i <= Notifier.RECENT_ALERTS + 1; i++) {
      clock.set(1_700_000_000_000L + i);
      notifier.tell(new Notifier.Alert(Notifier.Severity.WARN, "alert " + i, "text", Map.of()));
    }
    org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<Notifier.RecentAlerts> probe = testKit.createTestProbe();

    notifier.tell(new Notifier.GetRecentAlerts(1_000, probe.getRef()));

    List<Notifier.Raised> alerts = probe.receiveMessage().alerts();
    assertEquals(Notifier.RECENT_ALERTS, alerts.size());
    assertEquals("alert 201", alerts.get(0).alert().title());
    assertEquals(1_700_000_000_201L, alerts.get(0).atMs());
    assertEquals("alert 2", alerts.get(alerts.size() - 1).alert().title(), "the oldest went");
    notifier.tell(new Notifier.GetRecentAlerts(3, probe.getRef()));
    assertEquals(3, probe.receiveMessage().alerts().size());
  }
}
