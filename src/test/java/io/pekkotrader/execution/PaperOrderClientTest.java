package io.pekkotrader.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The paper order client on its own: no actors, time stepped by hand. */
class PaperOrderClientTest {

  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final Duration FILL_DELAY = Duration.ofMillis(50);

  /** A host that records reports and keeps scheduled tasks until the test runs them. */
  private static final class RecordingHost implements OrderClient.Host {
    final List<OrderUpdate> reports = new ArrayList<>();
    final List<Runnable> scheduled = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public void report(SymbolId symbol, OrderUpdate update) {
      assertEquals(BTC, symbol);
      reports.add(update);
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
      delays.add(delay);
      scheduled.add(task);
    }

    /** Runs the tasks due now (those scheduled so far), as the gateway's timers would. */
    void runDue() {
      List<Runnable> due = List.copyOf(scheduled);
      scheduled.clear();
      due.forEach(Runnable::run);
    }
  }

  private final RecordingHost host = new RecordingHost();

  private PaperOrderClient client(int parts) {
    PaperFillModel model = new PaperFillModel(new BigDecimal("0.001"), BigDecimal.ZERO, parts, new BigDecimal("0.001"));
    return new PaperOrderClient(symbol -> model, FILL_DELAY, CLOCK, host);
  }

  private static OrderIntent buy(String clientOrderId, String quantity) {
    return new OrderIntent(
        clientOrderId, BTC, IntentKind.ENTRY, Side.BUY, new BigDecimal(quantity), new BigDecimal("100"), "test", "test", 0);
  }

  private static <T> T now(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(1, TimeUnit.SECONDS);
  }

  @Test
  void acknowledgesAtOnceThenReportsEachFillAfterTheDelayAndEndsFilled() throws Exception {
    PaperOrderClient client = client(2);

    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));

    assertEquals(List.of(new OrderUpdate.Accepted("o-1", "paper-o-1")), host.reports);
    assertEquals(List.of(FILL_DELAY), host.delays);
    host.runDue();
    assertEquals(2, host.reports.size());
    Fill first = ((OrderUpdate.Filled) host.reports.get(1)).fill();
    assertEquals("o-1-1", first.tradeId());
    assertEquals(0, new BigDecimal("0.5").compareTo(first.quantity()));
    assertEquals(0, new BigDecimal("100").compareTo(first.price()));
    host.runDue();
    assertEquals("o-1-2", ((OrderUpdate.Filled) host.reports.get(2)).fill().tradeId());
    assertEquals(new OrderUpdate.Ended("o-1", OrderStatus.FILLED, "filled"), host.reports.get(3));
    assertTrue(host.scheduled.isEmpty(), "nothing more is scheduled after the last fill");
  }

  @Test
  void stampsEachFillWithTheTimeItIsReportedAtThePriceOfTheSubmission() throws Exception {
    java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
    Clock moving =
        new Clock() {
          @Override
          public long millis() {
            return millis.get();
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    PaperFillModel model = new PaperFillModel(new BigDecimal("0.001"), BigDecimal.ZERO, 2, new BigDecimal("0.001"));
    PaperOrderClient client = new PaperOrderClient(symbol -> model, FILL_DELAY, moving, host);
    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));

    millis.addAndGet(FILL_DELAY.toMillis());
    host.runDue();
    millis.addAndGet(FILL_DELAY.toMillis());
    host.runDue();

    Fill first = ((OrderUpdate.Filled) host.reports.get(1)).fill();
    Fill second = ((OrderUpdate.Filled) host.reports.get(2)).fill();
    assertEquals(1_700_000_000_050L, first.timestampMs());
    assertEquals(1_700_000_000_100L, second.timestampMs());
    assertEquals(0, new BigDecimal("100").compareTo(second.price()), "priced at the submission");
    assertEquals(List.of(first, second), now(client.query("o-1")).fills(), "the query reports them as they were reported");
  }

  @Test
  void cancelEndsAWorkingOrderAndNoMoreFillsCome() throws Exception {
    PaperOrderClient client = client(2);
    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));
    host.runDue();

    now(client.cancel("o-1"));
    host.runDue();

    assertEquals(new OrderUpdate.Ended("o-1", OrderStatus.CANCELED, "canceled"), host.reports.get(2));
    assertEquals(3, host.reports.size(), "no fill after the cancel");
    OrderUpdate.Report report = now(client.query("o-1"));
    assertEquals(OrderStatus.CANCELED, report.finalStatus());
    assertEquals(1, report.fills().size());
  }

  @Test
  void cancelOfAFinalOrUnknownOrderDoesNothing() throws Exception {
    PaperOrderClient client = client(1);
    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));
    host.runDue();
    int reported = host.reports.size();

    now(client.cancel("o-1"));
    now(client.cancel("never-placed"));

    assertEquals(reported, host.reports.size());
    assertEquals(OrderStatus.FILLED, now(client.query("o-1")).finalStatus());
  }

  @Test
  void queryAnswersWhatTheBookKnowsAndUnknownForAnOrderItNeverSaw() throws Exception {
    PaperOrderClient client = client(2);
    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));
    host.runDue();

    OrderUpdate.Report working = now(client.query("o-1"));
    OrderUpdate.Report unknown = now(client.query("o-2"));

    assertTrue(working.known());
    assertNull(working.finalStatus(), "still working");
    assertEquals(List.of("o-1-1"), working.fills().stream().map(Fill::tradeId).toList());
    assertEquals(new OrderUpdate.Report("o-2", false, List.of(), null), unknown);
  }

  @Test
  void submittingTheSameClientOrderIdAgainPlacesNoSecondOrder() throws Exception {
    PaperOrderClient client = client(1);
    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));

    now(client.submit(buy("o-1", "1"), new BigDecimal("200")));
    host.runDue();

    assertEquals(1, host.reports.stream().filter(OrderUpdate.Accepted.class::isInstance).count());
    assertEquals(1, host.reports.stream().filter(OrderUpdate.Filled.class::isInstance).count());
    assertEquals(0, new BigDecimal("100").compareTo(((OrderUpdate.Filled) host.reports.get(1)).fill().price()), "the first order's fill");
  }

  @Test
  void openOrdersListsOnlyOrdersWithoutAFinalStatus() throws Exception {
    PaperOrderClient client = client(2);
    now(client.submit(buy("o-1", "1"), new BigDecimal("100")));
    now(client.submit(buy("o-2", "1"), new BigDecimal("100")));
    now(client.cancel("o-2"));

    List<OrderUpdate.Report> open = now(client.openOrders());

    assertEquals(List.of("o-1"), open.stream().map(OrderUpdate.Report::clientOrderId).toList());
    assertFalse(open.get(0).fills().iterator().hasNext());
  }
}
