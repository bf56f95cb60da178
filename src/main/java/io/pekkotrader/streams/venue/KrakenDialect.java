package io.pekkotrader.streams.venue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kraken spot market data, WebSocket API v2 {@code trade} channel; v1 trade arrays found in
 * recordings are decoded too.
 *
 * <p>Symbols: the engine's {@code BTCUSD} is Kraken's {@code BTC/USD}. Decoding just removes the
 * slash. Going the other way the engine symbol is split before the longest known quote asset
 * that ends it, from {@link #QUOTE_ASSETS}: {@code BTCUSDT → BTC/USDT}, {@code ETHBTC → ETH/BTC}.
 * A symbol that ends in none of them cannot be subscribed ({@link IllegalArgumentException}).
 *
 * <p>Decoding v2: {@code {"channel":"trade","type":"snapshot|update","data":[{symbol, side,
 * price, qty, ord_type, trade_id, timestamp}]}}; price and qty are JSON numbers whose text is
 * taken exactly; the RFC 3339 timestamp is truncated to ms. A frame whose items are not all valid
 * trades is {@link Decoded.Malformed} as a whole. Heartbeat, status, method replies (acks,
 * pongs, errors) and other channels are ignored.
 *
 * <p>Decoding v1 ({@code [channelID, [[price, volume, time, side, orderType, misc], ..], "trade",
 * "XBT/USD"]}): prices and volumes are decimal strings, time is seconds with microseconds, side
 * {@code b}/{@code s}. v1 names bitcoin {@code XBT} and dogecoin {@code XDG}; they become
 * {@code BTC} and {@code DOGE} so that v1 and v2 name the same symbol. v1 sends no trade id
 * unless a 7th element carries one; otherwise the id is {@code v1-<time in µs>-<index in frame>},
 * the same whenever the same frame is decoded again. Messages of Kraken's futures feed
 * ({@code "feed":..}) are {@link IgnoredKinds#NON_SPOT}.
 *
 * <p>Connecting: {@code /v2}, one subscribe frame with every symbol and {@code "snapshot":false}
 * (the engine wants live trades, not the last 50 again after each reconnect). Kraken sends a
 * heartbeat about every second on a subscribed connection, which feeds the stream's idle
 * watchdog; the client also sends {@code {"method":"ping"}} every 30 s, so that a connection
 * without subscribed traffic is still checked end to end.
 */
public final class KrakenDialect implements VenueDialect {
  /** The venue name. */
  public static final String VENUE = "kraken";

  /**
   * Quote assets an engine symbol may end in, longest first (the order the split tries them).
   * Kept to the quotes Kraken lists pairs in; a quote that is also the tail of a common asset
   * (TUSD is the tail of USDTUSD) would split such symbols wrongly.
   */
  public static final List<String> QUOTE_ASSETS =
      List.of("USDT", "USDC", "USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "BTC", "ETH", "DAI")
          .stream()
          .sorted((a, b) -> Integer.compare(b.length(), a.length()))
          .toList();

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final int CHANNEL_NONE = 0;
  private static final int CHANNEL_TRADE = 1;
  private static final int CHANNEL_HEARTBEAT = 2;
  private static final int CHANNEL_STATUS = 3;
  private static final int CHANNEL_OTHER = 4;

  private static final Decoded ACK = new Decoded.Ignored(IgnoredKinds.ACK);
  private static final Decoded PONG = new Decoded.Ignored(IgnoredKinds.PONG);
  private static final Decoded HEARTBEAT = new Decoded.Ignored(IgnoredKinds.HEARTBEAT);
  private static final Decoded STATUS = new Decoded.Ignored(IgnoredKinds.STATUS);
  private static final Decoded ERROR = new Decoded.Ignored(IgnoredKinds.ERROR);
  private static final Decoded EMPTY = new Decoded.Ignored(IgnoredKinds.EMPTY);
  private static final Decoded OTHER_CHANNEL = new Decoded.Ignored(IgnoredKinds.OTHER_CHANNEL);
  private static final Decoded NON_SPOT = new Decoded.Ignored(IgnoredKinds.NON_SPOT);
  private static final Decoded RESPONSE = new Decoded.Ignored(IgnoredKinds.RESPONSE);
  private static final Decoded UNRECOGNISED = new Decoded.Ignored(IgnoredKinds.UNRECOGNISED);
  private static final Decoded NOT_JSON_STRUCTURE = new Decoded.Malformed("neither a JSON object nor an array");

  private final JsonWire.RootReader reader = this::readRoot;

  @Override
  public String venue() {
    return VENUE;
  }

  // ---- symbols -------------------------------------------------------------------------------

  /**
   * Kraken's name for an engine symbol: {@code BTCUSD → BTC/USD}.
   *
   * @throws IllegalArgumentException when the symbol is not in the engine's form or does not end
   *     in one of {@link #QUOTE_ASSETS} after a non-empty base
   */
  public static String toWireSymbol(String symbol) {
    EngineSymbols.require(symbol);
    for (String quote : QUOTE_ASSETS) {
      if (symbol.length() > quote.length() && symbol.endsWith(quote)) {
        return symbol.substring(0, symbol.length() - quote.length()) + "/" + quote;
      }
    }
    throw new IllegalArgumentException(
        "cannot split '" + symbol + "' into Kraken's BASE/QUOTE: it ends in none of the known quote assets "
            + QUOTE_ASSETS);
  }

  /** The engine's name for a Kraken symbol: {@code BTC/USD → BTCUSD}; {@code null} if not valid. */
  public static String fromWireSymbol(String wireSymbol) {
    if (wireSymbol == null) {
      return null;
    }
    char[] chars = wireSymbol.toCharArray();
    return EngineSymbols.fromChars(chars, 0, chars.length, '/');
  }

  // ---- client side ---------------------------------------------------------------------------

  /** {@code /v2}, after checking that every symbol can be named on Kraken. */
  @Override
  public String connectPath(List<String> symbols) {
    symbols.forEach(KrakenDialect::toWireSymbol);
    return "/v2";
  }

  /** One {@code subscribe} frame to the {@code trade} channel with every symbol, no snapshot. */
  @Override
  public List<String> subscribeFrames(List<String> symbols) {
    Set<String> wire = new LinkedHashSet<>();
    for (String symbol : symbols) {
      wire.add(toWireSymbol(symbol));
    }
    if (wire.isEmpty()) {
      return List.of();
    }
    StringBuilder frame = new StringBuilder("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[");
    int i = 0;
    for (String symbol : wire) {
      frame.append(i++ == 0 ? "\"" : ",\"").append(symbol).append('"');
    }
    return List.of(frame.append("],\"snapshot\":false}}").toString());
  }

  /** {@code {"method":"ping"}}. */
  @Override
  public Optional<String> clientPing() {
    return Optional.of("{\"method\":\"ping\"}");
  }

  /** 30 s; the server's heartbeat is the finer-grained liveness signal. */
  @Override
  public Duration clientPingInterval() {
    return Duration.ofSeconds(30);
  }

  @Override
  public Decoded decode(String frame) {
    return JsonWire.decode(frame, reader);
  }

  @Override
  public Decoded decode(byte[] utf8, int offset, int length) {
    return JsonWire.decode(utf8, offset, length, reader);
  }

  private Decoded readRoot(JsonParser parser, JsonToken root) throws IOException {
    if (root == JsonToken.START_ARRAY) {
      return readV1(parser);
    }
    if (root != JsonToken.START_OBJECT) {
      return NOT_JSON_STRUCTURE;
    }
    Message message = new Message();
    JsonToken token;
    while ((token = JsonWire.next(parser)) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = JsonWire.next(parser);
      switch (name) {
        case "channel":
          message.channel =
              JsonWire.textIs(parser, value, "trade")
                  ? CHANNEL_TRADE
                  : JsonWire.textIs(parser, value, "heartbeat")
                      ? CHANNEL_HEARTBEAT
                      : JsonWire.textIs(parser, value, "status") ? CHANNEL_STATUS : CHANNEL_OTHER;
          break;
        case "data":
          message.hasData = true;
          if (message.channel == CHANNEL_NONE || message.channel == CHANNEL_TRADE) {
            message.readData(parser, value);
          }
          break;
        case "method":
          message.method = JsonWire.string(parser, value);
          break;
        case "event":
          message.event = JsonWire.string(parser, value);
          break;
        case "feed":
          message.feed = true;
          break;
        case "success":
          message.failed |= value == JsonToken.VALUE_FALSE;
          break;
        case "result":
        case "error":
          message.response = true;
          break;
        default:
          break;
      }
      JsonWire.skip(parser);
    }
    JsonWire.expectObjectEnd(token);
    return message.classify();
  }

  /** One v2 (or v1 event) frame, gathered in one pass in whatever order its fields came. */
  private static final class Message {
    int channel = CHANNEL_NONE;
    boolean hasData;
    String dataProblem;
    final List<Item> items = new ArrayList<>(1);
    String method;
    String event;
    boolean feed;
    boolean failed;
    boolean response;

    void readData(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_ARRAY) {
        dataProblem = "data is not an array";
        return;
      }
      JsonToken element;
      while ((element = JsonWire.next(parser)) != JsonToken.END_ARRAY) {
        if (element == JsonToken.START_OBJECT) {
          items.add(Item.read(parser));
        } else {
          dataProblem = "data holds a non-object";
          JsonWire.skip(parser);
        }
      }
    }

    Decoded classify() {
      switch (channel) {
        case CHANNEL_TRADE:
          return trades();
        case CHANNEL_HEARTBEAT:
          return HEARTBEAT;
        case CHANNEL_STATUS:
          return STATUS;
        case CHANNEL_OTHER:
          return OTHER_CHANNEL;
        default:
          break;
      }
      if (method != null) {
        if (method.equals("pong")) {
          return PONG;
        }
        if (failed) {
          return ERROR;
        }
        return method.equals("subscribe") || method.equals("unsubscribe") ? ACK : RESPONSE;
      }
      if (event != null) {
        return v1Event(event);
      }
      if (feed) {
        return NON_SPOT;
      }
      if (failed) {
        return ERROR;
      }
      return response ? RESPONSE : UNRECOGNISED;
    }

    private static Decoded v1Event(String event) {
      switch (event) {
        case "heartbeat":
          return HEARTBEAT;
        case "pong":
          return PONG;
        case "systemStatus":
        case "info":
          return STATUS;
        case "subscriptionStatus":
        case "subscribed":
        case "unsubscribed":
          return ACK;
        case "error":
        case "alert":
          return ERROR;
        default:
          return UNRECOGNISED;
      }
    }

    private Decoded trades() {
      if (!hasData) {
        return new Decoded.Malformed("trade channel without data");
      }
      if (dataProblem != null) {
        return new Decoded.Malformed("trade: " + dataProblem);
      }
      if (items.isEmpty()) {
        return EMPTY;
      }
      List<Decoded.VenueTrade> trades = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Object result = items.get(i).resolve();
        if (result instanceof String problem) {
          return new Decoded.Malformed("trade " + i + ": " + problem);
        }
        trades.add((Decoded.VenueTrade) result);
      }
      return new Decoded.Trades(List.copyOf(trades));
    }
  }

  /** One v2 trade item. */
  private static final class Item {
    String symbol;
    boolean hasSymbol;
    int side = -1;
    BigDecimal price;
    boolean hasPrice;
    BigDecimal quantity;
    boolean hasQuantity;
    String id;
    String timestamp;

    static Item read(JsonParser parser) throws IOException {
      Item item = new Item();
      JsonToken token;
      while ((token = JsonWire.next(parser)) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = JsonWire.next(parser);
        switch (name) {
          case "symbol":
            item.hasSymbol = true;
            item.symbol =
                value == JsonToken.VALUE_STRING
                    ? EngineSymbols.fromChars(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), '/')
                    : null;
            break;
          case "side":
            item.side = JsonWire.textIs(parser, value, "buy") ? 0 : JsonWire.textIs(parser, value, "sell") ? 1 : 2;
            break;
          case "price":
            item.hasPrice = true;
            item.price = JsonWire.decimal(parser, value);
            break;
          case "qty":
            item.hasQuantity = true;
            item.quantity = JsonWire.decimal(parser, value);
            break;
          case "trade_id":
            item.id = value.isScalarValue() ? JsonWire.id(parser, value) : null;
            break;
          case "timestamp":
            item.timestamp = JsonWire.string(parser, value);
            break;
          default:
            break;
        }
        JsonWire.skip(parser);
      }
      JsonWire.expectObjectEnd(token);
      return item;
    }

    /** The trade, or a {@code String} saying what is wrong with it. */
    Object resolve() {
      if (symbol == null) {
        return hasSymbol ? "symbol is not BASE/QUOTE of [A-Z0-9]" : "missing symbol";
      }
      if (side < 0 || side > 1) {
        return side < 0 ? "missing side" : "side is neither buy nor sell";
      }
      if (price == null || price.signum() <= 0) {
        return price != null ? "price must be > 0" : hasPrice ? "price is not a decimal in range" : "missing price";
      }
      if (quantity == null || quantity.signum() <= 0) {
        return quantity != null ? "qty must be > 0" : hasQuantity ? "qty is not a decimal in range" : "missing qty";
      }
      if (id == null) {
        return "missing or invalid trade_id";
      }
      long ms = JsonWire.rfc3339Millis(timestamp);
      if (ms == JsonWire.NO_LONG || ms <= 0) {
        return timestamp == null ? "missing timestamp" : "timestamp is not an RFC 3339 time after 1970";
      }
      return new Decoded.VenueTrade(symbol, new Trade(id, ms, price, quantity, side == 0 ? Side.BUY : Side.SELL));
    }
  }

  // ---- v1 ------------------------------------------------------------------------------------

  /** {@code [channelID, payload.., channelName, pair]}; only trade payloads are kept. */
  private static Decoded readV1(JsonParser parser) throws IOException {
    List<List<String>> rows = null;
    String previous = null;
    String last = null;
    JsonToken element;
    while ((element = JsonWire.next(parser)) != JsonToken.END_ARRAY) {
      if (element == JsonToken.VALUE_STRING) {
        previous = last;
        last = parser.getText();
      } else if (element == JsonToken.START_ARRAY) {
        List<List<String>> payload = readV1Rows(parser);
        rows = payload != null ? payload : rows;
      } else {
        JsonWire.skip(parser);
      }
    }
    if (previous == null || !previous.equals("trade")) {
      return previous != null ? OTHER_CHANNEL : UNRECOGNISED;
    }
    if (rows == null) {
      return new Decoded.Malformed("v1 trade: no trade rows");
    }
    String symbol = v1Symbol(last);
    if (symbol == null) {
      return new Decoded.Malformed("v1 trade: pair '" + last + "' is not BASE/QUOTE of [A-Z0-9]");
    }
    List<Decoded.VenueTrade> trades = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Object result = v1Trade(symbol, rows.get(i), i);
      if (result instanceof String problem) {
        return new Decoded.Malformed("v1 trade " + i + ": " + problem);
      }
      trades.add((Decoded.VenueTrade) result);
    }
    return trades.isEmpty() ? EMPTY : new Decoded.Trades(List.copyOf(trades));
  }

  /**
   * Reads an array payload: a list of rows of scalars when it is an array of arrays (a trade
   * payload), else {@code null} after skipping it (spread, ohlc).
   */
  private static List<List<String>> readV1Rows(JsonParser parser) throws IOException {
    JsonToken first = JsonWire.next(parser);
    if (first == JsonToken.END_ARRAY) {
      return List.of();
    }
    if (first != JsonToken.START_ARRAY) {
      JsonWire.skip(parser);
      JsonToken token;
      while ((token = JsonWire.next(parser)) != JsonToken.END_ARRAY) {
        if (token.isStructStart()) {
          JsonWire.skip(parser);
        }
      }
      return null;
    }
    List<List<String>> rows = new ArrayList<>();
    JsonToken row = first;
    while (row != JsonToken.END_ARRAY) {
      if (row != JsonToken.START_ARRAY) {
        throw new IOException("v1 trade payload mixes rows and values");
      }
      List<String> values = new ArrayList<>(7);
      JsonToken value;
      while ((value = JsonWire.next(parser)) != JsonToken.END_ARRAY) {
        values.add(value.isScalarValue() ? parser.getText() : null);
        JsonWire.skip(parser);
      }
      rows.add(values);
      row = JsonWire.next(parser);
    }
    return rows;
  }

  private static Object v1Trade(String symbol, List<String> row, int index) {
    if (row.size() < 4) {
      return "a row needs price, volume, time and side";
    }
    BigDecimal price = WireDecimals.parse(row.get(0));
    BigDecimal volume = WireDecimals.parse(row.get(1));
    BigDecimal seconds = WireDecimals.parse(row.get(2));
    if (price == null || price.signum() <= 0) {
      return "price must be a decimal > 0";
    }
    if (volume == null || volume.signum() <= 0) {
      return "volume must be a decimal > 0";
    }
    if (seconds == null || seconds.signum() <= 0) {
      return "time must be seconds > 0";
    }
    String side = row.get(3);
    if (!"b".equals(side) && !"s".equals(side)) {
      return "side is neither b nor s";
    }
    long ms = seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValue();
    String id =
        row.size() > 6 && row.get(6) != null && !row.get(6).isEmpty()
            ? row.get(6)
            : "v1-" + seconds.movePointRight(6).setScale(0, RoundingMode.FLOOR).toPlainString() + "-" + index;
    return new Decoded.VenueTrade(symbol, new Trade(id, ms, price, volume, side.equals("b") ? Side.BUY : Side.SELL));
  }

  /** {@code XBT/USD → BTCUSD}: v1's XBT and XDG renamed to BTC and DOGE, then the slash removed. */
  private static String v1Symbol(String pair) {
    if (pair == null) {
      return null;
    }
    int slash = pair.indexOf('/');
    if (slash < 0) {
      return null;
    }
    return fromWireSymbol(v1Asset(pair.substring(0, slash)) + "/" + v1Asset(pair.substring(slash + 1)));
  }

  private static String v1Asset(String asset) {
    switch (asset) {
      case "XBT":
        return "BTC";
      case "XDG":
        return "DOGE";
      default:
        return asset;
    }
  }

  // ---- server side (simulator) ---------------------------------------------------------------

  /** None: Kraken clients subscribe by message. */
  @Override
  public List<String> symbolsInConnectPath(String pathAndQuery) {
    return List.of();
  }

  /**
   * A {@code subscribe} to the {@code trade} channel is a {@link ClientFrame.Subscribe} with the
   * engine symbols; {@code {"method":"ping"}} is a {@link ClientFrame.Ping}; both keep
   * {@code req_id}.
   */
  @Override
  public ClientFrame readClientFrame(String frame) {
    JsonNode node = JsonWire.tree(frame);
    if (node == null) {
      return new ClientFrame.Other(frame == null ? "" : frame);
    }
    String method = node.path("method").asText();
    String requestId = node.path("req_id").isValueNode() ? node.path("req_id").asText() : "";
    if (method.equals("ping")) {
      return new ClientFrame.Ping(requestId);
    }
    JsonNode params = node.path("params");
    if (!method.equals("subscribe") || !"trade".equals(params.path("channel").asText()) || !params.path("symbol").isArray()) {
      return new ClientFrame.Other(frame);
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (JsonNode symbol : params.path("symbol")) {
      String engine = symbol.isTextual() && symbol.asText().indexOf('/') > 0 ? fromWireSymbol(symbol.asText()) : null;
      if (engine != null) {
        symbols.add(engine);
      }
    }
    return new ClientFrame.Subscribe(List.copyOf(symbols), requestId);
  }

  /**
   * One subscribe ack per symbol (as Kraken does), or an error when no symbol was valid; a pong
   * to a ping; nothing to other frames. {@code time_in}/{@code time_out} are the current time.
   */
  @Override
  public List<String> replyTo(ClientFrame frame) {
    String now = MICROS.format(Instant.now());
    if (frame instanceof ClientFrame.Subscribe subscribe) {
      if (subscribe.symbols().isEmpty()) {
        return List.of(
            "{\"error\":\"Currency pair not supported\",\"method\":\"subscribe\"" + requestId(subscribe.requestId())
                + ",\"success\":false,\"time_in\":\"" + now + "\",\"time_out\":\"" + now + "\"}");
      }
      List<String> acks = new ArrayList<>();
      for (String symbol : subscribe.symbols()) {
        acks.add(
            "{\"method\":\"subscribe\"" + requestId(subscribe.requestId())
                + ",\"result\":{\"channel\":\"trade\",\"snapshot\":false,\"symbol\":" + JsonWire.quote(wireOrSelf(symbol))
                + "},\"success\":true,\"time_in\":\"" + now + "\",\"time_out\":\"" + now + "\"}");
      }
      return acks;
    }
    if (frame instanceof ClientFrame.Ping ping) {
      return List.of(
          "{\"method\":\"pong\"" + requestId(ping.requestId()) + ",\"time_in\":\"" + now + "\",\"time_out\":\"" + now + "\"}");
    }
    return List.of();
  }

  private static String wireOrSelf(String symbol) {
    try {
      return toWireSymbol(symbol);
    } catch (IllegalArgumentException e) {
      return symbol;
    }
  }

  private static String requestId(String requestId) {
    if (requestId == null || requestId.isEmpty()) {
      return "";
    }
    boolean integer = JsonWire.digits(requestId.toCharArray(), 0, requestId.length()) != JsonWire.NO_LONG;
    return ",\"req_id\":" + (integer ? requestId : JsonWire.quote(requestId));
  }

  /**
   * A v2 {@code trade} update with one trade: price and qty as JSON numbers written exactly,
   * {@code ord_type} {@code market}, the timestamp with microseconds.
   *
   * @throws IllegalArgumentException when the id is not an integer (Kraken's are) or the symbol
   *     cannot be split
   */
  @Override
  public String encodeTrade(String symbol, Trade trade) {
    String wire = toWireSymbol(symbol);
    String id = trade.tradeId();
    if (JsonWire.digits(id.toCharArray(), 0, id.length()) == JsonWire.NO_LONG) {
      throw new IllegalArgumentException("a Kraken trade id is an integer of up to 18 digits, got '" + id + "'");
    }
    return new StringBuilder(240)
        .append("{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"").append(wire)
        .append("\",\"side\":\"").append(trade.takerSide() == Side.BUY ? "buy" : "sell")
        .append("\",\"price\":").append(trade.price().toPlainString())
        .append(",\"qty\":").append(trade.quantity().toPlainString())
        .append(",\"ord_type\":\"market\",\"trade_id\":").append(id)
        .append(",\"timestamp\":\"").append(MICROS.format(Instant.ofEpochMilli(trade.timestampMs())))
        .append("\"}]}")
        .toString();
  }

  /** {@code {"channel":"heartbeat"}}, which Kraken sends about once a second. */
  @Override
  public Optional<String> serverHeartbeat() {
    return Optional.of("{\"channel\":\"heartbeat\"}");
  }
}
