package io.pekkotrader.metrics;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import kamon.metric.Instrument;
import kamon.metric.MeasurementUnit;
import kamon.metric.MetricSnapshot;
import kamon.metric.PeriodSnapshot;
import kamon.module.MetricReporter;
import kamon.tag.TagSet;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The latest value of each gauge of the catalogue, sign included, and the reporter that hands
 * them to Prometheus with every snapshot of Kamon's.
 *
 * <p>Kamon's own gauge cannot hold a value below zero: {@code Gauge.Volatile.update} of Kamon
 * 2.7.5 ignores a negative value and keeps the previous one, so a daily loss of 151 read as the
 * last gain (or 0) and {@code ws_last_message_age_seconds} never showed its -1. These gauges
 * therefore live here, and {@link #reportingTo} adds them to each period snapshot on its way to
 * the Prometheus reporter: Kamon's {@code ScrapeDataBuilder} renders them like any gauge, under
 * the catalogue's name, with its help text, and with their sign.
 *
 * <p>Setting a value is one put in a concurrent map: no lock, safe from any thread.
 */
final class CatalogueGauges {
  /** A gauge's settings (Scala's {@code Metric.Settings.ForValueInstrument}): no unit, no auto-update. */
  private static final kamon.metric.Metric$Settings$ForValueInstrument SETTINGS =
      new kamon.metric.Metric$Settings$ForValueInstrument(MeasurementUnit.none(), Duration.ZERO);

  private final Map<String, TradingMetrics.Definition> definitions = new LinkedHashMap<>();
  private final ConcurrentMap<String, ConcurrentMap<TagSet, Double>> values = new ConcurrentHashMap<>();

  CatalogueGauges(List<TradingMetrics.Definition> gauges) {
    gauges.forEach(definition -> definitions.put(definition.name(), definition));
  }

  /** Sets the unlabelled gauge {@code gauge} to {@code value}. */
  void set(TradingMetrics.Definition gauge, double value) {
    series(gauge).put(TagSet.Empty(), value);
  }

  /** Sets the series {@code label=labelValue} of {@code gauge} to {@code value}. */
  void set(TradingMetrics.Definition gauge, String label, String labelValue, double value) {
    series(gauge).put(TagSet.of(label, labelValue), value);
  }

  /** Every gauge that has a value, each with its series as set last. */
  List<MetricSnapshot<kamon.metric.Metric$Settings$ForValueInstrument, Object>> snapshot() {
    List<MetricSnapshot<kamon.metric.Metric$Settings$ForValueInstrument, Object>> snapshot = new ArrayList<>();
    for (TradingMetrics.Definition gauge : definitions.values()) {
      Map<TagSet, Double> series = values.get(gauge.name());
      if (series == null || series.isEmpty()) {
        continue;
      }
      List<Instrument.Snapshot<Object>> instruments = new ArrayList<>();
      series.forEach((tags, value) -> instruments.add(new Instrument.Snapshot<>(tags, value)));
      snapshot.add(MetricSnapshot.ofValues(gauge.name(), gauge.help(), SETTINGS, CollectionConverters.asScala(instruments).toSeq()));
    }
    return snapshot;
  }

  /** {@code reporter}, given every snapshot with these gauges added to Kamon's. */
  MetricReporter reportingTo(MetricReporter reporter) {
    return new WithGauges(reporter);
  }

  private ConcurrentMap<TagSet, Double> series(TradingMetrics.Definition gauge) {
    if (!definitions.containsKey(gauge.name())) {
      throw new IllegalArgumentException(gauge.name() + " is not a gauge of the catalogue");
    }
    return values.computeIfAbsent(gauge.name(), name -> new ConcurrentHashMap<>());
  }

  private final class WithGauges implements MetricReporter {
    private final MetricReporter reporter;

    WithGauges(MetricReporter reporter) {
      this.reporter = reporter;
    }

    @Override
    public void reportPeriodSnapshot(PeriodSnapshot snapshot) {
      List<MetricSnapshot<kamon.metric.Metric$Settings$ForValueInstrument, Object>> gauges =
          new ArrayList<>(CollectionConverters.asJava(snapshot.gauges()));
      gauges.addAll(snapshot());
      reporter.reportPeriodSnapshot(
          new PeriodSnapshot(
              snapshot.from(),
              snapshot.to(),
              snapshot.counters(),
              CollectionConverters.asScala(gauges).toSeq(),
              snapshot.histograms(),
              snapshot.timers(),
              snapshot.rangeSamplers()));
    }

    @Override
    public void reconfigure(Config config) {
      reporter.reconfigure(config);
    }

    @Override
    public void stop() {
      reporter.stop();
    }
  }
}
