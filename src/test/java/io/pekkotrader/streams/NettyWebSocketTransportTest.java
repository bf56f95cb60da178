package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Netty client against a loopback venue: it reads only as fast as the stream asks, whether the
 * stream runs on another thread or on the client's event loop ({@link WebSocketTransport#streamAttributes}).
 */
class NettyWebSocketTransportTest {
  private static final ActorTestKit testKit = ActorTestKit.create("netty-transport-test", StreamTests.config());
  private static final int FRAMES = 20_000;
  private static final String PADDING = "x".repeat(2_000);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @ParameterizedTest(name = "stream on the event loop: {0}")
  @ValueSource(booleans = {false, true})
  void stopsReadingTheSocketWhileTheStreamHasNoDemandAndResumesWhenItAsks(boolean onEventLoop) throws Exception {
    AtomicLong sent = new AtomicLong();
    ServerBinding venue =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(
                Directives.handleWebSocketMessages(
                    Flow.fromSinkAndSourceCoupled(
                        Sink.<Message>ignore(),
                        Source.range(1, FRAMES)
                            .<Message>map(i -> TextMessage.create(i + " " + PADDING))
                            .wireTap(m -> sent.incrementAndGet())
                            .concat(Source.maybe()))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    try (WebSocketTransport transport = WebSocketTransports.create(WebSocketTransport.Kind.NETTY, javax.net.ssl.SSLContext.getDefault())) {
      WebSocketTransport.Request request =
          new WebSocketTransport.Request(
              "ws://127.0.0.1:" + venue.localAddress().getPort(), Map.of(), List.of(), Optional.empty(), Duration.ZERO, 1 << 20, Duration.ofSeconds(5));
      java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      TestSubscriber.Probe<InboundFrame> stream =
          transport
              .connect(request)
              .map(
                  frame -> {
                    threads.add(Thread.currentThread().getName());
                    return frame;
                  })
              .toMat(TestSink.create(testKit.system().classicSystem()), org.apache.pekko.stream.javadsl.Keep.right())
              .addAttributes(onEventLoop ? transport.streamAttributes(testKit.system()) : org.apache.pekko.stream.Attributes.none())
              .run(testKit.system());

      stream.request(10);
      InboundFrame first = stream.expectNext();
      for (int i = 1; i < 10; i++) {
        stream.expectNext();
      }
      long waitedUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      long before;
      do {
        before = sent.get();
        Thread.sleep(300);
      } while (sent.get() != before && System.nanoTime() < waitedUntil);

      assertTrue(sent.get() < FRAMES / 2, "the venue could send only what the socket buffers hold: " + sent.get() + " of " + FRAMES);
      assertEquals("1 ", text(first).substring(0, 2));
      stream.request(FRAMES);
      InboundFrame last = null;
      for (int i = 10; i < FRAMES; i++) {
        last = stream.expectNext(Duration.ofSeconds(10));
      }
      assertEquals(FRAMES + " " + PADDING, text(last), "every frame arrived, in order, once the stream asked");
      assertEquals(onEventLoop, threads.equals(java.util.Set.of("market-data-netty")), "the stream ran on " + threads);
      stream.cancel();
    } finally {
      venue.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String text(InboundFrame frame) {
    InboundFrame.Utf8 utf8 = (InboundFrame.Utf8) frame;
    return new String(utf8.bytes(), utf8.offset(), utf8.length(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
