package io.pekkotrader.streams.venue;

import io.pekkotrader.domain.Trade;
import java.util.List;

/** What one inbound WebSocket text frame turned out to be. Decoding never throws. */
public sealed interface Decoded {
  /** One or more trades (a venue may batch several trades in a frame). */
  record Trades(List<VenueTrade> trades) implements Decoded {}

  /**
   * A well-formed message that is not a trade: subscription ack, heartbeat, pong, status, a
   * channel we do not use. {@code kind} is a short label for counters ("ack", "heartbeat", ...).
   */
  record Ignored(String kind) implements Decoded {}

  /** Garbage, truncated JSON, or a trade with missing or invalid fields. */
  record Malformed(String reason) implements Decoded {}

  /** A trade and the engine's symbol it belongs to ({@code BTCUSDT}, never {@code BTC/USD}). */
  record VenueTrade(String symbol, Trade trade) {}
}
