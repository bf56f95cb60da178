package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void allowsTheBurstThenRefusesWithTheSecondsToWait() {
    RateLimiter limiter = new RateLimiter(2, 3, nanos::get);

    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"), "a token comes back in half a second: Retry-After rounds up to 1");
    assertEquals(0, limiter.acquire("b"), "each client has its own bucket");

    nanos.addAndGet(500_000_000L);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"));
  }

  @Test
  void refillsNoMoreThanTheBurst() {
    RateLimiter limiter = new RateLimiter(10, 2, nanos::get);
    nanos.addAndGet(3_600_000_000_000L);

    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"));
  }

  @Test
  void aSlowRateWaitsWholeSeconds() {
    RateLimiter limiter = new RateLimiter(1, 1, nanos::get);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"));
    nanos.addAndGet(999_000_000L);
    assertEquals(1, limiter.acquire("a"));
    nanos.addAndGet(1_000_000L);
    assertEquals(0, limiter.acquire("a"));
  }

  @Test
  void refusesANonsensicalSetting() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, nanos::get));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, nanos::get));
  }
}
