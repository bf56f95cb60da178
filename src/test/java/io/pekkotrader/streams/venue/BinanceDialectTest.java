package io.pekkotrader.streams.venue;

import static io.pekkotrader.streams.venue.DecodedAssertions.assertIgnored;
import static io.pekkotrader.streams.venue.DecodedAssertions.assertMalformed;
import static io.pekkotrader.streams.venue.DecodedAssertions.assertTrade;
import static io.pekkotrader.streams.venue.DecodedAssertions.onlyTrade;
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

class BinanceDialectTest {
  private final BinanceDialect dialect = new BinanceDialect();

  /** A spot {@code @trade} event as Binance documents it, in the combined-stream envelope. */
  private static final String TRADE =
      "{\"stream\":\"bnbbtc@trade\",\"data\":{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":12345,"
          + "\"p\":\"0.001\",\"q\":\"100\",\"T\":1672515782136,\"m\":true,\"M\":true}}";

  @Test
  void decodesATradeEventInTheCombinedStreamEnvelope() {
    Decoded decoded = dialect.decode(TRADE);

    // "m":true: the buyer is the maker, so the taker sold
    assertTrade("BNBBTC", "12345", 1672515782136L, "0.001", "100", Side.SELL, onlyTrade(decoded));
  }

  @Test
  void decodesARawTradeEventWithoutTheEnvelope() {
    String raw =
        "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BTCUSDT\",\"t\":7,\"p\":\"16500.10\",\"q\":\"0.00100000\","
            + "\"b\":88,\"a\":50,\"T\":1672515782135,\"m\":false,\"M\":true}";

    assertTrade("BTCUSDT", "7", 1672515782135L, "16500.10", "0.00100000", Side.BUY, onlyTrade(dialect.decode(raw)));
  }

  @Test
  void readsFieldsInAnyOrderAndIgnoresUnknownOnes() {
    String shuffled =
        "{\"data\":{\"M\":true,\"m\":false,\"x\":{\"nested\":[1,2,{\"p\":\"-1\"}]},\"T\":1000,\"q\":\"2.5\",\"p\":\"3.25\","
            + "\"t\":99,\"s\":\"ETHUSDT\",\"E\":1001,\"e\":\"trade\"},\"stream\":\"ethusdt@trade\"}";

    assertTrade("ETHUSDT", "99", 1000L, "3.25", "2.5", Side.BUY, onlyTrade(dialect.decode(shuffled)));
  }

  @Test
  void givesAggregateTradesTheirOwnIdSpace() {
    String aggregate =
        "{\"stream\":\"bnbbtc@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"a\":12345,"
            + "\"p\":\"0.001\",\"q\":\"100\",\"f\":100,\"l\":105,\"T\":1672515782136,\"m\":true,\"M\":true}}";

    Decoded.VenueTrade trade = onlyTrade(dialect.decode(aggregate));

    assertTrade("BNBBTC", "agg-12345", 1672515782136L, "0.001", "100", Side.SELL, trade);
    assertTrue(!trade.trade().tradeId().equals(onlyTrade(dialect.decode(TRADE)).trade().tradeId()));
  }

