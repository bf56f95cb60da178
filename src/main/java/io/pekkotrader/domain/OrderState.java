package io.pekkotrader.domain;

/**
 * Where an order stands in its life at the venue, as the symbol knows it. {@link
 * OrderTransitions} holds the only rules that move it.
 *
 * <p>Risk's approval is the step between {@link #NEW} and {@link #UNKNOWN}: the symbol sends the
 * order as soon as the approval is persisted, so an approved order is a sent one, and "approved"
 * is not a state of its own.
 */
public enum OrderState {
  /** The intent is persisted and waits for risk's decision; the venue has not seen it. */
  NEW,
  /** Sent, and nothing heard yet: the outcome is not known until the venue answers or is asked. */
  UNKNOWN,
  /** The venue acknowledged it; nothing filled yet. */
  ACCEPTED,
  /** Some of it filled; the rest still works. */
  PARTIALLY_FILLED,
  /** All of it filled (the venue's end report may still be on its way). */
  FILLED,
  /** Final: cancelled, or the venue has no record of it any more; the fills seen stand. */
  CANCELED,
  /** Final: the venue refused it, or never received it; nothing filled. */
  REJECTED,
  /** Final: the venue let it lapse; the fills seen stand. */
  EXPIRED;

  /** Whether nothing more can happen to the order at the venue. */
  public boolean isFinal() {
    return this == CANCELED || this == REJECTED || this == EXPIRED;
  }
}
