package io.pekkotrader.streams.venue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binance spot market data: {@code <symbol>@trade} and {@code <symbol>@aggTrade} events, raw or
 * wrapped in the combined-stream envelope {@code {"stream":..,"data":..}}.
 *
 * <p>Decoding:
 * <ul>
 *   <li>{@code trade}: id {@code t}, price {@code p}, quantity {@code q}, time {@code T} (ms),
 *       {@code m} = the buyer is the maker, so the taker sold. The trade id is {@code t} as sent.
 *   <li>{@code aggTrade}: the same with id {@code a}, written {@value #AGG_TRADE_ID_PREFIX}{@code a}
 *       so that aggregate ids never collide with trade ids of the same symbol.
 *   <li>A trade of a symbol with {@code _} (delivery futures {@code BTCUSD_210625}, perpetuals
 *       {@code BTCUSD_PERP}, options) is {@link IgnoredKinds#NON_SPOT}; every other event (depth,
 *       tickers, klines, mark prices, book tickers) is {@link IgnoredKinds#OTHER_CHANNEL};
 *       {@code {"result":..,"id":..}} is an {@link IgnoredKinds#ACK}.
 * </ul>
 *
 * <p>Connecting: the first {@value #URL_STREAMS} symbols ride in the combined-stream URL
 * ({@code /stream?streams=btcusdt@trade/ethusdt@trade}); any further ones are sent as
 * {@code SUBSCRIBE} frames of at most {@value #STREAMS_PER_SUBSCRIBE} streams, so that the URL
 * stays short (servers refuse long request lines) and a full connection of
 * {@value #MAX_STREAMS} streams needs 4 frames, within Binance's 5 incoming messages per second.
 * No client ping: Binance pings at the WebSocket protocol level and the client's WebSocket
 * layer answers.
 */
public final class BinanceDialect implements VenueDialect {
  /** The venue name. */
  public static final String VENUE = "binance";
  /** Prefix of aggregate-trade ids. */
  public static final String AGG_TRADE_ID_PREFIX = "agg-";
  /** Binance's limit of streams per connection. */
  public static final int MAX_STREAMS = 1024;
  /** Streams carried in the connect URL. */
  public static final int URL_STREAMS = 50;
  /** Streams per {@code SUBSCRIBE} frame. */
  public static final int STREAMS_PER_SUBSCRIBE = 250;

  private static final int TYPE_NONE = 0;
  private static final int TYPE_TRADE = 1;
  private static final int TYPE_AGG = 2;
  private static final int TYPE_OTHER = 3;
  private static final int FLAG_MISSING = -1;
  private static final int FLAG_INVALID = 2;
  private static final int SYMBOL_MISSING = 0;
  private static final int SYMBOL_VALID = 1;
  private static final int SYMBOL_NON_SPOT = 2;
  private static final int SYMBOL_INVALID = 3;
  private static final int SEEN_PRICE = 1;
  private static final int SEEN_QUANTITY = 1 << 1;
  private static final int SEEN_DATA_ARRAY = 1 << 2;
  private static final int SEEN_ENVELOPE = 1 << 3;
  private static final int SEEN_RESULT = 1 << 4;
  private static final int SEEN_ID = 1 << 5;
  private static final int SEEN_ERROR = 1 << 6;
  private static final int SEEN_BOOK = 1 << 7;

  private static final Decoded ACK = new Decoded.Ignored(IgnoredKinds.ACK);
  private static final Decoded ERROR = new Decoded.Ignored(IgnoredKinds.ERROR);
  private static final Decoded OTHER_CHANNEL = new Decoded.Ignored(IgnoredKinds.OTHER_CHANNEL);
  private static final Decoded NON_SPOT = new Decoded.Ignored(IgnoredKinds.NON_SPOT);
  private static final Decoded UNRECOGNISED = new Decoded.Ignored(IgnoredKinds.UNRECOGNISED);
  private static final Decoded NOT_AN_OBJECT = new Decoded.Malformed("not a JSON object");

  // the fields read, by code; any other field is skipped
  private static final int F_OTHER = 0;
  private static final int F_EVENT = 1;
  private static final int F_SYMBOL = 2;
  private static final int F_TRADE_ID = 3;
  private static final int F_AGG_ID = 4;
  private static final int F_PRICE = 5;
  private static final int F_QUANTITY = 6;
  private static final int F_TIME = 7;
  private static final int F_BUYER_MAKER = 8;
  private static final int F_DATA = 9;
  private static final int F_STREAM = 10;
  private static final int F_RESULT = 11;
  private static final int F_ID = 12;
  private static final int F_ERROR = 13;
  private static final int F_BOOK = 14;
  private static final Map<String, Integer> FIELD_CODES =
      Map.ofEntries(
          Map.entry("e", F_EVENT), Map.entry("s", F_SYMBOL), Map.entry("t", F_TRADE_ID), Map.entry("a", F_AGG_ID),
          Map.entry("p", F_PRICE), Map.entry("q", F_QUANTITY), Map.entry("T", F_TIME), Map.entry("m", F_BUYER_MAKER),
          Map.entry("data", F_DATA), Map.entry("stream", F_STREAM), Map.entry("result", F_RESULT), Map.entry("id", F_ID),
          Map.entry("code", F_ERROR), Map.entry("error", F_ERROR), Map.entry("lastUpdateId", F_BOOK));

  /** The order Binance writes the fields in, and their codes. */
  private static final FieldOrder ENVELOPE_ORDER = new FieldOrder("stream", "data");
  private static final FieldOrder TRADE_ORDER = new FieldOrder("e", "E", "s", "t", "p", "q", "T", "m", "M");
  private static final FieldOrder AGG_TRADE_ORDER = new FieldOrder("e", "E", "s", "a", "p", "q", "f", "l", "T", "m", "M");

  /** Field names in the order expected, ready for {@link JsonParser#nextFieldName}, with their codes. */
  private static final class FieldOrder {
    final SerializedString[] names;
    final int[] codes;

    FieldOrder(String... names) {
      this.names = new SerializedString[names.length];
      this.codes = new int[names.length];
      for (int i = 0; i < names.length; i++) {
        this.names[i] = new SerializedString(names[i]);
        this.codes[i] = FIELD_CODES.getOrDefault(names[i], F_OTHER);
      }
    }

    /** Where to expect the next name after {@code name}: just after it when it is in the order. */
    int indexAfter(String name, int expected) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].getValue().equals(name)) {
          return i + 1;
        }
      }
      return expected;
    }
  }

  private final JsonWire.RootReader reader = this::readRoot;

  @Override
  public String venue() {
    return VENUE;
  }

  // ---- client side ---------------------------------------------------------------------------

  /**
   * {@code /stream?streams=<symbol>@trade/...} with the first {@value #URL_STREAMS} symbols
   * (just {@code /stream} when there are none).
   *
   * @throws IllegalArgumentException for a symbol not in the engine's form, or more than
   *     {@value #MAX_STREAMS} symbols
   */
  @Override
  public String connectPath(List<String> symbols) {
    List<String> streams = streams(symbols);
    if (streams.isEmpty()) {
      return "/stream";
    }
    return "/stream?streams=" + String.join("/", streams.subList(0, Math.min(URL_STREAMS, streams.size())));
  }

  /** {@code SUBSCRIBE} frames for the symbols beyond the first {@value #URL_STREAMS}; usually none. */
  @Override
  public List<String> subscribeFrames(List<String> symbols) {
    List<String> streams = streams(symbols);
    List<String> frames = new ArrayList<>();
    int id = 1;
    for (int from = URL_STREAMS; from < streams.size(); from += STREAMS_PER_SUBSCRIBE) {
      List<String> chunk = streams.subList(from, Math.min(from + STREAMS_PER_SUBSCRIBE, streams.size()));
      StringBuilder frame = new StringBuilder("{\"method\":\"SUBSCRIBE\",\"params\":[");
      for (int i = 0; i < chunk.size(); i++) {
        frame.append(i == 0 ? "\"" : ",\"").append(chunk.get(i)).append('"');
      }
      frames.add(frame.append("],\"id\":").append(id++).append('}').toString());
    }
    return List.copyOf(frames);
  }

  private static List<String> streams(List<String> symbols) {
    Set<String> streams = new LinkedHashSet<>();
    for (String symbol : symbols) {
      streams.add(EngineSymbols.require(symbol).toLowerCase(Locale.ROOT) + "@trade");
    }
    if (streams.size() > MAX_STREAMS) {
      throw new IllegalArgumentException(
          "a Binance connection carries at most " + MAX_STREAMS + " streams, got " + streams.size() + " symbols");
    }
    return new ArrayList<>(streams);
  }

  /** None: Binance pings at the WebSocket protocol level. */
  @Override
  public Optional<String> clientPing() {
    return Optional.empty();
  }

  /** {@link Duration#ZERO}: no client ping. */
  @Override
  public Duration clientPingInterval() {
    return Duration.ZERO;
  }

  @Override
  public Decoded decode(String frame) {
    return JsonWire.decode(frame, reader);
  }

  @Override
  public Decoded decode(byte[] utf8, int offset, int length) {
    Decoded trade = utf8 != null ? BinanceTradeScanner.scan(utf8, offset, length) : null;
    return trade != null ? trade : JsonWire.decode(utf8, offset, length, reader);
  }

  private Decoded readRoot(JsonParser parser, JsonToken root) throws IOException {
    if (root == JsonToken.START_ARRAY) {
      JsonWire.skip(parser);
      return OTHER_CHANNEL;
    }
    if (root != JsonToken.START_OBJECT) {
      return NOT_AN_OBJECT;
    }
    return readObject(parser, true);
  }

  /**
   * Reads one object, the envelope ({@code root}) or the event inside it (for a raw stream the
   * root is the event), and says what it was. What the fields said is kept in locals, not in a
   * holder object: this runs for every frame.
   *
   * <p>Binance writes its fields in a fixed order, so each name is first matched against the one
   * expected next ({@link JsonParser#nextFieldName(com.fasterxml.jackson.core.SerializableString)}
   * compares the input characters directly, skipping the parser's name table). Any other name,
   * in any order, is read the ordinary way: the order is a fast path, never a requirement.
   */
  private static Decoded readObject(JsonParser parser, boolean root) throws IOException {
    int type = TYPE_NONE;
    String symbol = null;
    int symbolState = SYMBOL_MISSING;
    String tradeId = null;
    String aggId = null;
    BigDecimal price = null;
    BigDecimal quantity = null;
    long timeMs = JsonWire.NO_LONG;
    int buyerMaker = FLAG_MISSING;
    int seen = 0;
    Decoded data = null;
    int expected = 0;
    while (true) {
      FieldOrder order = root ? ENVELOPE_ORDER : type == TYPE_AGG ? AGG_TRADE_ORDER : TRADE_ORDER;
      int field;
      if (expected < order.names.length && parser.nextFieldName(order.names[expected])) {
        field = order.codes[expected++];
      } else {
        JsonToken token = expected < order.names.length ? parser.currentToken() : parser.nextToken();
        if (token == JsonToken.END_OBJECT) {
          break;
        }
        if (token != JsonToken.FIELD_NAME) {
          throw new IOException("expected a field name, got " + token);
        }
        String name = parser.currentName();
        field = FIELD_CODES.getOrDefault(name, F_OTHER);
        expected = order.indexAfter(name, expected);
      }
      JsonToken value = JsonWire.next(parser);
      switch (field) {
        case F_EVENT:
          type =
              JsonWire.textIs(parser, value, "trade")
                  ? TYPE_TRADE
                  : JsonWire.textIs(parser, value, "aggTrade") ? TYPE_AGG : TYPE_OTHER;
          break;
        case F_SYMBOL:
          if (value == JsonToken.VALUE_STRING) {
            char[] text = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            symbol = EngineSymbols.fromChars(text, offset, length, EngineSymbols.KEEP_ALL);
            symbolState =
                symbol != null
                    ? SYMBOL_VALID
                    : EngineSymbols.contains(text, offset, length, '_') ? SYMBOL_NON_SPOT : SYMBOL_INVALID;
          } else {
            symbolState = SYMBOL_INVALID;
          }
          break;
        case F_TRADE_ID:
          tradeId = value.isScalarValue() ? JsonWire.id(parser, value) : null;
          break;
        case F_AGG_ID:
          aggId = value.isScalarValue() ? JsonWire.id(parser, value) : null;
          break;
        case F_PRICE:
          price = JsonWire.decimal(parser, value);
          seen |= SEEN_PRICE;
          break;
        case F_QUANTITY:
          quantity = JsonWire.decimal(parser, value);
          seen |= SEEN_QUANTITY;
          break;
        case F_TIME:
          timeMs = JsonWire.longValue(parser, value);
          break;
        case F_BUYER_MAKER:
          buyerMaker = value == JsonToken.VALUE_TRUE ? 1 : value == JsonToken.VALUE_FALSE ? 0 : FLAG_INVALID;
          break;
        case F_DATA:
          if (root && value == JsonToken.START_OBJECT) {
            data = readObject(parser, false);
            continue;
          }
          seen |= value == JsonToken.START_ARRAY ? SEEN_DATA_ARRAY : 0;
          break;
        case F_STREAM:
          seen |= root ? SEEN_ENVELOPE : 0;
          break;
        case F_RESULT:
          seen |= root ? SEEN_RESULT : 0;
          break;
        case F_ID:
          seen |= root ? SEEN_ID : 0;
          break;
        case F_ERROR:
          seen |= SEEN_ERROR;
          break;
        case F_BOOK:
          seen |= SEEN_BOOK;
          break;
        default:
          break;
      }
      JsonWire.skip(parser);
    }
    if (data != null) {
      // a data object the dialect does not know is still a stream's message
      return data == UNRECOGNISED && (seen & SEEN_ENVELOPE) != 0 ? OTHER_CHANNEL : data;
    }
    if (type == TYPE_TRADE || type == TYPE_AGG) {
      String id = type == TYPE_TRADE ? tradeId : aggId;
      return trade(type, symbolState, symbol, id, price, quantity, seen, timeMs, buyerMaker);
    }
    if (type == TYPE_OTHER || (seen & (SEEN_DATA_ARRAY | SEEN_BOOK)) != 0) {
      return OTHER_CHANNEL;
    }
    if ((seen & SEEN_ERROR) != 0) {
      return ERROR;
    }
    if ((seen & SEEN_RESULT) != 0 && (seen & SEEN_ID) != 0) {
      return ACK;
    }
    return (seen & SEEN_ENVELOPE) != 0 ? OTHER_CHANNEL : UNRECOGNISED;
  }

  /** The trade a {@code trade} or {@code aggTrade} event describes, or what is wrong with it. */
  private static Decoded trade(
      int type, int symbolState, String symbol, String id, BigDecimal price, BigDecimal quantity, int seen, long timeMs,
      int buyerMaker) {
    String kind = type == TYPE_TRADE ? "trade" : "aggTrade";
    if (symbolState == SYMBOL_NON_SPOT) {
      return NON_SPOT;
    }
    if (symbolState != SYMBOL_VALID) {
      return malformed(kind, symbolState == SYMBOL_MISSING ? "missing s" : "s is not a symbol");
    }
    if (id == null) {
      return malformed(kind, type == TYPE_TRADE ? "missing or invalid t" : "missing or invalid a");
    }
    if (price == null || price.signum() <= 0) {
      return malformed(
          kind, price != null ? "p must be > 0" : (seen & SEEN_PRICE) != 0 ? "p is not a decimal in range" : "missing p");
    }
    if (quantity == null || quantity.signum() <= 0) {
      return malformed(
          kind, quantity != null ? "q must be > 0" : (seen & SEEN_QUANTITY) != 0 ? "q is not a decimal in range" : "missing q");
    }
    if (timeMs == JsonWire.NO_LONG || timeMs <= 0) {
      return malformed(kind, "missing or invalid T");
    }
    if (buyerMaker == FLAG_MISSING || buyerMaker == FLAG_INVALID) {
      return malformed(kind, buyerMaker == FLAG_MISSING ? "missing m" : "m is not a boolean");
    }
    String tradeId = type == TYPE_TRADE ? id : AGG_TRADE_ID_PREFIX + id;
    Trade trade = new Trade(tradeId, timeMs, price, quantity, buyerMaker == 1 ? Side.SELL : Side.BUY);
    return new Decoded.Trades(List.of(new Decoded.VenueTrade(symbol, trade)));
  }

  private static Decoded malformed(String kind, String reason) {
    return new Decoded.Malformed(kind + ": " + reason);
  }

  // ---- server side (simulator) ---------------------------------------------------------------

  /**
   * The symbols of the trade and aggregate-trade streams named in {@code /stream?streams=a/b}
   * or {@code /ws/a/b}; other streams are left out.
   */
  @Override
  public List<String> symbolsInConnectPath(String pathAndQuery) {
    if (pathAndQuery == null) {
      return List.of();
    }
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    String streams = "";
    if (path.startsWith("/ws/")) {
      streams = path.substring("/ws/".length());
    } else if (path.equals("/stream") && question >= 0) {
      for (String parameter : pathAndQuery.substring(question + 1).split("&")) {
        if (parameter.startsWith("streams=")) {
          streams = parameter.substring("streams=".length());
        }
      }
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (String stream : URLDecoder.decode(streams, StandardCharsets.UTF_8).split("/")) {
      String symbol = tradeStreamSymbol(stream);
      if (symbol != null) {
        symbols.add(symbol);
      }
    }
    return List.copyOf(symbols);
  }

  /** The engine symbol of {@code btcusdt@trade} or {@code btcusdt@aggTrade}, else {@code null}. */
  private static String tradeStreamSymbol(String stream) {
    int at = stream.indexOf('@');
    if (at < 0) {
      return null;
    }
    String kind = stream.substring(at + 1);
    String symbol = stream.substring(0, at).toUpperCase(Locale.ROOT);
    boolean trades = kind.equals("trade") || kind.equals("aggTrade");
    return trades && EngineSymbols.isEngineSymbol(symbol) ? symbol : null;
  }

  /**
   * {@code {"method":"SUBSCRIBE","params":[..],"id":1}} is a {@link ClientFrame.Subscribe} with
   * the symbols of its trade streams; anything else is {@link ClientFrame.Other} (Binance has no
   * text ping).
   */
  @Override
  public ClientFrame readClientFrame(String frame) {
    JsonNode node = JsonWire.tree(frame);
    if (node == null || !"SUBSCRIBE".equals(node.path("method").asText()) || !node.path("params").isArray()) {
      return new ClientFrame.Other(frame == null ? "" : frame);
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (JsonNode stream : node.path("params")) {
      String symbol = stream.isTextual() ? tradeStreamSymbol(stream.asText()) : null;
      if (symbol != null) {
        symbols.add(symbol);
      }
    }
    JsonNode id = node.path("id");
    return new ClientFrame.Subscribe(List.copyOf(symbols), id.isValueNode() && !id.isNull() ? id.asText() : "");
  }

  /** {@code {"result":null,"id":<id>}} to a subscription; nothing otherwise. */
  @Override
  public List<String> replyTo(ClientFrame frame) {
    if (frame instanceof ClientFrame.Subscribe subscribe) {
      return List.of("{\"result\":null,\"id\":" + jsonId(subscribe.requestId()) + "}");
    }
    return List.of();
  }

  private static String jsonId(String requestId) {
    if (requestId == null || requestId.isEmpty()) {
      return "null";
    }
    return JsonWire.digits(requestId.toCharArray(), 0, requestId.length()) != JsonWire.NO_LONG ? requestId : JsonWire.quote(requestId);
  }

  /**
   * The combined-stream form of a {@code trade} event, or of an {@code aggTrade} event when the
   * id carries {@value #AGG_TRADE_ID_PREFIX}. {@code E} is set to the trade time; an aggregate
   * trade's first and last trade ids ({@code f}, {@code l}) are set to its own id.
   *
   * @throws IllegalArgumentException when the id is not a Binance id (digits, optionally after
   *     the aggregate prefix) or the symbol not in the engine's form
   */
  @Override
  public String encodeTrade(String symbol, Trade trade) {
    EngineSymbols.require(symbol);
    String id = trade.tradeId();
    boolean aggregate = id.startsWith(AGG_TRADE_ID_PREFIX);
    String number = aggregate ? id.substring(AGG_TRADE_ID_PREFIX.length()) : id;
    if (JsonWire.digits(number.toCharArray(), 0, number.length()) == JsonWire.NO_LONG) {
      throw new IllegalArgumentException("a Binance trade id is up to 18 digits (or agg- and digits), got '" + id + "'");
    }
    long ms = trade.timestampMs();
    StringBuilder frame = new StringBuilder(200);
    frame.append("{\"stream\":\"").append(symbol.toLowerCase(Locale.ROOT)).append(aggregate ? "@aggTrade" : "@trade");
    frame.append("\",\"data\":{\"e\":\"").append(aggregate ? "aggTrade" : "trade").append("\",\"E\":").append(ms);
    frame.append(",\"s\":\"").append(symbol).append(aggregate ? "\",\"a\":" : "\",\"t\":").append(number);
    frame.append(",\"p\":\"").append(trade.price().toPlainString());
    frame.append("\",\"q\":\"").append(trade.quantity().toPlainString()).append('"');
    if (aggregate) {
      frame.append(",\"f\":").append(number).append(",\"l\":").append(number);
    }
    frame.append(",\"T\":").append(ms).append(",\"m\":").append(trade.takerSide() == Side.SELL).append(",\"M\":true}}");
    return frame.toString();
  }

  /** None: Binance's keep-alive is the protocol-level ping. */
  @Override
  public Optional<String> serverHeartbeat() {
    return Optional.empty();
  }
}
