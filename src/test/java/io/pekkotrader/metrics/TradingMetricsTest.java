package io.pekkotrader.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.risk.RiskCheck;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TradingMetricsTest {
  private static final String NAME = "[a-z][a-z0-9_]*";

  @Test
  void theCatalogueHoldsTheIssuesMetricsEachOnce() {
    List<String> names = TradingMetrics.CATALOGUE.stream().map(TradingMetrics.Definition::name).toList();

    assertEquals(
        List.of(
            "ws_connected", "ws_last_message_age_seconds", "ws_reconnects_total", "ws_connection_attempts",
            "ws_malformed_frames_total", "ws_trades_shed_total", "ws_symbols_shedding", "breaker_state", "orders_submitted_total", "orders_rejected_total",
            "trade_rejects_total", "killswitch_engaged", "daily_pnl", "equity", "drawdown", "positions_open",
            "tick_to_decision_seconds", "persist_latency_seconds", "reconciliation_mismatches_total"),
        names);
    assertEquals(names.size(), new HashSet<>(names).size(), "no name twice");
  }

  @Test
  void namesFollowPrometheusConventions() {
    for (TradingMetrics.Definition metric : TradingMetrics.CATALOGUE) {
      String name = metric.name();
      assertTrue(name.matches(NAME), name + " is a snake_case metric name");
      assertEquals(metric.type() == TradingMetrics.Type.COUNTER, name.endsWith("_total"), name + ": counters, and only counters, end in _total");
      if (metric.type() == TradingMetrics.Type.HISTOGRAM) {
        assertTrue(name.endsWith("_seconds"), name + ": a latency histogram is in seconds");
      }
      assertFalse(name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket"), name + " has no reserved suffix");
      assertFalse(metric.help().isBlank(), name + " has a help text");
      for (String label : metric.labels()) {
        assertTrue(label.matches(NAME) && !label.equals("le"), name + ": label " + label);
      }
    }
  }

  @Test
  void riskReasonsCoverEveryCheckAndAreValidLabelValues() {
    Set<String> reasons = TradingMetrics.RISK_REASONS;

    for (RiskCheck check : RiskCheck.values()) {
      assertTrue(reasons.contains(check.code()), check.code());
    }
    assertTrue(reasons.containsAll(Set.of("insufficient_funds", "portfolio_invariant", "portfolio_unavailable")));
    reasons.forEach(reason -> assertTrue(reason.matches(NAME), reason));
  }

  @Test
  void recordingWithoutTheRuntimeTouchesNoInstrument() throws Exception {
    TradingMetrics.orderSubmitted();
    TradingMetrics.riskDecided(false, "a reason nobody knows");
    TradingMetrics.malformedFrames("binance", 3);
    TradingMetrics.decided(System.nanoTime());
    org.apache.pekko.japi.function.Effect timer = TradingMetrics.persistTimer(TradingMetrics.SYMBOL_TRADER);
    timer.apply();

    assertSame(TradingMetrics.NOTHING, timer, "no clock read, no histogram: the shared no-op");
  }
}
