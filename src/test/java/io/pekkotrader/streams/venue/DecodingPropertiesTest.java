package io.pekkotrader.streams.venue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of every dialect: {@code decode} is total (no input makes it throw), and a trade
 * encoded for the simulator decodes back to exactly the same symbol and trade: the same id, the
 * same millisecond, the same decimals with the same scale, the same side.
 */
class DecodingPropertiesTest {
  private static final List<String> VENUES = List.copyOf(VenueDialects.venues());

  /** A trade with exact decimals of any scale the venues use, on a plausible epoch millisecond. */
  record Case(String symbol, Trade trade) {}

  @Property(tries = 3000)
  void decodingNeverThrowsWhateverTheText(@ForAll String frame) {
    for (String venue : VENUES) {
      assertNotNull(VenueDialects.forVenue(venue).decode(frame));
    }
  }

  @Property(tries = 2000)
  void decodingNeverThrowsOnAMutatedTradeFrame(
      @ForAll("cases") Case c, @ForAll("positions") int position, @ForAll("junk") String junk, @ForAll boolean insert) {
    for (String venue : VENUES) {
      VenueDialect dialect = VenueDialects.forVenue(venue);
      String frame = dialect.encodeTrade(c.symbol(), c.trade());
      int at = Math.min(position, frame.length());
      String rest = insert ? frame.substring(at) : frame.substring(Math.min(frame.length(), at + junk.length()));
      String mutated = frame.substring(0, at) + junk + rest;
      assertNotNull(dialect.decode(mutated));
    }
  }

  @Property(tries = 1000)
  void binanceDecodesWhatItEncodes(@ForAll("cases") Case c) {
    assertRoundTrip(new BinanceDialect(), c.symbol(), c.trade());
  }

  @Property(tries = 1000)
  void binanceDecodesTheAggregateTradesItEncodes(@ForAll("cases") Case c) {
    Trade t = c.trade();
    Trade aggregate = new Trade(BinanceDialect.AGG_TRADE_ID_PREFIX + t.tradeId(), t.timestampMs(), t.price(), t.quantity(), t.takerSide());

    assertRoundTrip(new BinanceDialect(), c.symbol(), aggregate);
  }

  @Property(tries = 1000)
  void bybitDecodesWhatItEncodesWhateverTheTradeIdText(@ForAll("cases") Case c, @ForAll("bybitIds") String id) {
    Trade t = c.trade();

    assertRoundTrip(new BybitDialect(), c.symbol(), new Trade(id, t.timestampMs(), t.price(), t.quantity(), t.takerSide()));
  }

  @Property(tries = 1000)
  void krakenDecodesWhatItEncodes(@ForAll("cases") Case c) {
    assertRoundTrip(new KrakenDialect(), c.symbol(), c.trade());
  }

  private static void assertRoundTrip(VenueDialect dialect, String symbol, Trade trade) {
    String frame = dialect.encodeTrade(symbol, trade);

    Decoded decoded = dialect.decode(frame);

    assertEquals(new Decoded.Trades(List.of(new Decoded.VenueTrade(symbol, trade))), decoded, frame);
    Trade back = ((Decoded.Trades) decoded).trades().get(0).trade();
    assertEquals(trade.price().scale(), back.price().scale(), frame);
    assertEquals(trade.quantity().toPlainString(), back.quantity().toPlainString(), frame);
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> bases = Arbitraries.of("BTC", "ETH", "SOL", "DOGE", "1INCH", "XRP", "PEPE", "A1B2C3");
    Arbitrary<String> quotes = Arbitraries.of("USDT", "USDC", "USD", "EUR", "BTC", "ETH");
    Arbitrary<String> symbols = Combinators.combine(bases, quotes).as((b, q) -> b + q);
    Arbitrary<String> ids = Arbitraries.longs().between(0, 999_999_999_999_999_999L).map(String::valueOf);
    Arbitrary<Long> times = Arbitraries.longs().between(1L, 4_102_444_800_000L);
    Arbitrary<BigDecimal> decimals =
        Combinators.combine(Arbitraries.longs().between(1, 100_000_000_000_000_000L), Arbitraries.integers().between(0, 18))
            .as(BigDecimal::valueOf);
    Arbitrary<Side> sides = Arbitraries.of(Side.class);
    return Combinators.combine(symbols, ids, times, decimals, decimals, sides)
        .as((symbol, id, time, price, quantity, side) -> new Case(symbol, new Trade(id, time, price, quantity, side)));
  }

  @Provide
  Arbitrary<String> bybitIds() {
    return Arbitraries.strings().ofMinLength(1).ofMaxLength(40).withChars("abcdef0123456789-\"\\/é\u0001 ");
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 260);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().ofMaxLength(6).withChars("{}[]\",:0123456789-.eE tfnul\\\u0000");
  }
}
