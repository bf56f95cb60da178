package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SymbolIdTest {

  private static void assertRejected(String text, String messagePart) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SymbolId.parse(text));
    assertTrue(error.getMessage().contains(messagePart), "for " + text + ": " + error.getMessage());
  }

  @Test
  void parsesVenueAndSymbol() {
    SymbolId id = SymbolId.parse("binance:BTCUSDT");

    assertEquals("binance", id.venue());
    assertEquals("BTCUSDT", id.symbol());
    assertEquals(new SymbolId("binance", "BTCUSDT"), id);
  }

  @Test
  void roundTripsThroughItsId() {
    SymbolId id = new SymbolId("kraken2", "ETH2USD");

    SymbolId again = SymbolId.parse(id.id());

    assertEquals("kraken2:ETH2USD", id.id());
    assertEquals(id.id(), id.toString());
    assertEquals(id, again);
  }

  @Test
  void rejectsNull() {
    assertRejected(null, "got null");
  }

  @Test
  void rejectsTextWithoutAColon() {
    assertRejected("binanceBTCUSDT", "must be venue:SYMBOL, got 'binanceBTCUSDT'");
  }

  @Test
  void rejectsTextWithTwoColons() {
    assertRejected("binance:BTC:USDT", "must be venue:SYMBOL, got 'binance:BTC:USDT'");
  }

  @Test
  void rejectsALowerCaseSymbol() {
    assertRejected("binance:btcusdt", "symbol must match");
  }

  @Test
  void rejectsAnUpperCaseVenue() {
    assertRejected("Binance:BTCUSDT", "venue must match");
  }

  @Test
  void rejectsAnEmptyVenue() {
    assertRejected(":BTCUSDT", "must be venue:SYMBOL, got ':BTCUSDT'");
  }

  @Test
  void rejectsAnEmptySymbol() {
    assertRejected("binance:", "must be venue:SYMBOL, got 'binance:'");
  }
}
