package io.pekkotrader.metrics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import kamon.module.MetricReporter;
import kamon.prometheus.MetricOverrideReporter;
import kamon.prometheus.PrometheusReporter;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;

/**
 * Kamon for {@code run}: attaches its instrumentation (Pekko actors, dispatchers, HTTP server,
 * the JDBC pool) at run time and serves every metric, the {@link TradingMetrics} catalogue
 * included, as Prometheus text on {@code http://<interface>:<port>/metrics}. Started before the
 * journal, the embedded simulator and the actor system, so that the classes it instruments load
 * after it. Nothing else starts Kamon: without it the catalogue records nothing.
 */
public final class MetricsRuntime implements AutoCloseable {
  private final MetricsSettings settings;

  private MetricsRuntime(MetricsSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts Kamon with {@code config} (the engine's whole configuration) and the endpoint of
   * {@code settings}.
   *
   * @throws IllegalStateException when the endpoint's port cannot be bound
   */
  public static MetricsRuntime start(MetricsSettings settings, Config config) {
    // Kamon logs a failed bind and goes on without an endpoint: check the port first, so that a
    // port in use stops the engine with a clear message like every other port
    checkBindable(settings);
    Kamon.init(kamonConfig(settings).withFallback(config));
    Kamon.addReporter(
        "prometheus-reporter", reporter(new PrometheusReporter(PrometheusReporter.DefaultConfigPath(), Kamon.config()), Kamon.config()));
    TradingMetrics.export();
    TradingMetrics.registerAll();
    return new MetricsRuntime(settings);
  }

  /**
   * What Kamon reports to: {@code prometheus} behind the metric overrides (the reporter module
   * alone would ignore {@code kamon.prometheus.metric-overrides}), given the catalogue's gauges
   * with every snapshot (they are not Kamon gauges: see {@link CatalogueGauges}).
   */
  static MetricReporter reporter(PrometheusReporter prometheus, Config config) {
    return TradingMetrics.GAUGES.reportingTo(new MetricOverrideReporter(prometheus, config));
  }

  /** The Kamon settings that follow from {@code settings}: the endpoint and the tick interval. */
  static Config kamonConfig(MetricsSettings settings) {
    Map<String, Object> values = new HashMap<>();
    values.put("kamon.metric.tick-interval", settings.tickInterval().toMillis() + "ms");
    values.put("kamon.prometheus.start-embedded-http-server", true);
    values.put("kamon.prometheus.embedded-server.hostname", settings.iface());
    values.put("kamon.prometheus.embedded-server.port", settings.port());
    values.put("kamon.prometheus.embedded-server.metrics-path", MetricsSettings.PATH);
    return ConfigFactory.parseMap(values, "pekko-trader.metrics");
  }

  private static void checkBindable(MetricsSettings settings) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(settings.iface()), settings.port()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot serve metrics on " + settings.iface() + ":" + settings.port() + " (" + e.getMessage() + "); set TRADER_METRICS_PORT",
          e);
    }
  }

  /** Where Prometheus scrapes. */
  public String url() {
    return "http://" + settings.iface() + ":" + settings.port() + MetricsSettings.PATH;
  }

  /** Stops the endpoint and Kamon's modules. */
  @Override
  public void close() {
    TradingMetrics.stopExporting();
    try {
      Await.result(Kamon.stop(), FiniteDuration.apply(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the process is ending: a module that does not stop in time is not worth waiting for
    }
  }
}
