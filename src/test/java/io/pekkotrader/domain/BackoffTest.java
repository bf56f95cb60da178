package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2);

  @Test
  void doublesTheDelayFromTheMinimumUpToTheCap() {
    assertEquals(500, backoff.delay(1, 0).toMillis());
    assertEquals(1_000, backoff.delay(2, 0).toMillis());
    assertEquals(16_000, backoff.delay(6, 0).toMillis());
    assertEquals(30_000, backoff.delay(7, 0).toMillis());
    assertEquals(30_000, backoff.delay(1_000, 0).toMillis(), "no overflow far out");
  }

  @Test
  void stretchesEachDelayByUpToTheRandomFactor() {
    assertEquals(500, backoff.delay(1, 0.0).toMillis());
    assertEquals(550, backoff.delay(1, 0.5).toMillis());
    assertEquals(35_999, backoff.delay(9, 0.99999).toMillis());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.2));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.2));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5));
    assertThrows(IllegalArgumentException.class, () -> backoff.delay(0, 0));
  }
}
