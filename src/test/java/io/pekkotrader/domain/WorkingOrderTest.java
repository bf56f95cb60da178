package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.buy;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.entryIntent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkingOrderTest {
  private static final String ID = "binance-BTCUSDT-2";
  private static final WorkingOrder SENT = WorkingOrder.of(entryIntent(ID, "1", "100")).approve();

  @Test
  void anAcknowledgementAfterTheFillsChangesNothingButTheVenueId() {
    WorkingOrder filledFirst = SENT.withFill(buy("t1", ID, "1", "100", "0.1"));

    WorkingOrder late = filledFirst.accepted("v-1");

    assertEquals(OrderState.FILLED, late.state());
    assertEquals("v-1", late.venueOrderId());
  }

  @Test
  void aFillAfterTheOrderIsFilledStillCountsButTheStateStays() {
    WorkingOrder filled = SENT.withFill(buy("t1", ID, "1", "100", "0.1"));

    WorkingOrder over = filled.withFill(buy("t2", ID, "0.5", "100", "0.05"));

    assertEquals(OrderState.FILLED, over.state());
    assertEquals(0, dec("1.5").compareTo(over.filledQuantity()), "a fill is a fact: its quantity counts");
    assertTrue(over.hasApplied("t2"));
  }

  @Test
  void endsFilledOnlyWhenEveryFillIsHere() {
    WorkingOrder part = SENT.accepted("v-1").withFill(buy("t1", ID, "0.4", "100", "0.04"));
    WorkingOrder all = part.withFill(buy("t2", ID, "0.6", "100", "0.06"));

    assertFalse(part.canEnd(OrderStatus.FILLED), "fills are missing: ask the venue");
    assertTrue(part.canEnd(OrderStatus.CANCELED));
    assertTrue(all.canEnd(OrderStatus.FILLED));
    assertFalse(SENT.canEnd(OrderStatus.FILLED));
  }

  @Test
  void approvingTwiceSendsOnce() {
    assertEquals(OrderState.UNKNOWN, SENT.approve().state());
    assertFalse(WorkingOrder.of(entryIntent(ID, "1", "100")).approved());
    assertTrue(SENT.approved());
  }
}
