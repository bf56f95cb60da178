package io.pekkotrader.streams.venue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fast path of {@link BinanceDialect}: one forward scan over the UTF-8 bytes of a frame in the
 * exact form Binance writes a {@code trade} or {@code aggTrade} event, raw or in the
 * combined-stream envelope, with no whitespace:
 *
 * <pre>
 * {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":2,"p":"1.5","q":"0.1","T":1,"m":true,"M":true}}
 * {"e":"aggTrade","E":1,"s":"BTCUSDT","a":2,"p":"1.5","q":"0.1","f":3,"l":4,"T":1,"m":false,"M":true}
 * </pre>
 *
 * <p>It accepts a frame only when every byte is where that form puts it and every value is one it
 * can decode without doubt: a spot symbol in the engine's form, ids and times of 1 to 18 digits
 * without a sign or leading zero, positive plain decimals of up to 18 digits, booleans, nothing
 * after the last brace. Anything else (another field order, whitespace, escapes, non-ASCII, an
 * invalid or unusual value, another event) returns {@code null}, and the dialect decodes the frame
 * with its general JSON reader, which gives every verdict and error message. So the scan never
 * decides what a frame means differently from the general path; it only skips the tokenizer for
 * the frames that make up the market-data stream. {@code BinanceTradeScannerTest} holds the two
 * equal on generated frames and every single-byte change of them.
 */
final class BinanceTradeScanner {
  private static final byte[] ENVELOPE = ascii("{\"stream\":\"");
  private static final byte[] DATA = ascii("\",\"data\":{");
  private static final byte[] EVENT = ascii("\"e\":\"");
  private static final byte[] TRADE = ascii("trade\",\"E\":");
  private static final byte[] AGG_TRADE = ascii("aggTrade\",\"E\":");
  private static final byte[] SYMBOL = ascii(",\"s\":\"");
  private static final byte[] TRADE_ID = ascii("\",\"t\":");
  private static final byte[] AGG_ID = ascii("\",\"a\":");
  private static final byte[] PRICE = ascii(",\"p\":\"");
  private static final byte[] QUANTITY = ascii("\",\"q\":\"");
  private static final byte[] FIRST_ID = ascii("\",\"f\":");
  private static final byte[] LAST_ID = ascii(",\"l\":");
  private static final byte[] TIME_AFTER_QUANTITY = ascii("\",\"T\":");
  private static final byte[] TIME = ascii(",\"T\":");
  private static final byte[] MAKER = ascii(",\"m\":");
  private static final byte[] MATCH = ascii(",\"M\":");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final int MAX_DIGITS = 18;

  /** Where the scan stands; one per call, so the scanner is shared by any number of threads. */
  private static final class Cursor {
    final byte[] bytes;
    final int end;
    int at;
    /** The value of the last {@link #digits}, its text from {@link #start}. */
    long value;
    int start;

    Cursor(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.at = offset;
      this.end = offset + length;
    }

    // the loops below work on locals and store the position once, rather than load and store a field per byte

    boolean literal(byte[] expected) {
      int from = at;
      int n = expected.length;
      if (end - from < n) {
        return false;
      }
      byte[] b = bytes;
      for (int i = 0; i < n; i++) {
        if (b[from + i] != expected[i]) {
          return false;
        }
      }
      at = from + n;
      return true;
    }

    /** 1 to 18 digits, no leading zero unless the number is 0; sets {@link #value} and {@link #start}. */
    boolean digits() {
      byte[] b = bytes;
      int from = at;
      int i = from;
      int limit = end;
      long v = 0;
      while (i < limit) {
        int digit = b[i] - '0';
        if (digit < 0 || digit > 9) {
          break;
        }
        v = v * 10 + digit;
        i++;
      }
      int n = i - from;
      start = from;
      at = i;
      if (n == 0 || n > MAX_DIGITS || (n > 1 && b[from] == '0')) {
        return false;
      }
      value = v;
      return true;
    }

    /** A boolean; -1 when there is none. */
    int bool() {
      if (literal(TRUE)) {
        return 1;
      }
      return literal(FALSE) ? 0 : -1;
    }

    /** Skips a string's printable ASCII up to (not past) its closing quote; false for anything else. */
    boolean plainString() {
      byte[] bs = bytes;
      int limit = end;
      for (int i = at; i < limit; i++) {
        byte b = bs[i];
        if (b == '"') {
          at = i;
          return true;
        }
        if (b < 0x20 || b == '\\') { // negative: a non-ASCII byte
          at = i;
          return false;
        }
      }
      at = limit;
      return false;
    }

    /**
     * A positive decimal of 1 to 18 digits with at most one point, up to (not past) the closing
     * quote, scale as sent, as {@link WireDecimals#parse} reads it; null for anything else.
     */
    BigDecimal positiveDecimal() {
      byte[] bs = bytes;
      int limit = end;
      int i = at;
      long unscaled = 0;
      int digits = 0;
      int scale = -1;
      BigDecimal value = null;
      boolean valid = true;
      while (i < limit && bs[i] != '"') {
        byte b = bs[i++];
        if (b >= '0' && b <= '9') {
          if (++digits > MAX_DIGITS) {
            valid = false;
            break;
          }
          unscaled = unscaled * 10 + (b - '0');
          if (scale >= 0) {
            scale++;
          }
        } else if (b == '.' && scale < 0) {
          scale = 0;
        } else {
          valid = false;
          break;
        }
      }
      at = i;
      if (valid && unscaled != 0) {
        value = BigDecimal.valueOf(unscaled, Math.max(scale, 0));
      }
      return value;
    }

    String text(int from) {
      return new String(bytes, from, at - from, StandardCharsets.ISO_8859_1);
    }
  }

  private BinanceTradeScanner() {}

  /**
   * The trade in {@code utf8[offset, offset + length)} when the frame has exactly the form above,
   * or {@code null} (decode it the general way).
   */
  static Decoded.Trades scan(byte[] utf8, int offset, int length) {
    if (offset < 0 || length < 0 || length > JsonWire.MAX_FRAME_CHARS || offset > utf8.length - length) {
      return null;
    }
    Cursor c = new Cursor(utf8, offset, length);
    boolean envelope = c.literal(ENVELOPE);
    if (envelope && !(c.plainString() && c.literal(DATA))) {
      return null;
    }
    if (!envelope && !(c.end - c.at > 0 && c.bytes[c.at++] == '{')) {
      return null;
    }
    if (!c.literal(EVENT)) {
      return null;
    }
    boolean aggregate;
    if (c.literal(TRADE)) {
      aggregate = false;
    } else if (c.literal(AGG_TRADE)) {
      aggregate = true;
    } else {
      return null;
    }
    if (!c.digits() || !c.literal(SYMBOL)) {
      return null;
    }
    int symbolStart = c.at;
    if (!c.plainString()) {
      return null;
    }
    String symbol = EngineSymbols.fromAscii(c.bytes, symbolStart, c.at - symbolStart);
    if (symbol == null || !c.literal(aggregate ? AGG_ID : TRADE_ID) || !c.digits()) {
      return null;
    }
    String id = c.text(c.start);
    if (!c.literal(PRICE)) {
      return null;
    }
    BigDecimal price = c.positiveDecimal();
    if (price == null || !c.literal(QUANTITY)) {
      return null;
    }
    BigDecimal quantity = c.positiveDecimal();
    if (quantity == null) {
      return null;
    }
    if (aggregate) {
      if (!c.literal(FIRST_ID) || !c.digits() || !c.literal(LAST_ID) || !c.digits() || !c.literal(TIME)) {
        return null;
      }
    } else if (!c.literal(TIME_AFTER_QUANTITY)) {
      return null;
    }
    if (!c.digits() || c.value <= 0) {
      return null;
    }
    long timeMs = c.value;
    int buyerMaker = c.literal(MAKER) ? c.bool() : -1;
    if (buyerMaker < 0 || !c.literal(MATCH) || c.bool() < 0) {
      return null;
    }
    if (!(c.end - c.at == (envelope ? 2 : 1) && c.bytes[c.at] == '}' && (!envelope || c.bytes[c.at + 1] == '}'))) {
      return null;
    }
    String tradeId = aggregate ? BinanceDialect.AGG_TRADE_ID_PREFIX + id : id;
    Trade trade = new Trade(tradeId, timeMs, price, quantity, buyerMaker == 1 ? Side.SELL : Side.BUY);
    return new Decoded.Trades(List.of(new Decoded.VenueTrade(symbol, trade)));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
