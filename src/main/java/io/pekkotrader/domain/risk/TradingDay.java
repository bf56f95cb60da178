package io.pekkotrader.domain.risk;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a trading day starts: at {@code start} local time in {@code zone} (UTC midnight by
 * default). The daily loss limit counts from the start of the day an instant belongs to.
 *
 * @param zone the zone the day boundary is defined in
 * @param start the local time a day starts at
 */
public record TradingDay(ZoneId zone, LocalTime start) {
  public static final TradingDay UTC_MIDNIGHT = new TradingDay(ZoneId.of("UTC"), LocalTime.MIDNIGHT);

  public TradingDay {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(start, "start");
  }

  /** Epoch millis of the start of the trading day {@code nowMs} falls in. */
  public long startOf(long nowMs) {
    ZonedDateTime now = Instant.ofEpochMilli(nowMs).atZone(zone);
    ZonedDateTime candidate = now.toLocalDate().atTime(start).atZone(zone);
    if (candidate.isAfter(now)) {
      candidate = now.toLocalDate().minusDays(1).atTime(start).atZone(zone);
    }
    return candidate.toInstant().toEpochMilli();
  }
}
