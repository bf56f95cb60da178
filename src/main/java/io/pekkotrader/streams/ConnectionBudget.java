package io.pekkotrader.streams;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A venue's connection budget as a sliding window: at most {@code budget} connection attempts in
 * any period of {@code window} (Binance: 300 per 5 minutes per IP). {@link #tryAcquire} either
 * records an attempt at {@code nowMs} or says how long to wait until the oldest attempt leaves
 * the window; it never grants an attempt over the budget. Memory is bounded by the budget.
 *
 * <p>Not thread-safe: one pipeline's restart logic owns it and calls it from one stream stage at
 * a time.
 */
public final class ConnectionBudget {
  private final int budget;
  private final long windowMs;
  private final ArrayDeque<Long> attempts = new ArrayDeque<>();

  public ConnectionBudget(int budget, Duration window) {
    if (budget < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a connection budget needs budget >= 1 and a window > 0");
    }
    this.budget = budget;
    this.windowMs = window.toMillis();
  }

  /** Records an attempt at {@code nowMs} and returns 0, or returns the milliseconds to wait (> 0) without recording. */
  public long tryAcquire(long nowMs) {
    expire(nowMs);
    if (attempts.size() < budget) {
      attempts.addLast(nowMs);
      return 0;
    }
    return Math.max(1, attempts.peekFirst() + windowMs - nowMs);
  }

  /** Attempts recorded in the window ending at {@code nowMs}. */
  public int attemptsInWindow(long nowMs) {
    expire(nowMs);
    return attempts.size();
  }

  public int budget() {
    return budget;
  }

  public Duration window() {
    return Duration.ofMillis(windowMs);
  }

  private void expire(long nowMs) {
    while (!attempts.isEmpty() && attempts.peekFirst() <= nowMs - windowMs) {
      attempts.removeFirst();
    }
  }
}
