package io.pekkotrader.metrics;

import java.time.Duration;

/**
 * The Prometheus endpoint of {@code run} ({@code pekko-trader.metrics}).
 *
 * @param enabled whether {@code run} starts Kamon, its Pekko instrumentation and the endpoint
 * @param iface the interface the endpoint binds
 * @param port the endpoint's port ({@code TRADER_METRICS_PORT}), serving {@code /metrics}
 * @param tickInterval how often Kamon takes a snapshot of every instrument: a scrape shows the
 *     values of the last tick, and the endpoint is empty until the first one
 * @param sampleInterval how often the gauges are refreshed from the actors' state
 */
public record MetricsSettings(boolean enabled, String iface, int port, Duration tickInterval, Duration sampleInterval) {

  /** The path Prometheus scrapes. */
  public static final String PATH = "/metrics";
}
