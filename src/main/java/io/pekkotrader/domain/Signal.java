package io.pekkotrader.domain;

import java.util.Objects;

/** A strategy's decision on a closed candle, with the reason in words (logged and persisted). */
public record Signal(Action action, String reason) {

  /** What the strategy wants. */
  public enum Action {
    ENTER_LONG,
    EXIT,
    HOLD
  }

  public Signal {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
  }

  public static Signal hold(String reason) {
    return new Signal(Action.HOLD, reason);
  }
}
