package io.pekkotrader.streams;

/**
 * One whole message a {@link WebSocketTransport} received, in the form its client hands it over:
 * text the client already decoded ({@link Text}), or the frame's UTF-8 bytes where the client
 * gives access to them ({@link Utf8}), so the dialect parses the bytes without a {@code String}
 * per frame. Pieces of a fragmented message are joined by the transport before it emits one.
 */
public sealed interface InboundFrame {

  /** A text message as characters. */
  record Text(String text) implements InboundFrame {}

  /**
   * A text message as its UTF-8 bytes {@code bytes[offset, offset + length)}; the array belongs to
   * this frame (the transport copies it out of its own buffers and never reuses it).
   */
  record Utf8(byte[] bytes, int offset, int length) implements InboundFrame {}

  /** A binary message (no venue sends market data in binary): counted as ignored. */
  enum Binary implements InboundFrame {
    INSTANCE
  }

  /** A message longer than the transport's limit, dropped unread: counted as malformed. */
  enum TooLong implements InboundFrame {
    INSTANCE
  }
}
