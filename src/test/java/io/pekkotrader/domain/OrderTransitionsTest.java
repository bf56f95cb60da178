package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.OrderTransitions.Transition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OrderTransitionsTest {

  /** The table of docs/symbol-trader.md, written out by hand; every pair not listed is rejected. */
  private static final String EXPECTED = """
      NEW:              SENT->UNKNOWN
      UNKNOWN:          ACKNOWLEDGED->ACCEPTED FILLED_IN_PART->PARTIALLY_FILLED FILLED_IN_FULL->FILLED ENDED_CANCELED->CANCELED ENDED_REJECTED->REJECTED ENDED_EXPIRED->EXPIRED ENDED_NOT_FOUND->REJECTED
      ACCEPTED:         ACKNOWLEDGED->ACCEPTED FILLED_IN_PART->PARTIALLY_FILLED FILLED_IN_FULL->FILLED ENDED_CANCELED->CANCELED ENDED_EXPIRED->EXPIRED ENDED_NOT_FOUND->CANCELED
      PARTIALLY_FILLED: ACKNOWLEDGED->PARTIALLY_FILLED FILLED_IN_PART->PARTIALLY_FILLED FILLED_IN_FULL->FILLED ENDED_CANCELED->CANCELED ENDED_EXPIRED->EXPIRED ENDED_NOT_FOUND->CANCELED
      FILLED:           ACKNOWLEDGED->FILLED ENDED_FILLED->FILLED
      CANCELED:
      REJECTED:
      EXPIRED:
      """;

  private static Map<OrderState, Map<OrderTrigger, OrderState>> expectedMatrix() {
    Map<OrderState, Map<OrderTrigger, OrderState>> matrix = new EnumMap<>(OrderState.class);
    for (String line : EXPECTED.strip().split("\n")) {
      String[] stateAndPairs = line.split(":", 2);
      OrderState state = OrderState.valueOf(stateAndPairs[0].strip());
      Map<OrderTrigger, OrderState> row = new EnumMap<>(OrderTrigger.class);
      for (String pair : stateAndPairs[1].strip().split("\\s+")) {
        if (!pair.isEmpty()) {
          String[] triggerAndNext = pair.split("->");
          row.put(OrderTrigger.valueOf(triggerAndNext[0]), OrderState.valueOf(triggerAndNext[1]));
        }
      }
      assertEquals(null, matrix.put(state, row), "state listed twice in the expected matrix: " + state);
    }
    assertEquals(OrderState.values().length, matrix.size(), "the expected matrix must list every state");
    return matrix;
  }

  @Test
  void decidesEveryStateAndTriggerPairAsTheWrittenOutMatrixSays() {
    Map<OrderState, Map<OrderTrigger, OrderState>> matrix = expectedMatrix();
    List<Executable> checks = new ArrayList<>();

    for (OrderState state : OrderState.values()) {
      for (OrderTrigger trigger : OrderTrigger.values()) {
        Transition outcome = OrderTransitions.apply(state, trigger);
        OrderState expectedNext = matrix.get(state).get(trigger);
        String pair = state + " + " + trigger;
        if (expectedNext != null) {
          checks.add(() -> assertEquals(new Transition.Allowed(expectedNext), outcome, pair));
        } else {
          checks.add(() -> {
            Transition.Rejected rejected = assertInstanceOf(Transition.Rejected.class, outcome, pair);
            assertTrue(rejected.reason().contains(trigger.name()), pair + ": " + rejected.reason());
            assertTrue(rejected.reason().contains(state.name()), pair + ": " + rejected.reason());
          });
        }
        checks.add(() -> assertEquals(expectedNext != null, OrderTransitions.allows(state, trigger), pair));
      }
    }

    assertEquals(2 * 8 * 9, checks.size());
    assertAll(checks);
  }

  @Test
  void allowsTwentyTwoTransitionsAndRejectsTheOtherFifty() {
    int allowed = 0;
    for (OrderState state : OrderState.values()) {
      for (OrderTrigger trigger : OrderTrigger.values()) {
        allowed += OrderTransitions.allows(state, trigger) ? 1 : 0;
      }
    }

    assertEquals(22, allowed);
  }

  @Test
  void finalStatesTakeNoTriggerAndSayWhy() {
    for (OrderState state : List.of(OrderState.CANCELED, OrderState.REJECTED, OrderState.EXPIRED)) {
      assertTrue(state.isFinal());
      for (OrderTrigger trigger : OrderTrigger.values()) {
        Transition.Rejected rejected = assertInstanceOf(Transition.Rejected.class, OrderTransitions.apply(state, trigger));
        assertTrue(rejected.reason().endsWith("the order is final"), rejected.reason());
      }
    }
  }

  @Test
  void mapsEveryEndStatusOfTheJournalToItsTrigger() {
    assertEquals(OrderTrigger.ENDED_FILLED, OrderTrigger.ended(OrderStatus.FILLED));
    assertEquals(OrderTrigger.ENDED_CANCELED, OrderTrigger.ended(OrderStatus.CANCELED));
    assertEquals(OrderTrigger.ENDED_REJECTED, OrderTrigger.ended(OrderStatus.REJECTED));
    assertEquals(OrderTrigger.ENDED_EXPIRED, OrderTrigger.ended(OrderStatus.EXPIRED));
    assertEquals(OrderTrigger.ENDED_NOT_FOUND, OrderTrigger.ended(OrderStatus.UNKNOWN), "UNKNOWN in the journal: the venue had no record");
  }
}
