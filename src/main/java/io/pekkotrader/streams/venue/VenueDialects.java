package io.pekkotrader.streams.venue;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The dialects the engine speaks, by venue name. */
public final class VenueDialects {
  private static final Map<String, VenueDialect> BY_VENUE = new TreeMap<>();

  static {
    register(new BinanceDialect());
    register(new BybitDialect());
    register(new KrakenDialect());
  }

  private VenueDialects() {}

  private static void register(VenueDialect dialect) {
    BY_VENUE.put(dialect.venue(), dialect);
  }

  /** The venue names, sorted: {@code binance}, {@code bybit}, {@code kraken}. */
  public static Set<String> venues() {
    return Collections.unmodifiableSet(BY_VENUE.keySet());
  }

  /**
   * The dialect of {@code venue} (exact, lower case).
   *
   * @throws IllegalArgumentException naming the known venues when there is no such dialect
   */
  public static VenueDialect forVenue(String venue) {
    VenueDialect dialect = venue == null ? null : BY_VENUE.get(venue);
    if (dialect == null) {
      throw new IllegalArgumentException("unknown venue '" + venue + "', known: " + String.join(", ", venues()));
    }
    return dialect;
  }
}
