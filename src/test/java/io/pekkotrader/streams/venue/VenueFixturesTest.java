package io.pekkotrader.streams.venue;

import static io.pekkotrader.streams.venue.DecodedAssertions.assertTrade;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pekkotrader.domain.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every recorded message of every venue goes through its dialect: each is decoded or classified,
 * none is malformed, nothing throws; the outcome counts are pinned so that a regression turning
 * trades into ignored messages (or the reverse) fails; sample trades are checked field by field.
 */
class VenueFixturesTest {

  /** What a fixture file decoded to: outcome counts by label, and the trades in order. */
  private record Outcome(Map<String, Integer> counts, List<Decoded.VenueTrade> trades) {}

  private static Outcome decodeAll(String venue) {
    VenueDialect dialect = VenueDialects.forVenue(venue);
    Map<String, Integer> counts = new TreeMap<>();
    List<Decoded.VenueTrade> trades = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Fixtures.lines(venue)) {
      lineNumber++;
      String where = venue + ".jsonl line " + lineNumber;
      Decoded decoded = assertDoesNotThrow(() -> dialect.decode(line), where);
      String label;
      if (decoded instanceof Decoded.Trades t) {
        trades.addAll(t.trades());
        label = "trades";
      } else if (decoded instanceof Decoded.Ignored ignored) {
        label = ignored.kind();
      } else {
        label = "malformed: " + ((Decoded.Malformed) decoded).reason() + " (" + where + ")";
      }
      counts.merge(label, 1, Integer::sum);
    }
    return new Outcome(counts, trades);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"binance", "bybit", "kraken"})
  void everyMessageDecodesFromItsUtf8BytesExactlyAsFromItsText(String venue) {
    VenueDialect dialect = VenueDialects.forVenue(venue);
    int lineNumber = 0;
    for (String line : Fixtures.lines(venue)) {
      lineNumber++;
      byte[] framed = ("xx" + line + "yy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Decoded fromText = dialect.decode(line);
      Decoded fromBytes = assertDoesNotThrow(() -> dialect.decode(framed, 2, framed.length - 4));
      if (fromText instanceof Decoded.Malformed) {
        assertInstanceOf(Decoded.Malformed.class, fromBytes, venue + " line " + lineNumber);
      } else {
        assertEquals(fromText, fromBytes, venue + " line " + lineNumber);
      }
    }
  }

  @Test
  void everyBinanceMessageIsDecodedOrClassified() {
    Outcome outcome = decodeAll("binance");

    // 5 aggTrade events: 2 on symbols of the engine's form, 3 on futures symbols (BTCUSD_210625, ...)
    assertEquals(
        Map.of("trades", 2, IgnoredKinds.NON_SPOT, 3, IgnoredKinds.OTHER_CHANNEL, 42, IgnoredKinds.UNRECOGNISED, 4),
        outcome.counts());
  }

  @Test
  void binanceAggregateTradesKeepEveryFieldExactly() {
    List<Decoded.VenueTrade> trades = decodeAll("binance").trades();

    assertEquals(2, trades.size());
    // "m":false: the buyer is not the maker, so the taker bought
    assertTrade("BTCUSDT", "agg-640283266", 1616176861893L, "58942.01000000", "0.00035600", Side.BUY, trades.get(0));
    // the older capture without "M"
    assertTrade("BTCUSDT", "agg-389551486", 1616202009188L, "58665.00", "0.043", Side.BUY, trades.get(1));
  }

  @Test
  void everyBybitMessageIsDecodedOrClassified() {
    Outcome outcome = decodeAll("bybit");

    assertEquals(
        Map.of("trades", 3, IgnoredKinds.OTHER_CHANNEL, 15, IgnoredKinds.RESPONSE, 5), outcome.counts());
    assertEquals(4, outcome.trades().size());
  }

  @Test
  void bybitOldTradeTopicsKeepEveryFieldExactly() {
    List<Decoded.VenueTrade> trades = decodeAll("bybit").trades();

    // trade.BTCUSDM21: two trades in one frame, numbers sent as JSON numbers
    assertTrade("BTCUSDM21", "e61fb2dc-a658-5a7d-88fb-d166a4bd29b8", 1616304614117L, "61094.5", "100", Side.BUY, trades.get(0));
    assertTrade("BTCUSDM21", "2cbeff0d-16da-5946-a7b0-0ccfb78d3ab5", 1616304614117L, "61097.5", "300", Side.SELL, trades.get(1));
    assertTrade("BTCUSD", "f6198d62-4d4d-5908-9902-32c3aa5d9cfd", 1616304710061L, "57073.5", "237", Side.BUY, trades.get(2));
    // trade.BTCUSDT: price and trade_time_ms sent as strings, size as a number
    assertTrade("BTCUSDT", "fe9ef57c-2571-5728-847b-7bc039b6b52d", 1616304737092L, "57170.00", "0.04", Side.BUY, trades.get(3));
  }

  @Test
  void everyKrakenMessageIsDecodedOrClassified() {
    Outcome outcome = decodeAll("kraken");

    // futures feed lines are non-spot; v1 book, spread, ohlc and ticker arrays are other channels
    assertEquals(
        Map.of("trades", 1, IgnoredKinds.NON_SPOT, 10, IgnoredKinds.OTHER_CHANNEL, 7, IgnoredKinds.RESPONSE, 3),
        outcome.counts());
  }

  @Test
  void krakenV1TradeArrayIsDecodedWithBitcoinRenamedAndAStableId() {
    List<Decoded.VenueTrade> trades = decodeAll("kraken").trades();

    assertEquals(1, trades.size());
    // ["57126.70000","0.02063928","1616333924.737428","b","m",""] on XBT/USD
    assertTrade("BTCUSD", "v1-1616333924737428-0", 1616333924737L, "57126.70000", "0.02063928", Side.BUY, trades.get(0));
    assertEquals(trades, decodeAll("kraken").trades());
  }

  @Test
  void theCopiedFixturesAreTheWholeRecording() {
    assertEquals(51, Fixtures.lines("binance").size());
    assertEquals(23, Fixtures.lines("bybit").size());
    assertEquals(21, Fixtures.lines("kraken").size());
  }

  @Test
  void decodingAFixtureLineTwiceGivesEqualResults() {
    for (String venue : VenueDialects.venues()) {
      VenueDialect dialect = VenueDialects.forVenue(venue);
      for (String line : Fixtures.lines(venue)) {
        assertInstanceOf(Decoded.class, dialect.decode(line));
        assertEquals(dialect.decode(line), dialect.decode(line), line);
      }
    }
  }
}
