package io.pekkotrader.streams.venue;

import io.pekkotrader.domain.Trade;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One venue's public market-data wire format, both sides of it: what a client sends and
 * receives (used by the engine's WebSocket streams) and what a server sends (used by the
 * exchange simulator). Symbols are always the engine's form ({@code BTCUSDT}); each dialect maps
 * them to its own ({@code btcusdt@trade}, {@code publicTrade.BTCUSDT}, {@code BTC/USD}).
 * Implementations are stateless and thread-safe.
 */
public interface VenueDialect {

  /** The venue name as used in symbol ids: {@code binance}, {@code bybit}, {@code kraken}. */
  String venue();

  // ---- client side ---------------------------------------------------------------------------

  /** Path and query to open for these symbols, appended to the venue's base URL. */
  String connectPath(List<String> symbols);

  /** Text frames the client sends right after every (re)connect, e.g. a subscribe request. */
  List<String> subscribeFrames(List<String> symbols);

  /** A text frame the client must send periodically to keep the connection, if the venue asks for one. */
  Optional<String> clientPing();

  /** How often {@link #clientPing()} is sent. */
  Duration clientPingInterval();

  /** Decodes one inbound text frame; never throws, whatever the input. */
  Decoded decode(String frame);

  /**
   * Decodes one inbound text frame from its UTF-8 bytes {@code utf8[offset, offset + length)},
   * exactly as {@link #decode(String)} decodes the same text (invalid UTF-8 is malformed); never throws.
   */
  Decoded decode(byte[] utf8, int offset, int length);

  // ---- server side (simulator) ---------------------------------------------------------------

  /** The symbols a client asks for in its connect path (empty when it subscribes by message). */
  List<String> symbolsInConnectPath(String pathAndQuery);

  /** How the server answers one client text frame: subscription (with the symbols), ping, or other. */
  ClientFrame readClientFrame(String frame);

  /** The frames the server replies with to a client frame (acks, pongs); may be empty. */
  List<String> replyTo(ClientFrame frame);

  /** One trade in the venue's exact wire shape. */
  String encodeTrade(String symbol, Trade trade);

  /** A server-initiated keep-alive text frame (Kraken's heartbeat), if the venue sends one. */
  Optional<String> serverHeartbeat();

  /** What a client sent to the server. */
  sealed interface ClientFrame {
    record Subscribe(List<String> symbols, String requestId) implements ClientFrame {}

    record Ping(String requestId) implements ClientFrame {}

    record Other(String text) implements ClientFrame {}
  }
}