  @Test
  void classifiesRepliesAndOtherStreams() {
    assertIgnored(IgnoredKinds.ACK, dialect.decode("{\"result\":null,\"id\":1}"));
    assertIgnored(IgnoredKinds.ERROR, dialect.decode("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":1}"));
    assertIgnored(IgnoredKinds.ERROR, dialect.decode("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"));
    assertIgnored(
        IgnoredKinds.OTHER_CHANNEL,
        dialect.decode("{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"b\":[],\"a\":[]}}"));
    assertIgnored(IgnoredKinds.OTHER_CHANNEL, dialect.decode("[{\"e\":\"24hrTicker\"}]"));
    assertIgnored(
        IgnoredKinds.NON_SPOT,
        dialect.decode("{\"e\":\"trade\",\"s\":\"BTCUSD_PERP\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1,\"m\":true}"));
    assertIgnored(IgnoredKinds.UNRECOGNISED, dialect.decode("{\"hello\":\"world\"}"));
  }

  @Test
  void refusesTradesWithMissingOrInvalidFields() {
    String base = "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"10.5\",\"q\":\"2\",\"T\":1000,\"m\":true}";

    assertTrade("BTCUSDT", "1", 1000L, "10.5", "2", Side.SELL, onlyTrade(dialect.decode(base)));
    assertMalformed("missing s", dialect.decode(base.replace("\"s\":\"BTCUSDT\",", "")));
    assertMalformed("s is not a symbol", dialect.decode(base.replace("BTCUSDT", "btcusdt")));
    assertMalformed("t", dialect.decode(base.replace("\"t\":1,", "")));
    assertMalformed("t", dialect.decode(base.replace("\"t\":1,", "\"t\":-1,")));
    assertMalformed("t", dialect.decode(base.replace("\"t\":1,", "\"t\":1.5,")));
    assertMalformed("p must be > 0", dialect.decode(base.replace("\"10.5\"", "\"-10.5\"")));
    assertMalformed("p must be > 0", dialect.decode(base.replace("\"10.5\"", "\"0\"")));
    assertMalformed("p is not a decimal", dialect.decode(base.replace("\"10.5\"", "\"ten\"")));
    assertMalformed("p is not a decimal", dialect.decode(base.replace("\"10.5\"", "\"1e400\"")));
    assertMalformed("p is not a decimal", dialect.decode(base.replace("\"10.5\"", "\"99999999999999999999999\"")));
    assertMalformed("p is not a decimal", dialect.decode(base.replace("\"10.5\"", "true")));
    assertMalformed("missing p", dialect.decode(base.replace("\"p\":\"10.5\",", "")));
    assertMalformed("q must be > 0", dialect.decode(base.replace("\"q\":\"2\"", "\"q\":\"0.000\"")));
    assertMalformed("missing q", dialect.decode(base.replace("\"q\":\"2\",", "")));
    assertMalformed("T", dialect.decode(base.replace("\"T\":1000", "\"T\":-5")));
    assertMalformed("T", dialect.decode(base.replace("\"T\":1000", "\"T\":\"soon\"")));
    assertMalformed("T", dialect.decode(base.replace("\"T\":1000", "\"T\":99999999999999999999999")));
    assertMalformed("m is not a boolean", dialect.decode(base.replace("\"m\":true", "\"m\":\"yes\"")));
    assertMalformed("missing m", dialect.decode(base.replace(",\"m\":true", "")));
  }

  @Test
  void acceptsNumbersSentAsStrings() {
    String strings = "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":\"42\",\"p\":\"10.5\",\"q\":\"2\",\"T\":\"1000\",\"m\":false}";

    assertTrade("BTCUSDT", "42", 1000L, "10.5", "2", Side.BUY, onlyTrade(dialect.decode(strings)));
  }

  @Test
  void carriesTheFirstFiftySymbolsInTheUrlAndSubscribesToTheRest() {
    List<String> symbols = IntStream.range(0, 120).mapToObj(i -> "S" + i + "USDT").toList();

    String path = dialect.connectPath(symbols);
    List<String> frames = dialect.subscribeFrames(symbols);

    assertTrue(path.startsWith("/stream?streams=s0usdt@trade/s1usdt@trade/"), path);
    assertTrue(path.endsWith("/s49usdt@trade"), path);
    assertEquals(symbols.subList(0, 50), dialect.symbolsInConnectPath(path));
    assertEquals(1, frames.size());
    ClientFrame.Subscribe subscribe = (ClientFrame.Subscribe) dialect.readClientFrame(frames.get(0));
    assertEquals(symbols.subList(50, 120), subscribe.symbols());
    assertEquals("1", subscribe.requestId());
  }

  @Test
  void needsNoSubscribeFrameForAFewSymbols() {
    assertEquals("/stream?streams=btcusdt@trade/ethusdt@trade", dialect.connectPath(List.of("BTCUSDT", "ETHUSDT")));
    assertEquals(List.of(), dialect.subscribeFrames(List.of("BTCUSDT", "ETHUSDT")));
    assertEquals("/stream", dialect.connectPath(List.of()));
  }

  @Test
  void splitsAFullConnectionIntoFourSubscribeFrames() {
    List<String> symbols = IntStream.range(0, BinanceDialect.MAX_STREAMS).mapToObj(i -> "S" + i + "USDT").toList();

    List<String> frames = dialect.subscribeFrames(symbols);

    assertEquals(4, frames.size());
    List<String> subscribed = new ArrayList<>(dialect.symbolsInConnectPath(dialect.connectPath(symbols)));
    for (String frame : frames) {
      subscribed.addAll(((ClientFrame.Subscribe) dialect.readClientFrame(frame)).symbols());
    }
    assertEquals(symbols, subscribed);
  }

  @Test
  void refusesMoreStreamsThanAConnectionCarries() {
    List<String> symbols = IntStream.range(0, BinanceDialect.MAX_STREAMS + 1).mapToObj(i -> "S" + i + "USDT").toList();

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> dialect.connectPath(symbols));

    assertTrue(error.getMessage().contains("1024"), error.getMessage());
  }

