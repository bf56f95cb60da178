package io.pekkotrader.streams.venue;

/**
 * The labels a dialect puts on {@link Decoded.Ignored} messages. A fixed, small vocabulary, so
 * that stream counters keyed by kind stay bounded whatever a venue sends.
 */
public final class IgnoredKinds {
  /** A reply to our subscribe or unsubscribe request. */
  public static final String ACK = "ack";
  /** A reply to a client ping. */
  public static final String PONG = "pong";
  /** A server keep-alive message (Kraken's heartbeat channel). */
  public static final String HEARTBEAT = "heartbeat";
  /** A system or connection status message. */
  public static final String STATUS = "status";
  /** An error reply from the venue (a refused subscription, a bad request). */
  public static final String ERROR = "error";
  /** Market data of a channel we do not use: depth, tickers, candles, mark prices, options. */
  public static final String OTHER_CHANNEL = "other-channel";
  /** A trade of a derivatives market (futures, perpetuals): the engine trades spot only. */
  public static final String NON_SPOT = "non-spot";
  /** A trade message that carries no trade (an empty snapshot). */
  public static final String EMPTY = "empty";
  /** A REST response body found in a recording, not a stream message. */
  public static final String RESPONSE = "response";
  /** Well-formed JSON of a shape the dialect does not recognise. */
  public static final String UNRECOGNISED = "unrecognised";

  private IgnoredKinds() {}
}
