package io.pekkotrader.streams.venue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bybit public trades: the v5 {@code publicTrade.<SYMBOL>} topic and the older {@code trade.<SYMBOL>}
 * topics still found in recordings.
 *
 * <p>Decoding, per item of {@code data} (an array, or a single object in the v3 spot feed):
 * <ul>
 *   <li>v5: time {@code T} (ms), symbol {@code s}, side {@code S} ({@code Buy}/{@code Sell}),
 *       quantity {@code v}, price {@code p}, id {@code i}.
 *   <li>v1/v2 derivatives: {@code trade_time_ms}, {@code symbol}, {@code side}, {@code size},
 *       {@code price}, {@code trade_id}; a time sent in microseconds ({@code trade_time_e6},
 *       {@code timestamp_e6}) is truncated to ms, and an ISO-8601 {@code timestamp} is the last resort.
 *   <li>v3 spot ({@code trade.BTCUSDT} with {@code q}): id {@code v}, time {@code t}, quantity
 *       {@code q}, {@code m} = the buyer is the taker; the symbol comes from the topic.
 * </ul>
 * Numbers are accepted as JSON numbers or as strings, and decimals are exact. A frame whose
 * items are not all valid trades is {@link Decoded.Malformed} as a whole. Other topics are
 * {@link IgnoredKinds#OTHER_CHANNEL}; {@code op} replies are acks, pongs or errors; REST bodies
 * ({@code ret_code}, {@code result}) found in recordings are {@link IgnoredKinds#RESPONSE}.
 *
 * <p>Connecting: {@code /v5/public/spot}, then {@code subscribe} frames of at most
 * {@value #ARGS_PER_SUBSCRIBE} topics (Bybit's limit for spot); {@code {"op":"ping"}} every 20 s.
 */
public final class BybitDialect implements VenueDialect {
  /** The venue name. */
  public static final String VENUE = "bybit";
  /** Topics per subscribe frame. */
  public static final int ARGS_PER_SUBSCRIBE = 10;
  /** The {@code conn_id} the simulator puts in its replies. */
  public static final String SIMULATOR_CONN_ID = "pekko-trader-simulator";

  private static final String TOPIC_PREFIX = "publicTrade.";
  private static final String OLD_TOPIC_PREFIX = "trade.";
  private static final int TOPIC_NONE = 0;
  private static final int TOPIC_TRADE = 1;
  private static final int TOPIC_OTHER = 2;

  private static final Decoded ACK = new Decoded.Ignored(IgnoredKinds.ACK);
  private static final Decoded PONG = new Decoded.Ignored(IgnoredKinds.PONG);
  private static final Decoded ERROR = new Decoded.Ignored(IgnoredKinds.ERROR);
  private static final Decoded EMPTY = new Decoded.Ignored(IgnoredKinds.EMPTY);
  private static final Decoded OTHER_CHANNEL = new Decoded.Ignored(IgnoredKinds.OTHER_CHANNEL);
  private static final Decoded RESPONSE = new Decoded.Ignored(IgnoredKinds.RESPONSE);
  private static final Decoded UNRECOGNISED = new Decoded.Ignored(IgnoredKinds.UNRECOGNISED);
  private static final Decoded NOT_AN_OBJECT = new Decoded.Malformed("not a JSON object");

  private final JsonWire.RootReader reader = this::readRoot;

  @Override
  public String venue() {
    return VENUE;
  }

  // ---- client side ---------------------------------------------------------------------------

  /** The v5 public spot endpoint; the symbols are subscribed by message. */
  @Override
  public String connectPath(List<String> symbols) {
    symbols.forEach(EngineSymbols::require);
    return "/v5/public/spot";
  }

  /** {@code {"op":"subscribe","args":["publicTrade.BTCUSDT",..]}}, {@value #ARGS_PER_SUBSCRIBE} topics per frame. */
  @Override
  public List<String> subscribeFrames(List<String> symbols) {
    Set<String> unique = new LinkedHashSet<>();
    for (String symbol : symbols) {
      unique.add(EngineSymbols.require(symbol));
    }
    List<String> all = new ArrayList<>(unique);
    List<String> frames = new ArrayList<>();
    for (int from = 0; from < all.size(); from += ARGS_PER_SUBSCRIBE) {
      StringBuilder frame = new StringBuilder("{\"op\":\"subscribe\",\"args\":[");
      for (int i = from; i < Math.min(from + ARGS_PER_SUBSCRIBE, all.size()); i++) {
        frame.append(i == from ? "\"" : ",\"").append(TOPIC_PREFIX).append(all.get(i)).append('"');
      }
      frames.add(frame.append("]}").toString());
    }
    return List.copyOf(frames);
  }

  /** {@code {"op":"ping"}}, which Bybit asks for every 20 s. */
  @Override
  public Optional<String> clientPing() {
    return Optional.of("{\"op\":\"ping\"}");
  }

  @Override
  public Duration clientPingInterval() {
    return Duration.ofSeconds(20);
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
    if (root != JsonToken.START_OBJECT) {
      JsonWire.skip(parser);
      return NOT_AN_OBJECT;
    }
    Message message = new Message();
    JsonToken token;
    while ((token = JsonWire.next(parser)) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = JsonWire.next(parser);
      switch (name) {
        case "topic":
          message.readTopic(parser, value);
          break;
        case "data":
          message.hasData = true;
          if (message.topic != TOPIC_OTHER) {
            message.readData(parser, value);
          }
          break;
        case "op":
          message.op = JsonWire.string(parser, value);
          break;
        case "success":
          message.failed |= value == JsonToken.VALUE_FALSE;
          break;
        case "ret_code":
        case "result":
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

  /** One frame, gathered in one pass in whatever order its fields came. */
  private static final class Message {
    int topic = TOPIC_NONE;
    String topicSymbol;
    boolean hasData;
    String dataProblem;
    final List<Item> items = new ArrayList<>(1);
    String op;
    boolean failed;
    boolean response;

    void readTopic(JsonParser parser, JsonToken value) throws IOException {
      String prefix =
          JsonWire.textStartsWith(parser, value, TOPIC_PREFIX)
              ? TOPIC_PREFIX
              : JsonWire.textStartsWith(parser, value, OLD_TOPIC_PREFIX) ? OLD_TOPIC_PREFIX : null;
      if (prefix == null) {
        topic = TOPIC_OTHER;
        return;
      }
      topic = TOPIC_TRADE;
      topicSymbol =
          EngineSymbols.fromChars(
              parser.getTextCharacters(),
              parser.getTextOffset() + prefix.length(),
              parser.getTextLength() - prefix.length(),
              EngineSymbols.KEEP_ALL);
    }

    void readData(JsonParser parser, JsonToken value) throws IOException {
      if (value == JsonToken.START_OBJECT) {
        items.add(Item.read(parser));
        return;
      }
      if (value != JsonToken.START_ARRAY) {
        dataProblem = "data is neither an array nor an object";
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
      if (topic == TOPIC_TRADE) {
        return trades();
      }
      if (topic == TOPIC_OTHER) {
        return OTHER_CHANNEL;
      }
      if (op != null) {
        switch (op) {
          case "ping":
          case "pong":
            return failed ? ERROR : PONG;
          case "subscribe":
          case "unsubscribe":
            return failed ? ERROR : ACK;
          default:
            return failed ? ERROR : RESPONSE;
        }
      }
      if (failed) {
        return ERROR;
      }
      return response ? RESPONSE : UNRECOGNISED;
    }

    private Decoded trades() {
      if (!hasData) {
        return new Decoded.Malformed("trade topic without data");
      }
      if (dataProblem != null) {
        return new Decoded.Malformed("trade: " + dataProblem);
      }
      if (items.isEmpty()) {
        return EMPTY;
      }
      List<Decoded.VenueTrade> trades = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Object result = items.get(i).resolve(topicSymbol);
        if (result instanceof String problem) {
          return new Decoded.Malformed("trade " + i + ": " + problem);
        }
        trades.add((Decoded.VenueTrade) result);
      }
      return new Decoded.Trades(List.copyOf(trades));
    }
  }

  /** One item of {@code data}, in any of the formats. */
  private static final class Item {
    String symbol;
    boolean hasSymbol;
    String side;
    BigDecimal price;
    boolean hasPrice;
    BigDecimal volumeV;
    String textV;
    boolean hasV;
    BigDecimal quantity;
    boolean hasQuantity;
    BigDecimal quantityQ;
    boolean hasQ;
    String id;
    long timeMs = JsonWire.NO_LONG;
    long timeMicros = JsonWire.NO_LONG;
    long timeV3 = JsonWire.NO_LONG;
    String isoTime;
    int buyerTaker = -1;

    static Item read(JsonParser parser) throws IOException {
      Item item = new Item();
      JsonToken token;
      while ((token = JsonWire.next(parser)) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = JsonWire.next(parser);
        switch (name) {
          case "s":
          case "symbol":
            item.hasSymbol = true;
            item.symbol =
                value == JsonToken.VALUE_STRING
                    ? EngineSymbols.fromChars(
                        parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), EngineSymbols.KEEP_ALL)
                    : null;
            break;
          case "S":
          case "side":
            item.side = JsonWire.textIs(parser, value, "Buy") ? "Buy" : JsonWire.textIs(parser, value, "Sell") ? "Sell" : "?";
            break;
          case "p":
          case "price":
            item.hasPrice = true;
            item.price = JsonWire.decimal(parser, value);
            break;
          case "v":
            item.hasV = true;
            item.volumeV = JsonWire.decimal(parser, value);
            item.textV = value.isScalarValue() ? JsonWire.id(parser, value) : null;
            break;
          case "size":
            item.hasQuantity = true;
            item.quantity = JsonWire.decimal(parser, value);
            break;
          case "q":
            item.hasQ = true;
            item.quantityQ = JsonWire.decimal(parser, value);
            break;
          case "i":
          case "trade_id":
            item.id = value.isScalarValue() ? JsonWire.id(parser, value) : null;
            break;
          case "T":
          case "trade_time_ms":
            item.timeMs = JsonWire.longValue(parser, value);
            break;
          case "trade_time_e6":
          case "timestamp_e6":
            item.timeMicros = JsonWire.longValue(parser, value);
            break;
          case "t":
            item.timeV3 = JsonWire.longValue(parser, value);
            break;
          case "timestamp":
            item.isoTime = JsonWire.string(parser, value);
            break;
          case "m":
            item.buyerTaker = value == JsonToken.VALUE_TRUE ? 1 : value == JsonToken.VALUE_FALSE ? 0 : 2;
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
    Object resolve(String topicSymbol) {
      return hasQ ? resolveV3(topicSymbol) : resolveV5(topicSymbol);
    }

    private Object resolveV5(String topicSymbol) {
      String engineSymbol = hasSymbol ? symbol : topicSymbol;
      if (engineSymbol == null) {
        return hasSymbol ? "s is not a symbol" : "missing s";
      }
      if (id == null) {
        return "missing or invalid i";
      }
      if (side == null || side.equals("?")) {
        return side == null ? "missing S" : "S is neither Buy nor Sell";
      }
      BigDecimal qty = hasV ? volumeV : quantity;
      String problem = positive(price, hasPrice, "p", qty, hasV || hasQuantity, "v");
      if (problem != null) {
        return problem;
      }
      long ms = time();
      if (ms <= 0) {
        return "missing or invalid T";
      }
      Side taker = side.equals("Buy") ? Side.BUY : Side.SELL;
      return new Decoded.VenueTrade(engineSymbol, new Trade(id, ms, price, qty, taker));
    }

    private Object resolveV3(String topicSymbol) {
      String engineSymbol = hasSymbol ? symbol : topicSymbol;
      if (engineSymbol == null) {
        return "missing symbol";
      }
      if (textV == null) {
        return "missing or invalid v";
      }
      String problem = positive(price, hasPrice, "p", quantityQ, hasQ, "q");
      if (problem != null) {
        return problem;
      }
      if (timeV3 == JsonWire.NO_LONG || timeV3 <= 0) {
        return "missing or invalid t";
      }
      if (buyerTaker < 0 || buyerTaker > 1) {
        return buyerTaker < 0 ? "missing m" : "m is not a boolean";
      }
      Side taker = buyerTaker == 1 ? Side.BUY : Side.SELL;
      return new Decoded.VenueTrade(engineSymbol, new Trade(textV, timeV3, price, quantityQ, taker));
    }

    private long time() {
      if (timeMs != JsonWire.NO_LONG) {
        return timeMs;
      }
      if (timeMicros != JsonWire.NO_LONG) {
        return Math.floorDiv(timeMicros, 1000L);
      }
      return JsonWire.rfc3339Millis(isoTime);
    }

    private static String positive(BigDecimal price, boolean hasPrice, String priceName, BigDecimal qty, boolean hasQty, String qtyName) {
      if (price == null || price.signum() <= 0) {
        return price != null ? priceName + " must be > 0" : hasPrice ? priceName + " is not a decimal in range" : "missing " + priceName;
      }
      if (qty == null || qty.signum() <= 0) {
        return qty != null ? qtyName + " must be > 0" : hasQty ? qtyName + " is not a decimal in range" : "missing " + qtyName;
      }
      return null;
    }
  }

  // ---- server side (simulator) ---------------------------------------------------------------

  /** None: Bybit clients subscribe by message. */
  @Override
  public List<String> symbolsInConnectPath(String pathAndQuery) {
    return List.of();
  }

  /**
   * {@code {"op":"subscribe","args":[..]}} is a {@link ClientFrame.Subscribe} with the symbols of
   * its trade topics; {@code {"op":"ping"}} a {@link ClientFrame.Ping}; both keep {@code req_id}.
   */
  @Override
  public ClientFrame readClientFrame(String frame) {
    JsonNode node = JsonWire.tree(frame);
    if (node == null) {
      return new ClientFrame.Other(frame == null ? "" : frame);
    }
    String op = node.path("op").asText();
    String requestId = node.path("req_id").isValueNode() ? node.path("req_id").asText() : "";
    if (op.equals("ping")) {
      return new ClientFrame.Ping(requestId);
    }
    if (!op.equals("subscribe") || !node.path("args").isArray()) {
      return new ClientFrame.Other(frame);
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (JsonNode arg : node.path("args")) {
      String topic = arg.asText();
      String symbol =
          topic.startsWith(TOPIC_PREFIX)
              ? topic.substring(TOPIC_PREFIX.length())
              : topic.startsWith(OLD_TOPIC_PREFIX) ? topic.substring(OLD_TOPIC_PREFIX.length()) : null;
      if (EngineSymbols.isEngineSymbol(symbol)) {
        symbols.add(symbol);
      }
    }
    return new ClientFrame.Subscribe(List.copyOf(symbols), requestId);
  }

  /** The subscribe ack or the pong, in Bybit's v5 shape; nothing to other frames. */
  @Override
  public List<String> replyTo(ClientFrame frame) {
    if (frame instanceof ClientFrame.Subscribe subscribe) {
      return List.of(reply("", subscribe.requestId(), "subscribe"));
    }
    if (frame instanceof ClientFrame.Ping ping) {
      return List.of(reply("pong", ping.requestId(), "ping"));
    }
    return List.of();
  }

  private static String reply(String message, String requestId, String op) {
    StringBuilder reply = new StringBuilder("{\"success\":true,\"ret_msg\":\"").append(message);
    reply.append("\",\"conn_id\":\"").append(SIMULATOR_CONN_ID).append('"');
    if (requestId != null && !requestId.isEmpty()) {
      reply.append(",\"req_id\":").append(JsonWire.quote(requestId));
    }
    return reply.append(",\"op\":\"").append(op).append("\"}").toString();
  }

  /**
   * A v5 {@code publicTrade} message with one trade: {@code ts} and {@code T} are the trade
   * time, {@code BT} (block trade) is false.
   */
  @Override
  public String encodeTrade(String symbol, Trade trade) {
    EngineSymbols.require(symbol);
    long ms = trade.timestampMs();
    return new StringBuilder(220)
        .append("{\"topic\":\"").append(TOPIC_PREFIX).append(symbol)
        .append("\",\"type\":\"snapshot\",\"ts\":").append(ms)
        .append(",\"data\":[{\"T\":").append(ms)
        .append(",\"s\":\"").append(symbol)
        .append("\",\"S\":\"").append(trade.takerSide() == Side.BUY ? "Buy" : "Sell")
        .append("\",\"v\":\"").append(trade.quantity().toPlainString())
        .append("\",\"p\":\"").append(trade.price().toPlainString())
        .append("\",\"i\":").append(JsonWire.quote(trade.tradeId()))
        .append(",\"BT\":false}]}")
        .toString();
  }

  /** None: Bybit's keep-alive is the client's ping. */
  @Override
  public Optional<String> serverHeartbeat() {
    return Optional.empty();
  }
}
