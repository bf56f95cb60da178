package io.pekkotrader.streams;

import java.util.List;

/** What a market-data stream reports to the actor that owns it. */
public sealed interface StreamEvent {
  /**
   * A connection attempt starts now; the budget granted it. {@code attempt} counts from 1 for the
   * pipeline's life; {@code attemptsInWindow} includes this one and never exceeds {@code budget}.
   */
  record Connecting(long attempt, int attemptsInWindow, int budget, long atMs) implements StreamEvent {}

  /** The venue accepted the connection (WebSocket upgrade completed). */
  record Connected(long atMs) implements StreamEvent {}

  /**
   * Frames received since the last report, by what they were, and the time of the latest, epoch
   * millis. {@code messages} = every frame; {@code trades} = trades decoded (a frame may carry several).
   */
  record Progress(long messages, long trades, long ignored, long malformed, long lastMessageAtMs) implements StreamEvent {}

  /** Trades dropped since the last report because their id was already delivered. */
  record DuplicatesDropped(long count) implements StreamEvent {}

  /**
   * A trade router's counts per symbol since it started (every symbol it has seen, cumulative,
   * with each one's breaker as it is now); sent when they changed, at most once a second, and
   * once when it stops. {@code router} identifies the router (see {@link TradeRouter.Report}).
   */
  record Deliveries(long router, List<TradeRouter.SymbolDelivery> symbols) implements StreamEvent {}

  /** The connection budget is used up: the next attempt waits {@code waitMs} for the window to free. */
  record BudgetExhausted(int budget, long waitMs) implements StreamEvent {}

  /** The connection ended at {@code atMs} (error or completion); a restart follows with backoff. */
  record Disconnected(String reason, long atMs) implements StreamEvent {}

  /** The stream ended for good: shut down on request ({@code failure} null), or failed. */
  record Stopped(String failure) implements StreamEvent {}
}
