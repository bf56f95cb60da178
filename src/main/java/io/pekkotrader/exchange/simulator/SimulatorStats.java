package io.pekkotrader.exchange.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator has done so far, for {@code GET /admin/stats} and tests. Counters are
 * updated lock-free by the connections' stream stages and read as one {@link Snapshot}.
 */
public final class SimulatorStats {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong open = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong framesSent = new AtomicLong();
  final AtomicLong tradesSent = new AtomicLong();
  final AtomicLong garbageSent = new AtomicLong();
  final AtomicLong truncatedSent = new AtomicLong();
  final AtomicLong withheld = new AtomicLong();
  final AtomicLong clientFrames = new AtomicLong();

  /**
   * The counters at one moment.
   *
   * @param connectionsAccepted WebSocket upgrades accepted
   * @param connectionsRefused upgrades answered 503 by the {@code refuse} fault
   * @param connectionsOpen connections open now
   * @param connectionsDropped connections closed by the {@code drop} fault
   * @param framesSent frames written to clients, of every kind (garbage included)
   * @param tradesSent trade frames among them (generated or replayed), truncated ones included
   * @param garbageSent extra garbage frames
   * @param truncatedSent frames cut short
   * @param framesWithheld data frames not sent because of a stall
   * @param clientFrames frames received from clients
   */
  public record Snapshot(
      long connectionsAccepted,
      long connectionsRefused,
      long connectionsOpen,
      long connectionsDropped,
      long framesSent,
      long tradesSent,
      long garbageSent,
      long truncatedSent,
      long framesWithheld,
      long clientFrames) {}

  public Snapshot snapshot() {
    return new Snapshot(
        accepted.get(),
        refused.get(),
        open.get(),
        dropped.get(),
        framesSent.get(),
        tradesSent.get(),
        garbageSent.get(),
        truncatedSent.get(),
        withheld.get(),
        clientFrames.get());
  }
}
