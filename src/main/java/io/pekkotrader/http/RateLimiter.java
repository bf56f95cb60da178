package io.pekkotrader.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: {@code perSecond} tokens a second up to {@code burst}; a
 * request takes one token or is refused with the seconds until one is there. Lock-free: each
 * bucket is an immutable value swapped by compare-and-set. Idle clients are forgotten once more
 * than {@link #MAX_CLIENTS} are known, so the table stays bounded.
 */
final class RateLimiter {
  static final int MAX_CLIENTS = 10_000;

  /** Tokens in millionths, and when they were counted. */
  record Bucket(long microTokens, long atNanos) {}

  private final long perSecond;
  private final long burstMicros;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, AtomicReference<Bucket>> clients = new ConcurrentHashMap<>();

  RateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be >= 1");
    }
    this.perSecond = perSecond;
    this.burstMicros = burst * 1_000_000L;
    this.nanoTime = nanoTime;
  }

  /** 0 when the request may go, else the whole seconds to wait (at least 1) for the Retry-After header. */
  long acquire(String client) {
    long now = nanoTime.getAsLong();
    if (clients.size() > MAX_CLIENTS) {
      forgetFull(now);
    }
    AtomicReference<Bucket> holder = clients.computeIfAbsent(client, c -> new AtomicReference<>(new Bucket(burstMicros, now)));
    while (true) {
      Bucket before = holder.get();
      Bucket refilled = refill(before, now);
      if (refilled.microTokens() < 1_000_000L) {
        long missing = 1_000_000L - refilled.microTokens();
        long waitNanos = missing * 1_000L / perSecond;
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      }
      if (holder.compareAndSet(before, new Bucket(refilled.microTokens() - 1_000_000L, refilled.atNanos()))) {
        return 0;
      }
    }
  }

  private Bucket refill(Bucket bucket, long now) {
    long elapsed = Math.max(0, now - bucket.atNanos());
    long added = elapsed >= 1_000_000_000_000L ? burstMicros : elapsed * perSecond / 1_000L;
    return new Bucket(Math.min(burstMicros, bucket.microTokens() + added), now);
  }

  /** Drops the clients whose bucket has filled up again: they have been idle long enough. */
  private void forgetFull(long now) {
    clients.entrySet().removeIf(entry -> refill(entry.getValue().get(), now).microTokens() >= burstMicros);
  }
}
