package io.pekkotrader.streams.venue;

import static io.pekkotrader.streams.venue.DecodedAssertions.assertIgnored;
import static io.pekkotrader.streams.venue.DecodedAssertions.assertMalformed;
import static io.pekkotrader.streams.venue.DecodedAssertions.assertTrade;
import static io.pekkotrader.streams.venue.DecodedAssertions.onlyTrade;
import static io.pekkotrader.streams.venue.DecodedAssertions.trades;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.venue.VenueDialect.ClientFrame;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BybitDialectTest {
  private final BybitDialect dialect = new BybitDialect();

  /** A v5 spot publicTrade message as Bybit documents it. */
  private static final String V5 =
      "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1672304486868,\"data\":[{\"T\":1672304486865,"
          + "\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"0.001\",\"p\":\"16578.50\",\"L\":\"PlusTick\","
          + "\"i\":\"20f43950-d8dd-5b31-9112-a178eb6023af\",\"BT\":false}]}";

  @Test
  void decodesAV5PublicTrade() {
    assertTrade(
        "BTCUSDT", "20f43950-d8dd-5b31-9112-a178eb6023af", 1672304486865L, "16578.50", "0.001", Side.BUY,
        onlyTrade(dialect.decode(V5)));
  }

  @Test
  void decodesEveryTradeOfABatchInOrder() {
    String batch =
        "{\"topic\":\"publicTrade.ETHUSDT\",\"type\":\"snapshot\",\"ts\":2000,\"data\":["
            + "{\"T\":1999,\"s\":\"ETHUSDT\",\"S\":\"Sell\",\"v\":\"1.20\",\"p\":\"1200.5\",\"i\":\"2290000000061666327\",\"BT\":false},"
            + "{\"T\":2000,\"s\":\"ETHUSDT\",\"S\":\"Buy\",\"v\":\"0.05\",\"p\":\"1200.6\",\"i\":\"2290000000061666328\",\"BT\":false}]}";

    List<Decoded.VenueTrade> trades = trades(dialect.decode(batch));

    assertEquals(2, trades.size());
    assertTrade("ETHUSDT", "2290000000061666327", 1999L, "1200.5", "1.20", Side.SELL, trades.get(0));
    assertTrade("ETHUSDT", "2290000000061666328", 2000L, "1200.6", "0.05", Side.BUY, trades.get(1));
  }

  @Test
  void acceptsNumbersAsNumbersOrStringsAndKeepsTheirDigits() {
    String mixed =
        "{\"topic\":\"publicTrade.BTCUSDT\",\"data\":[{\"T\":\"1672304486865\",\"s\":\"BTCUSDT\",\"S\":\"Sell\","
            + "\"v\":0.0010,\"p\":16578.50,\"i\":7}]}";

    assertTrade("BTCUSDT", "7", 1672304486865L, "16578.50", "0.0010", Side.SELL, onlyTrade(dialect.decode(mixed)));
  }

  @Test
  void turnsMicrosecondTimesIntoMilliseconds() {
    String micros =
        "{\"topic\":\"trade.BTCUSD\",\"data\":[{\"trade_time_e6\":\"1616304614117999\",\"symbol\":\"BTCUSD\",\"side\":\"Buy\","
            + "\"size\":10,\"price\":\"61094.5\",\"trade_id\":\"x-1\"}]}";

    assertTrade("BTCUSD", "x-1", 1616304614117L, "61094.5", "10", Side.BUY, onlyTrade(dialect.decode(micros)));
  }

  @Test
  void fallsBackToTheIsoTimestampWhenNoNumericTimeIsSent() {
    String iso =
        "{\"topic\":\"trade.BTCUSD\",\"data\":[{\"timestamp\":\"2021-03-21T05:30:14.250Z\",\"symbol\":\"BTCUSD\","
            + "\"side\":\"Sell\",\"size\":10,\"price\":61094.5,\"trade_id\":\"x-2\"}]}";

    assertTrade("BTCUSD", "x-2", 1616304614250L, "61094.5", "10", Side.SELL, onlyTrade(dialect.decode(iso)));
  }

  @Test
  void decodesTheV3SpotTradeWhoseIdIsV() {
    // data is one object; v is the trade id, q the quantity, m true when the buyer is the taker
    String v3 =
        "{\"topic\":\"trade.BTCUSDT\",\"ts\":1673437259397,\"type\":\"snapshot\",\"data\":{\"v\":\"2290000000036455162\","
            + "\"t\":1673437259395,\"p\":\"17440\",\"q\":\"0.0002\",\"m\":false,\"type\":\"0\"}}";

    assertTrade("BTCUSDT", "2290000000036455162", 1673437259395L, "17440", "0.0002", Side.SELL, onlyTrade(dialect.decode(v3)));
  }

  @Test
  void readsTheDataArrayEvenWhenItComesBeforeTheTopic() {
    String reordered =
        "{\"data\":[{\"T\":5,\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"1\",\"p\":\"2\",\"i\":\"a\"}],\"topic\":\"publicTrade.BTCUSDT\"}";
    String orderBook = "{\"data\":[{\"price\":\"1\",\"size\":1,\"side\":\"Buy\"}],\"topic\":\"orderbook.50.BTCUSDT\"}";

    assertTrade("BTCUSDT", "a", 5L, "2", "1", Side.BUY, onlyTrade(dialect.decode(reordered)));
    assertIgnored(IgnoredKinds.OTHER_CHANNEL, dialect.decode(orderBook));
  }

  @Test
  void classifiesRepliesAndOtherTopics() {
    assertIgnored(
        IgnoredKinds.ACK, dialect.decode("{\"success\":true,\"ret_msg\":\"\",\"conn_id\":\"c1\",\"req_id\":\"\",\"op\":\"subscribe\"}"));
    assertIgnored(
        IgnoredKinds.ERROR,
        dialect.decode("{\"success\":false,\"ret_msg\":\"error:handler not found\",\"conn_id\":\"c1\",\"op\":\"subscribe\"}"));
    assertIgnored(
        IgnoredKinds.PONG, dialect.decode("{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"c1\",\"req_id\":\"\",\"op\":\"ping\"}"));
    assertIgnored(IgnoredKinds.PONG, dialect.decode("{\"req_id\":\"\",\"op\":\"pong\",\"args\":[\"1672916271846\"],\"conn_id\":\"c1\"}"));
    assertIgnored(IgnoredKinds.OTHER_CHANNEL, dialect.decode("{\"topic\":\"tickers.BTCUSDT\",\"data\":{\"symbol\":\"BTCUSDT\"}}"));
    assertIgnored(IgnoredKinds.EMPTY, dialect.decode("{\"topic\":\"publicTrade.BTCUSDT\",\"data\":[]}"));
    assertIgnored(IgnoredKinds.UNRECOGNISED, dialect.decode("{}"));
  }

  @Test
  void refusesAFrameWithAnyInvalidTrade() {
    String good = "{\"T\":5,\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"1\",\"p\":\"2\",\"i\":\"a\"}";

    assertMalformed("trade 1: S", dialect.decode(frame(good, good.replace("Buy", "Hold"))));
    assertMalformed("trade 0: p must be > 0", dialect.decode(frame(good.replace("\"p\":\"2\"", "\"p\":\"-2\""))));
    assertMalformed("v must be > 0", dialect.decode(frame(good.replace("\"v\":\"1\"", "\"v\":\"0\""))));
    assertMalformed("missing v", dialect.decode(frame(good.replace("\"v\":\"1\",", ""))));
    assertMalformed("missing or invalid i", dialect.decode(frame(good.replace(",\"i\":\"a\"", ""))));
    assertMalformed("T", dialect.decode(frame(good.replace("\"T\":5", "\"T\":\"later\""))));
    assertMalformed("s is not a symbol", dialect.decode(frame(good.replace("BTCUSDT", "BTC/USDT"))));
    assertMalformed("non-object", dialect.decode("{\"topic\":\"publicTrade.BTCUSDT\",\"data\":[1]}"));
    assertMalformed("without data", dialect.decode("{\"topic\":\"publicTrade.BTCUSDT\"}"));
  }

  private static String frame(String... items) {
    return "{\"topic\":\"publicTrade.BTCUSDT\",\"data\":[" + String.join(",", items) + "]}";
  }

  @Test
  void subscribesToAtMostTenTopicsPerFrame() {
    List<String> symbols = IntStream.range(0, 23).mapToObj(i -> "S" + i + "USDT").toList();

    List<String> frames = dialect.subscribeFrames(symbols);

    assertEquals("/v5/public/spot", dialect.connectPath(symbols));
    assertEquals(3, frames.size());
    assertEquals(
        "{\"op\":\"subscribe\",\"args\":[\"publicTrade.S20USDT\",\"publicTrade.S21USDT\",\"publicTrade.S22USDT\"]}", frames.get(2));
    List<String> subscribed = new ArrayList<>();
    for (String frame : frames) {
      subscribed.addAll(((ClientFrame.Subscribe) dialect.readClientFrame(frame)).symbols());
    }
    assertEquals(symbols, subscribed);
  }

  @Test
  void subscribesWithTheDocumentedFrame() {
    assertEquals(List.of("{\"op\":\"subscribe\",\"args\":[\"publicTrade.BTCUSDT\"]}"), dialect.subscribeFrames(List.of("BTCUSDT")));
    assertThrows(IllegalArgumentException.class, () -> dialect.subscribeFrames(List.of("BTC/USDT")));
  }

  @Test
  void pingsEveryTwentySeconds() {
    assertEquals(Optional.of("{\"op\":\"ping\"}"), dialect.clientPing());
    assertEquals(Duration.ofSeconds(20), dialect.clientPingInterval());
    assertEquals(Optional.empty(), dialect.serverHeartbeat());
    assertEquals(List.of(), dialect.symbolsInConnectPath("/v5/public/spot"));
  }

  @Test
  void acknowledgesASubscriptionAndAnswersAPing() {
    ClientFrame subscribe = dialect.readClientFrame("{\"op\":\"subscribe\",\"req_id\":\"r1\",\"args\":[\"publicTrade.BTCUSDT\"]}");
    ClientFrame ping = dialect.readClientFrame("{\"op\":\"ping\"}");

    assertEquals(new ClientFrame.Subscribe(List.of("BTCUSDT"), "r1"), subscribe);
    assertEquals(new ClientFrame.Ping(""), ping);
    assertEquals(
        List.of("{\"success\":true,\"ret_msg\":\"\",\"conn_id\":\"pekko-trader-simulator\",\"req_id\":\"r1\",\"op\":\"subscribe\"}"),
        dialect.replyTo(subscribe));
    assertEquals(
        List.of("{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"pekko-trader-simulator\",\"op\":\"ping\"}"), dialect.replyTo(ping));
    assertIgnored(IgnoredKinds.ACK, dialect.decode(dialect.replyTo(subscribe).get(0)));
    assertIgnored(IgnoredKinds.PONG, dialect.decode(dialect.replyTo(ping).get(0)));
  }

  @Test
  void treatsOtherClientFramesAsOther() {
    assertTrue(dialect.readClientFrame("{\"op\":\"unsubscribe\",\"args\":[]}") instanceof ClientFrame.Other);
    assertTrue(dialect.readClientFrame("][") instanceof ClientFrame.Other);
    assertEquals(List.of(), dialect.replyTo(new ClientFrame.Other("x")));
  }

  @Test
  void encodesATradeInTheV5Shape() {
    Trade trade = new Trade("20f43950-d8dd", 1672304486865L, new BigDecimal("16578.50"), new BigDecimal("0.001"), Side.BUY);

    assertEquals(
        "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1672304486865,\"data\":[{\"T\":1672304486865,"
            + "\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"0.001\",\"p\":\"16578.50\",\"i\":\"20f43950-d8dd\",\"BT\":false}]}",
        dialect.encodeTrade("BTCUSDT", trade));
  }
}
