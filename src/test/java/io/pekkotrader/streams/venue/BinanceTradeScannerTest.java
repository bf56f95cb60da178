package io.pekkotrader.streams.venue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scanner is a fast path, never a second opinion: whatever the bytes, {@link
 * BinanceDialect#decode(byte[], int, int)} (scanner first) says exactly what the general JSON
 * reader says of the same text, and the scanner does take the frames Binance sends.
 */
class BinanceTradeScannerTest {
  private static final BinanceDialect BINANCE = new BinanceDialect();
  private static final byte[] REPLACEMENTS = ascii("\"\\{}[],: 0159-.eEtfnA_a\t");

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Frames in the exact form Binance writes: trade and aggTrade, in the envelope and raw. */
  private static List<String> exactFrames() {
    List<String> frames = new ArrayList<>();
    frames.add(BINANCE.encodeTrade("BTCUSDT", new Trade("123456", 1_700_000_000_123L, new BigDecimal("43210.50"), new BigDecimal("0.0125"), Side.BUY)));
    frames.add(BINANCE.encodeTrade("ETHBTC", new Trade("agg-7", 1L, new BigDecimal("5"), new BigDecimal("0.00000001"), Side.SELL)));
    frames.add(
        "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":0,\"p\":\"0.001\",\"q\":\"100\",\"T\":1672515782136,\"m\":true,\"M\":true}");
    frames.add(
        "{\"e\":\"aggTrade\",\"E\":1616176861895,\"s\":\"BTCUSDT\",\"a\":640283266,\"p\":\"58942.01000000\",\"q\":\"0.00035600\","
            + "\"f\":716849523,\"l\":716849523,\"T\":1616176861893,\"m\":false,\"M\":true}");
    frames.add(
        "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":999999999999999999,\"s\":\"BTCUSDT\",\"t\":999999999999999999,"
            + "\"p\":\"5.\",\"q\":\".5\",\"T\":999999999999999999,\"m\":false,\"M\":false}}");
    return frames;
  }

  private static void assertSameAsTheGeneralReader(byte[] frame, String what) {
    Decoded general = BINANCE.decode(new String(frame, StandardCharsets.US_ASCII));
    Decoded decoded = BINANCE.decode(frame, 0, frame.length);
    Decoded.Trades scanned = BinanceTradeScanner.scan(frame, 0, frame.length);
    if (general instanceof Decoded.Malformed) {
      // Jackson words a syntax error a little differently over bytes than over characters
      assertInstanceOf(Decoded.Malformed.class, decoded, what);
      assertNull(scanned, what);
    } else {
      assertEquals(general, decoded, what);
      if (scanned != null) {
        assertEquals(general, scanned, what);
      }
    }
  }

  @Test
  void takesTheFramesBinanceSendsAndDecodesThemAsTheGeneralReaderDoes() {
    for (String frame : exactFrames()) {
      byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
      assertNotNull(BinanceTradeScanner.scan(bytes, 0, bytes.length), frame);
      assertSameAsTheGeneralReader(bytes, frame);
    }
  }

  @Test
  void takesARecordedAggregateTrade() {
    String recorded = Fixtures.lines("binance").get(0);
    byte[] bytes = recorded.getBytes(StandardCharsets.UTF_8);

    assertNotNull(BinanceTradeScanner.scan(bytes, 0, bytes.length), recorded);
    assertSameAsTheGeneralReader(bytes, recorded);
  }

  @Test
  void everyRecordedMessageOfEveryVenueDecodesAsTheGeneralReaderSays() {
    for (String venue : List.of("binance", "bybit", "kraken")) {
      for (String line : Fixtures.lines(venue)) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        Decoded.Trades scanned = BinanceTradeScanner.scan(bytes, 0, bytes.length);
        if (scanned != null) {
          assertEquals(BINANCE.decode(line), scanned, line);
        }
        assertEquals(BINANCE.decode(line), BINANCE.decode(bytes, 0, bytes.length), line);
      }
    }
  }

  @Test
  void randomTradesTakeTheFastPathAndRoundTrip() {
    SplittableRandom random = new SplittableRandom(20261205);
    for (int n = 0; n < 5_000; n++) {
      String id = (random.nextBoolean() ? "agg-" : "") + random.nextLong(0, 1_000_000_000_000_000_000L);
      BigDecimal price = BigDecimal.valueOf(random.nextLong(1, 1_000_000_000_000L), random.nextInt(0, 9));
      BigDecimal quantity = BigDecimal.valueOf(random.nextLong(1, 1_000_000_000L), random.nextInt(0, 9));
      Trade trade = new Trade(id, random.nextLong(1, 4_000_000_000_000L), price, quantity, random.nextBoolean() ? Side.BUY : Side.SELL);
      byte[] bytes = BINANCE.encodeTrade("S" + random.nextInt(10_000) + "USDT", trade).getBytes(StandardCharsets.UTF_8);

      Decoded.Trades scanned = BinanceTradeScanner.scan(bytes, 0, bytes.length);
      assertNotNull(scanned, trade.toString());
      assertEquals(trade, scanned.trades().get(0).trade());
      assertSameAsTheGeneralReader(bytes, trade.toString());
    }
  }

  @Test
  void everySingleByteChangeDeletionInsertionAndTruncationDecodesAsTheGeneralReaderSays() {
    int mutations = 0;
    int stillScanned = 0;
    for (String frame : exactFrames()) {
      byte[] original = frame.getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < original.length; at++) {
        for (byte replacement : REPLACEMENTS) {
          if (original[at] == replacement) {
            continue;
          }
          byte[] changed = original.clone();
          changed[at] = replacement;
          assertSameAsTheGeneralReader(changed, "byte " + at + " -> '" + (char) replacement + "' in " + frame);
          stillScanned += BinanceTradeScanner.scan(changed, 0, changed.length) != null ? 1 : 0;
          mutations++;
        }
        byte[] deleted = new byte[original.length - 1];
        System.arraycopy(original, 0, deleted, 0, at);
        System.arraycopy(original, at + 1, deleted, at, original.length - at - 1);
        assertSameAsTheGeneralReader(deleted, "byte " + at + " deleted from " + frame);
        for (byte inserted : ascii(" 0\"")) {
          byte[] longer = new byte[original.length + 1];
          System.arraycopy(original, 0, longer, 0, at);
          longer[at] = inserted;
          System.arraycopy(original, at, longer, at + 1, original.length - at);
          assertSameAsTheGeneralReader(longer, "'" + (char) inserted + "' inserted at " + at + " in " + frame);
        }
        assertSameAsTheGeneralReader(Arrays.copyOf(original, at), "first " + at + " bytes of " + frame);
        mutations += 5;
      }
    }
    // a digit changed inside a price or an id still is a trade the scanner takes
    assertTrue(stillScanned > 100, "mutations the scanner still took: " + stillScanned + " of " + mutations);
  }

  @Test
  void nonAsciiBytesAndFramesOutsideTheArrayAreLeftToTheGeneralReader() {
    byte[] original = exactFrames().get(0).getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < original.length; at++) {
      byte[] changed = original.clone();
      changed[at] = (byte) 0xC3;
      assertNull(BinanceTradeScanner.scan(changed, 0, changed.length), "0xC3 at " + at);
    }
    assertNull(BinanceTradeScanner.scan(original, 1, original.length));
    assertNull(BinanceTradeScanner.scan(original, -1, 3));
    assertNull(BinanceTradeScanner.scan(original, 0, -1));
    assertEquals(BINANCE.decode(new String(original, 1, 10, StandardCharsets.US_ASCII)), BINANCE.decode(original, 1, 10));
  }
}
