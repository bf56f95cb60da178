package io.pekkotrader.domain;

import java.time.Duration;

/**
 * Exponential backoff with jitter: attempt n (from 1) waits {@code min × 2^(n−1)}, capped at
 * {@code max}, then stretched by a random factor in {@code [1, 1 + randomFactor)} so that retries
 * of many clients do not line up.
 *
 * @param min delay before the first retry, > 0
 * @param max cap of the delay, >= min
 * @param randomFactor jitter, in [0, 1]
 */
public record Backoff(Duration min, Duration max, double randomFactor) {
  public Backoff {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || randomFactor < 0 || randomFactor > 1) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max and a random factor in [0, 1]");
    }
  }

  /** The delay before retry {@code attempt} (1 = the first retry); {@code random} in [0, 1). */
  public Duration delay(int attempt, double random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    long minMs = min.toMillis();
    long exponential = attempt > 40 ? Long.MAX_VALUE : minMs << Math.min(attempt - 1, 40);
    long capped = exponential < 0 || exponential > max.toMillis() ? max.toMillis() : exponential;
    return Duration.ofMillis((long) (capped * (1 + randomFactor * random)));
  }
}
