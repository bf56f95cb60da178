package io.pekkotrader.streams;

import java.time.Duration;
import org.apache.pekko.stream.RestartSettings;

/**
 * How one venue connection's market-data stream restarts and watches itself.
 *
 * @param minBackoff delay before the first restart
 * @param maxBackoff cap of the exponential restart delay
 * @param randomFactor jitter: each delay is stretched by a random factor in [1, 1 + randomFactor)
 * @param connectionBudget connection attempts allowed in {@code budgetWindow} (the venue's limit)
 * @param budgetWindow the sliding window of the budget
 * @param idleTimeout no frame at all for this long fails the connection, which then restarts
 * @param dedupWindow trade ids remembered per symbol to drop duplicates across reconnects
 * @param frameTimeout longest wait for the rest of a frame that arrives in pieces
 * @param maxFrameChars longer frames are dropped as malformed
 */
public record StreamSettings(
    Duration minBackoff,
    Duration maxBackoff,
    double randomFactor,
    int connectionBudget,
    Duration budgetWindow,
    Duration idleTimeout,
    int dedupWindow,
    Duration frameTimeout,
    int maxFrameChars) {

  public StreamSettings {
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max");
    }
    if (randomFactor < 0 || randomFactor > 1) {
      throw new IllegalArgumentException("random factor must be in [0, 1]");
    }
    if (connectionBudget < 1 || budgetWindow.isNegative() || budgetWindow.isZero()) {
      throw new IllegalArgumentException("connection budget needs >= 1 attempt in a window > 0");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero() || frameTimeout.isNegative() || frameTimeout.isZero()) {
      throw new IllegalArgumentException("idle and frame timeouts must be > 0");
    }
    if (dedupWindow < 1 || maxFrameChars < 1) {
      throw new IllegalArgumentException("dedup window and max frame size must be >= 1");
    }
  }

  /**
   * For tests that build a stream without the engine's configuration: the shipped
   * {@code market.streams} with Binance's budget (a test keeps them equal to {@code application.conf}).
   */
  public static StreamSettings defaults() {
    return new StreamSettings(
        Duration.ofMillis(200), Duration.ofSeconds(10), 0.2, 300, Duration.ofMinutes(5), Duration.ofSeconds(30), 4096,
        Duration.ofSeconds(5), 1 << 20);
  }

  /** The same settings with another budget (each venue has its own). */
  public StreamSettings withBudget(int budget, Duration window) {
    return new StreamSettings(minBackoff, maxBackoff, randomFactor, budget, window, idleTimeout, dedupWindow, frameTimeout, maxFrameChars);
  }

  /** The same settings with another backoff. */
  public StreamSettings withBackoff(Duration min, Duration max, double random) {
    return new StreamSettings(min, max, random, connectionBudget, budgetWindow, idleTimeout, dedupWindow, frameTimeout, maxFrameChars);
  }

  /** The same settings with another idle timeout. */
  public StreamSettings withIdleTimeout(Duration idle) {
    return new StreamSettings(minBackoff, maxBackoff, randomFactor, connectionBudget, budgetWindow, idle, dedupWindow, frameTimeout, maxFrameChars);
  }

  /**
   * Pekko's restart settings: exponential backoff with jitter, and at most {@code connectionBudget}
   * restarts before the restart source gives up. Pekko counts restarts since the last start that
   * was more than {@code budgetWindow} ago, which is not a sliding window; the pipeline therefore
   * gates every attempt through its own {@link ConnectionBudget} and starts a new restart source
   * when Pekko's gives up (see {@link MarketDataPipeline}).
   */
  public RestartSettings restartSettings() {
    // Pekko's own restart log (a warning with a stack trace per restart) is turned down to debug:
    // MarketDataConnection logs every disconnect with its reason, once.
    return RestartSettings.create(minBackoff, maxBackoff, randomFactor)
        .withMaxRestarts(connectionBudget, budgetWindow)
        .withLogSettings(
            RestartSettings.createLogSettings(org.apache.pekko.event.Logging.DebugLevel())
                .withCriticalLogLevel(org.apache.pekko.event.Logging.DebugLevel(), Integer.MAX_VALUE));
  }
}
