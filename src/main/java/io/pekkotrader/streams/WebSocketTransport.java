package io.pekkotrader.streams;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The WebSocket client under a market-data connection: opens one connection, sends the opening
 * frames and the keep-alive, and emits every whole inbound message as it arrives, no faster than
 * the stream asks for them (the client reads from the socket only while there is demand). Ping
 * frames are answered with pongs by the client. Cancelling the source closes the connection with a
 * reason; the venue closing it completes the source; a broken connection fails it. Restarts,
 * the connection budget, the idle watchdog, decoding, de-duplication and routing are above it
 * ({@link WebSocketMarketSource}, {@link MarketDataPipeline}), the same for every client.
 *
 * <p>Implementations are thread-safe and shared by all connections of an actor system
 * ({@link WebSocketTransports}).
 */
public interface WebSocketTransport extends AutoCloseable {

  /**
   * One connection. The materialized value completes when the upgrade succeeded and fails when
   * it did not (the source then fails too).
   */
  Source<InboundFrame, CompletionStage<Done>> connect(Request request);

  /**
   * Attributes for the stream that consumes this transport's connections in {@code system} (to be
   * given to the whole graph it runs in, as {@link MarketDataPipeline#start} does): where the
   * stream's stages should run so that a socket read does not wake another thread. None by
   * default; Netty's client runs the stream on its event loop (docs/market-data.md).
   */
  default Attributes streamAttributes(ActorSystem<?> system) {
    return Attributes.none();
  }

  /** Releases the client's threads; connections still open are closed. */
  @Override
  default void close() {}

  /**
   * What to open and send.
   *
   * @param url {@code ws://} or {@code wss://}
   * @param headers extra HTTP headers of the upgrade request
   * @param opening text frames sent once, right after the upgrade (subscriptions)
   * @param keepAlive a text frame sent every {@code keepAliveInterval} for the connection's life, if any
   * @param keepAliveInterval zero for none
   * @param maxFrameBytes a message longer than this (bytes or characters, as the client counts) is dropped as {@link InboundFrame.TooLong}
   * @param frameTimeout longest wait for the rest of a message that arrives in pieces; longer fails the connection
   */
  record Request(
      String url,
      Map<String, String> headers,
      List<String> opening,
      Optional<String> keepAlive,
      Duration keepAliveInterval,
      int maxFrameBytes,
      Duration frameTimeout) {
    public Request {
      if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
        throw new IllegalArgumentException("a WebSocket URL starts with ws:// or wss://: " + url);
      }
      headers = Map.copyOf(headers);
      opening = List.copyOf(opening);
      if (maxFrameBytes < 1 || keepAliveInterval.isNegative() || frameTimeout.isNegative() || frameTimeout.isZero()) {
        throw new IllegalArgumentException("need a frame limit >= 1, a keep-alive interval >= 0 and a frame timeout > 0");
      }
    }
  }

  /**
   * The clients to choose from ({@code pekko-trader.market.streams.client}). Pekko HTTP's client
   * and the JDK's {@code java.net.http.WebSocket} were measured beside Netty's and removed
   * (docs/market-data.md, "The WebSocket client"); a new client is a new constant here.
   */
  enum Kind {
    /** Netty's WebSocket client codec, reading from the socket only while the stream has demand. */
    NETTY;

    /** The client a connection uses unless told otherwise. */
    public static final Kind DEFAULT = NETTY;

    /** The kind named {@code name} (any case); a clear error for any other name. */
    public static Kind parse(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the WebSocket client must be netty; got \"" + name + "\"");
      }
    }

    /** Its name in configuration ({@code netty}). */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
