package io.pekkotrader.streams;

/** What a market-data stream reports to the actor that owns it. */
public sealed interface StreamEvent {
  /** A (re)connection attempt started; {@code attempt} counts from 1 for the engine's life. */
  record Connecting(long attempt) implements StreamEvent {}

  /** Messages received since the last report and the time of the latest, epoch millis. */
  record Progress(long messages, long lastMessageAtMs) implements StreamEvent {}

  /** The connection ended (error or completion); a restart follows with backoff. */
  record Disconnected(String reason) implements StreamEvent {}

  /** The stream was stopped for good (shutdown). */
  record Stopped() implements StreamEvent {}
}
