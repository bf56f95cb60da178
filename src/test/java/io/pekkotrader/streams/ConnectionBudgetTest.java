package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

  @Test
  void grantsAttemptsUpToTheBudgetThenSaysHowLongToWait() {
    ConnectionBudget budget = new ConnectionBudget(3, Duration.ofSeconds(10));

    assertEquals(0, budget.tryAcquire(1_000));
    assertEquals(0, budget.tryAcquire(2_000));
    assertEquals(0, budget.tryAcquire(3_000));
    assertEquals(7_000, budget.tryAcquire(4_000), "until the first attempt leaves the window at 11 000");
    assertEquals(3, budget.attemptsInWindow(4_000), "a refused attempt is not recorded");
  }

  @Test
  void freesASlotWhenTheOldestAttemptLeavesTheSlidingWindow() {
    ConnectionBudget budget = new ConnectionBudget(2, Duration.ofSeconds(10));
    budget.tryAcquire(0);
    budget.tryAcquire(5_000);

    assertEquals(1, budget.tryAcquire(9_999));
    assertEquals(0, budget.tryAcquire(10_000));
    assertEquals(2, budget.attemptsInWindow(10_000));
    assertEquals(5_000, budget.tryAcquire(10_000));
    assertEquals(0, budget.attemptsInWindow(30_000));
  }

  @Test
  void neverGrantsMoreThanTheBudgetInAnyWindowWhateverTheCallPattern() {
    ConnectionBudget budget = new ConnectionBudget(5, Duration.ofMillis(1_000));
    java.util.List<Long> granted = new java.util.ArrayList<>();

    for (long now = 0; now < 20_000; now += 37) {
      if (budget.tryAcquire(now) == 0) {
        granted.add(now);
      }
    }

    for (int i = 5; i < granted.size(); i++) {
      assertEquals(true, granted.get(i) - granted.get(i - 5) >= 1_000, "6 attempts within 1 s at " + granted.get(i));
    }
    assertEquals(100, granted.size(), "5 per second for 20 s: the budget is used, not wasted");
  }

  @Test
  void rejectsAnEmptyBudget() {
    assertThrows(IllegalArgumentException.class, () -> new ConnectionBudget(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new ConnectionBudget(1, Duration.ZERO));
  }
}