  @Test
  void refusesSymbolsNotInTheEngineForm() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> dialect.connectPath(List.of("btc-usdt")));

    assertTrue(error.getMessage().contains("btc-usdt"), error.getMessage());
  }

  @Test
  void reliesOnProtocolPingsAndSendsNoTextPing() {
    assertEquals(Optional.empty(), dialect.clientPing());
    assertEquals(Duration.ZERO, dialect.clientPingInterval());
    assertEquals(Optional.empty(), dialect.serverHeartbeat());
  }

  @Test
  void readsSymbolsFromRawAndCombinedStreamPaths() {
    assertEquals(List.of("BTCUSDT"), dialect.symbolsInConnectPath("/ws/btcusdt@trade"));
    assertEquals(
        List.of("BTCUSDT", "ETHUSDT"), dialect.symbolsInConnectPath("/stream?streams=btcusdt@trade/ethusdt%40aggTrade/bnbbtc@depth"));
    assertEquals(List.of(), dialect.symbolsInConnectPath("/stream"));
    assertEquals(List.of(), dialect.symbolsInConnectPath(null));
  }

  @Test
  void answersASubscriptionWithTheDocumentedReply() {
    ClientFrame frame = dialect.readClientFrame("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@depth\"],\"id\":7}");

    assertEquals(new ClientFrame.Subscribe(List.of("BTCUSDT"), "7"), frame);
    assertEquals(List.of("{\"result\":null,\"id\":7}"), dialect.replyTo(frame));
    assertIgnored(IgnoredKinds.ACK, dialect.decode(dialect.replyTo(frame).get(0)));
  }

  @Test
  void treatsAnythingButSubscribeAsOtherAndAnswersNothing() {
    ClientFrame unsubscribe = dialect.readClientFrame("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":2}");
    ClientFrame garbage = dialect.readClientFrame("{not json");

    assertTrue(unsubscribe instanceof ClientFrame.Other, unsubscribe.toString());
    assertTrue(garbage instanceof ClientFrame.Other, garbage.toString());
    assertEquals(List.of(), dialect.replyTo(unsubscribe));
    assertEquals(List.of(), dialect.replyTo(new ClientFrame.Ping("1")));
  }

  @Test
  void encodesATradeInTheCombinedStreamShape() {
    Trade trade = new Trade("12345", 1672515782136L, new BigDecimal("58942.01000000"), new BigDecimal("0.00035600"), Side.SELL);

    assertEquals(
        "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BTCUSDT\",\"t\":12345,"
            + "\"p\":\"58942.01000000\",\"q\":\"0.00035600\",\"T\":1672515782136,\"m\":true,\"M\":true}}",
        dialect.encodeTrade("BTCUSDT", trade));
  }

  @Test
  void encodesAnAggregateTradeWhenTheIdCarriesThePrefix() {
    Trade trade = new Trade("agg-9", 1000L, new BigDecimal("1.5"), new BigDecimal("2"), Side.BUY);

    assertEquals(
        "{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1000,\"s\":\"BTCUSDT\",\"a\":9,"
            + "\"p\":\"1.5\",\"q\":\"2\",\"f\":9,\"l\":9,\"T\":1000,\"m\":false,\"M\":true}}",
        dialect.encodeTrade("BTCUSDT", trade));
  }

  @Test
  void refusesToEncodeAnIdBinanceCouldNotSend() {
    Trade trade = new Trade("abc", 1000L, BigDecimal.ONE, BigDecimal.ONE, Side.BUY);

    assertThrows(IllegalArgumentException.class, () -> dialect.encodeTrade("BTCUSDT", trade));
  }
}
