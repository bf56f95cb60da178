package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.actors.EngineEvents;
import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.SymbolDirectory;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.domain.risk.TradingDay;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The control API's server under abuse, over loopback with raw sockets: a client address is
 * capped, a connection without request headers is closed, the key's event streams are capped,
 * and a flood from one address leaves the operator's request (from another loopback address)
 * answered within a second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlServerTest {
  private static final String KEY = "control-server-test-key-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int PER_CLIENT = 32;
  private static final int STREAMS = 8;
  /** More than the server's max-connections (1024). */
  private static final int FLOOD = 1_050;

  private ActorTestKit testKit;
  /** Defaults, with a header timeout no test reaches by accident. */
  private ControlServer server;
  /** A header timeout of one second. */
  private ControlServer impatient;

  @BeforeAll
  void start() throws Exception {
    testKit = ControlApiUnderTest.testKit();
    server = bind(Map.of("pekko-trader.http.header-timeout", "30s"));
    impatient = bind(Map.of("pekko-trader.http.header-timeout", "1s"));
  }

  private ControlServer bind(Map<String, String> overrides) throws Exception {
    Map<String, String> values = new HashMap<>(overrides);
    values.put("pekko-trader.http.rate-limit.per-second", "100000");
    values.put("pekko-trader.http.rate-limit.burst", "100000");
    Settings settings = Settings.from(Settings.loadConfig(values, Map.of(), null));
    ActorRef<Notifier.Command> notifier = testKit.spawn(Notifier.create(List.of(), 1, settings.alerts().backoff()));
    ActorRef<Portfolio.Command> portfolio =
        testKit.spawn(Portfolio.create("USDT", new BigDecimal("10000"), TradingDay.UTC_MIDNIGHT, Clock.systemUTC(), 100, notifier));
    ActorRef<RiskManager.Command> risk =
        testKit.spawn(
            Behaviors.receiveMessage(
                message -> {
                  if (message instanceof RiskManager.GetKillSwitch get) {
                    get.replyTo().tell(new RiskManager.KillSwitchStatus(false, "", 0));
                  }
                  return Behaviors.same();
                }));
    ActorRef<Topic.Command<EngineEvents.EngineEvent>> events =
        testKit.spawn(Topic.create(EngineEvents.EngineEvent.class, "engine-events"));
    Engine engine = new Engine(settings, 0, portfolio, risk, Map.of(), null, null, null, events, new SymbolDirectory(List.of()), null, null);
    return ControlServer.bind(
            testKit.system(), "127.0.0.1", 0, settings.http(), new ControlRoutes(engine, testKit.system(), KEY, Clock.systemUTC()).routes())
        .toCompletableFuture()
        .get();
  }

  @AfterAll
  void stop() {
    server.unbind();
    impatient.unbind();
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void noConnectionsLeftFromTheTestBefore() {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(0, server.openConnections());
      assertEquals(0, impatient.openConnections());
      return null;
    });
  }

  @Test
  void closesTheConnectionsOfAnAddressBeyondItsCapAndAdmitsNewOnesOnceSomeClose() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CLIENT; i++) {
        sockets.add(connect(server, "127.0.0.1"));
      }
      awaitOpen(server, PER_CLIENT);
      for (int i = 0; i < 3; i++) {
        Socket extra = connect(server, "127.0.0.1");
        sockets.add(extra);
        assertTrue(closedWithin(extra, Duration.ofSeconds(5)), "the connection beyond the cap is closed");
      }
      assertEquals(200, statusOn(sockets.get(0)), "an admitted connection is served");

      sockets.get(1).close();
      sockets.get(2).close();
      awaitOpen(server, PER_CLIENT - 2);
      Socket again = connect(server, "127.0.0.1");
      sockets.add(again);
      assertEquals(200, statusOn(again), "a new connection is admitted once others closed");
    } finally {
      closeAll(sockets);
    }
  }

  @Test
  void closesAConnectionWhoseRequestHeadersDoNotArriveInTime() throws Exception {
    try (Socket halfSent = connect(impatient, "127.0.0.1")) {
      long start = System.nanoTime();
      halfSent.getOutputStream().write("GET /api/v1/sta".getBytes(StandardCharsets.US_ASCII));
      halfSent.getOutputStream().flush();
      assertTrue(closedWithin(halfSent, Duration.ofSeconds(4)), "closed within the 1 s header timeout and a margin");
      long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(tookMs >= 900, "not before the header timeout: " + tookMs + " ms");
    }
  }

  @Test
  void closesAKeptAliveConnectionWithoutANextRequestButNotAnOpenEventStream() throws Exception {
    try (Socket keptAlive = connect(impatient, "127.0.0.1");
        Socket stream = connect(impatient, "127.0.0.1")) {
      assertEquals(200, statusOn(keptAlive));
      openEventStream(stream);

      assertTrue(closedWithin(keptAlive, Duration.ofSeconds(4)), "idle after its response: closed after the header timeout");
      stream.setSoTimeout(2_500);
      try {
        int read = stream.getInputStream().read();
        assertTrue(read >= 0, "the event stream stays open while it streams");
      } catch (SocketTimeoutException stillOpen) {
        // nothing to read (the heartbeat comes every 15 s) and not closed: as it should be
      }
    }
  }

  @Test
  void refusesAnEventStreamBeyondTheKeysCapAndAdmitsOneOnceAStreamCloses() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < STREAMS; i++) {
        Socket stream = connect(server, "127.0.0.1");
        sockets.add(stream);
        openEventStream(stream);
      }
      Socket refused = connect(server, "127.0.0.1");
      sockets.add(refused);
      send(refused, "GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
      String response = readResponseHead(refused);
      assertTrue(response.startsWith("HTTP/1.1 429"), response);

      sockets.get(0).close();
      testKit.createTestProbe().awaitAssert(WAIT, () -> {
        try (Socket stream = connect(server, "127.0.0.1")) {
          send(stream, "GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
          String head = readResponseHead(stream);
          assertTrue(head.startsWith("HTTP/1.1 200"), head);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
        return null;
      });
    } finally {
      closeAll(sockets);
    }
  }

  @Test
  void answersTheOperatorWithinASecondWhileOneAddressFloodsTheServer() throws Exception {
    List<Socket> flood = new ArrayList<>();
    try {
      for (int i = 0; i < FLOOD; i++) {
        Socket socket;
        try {
          socket = connect(server, "127.0.0.1");
        } catch (IOException refused) {
          continue;
        }
        flood.add(socket);
        try {
          switch (i % 3) {
            case 0 -> send(socket, "GET /api/v1/sta");
            case 1 -> send(socket, "GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
            default -> { } // connected, says nothing
          }
        } catch (IOException closedAlready) {
          // refused by the server: as intended
        }
      }
      assertTrue(server.openConnections() <= PER_CLIENT, "one address holds at most its cap: " + server.openConnections());

      try (Socket operator = connect(server, "127.0.0.2")) {
        long start = System.nanoTime();
        int status = statusOn(operator);
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(200, status);
        assertTrue(tookMs < 1_000, "the operator's status answered in " + tookMs + " ms");
      }
    } finally {
      closeAll(flood);
    }
  }

  // ---- raw HTTP over sockets -------------------------------------------------------------

  private static Socket connect(ControlServer target, String from) throws IOException {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(target.localAddress(), 5_000);
      socket.setSoTimeout(5_000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** The status code of an authorised {@code GET /api/v1/status} on {@code socket} (kept alive), read within its timeout. */
  private static int statusOn(Socket socket) throws IOException {
    send(socket, "GET /api/v1/status HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
    String head = readResponseHead(socket);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    socket.getInputStream().readNBytes(length);
    return Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
  }

  /** The status line and headers, up to the blank line. */
  private static String readResponseHead(Socket socket) throws IOException {
    StringBuilder head = new StringBuilder();
    var in = socket.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** Opens the event feed on {@code socket} and reads until its first event. */
  private static void openEventStream(Socket socket) throws IOException {
    send(socket, "GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
    BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1);
    String first = lines.readLine();
    assertTrue(first != null && first.startsWith("HTTP/1.1 200"), "the stream opens: " + first);
    String line;
    while ((line = lines.readLine()) != null && !line.contains(EngineEvents.SUBSCRIBED)) {
      // headers and chunk sizes before the first event
    }
    assertTrue(line != null, "the first event arrives");
  }

  /** Whether the server closed {@code socket} (end of stream or reset) within {@code limit}. */
  private static boolean closedWithin(Socket socket, Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    try {
      while (true) {
        if (socket.getInputStream().read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  private void awaitOpen(ControlServer target, int connections) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(connections, target.openConnections());
      return null;
    });
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
