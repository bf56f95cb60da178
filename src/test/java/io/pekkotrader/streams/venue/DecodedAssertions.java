package io.pekkotrader.streams.venue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.util.List;

/** Assertions on decoded frames shared by the dialect tests. */
final class DecodedAssertions {
  private DecodedAssertions() {}

  /** The trades of a frame that must have decoded to trades. */
  static List<Decoded.VenueTrade> trades(Decoded decoded) {
    return assertInstanceOf(Decoded.Trades.class, decoded, () -> "expected trades, got " + decoded).trades();
  }

  /** The only trade of a frame that must have decoded to exactly one. */
  static Decoded.VenueTrade onlyTrade(Decoded decoded) {
    List<Decoded.VenueTrade> trades = trades(decoded);
    assertEquals(1, trades.size(), () -> "expected one trade, got " + trades);
    return trades.get(0);
  }

  static void assertTrade(
      String symbol, String id, long timestampMs, String price, String quantity, Side side, Decoded.VenueTrade actual) {
    Trade trade = actual.trade();
    String where = actual.toString();
    assertEquals(symbol, actual.symbol(), where);
    assertEquals(id, trade.tradeId(), where);
    assertEquals(timestampMs, trade.timestampMs(), where);
    assertEquals(price, trade.price().toPlainString(), where);
    assertEquals(quantity, trade.quantity().toPlainString(), where);
    assertEquals(side, trade.takerSide(), where);
  }

  static void assertIgnored(String kind, Decoded decoded) {
    assertEquals(new Decoded.Ignored(kind), decoded);
  }

  /** Asserts the frame is malformed with a reason containing {@code reasonPart}. */
  static void assertMalformed(String reasonPart, Decoded decoded) {
    Decoded.Malformed malformed = assertInstanceOf(Decoded.Malformed.class, decoded, () -> "expected malformed, got " + decoded);
    assertTrue(malformed.reason().contains(reasonPart), () -> "reason '" + malformed.reason() + "' lacks '" + reasonPart + "'");
  }
}
