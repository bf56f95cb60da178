package io.pekkotrader.actors;

import io.pekkotrader.persistence.CborSerializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The live feed of what happens in the engine, for the dashboard's Server-Sent Events: risk
 * decisions, fills, phase changes, stream state, the kill switch and symbols added or removed. A cluster-wide pub-sub
 * topic: publishing is fire-and-forget, so a slow reader never slows an actor. Not a record of
 * anything (the journals are): a reader that misses an event reads the state from the API.
 */
public final class EngineEvents {
  /** The topic's name; every node's topic actor of this name is one topic. */
  public static final String TOPIC = "engine-events";

  /** The types of event on the feed. */
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

  /** One event: a type from the constants above, when, and flat text fields (decimals as plain strings). */
  public record EngineEvent(String type, long atMs, Map<String, String> data) implements CborSerializable {}

  /** This actor's handle on the topic. */
  public static ActorRef<Topic.Command<EngineEvent>> topic(ActorContext<?> context) {
    return context.spawn(Topic.create(EngineEvent.class, TOPIC), TOPIC);
  }

  /** Fields in the order given, null values left out: {@code fields("a", 1, "b", x)}. */
  public static Map<String, String> fields(Object... keysAndValues) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      Object value = keysAndValues[i + 1];
      if (value != null) {
        data.put(String.valueOf(keysAndValues[i]), value instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(value));
      }
    }
    return data;
  }

  public static void publish(ActorRef<Topic.Command<EngineEvent>> topic, String type, long atMs, Map<String, String> data) {
    topic.tell(Topic.publish(new EngineEvent(type, atMs, data)));
  }
}
