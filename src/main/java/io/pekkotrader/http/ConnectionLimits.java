package io.pekkotrader.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections of the control API's server, per client address and in all: a new one is
 * admitted while its address holds fewer than {@code perClient} and the server fewer than
 * {@code total}. Lock-free: each count is swapped by compare-and-set, and an address is forgotten
 * when its last connection closes, so the table holds only addresses with open connections.
 */
final class ConnectionLimits {
  /** Whether a new connection may open, and if not, which limit it hit. */
  enum Admission {
    ADMITTED,
    CLIENT_FULL,
    SERVER_FULL
  }

  private final int perClient;
  private final int total;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> byClient = new ConcurrentHashMap<>();

  ConnectionLimits(int perClient, int total) {
    if (perClient < 1 || total < 1) {
      throw new IllegalArgumentException("connection limits must be >= 1");
    }
    this.perClient = perClient;
    this.total = total;
  }

  /** Counts a connection from {@code client} when it is admitted; each admitted one must be {@link #close}d once. */
  Admission open(String client) {
    if (open.incrementAndGet() > total) {
      open.decrementAndGet();
      return Admission.SERVER_FULL;
    }
    while (true) {
      AtomicInteger count = byClient.computeIfAbsent(client, c -> new AtomicInteger());
      int before = count.get();
      if (before < 0) {
        // being forgotten by close(): take a fresh counter
        byClient.remove(client, count);
        continue;
      }
      if (before >= perClient) {
        open.decrementAndGet();
        return Admission.CLIENT_FULL;
      }
      if (count.compareAndSet(before, before + 1)) {
        return Admission.ADMITTED;
      }
    }
  }

  /** Uncounts an admitted connection from {@code client}. */
  void close(String client) {
    open.decrementAndGet();
    AtomicInteger count = byClient.get(client);
    if (count != null && count.decrementAndGet() == 0 && count.compareAndSet(0, -1)) {
      byClient.remove(client, count);
    }
  }

  /** Connections open from {@code client}. */
  int openFrom(String client) {
    AtomicInteger count = byClient.get(client);
    return count == null ? 0 : Math.max(0, count.get());
  }

  /** Connections open in all. */
  int open() {
    return open.get();
  }
}
