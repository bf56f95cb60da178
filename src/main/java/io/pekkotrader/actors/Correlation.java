package io.pekkotrader.actors;

import io.pekkotrader.domain.SymbolId;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.MDC;

/**
 * The correlation fields of log lines, carried in the SLF4J MDC (the JSON log file shows them
 * under {@code "mdc"}, see {@code docs/operations.md}): {@code symbol} ({@code venue:SYMBOL}),
 * {@code clientOrderId} and {@code eventId} (the id of RiskManager's decision, as in the audit
 * trail).
 *
 * <p>An entity gets its symbol for every message it handles with {@link #forSymbol}; the other
 * fields are put around one log call, and closing restores what was there before:
 *
 * <pre>{@code
 * try (Correlation ignored = Correlation.order(intent.clientOrderId())) {
 *   context.getLog().info("{} entry intended {}", symbol, intent.clientOrderId());
 * }
 * }</pre>
 *
 * MDC is per thread and an actor handles one message at a time on one thread, so this is safe
 * inside a handler or a {@code thenRun} callback; never across an asynchronous boundary.
 */
public final class Correlation implements AutoCloseable {
  public static final String SYMBOL = "symbol";
  public static final String CLIENT_ORDER_ID = "clientOrderId";
  public static final String EVENT_ID = "eventId";

  /** The value each key had before (null: absent). */
  private final Map<String, String> previous = new HashMap<>();

  private Correlation() {}

  /** Puts the fields that are not null. */
  public static Correlation of(String symbol, String clientOrderId, String eventId) {
    Correlation correlation = new Correlation();
    correlation.put(SYMBOL, symbol);
    correlation.put(CLIENT_ORDER_ID, clientOrderId);
    correlation.put(EVENT_ID, eventId);
    return correlation;
  }

  /** The client order id alone (inside an entity that has its symbol already). */
  public static Correlation order(String clientOrderId) {
    return of(null, clientOrderId, null);
  }

  private void put(String key, String value) {
    if (value != null) {
      previous.put(key, MDC.get(key));
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }

  /**
   * {@code behavior} with {@code symbol} in the MDC while it handles any message: its commands and
   * also the persistence plugin's replies, in which {@code thenRun} callbacks run. Pekko's
   * {@code withMdc} intercepts only messages of the class it is given, hence {@code Object}.
   */
  @SuppressWarnings("unchecked")
  public static <T> Behavior<T> forSymbol(SymbolId symbol, Behavior<T> behavior) {
    Behavior<Object> anyMessage = (Behavior<Object>) (Behavior<?>) behavior;
    return (Behavior<T>) (Behavior<?>) Behaviors.withMdc(Object.class, Map.of(SYMBOL, symbol.id()), anyMessage);
  }
}
