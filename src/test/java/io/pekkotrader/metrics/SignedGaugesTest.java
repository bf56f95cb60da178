package io.pekkotrader.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.util.List;
import kamon.module.MetricReporter;
import kamon.prometheus.PrometheusReporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's gauges reach the Prometheus text with their sign: a loss is a negative
 * {@code daily_pnl}, a venue without a frame yet shows {@code ws_last_message_age_seconds} -1.
 * Goes through the reporter chain {@code run} uses, given the snapshot Kamon's tick would take of
 * its registry, without starting Kamon or its endpoint.
 */
class SignedGaugesTest {
  private static final Config CONFIG =
      ConfigFactory.parseString("kamon.prometheus.start-embedded-http-server = no").withFallback(ConfigFactory.load());

  private PrometheusReporter prometheus;
  private MetricReporter reporter;

  @BeforeEach
  void export() {
    prometheus = new PrometheusReporter(PrometheusReporter.DefaultConfigPath(), CONFIG);
    reporter = MetricsRuntime.reporter(prometheus, CONFIG);
    TradingMetrics.export();
  }

  @AfterEach
  void stopExporting() {
    TradingMetrics.stopExporting();
    reporter.stop();
  }

  @Test
  void aDailyLossIsScrapedAsANegativeDailyPnl() {
    TradingMetrics.portfolio(new BigDecimal("9849.00"), new BigDecimal("-151.00"), new BigDecimal("0.0151"), 1);

    List<String> scrape = scrape();

    assertTrue(scrape.contains("daily_pnl -151.0"), "daily_pnl in:\n" + String.join("\n", scrape));
    assertTrue(scrape.contains("equity 9849.0"), "equity in:\n" + String.join("\n", scrape));
    assertEquals(1, scrape.stream().filter("# TYPE daily_pnl gauge"::equals).count(), "one daily_pnl family");
  }

  @Test
  void aGainAfterALossAndALossAfterAGainAreEachScrapedAsSet() {
    TradingMetrics.portfolio(new BigDecimal("10020"), new BigDecimal("20"), BigDecimal.ZERO, 0);
    scrape();
    TradingMetrics.portfolio(new BigDecimal("9990"), new BigDecimal("-10"), new BigDecimal("0.003"), 0);

    assertTrue(scrape().contains("daily_pnl -10.0"), "the loss replaces the gain");
  }

  @Test
  void aVenueWithoutAFrameYetShowsMinusOneAsItsLastMessageAge() {
    TradingMetrics.venue("binance", false, -1, 1, 0);

    List<String> scrape = scrape();

    assertTrue(scrape.contains("ws_last_message_age_seconds{venue=\"binance\"} -1.0"), String.join("\n", scrape));
    assertTrue(scrape.contains("ws_connected{venue=\"binance\"} 0.0"), String.join("\n", scrape));
  }

  /** A tick: Kamon's registry's snapshot through the reporters, then the text Prometheus would scrape. */
  private List<String> scrape() {
    reporter.reportPeriodSnapshot(kamon.Kamon$.MODULE$.registry().snapshot(false));
    return prometheus.scrapeData().lines().toList();
  }
}
