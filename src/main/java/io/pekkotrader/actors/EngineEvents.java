package io.pekkotrader.actors;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pekkotrader.serialization.CborSerializable;
import java.math.BigDecimal;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The live feed of what happens in the engine, for the dashboard's Server-Sent Events: risk
 * decisions, fills, phase changes, stream state, the kill switch and symbols added or removed. A
 * cluster-wide pub-sub topic: publishing is fire-and-forget, so a slow reader never slows an
 * actor. Not a record of anything (the journals are): a reader that misses an event reads the
 * state from the API.
 *
 * <p>Each event is a record with typed fields, rendered to JSON as they are typed: booleans as
 * booleans, counts and times as numbers, decimals (money, prices, quantities) as exact strings
 * ({@code "0.00120000"}); a field without a value is left out.
 */
public final class EngineEvents {
  /** The topic's name; every node's topic actor of this name is one topic. */
  public static final String TOPIC = "engine-events";

  /** The types of event on the feed: each event's {@link EngineEvent#type()}. */
  public static final String DECISION = "decision";

  public static final String FILL = "fill";
  public static final String PHASE = "phase";
  public static final String STREAM = "stream";
  public static final String KILL_SWITCH = "kill-switch";
  /**
   * The first event of every client's stream, sent once its subscription is on its way to the
   * topic: every event published after the client received it reaches the client.
   */
  public static final String SUBSCRIBED = "subscribed";
  /** A symbol added or removed at run time. */
  public static final String SYMBOLS = "symbols";

  private EngineEvents() {}

  /** One event of the feed: its fields are the event's data, {@link #type()} names it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public sealed interface EngineEvent extends CborSerializable
      permits RiskDecided, FillApplied, PhaseChanged, StreamChanged, KillSwitchChanged, SymbolsChanged, Subscribed {
    /** The event's type on the feed, one of the constants of {@link EngineEvents}. */
    String type();

    /** When it happened, epoch milliseconds. */
    long atMs();
  }

  /** RiskManager decided on an intent ({@link #DECISION}). */
  public record RiskDecided(
      long atMs,
      String eventId,
      String symbol,
      String clientOrderId,
      String kind,
      String side,
      BigDecimal quantity,
      boolean approved,
      String reasonCode,
      String message,
      String strategy)
      implements EngineEvent {
    @Override
    public String type() {
      return DECISION;
    }
  }

  /** Portfolio applied a fill ({@link #FILL}); {@code atMs} is the fill's time. */
  public record FillApplied(
      long atMs, String tradeId, String clientOrderId, String symbol, String side, BigDecimal price, BigDecimal quantity, BigDecimal fee)
      implements EngineEvent {
    @Override
    public String type() {
      return FILL;
    }
  }

  /** A symbol's phase changed ({@link #PHASE}); {@code from} is absent the first time a symbol is seen. */
  public record PhaseChanged(long atMs, String symbol, String from, String phase, BigDecimal positionQty, String lastSignal)
      implements EngineEvent {
    @Override
    public String type() {
      return PHASE;
    }
  }

  /** A venue's stream connected, disconnected, reconnected or saw malformed frames ({@link #STREAM}). */
  public record StreamChanged(
      long atMs, String venue, boolean connected, long lastMessageAgeMs, long reconnects, long malformed, long trades)
      implements EngineEvent {
    @Override
    public String type() {
      return STREAM;
    }
  }

  /** The kill switch was engaged or released ({@link #KILL_SWITCH}). */
  public record KillSwitchChanged(long atMs, boolean engaged, String reason, long sinceMs) implements EngineEvent {
    @Override
    public String type() {
      return KILL_SWITCH;
    }
  }

  /** A symbol was added or removed at run time ({@link #SYMBOLS}); {@code change} is {@code added} or {@code removed}. */
  public record SymbolsChanged(long atMs, String symbol, String change) implements EngineEvent {
    @Override
    public String type() {
      return SYMBOLS;
    }
  }

  /** The client's subscription is on its way to the topic ({@link #SUBSCRIBED}). */
  public record Subscribed(long atMs) implements EngineEvent {
    @Override
    public String type() {
      return SUBSCRIBED;
    }
  }

  /** This actor's handle on the topic. */
  public static ActorRef<Topic.Command<EngineEvent>> topic(ActorContext<?> context) {
    return context.spawn(Topic.create(EngineEvent.class, TOPIC), TOPIC);
  }

  public static void publish(ActorRef<Topic.Command<EngineEvent>> topic, EngineEvent event) {
    topic.tell(Topic.publish(event));
  }
}
