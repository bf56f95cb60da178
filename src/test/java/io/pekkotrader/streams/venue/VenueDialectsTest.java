package io.pekkotrader.streams.venue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VenueDialectsTest {

  @Test
  void findsEachDialectByItsVenueName() {
    assertInstanceOf(BinanceDialect.class, VenueDialects.forVenue("binance"));
    assertInstanceOf(BybitDialect.class, VenueDialects.forVenue("bybit"));
    assertInstanceOf(KrakenDialect.class, VenueDialects.forVenue("kraken"));
    assertEquals(List.of("binance", "bybit", "kraken"), List.copyOf(VenueDialects.venues()));
    for (String venue : VenueDialects.venues()) {
      assertEquals(venue, VenueDialects.forVenue(venue).venue());
    }
  }

  @Test
  void refusesAnUnknownVenueNamingTheChoices() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> VenueDialects.forVenue("coinbase"));
    IllegalArgumentException wrongCase = assertThrows(IllegalArgumentException.class, () -> VenueDialects.forVenue("Binance"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> VenueDialects.forVenue(null));

    assertEquals("unknown venue 'coinbase', known: binance, bybit, kraken", unknown.getMessage());
    assertTrue(wrongCase.getMessage().contains("'Binance'"), wrongCase.getMessage());
    assertTrue(missing.getMessage().contains("known: binance, bybit, kraken"), missing.getMessage());
  }

  @Test
  void theVenueListCannotBeChangedByCallers() {
    assertThrows(UnsupportedOperationException.class, () -> VenueDialects.venues().clear());
  }
}
