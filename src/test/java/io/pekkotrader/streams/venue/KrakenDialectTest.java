package io.pekkotrader.streams.venue;

import static io.pekkotrader.streams.venue.DecodedAssertions.assertIgnored;
import static io.pekkotrader.streams.venue.DecodedAssertions.assertMalformed;
import static io.pekkotrader.streams.venue.DecodedAssertions.assertTrade;
import static io.pekkotrader.streams.venue.DecodedAssertions.onlyTrade;
import static io.pekkotrader.streams.venue.DecodedAssertions.trades;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.venue.VenueDialect.ClientFrame;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KrakenDialectTest {
  private final KrakenDialect dialect = new KrakenDialect();

  /** A v2 trade update as Kraken documents it. */
  private static final String V2 =
      "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"MATIC/USD\",\"side\":\"sell\",\"price\":0.5117,"
          + "\"qty\":40.0,\"ord_type\":\"market\",\"trade_id\":4665906,\"timestamp\":\"2023-09-25T07:49:37.708706Z\"}]}";

  @Test
  void decodesAV2TradeWithExactNumbersAndMillisecondTime() {
    assertTrade("MATICUSD", "4665906", 1695628177708L, "0.5117", "40.0", Side.SELL, onlyTrade(dialect.decode(V2)));
  }

  @Test
  void decodesEveryTradeOfASnapshot() {
    String snapshot =
        "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":["
            + "{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":23536.30,\"qty\":0.001,\"ord_type\":\"limit\",\"trade_id\":1,"
            + "\"timestamp\":\"2023-02-09T20:19:35.396Z\"},"
            + "{\"symbol\":\"BTC/USD\",\"side\":\"sell\",\"price\":23536.2,\"qty\":1E-3,\"ord_type\":\"market\",\"trade_id\":2,"
            + "\"timestamp\":\"2023-02-09T20:19:36Z\"}]}";

    List<Decoded.VenueTrade> trades = trades(dialect.decode(snapshot));

    assertEquals(2, trades.size());
    assertTrade("BTCUSD", "1", 1675973975396L, "23536.30", "0.001", Side.BUY, trades.get(0));
    // an exponent is exact too
    assertTrade("BTCUSD", "2", 1675973976000L, "23536.2", "0.001", Side.SELL, trades.get(1));
  }

  @Test
  void acceptsATimestampWithAnOffset() {
    String offset = V2.replace("2023-09-25T07:49:37.708706Z", "2023-09-25T09:49:37.708+02:00");

    assertEquals(1695628177708L, onlyTrade(dialect.decode(offset)).trade().timestampMs());
  }

  @Test
  void classifiesHeartbeatsStatusAndReplies() {
    assertIgnored(IgnoredKinds.HEARTBEAT, dialect.decode("{\"channel\":\"heartbeat\"}"));
    assertIgnored(
        IgnoredKinds.STATUS,
        dialect.decode(
            "{\"channel\":\"status\",\"data\":[{\"api_version\":\"v2\",\"connection_id\":1,\"system\":\"online\",\"version\":\"2.0.0\"}],"
                + "\"type\":\"update\"}"));
    assertIgnored(
        IgnoredKinds.ACK,
        dialect.decode(
            "{\"method\":\"subscribe\",\"result\":{\"channel\":\"trade\",\"snapshot\":true,\"symbol\":\"BTC/USD\"},\"success\":true,"
                + "\"time_in\":\"2023-09-25T09:04:31.742599Z\",\"time_out\":\"2023-09-25T09:04:31.742648Z\"}"));
    assertIgnored(
        IgnoredKinds.ERROR,
        dialect.decode("{\"error\":\"Currency pair not supported\",\"method\":\"subscribe\",\"success\":false,\"symbol\":\"X/Y\"}"));
    assertIgnored(IgnoredKinds.PONG, dialect.decode("{\"method\":\"pong\",\"req_id\":101,\"time_in\":\"a\",\"time_out\":\"b\"}"));
    assertIgnored(IgnoredKinds.OTHER_CHANNEL, dialect.decode("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"bids\":[]}]}"));
    assertIgnored(IgnoredKinds.EMPTY, dialect.decode("{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[]}"));
    assertIgnored(IgnoredKinds.HEARTBEAT, dialect.decode("{\"event\":\"heartbeat\"}"));
    assertIgnored(IgnoredKinds.STATUS, dialect.decode("{\"event\":\"systemStatus\",\"status\":\"online\"}"));
  }

  @Test
  void refusesAFrameWithAnyInvalidTrade() {
    String good =
        "{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":1.5,\"qty\":2,\"ord_type\":\"limit\",\"trade_id\":1,"
            + "\"timestamp\":\"2023-02-09T20:19:35.396Z\"}";

    assertTrade("BTCUSD", "1", 1675973975396L, "1.5", "2", Side.BUY, onlyTrade(dialect.decode(frame(good))));
    assertMalformed("trade 1: side", dialect.decode(frame(good, good.replace("buy", "hold"))));
    assertMalformed("price must be > 0", dialect.decode(frame(good.replace("1.5", "-1.5"))));
    assertMalformed("qty must be > 0", dialect.decode(frame(good.replace("\"qty\":2", "\"qty\":0"))));
    assertMalformed("price is not a decimal", dialect.decode(frame(good.replace("1.5", "\"cheap\""))));
    assertMalformed("missing or invalid trade_id", dialect.decode(frame(good.replace("\"trade_id\":1", "\"trade_id\":-1"))));
    assertMalformed("timestamp", dialect.decode(frame(good.replace("2023-02-09T20:19:35.396Z", "yesterday"))));
    assertMalformed("timestamp", dialect.decode(frame(good.replace("2023-02-09T20:19:35.396Z", "2023-02-30T20:19:35Z"))));
    assertMalformed("missing timestamp", dialect.decode(frame(good.replace(",\"timestamp\":\"2023-02-09T20:19:35.396Z\"", ""))));
    assertMalformed("symbol", dialect.decode(frame(good.replace("BTC/USD", "btc/usd"))));
    assertMalformed("not an array", dialect.decode("{\"channel\":\"trade\",\"data\":{}}"));
  }

  private static String frame(String... items) {
    return "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[" + String.join(",", items) + "]}";
  }

  @Test
  void decodesV1TradeArraysAndIgnoresOtherV1Channels() {
    String v1 =
        "[0,[[\"5541.20000\",\"0.15850568\",\"1534614057.321597\",\"s\",\"l\",\"\"],"
            + "[\"6060.00000\",\"0.02455000\",\"1534614057.324998\",\"b\",\"l\",\"\"]],\"trade\",\"XBT/USD\"]";

    List<Decoded.VenueTrade> trades = trades(dialect.decode(v1));

    assertTrade("BTCUSD", "v1-1534614057321597-0", 1534614057321L, "5541.20000", "0.15850568", Side.SELL, trades.get(0));
    assertTrade("BTCUSD", "v1-1534614057324998-1", 1534614057324L, "6060.00000", "0.02455000", Side.BUY, trades.get(1));
    assertIgnored(IgnoredKinds.OTHER_CHANNEL, dialect.decode("[42,[\"1.0\",\"2.0\"],\"spread\",\"XBT/USD\"]"));
    assertIgnored(IgnoredKinds.EMPTY, dialect.decode("[42,[],\"trade\",\"XBT/USD\"]"));
    assertMalformed("side", dialect.decode("[0,[[\"1.0\",\"2.0\",\"1534614057.3\",\"x\",\"l\",\"\"]],\"trade\",\"XBT/USD\"]"));
  }

  @Test
  void splitsEngineSymbolsAtTheLongestKnownQuoteAsset() {
    assertEquals("BTC/USD", KrakenDialect.toWireSymbol("BTCUSD"));
    assertEquals("BTC/USDT", KrakenDialect.toWireSymbol("BTCUSDT"));
    assertEquals("ETH/USDC", KrakenDialect.toWireSymbol("ETHUSDC"));
    assertEquals("ETH/BTC", KrakenDialect.toWireSymbol("ETHBTC"));
    assertEquals("USDT/USD", KrakenDialect.toWireSymbol("USDTUSD"));
    assertEquals("USDC/USDT", KrakenDialect.toWireSymbol("USDCUSDT"));
    assertEquals("1INCH/EUR", KrakenDialect.toWireSymbol("1INCHEUR"));
    assertEquals("BTCUSD", KrakenDialect.fromWireSymbol("BTC/USD"));
    assertNull(KrakenDialect.fromWireSymbol("btc/usd"));
  }

  @Test
  void refusesToSubscribeASymbolItCannotSplit() {
    IllegalArgumentException unknownQuote =
        assertThrows(IllegalArgumentException.class, () -> dialect.subscribeFrames(List.of("BTCUSD", "ABCXYZ")));
    IllegalArgumentException onlyQuote = assertThrows(IllegalArgumentException.class, () -> KrakenDialect.toWireSymbol("USDT"));
    IllegalArgumentException notEngine = assertThrows(IllegalArgumentException.class, () -> dialect.connectPath(List.of("BTC/USD")));

    assertTrue(unknownQuote.getMessage().contains("ABCXYZ") && unknownQuote.getMessage().contains("USDT"), unknownQuote.getMessage());
    assertTrue(onlyQuote.getMessage().contains("USDT"), onlyQuote.getMessage());
    assertTrue(notEngine.getMessage().contains("BTC/USD"), notEngine.getMessage());
  }

  @Test
  void subscribesEverySymbolInOneFrameWithoutSnapshot() {
    assertEquals("/v2", dialect.connectPath(List.of("BTCUSD", "ETHUSDT")));
    assertEquals(
        List.of("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USD\",\"ETH/USDT\"],\"snapshot\":false}}"),
        dialect.subscribeFrames(List.of("BTCUSD", "ETHUSDT")));
    assertEquals(Optional.of("{\"method\":\"ping\"}"), dialect.clientPing());
    assertEquals(Duration.ofSeconds(30), dialect.clientPingInterval());
    assertEquals(Optional.of("{\"channel\":\"heartbeat\"}"), dialect.serverHeartbeat());
    assertIgnored(IgnoredKinds.HEARTBEAT, dialect.decode(dialect.serverHeartbeat().orElseThrow()));
  }

  @Test
  void acknowledgesEachSubscribedSymbolAndAnswersAPing() {
    ClientFrame subscribe = dialect.readClientFrame(dialect.subscribeFrames(List.of("BTCUSD", "ETHUSDT")).get(0));
    ClientFrame ping = dialect.readClientFrame("{\"method\":\"ping\",\"req_id\":101}");

    List<String> acks = dialect.replyTo(subscribe);
    List<String> pong = dialect.replyTo(ping);

    assertEquals(new ClientFrame.Subscribe(List.of("BTCUSD", "ETHUSDT"), ""), subscribe);
    assertEquals(new ClientFrame.Ping("101"), ping);
    assertEquals(2, acks.size());
    assertTrue(acks.get(1).startsWith("{\"method\":\"subscribe\",\"result\":{\"channel\":\"trade\",\"snapshot\":false,\"symbol\":\"ETH/USDT\"},\"success\":true,\"time_in\":\""), acks.get(1));
    acks.forEach(ack -> assertIgnored(IgnoredKinds.ACK, dialect.decode(ack)));
    assertEquals(1, pong.size());
    assertTrue(pong.get(0).startsWith("{\"method\":\"pong\",\"req_id\":101,\"time_in\":\""), pong.get(0));
    assertIgnored(IgnoredKinds.PONG, dialect.decode(pong.get(0)));
  }

  @Test
  void answersASubscriptionWithoutAValidSymbolWithAnError() {
    ClientFrame subscribe =
        dialect.readClientFrame("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"nonsense\"]}}");

    List<String> replies = dialect.replyTo(subscribe);

    assertEquals(new ClientFrame.Subscribe(List.of(), ""), subscribe);
    assertEquals(1, replies.size());
    assertIgnored(IgnoredKinds.ERROR, dialect.decode(replies.get(0)));
    assertTrue(dialect.readClientFrame("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\"]}}")
        instanceof ClientFrame.Other);
  }

  @Test
  void encodesATradeInTheV2Shape() {
    Trade trade = new Trade("4665906", 1695628177708L, new BigDecimal("0.5117"), new BigDecimal("40.0"), Side.SELL);

    assertEquals(
        "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"MATIC/USD\",\"side\":\"sell\",\"price\":0.5117,"
            + "\"qty\":40.0,\"ord_type\":\"market\",\"trade_id\":4665906,\"timestamp\":\"2023-09-25T07:49:37.708000Z\"}]}",
        dialect.encodeTrade("MATICUSD", trade));
    assertThrows(IllegalArgumentException.class, () -> dialect.encodeTrade("MATICUSD", new Trade("x", 1, BigDecimal.ONE, BigDecimal.ONE, Side.BUY)));
  }
}
