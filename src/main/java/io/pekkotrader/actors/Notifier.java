package io.pekkotrader.actors;

import io.pekkotrader.domain.Backoff;
import io.pekkotrader.serialization.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Delivers alerts to every configured channel (log, webhook, Telegram) without ever blocking
 * its caller: each delivery is an asynchronous request whose outcome comes back as a message.
 * A failed delivery is retried with exponential backoff and jitter up to {@code maxAttempts};
 * channels are independent, so one failing channel never delays the others; an alert that could
 * not be delivered is logged with its payload. Channel addresses and tokens are never logged.
 */
public final class Notifier extends AbstractBehavior<Notifier.Command> {

  public sealed interface Command extends CborSerializable {}

  /**
   * How urgent an alert is. Every channel, the log and {@code GET /api/v1/alerts} show it by its
   * name, and the journal-free CBOR form of an {@link Alert} carries the name too (as the string
   * field did before there was an enum).
   */
  public enum Severity {
    /** Something returned to normal (a kill switch released, a breaker closed). */
    INFO,
    /** Something an operator should look at; trading goes on or has been made safe. */
    WARN,
    /** Trading stopped or money is at risk: act now. */
    CRITICAL
  }

  /** Raise an alert. */
  public record Alert(Severity severity, String title, String text, Map<String, String> fields) implements Command {
    public Alert {
      java.util.Objects.requireNonNull(severity, "severity");
      fields = fields == null ? Map.of() : new LinkedHashMap<>(fields);
    }


    /** The JSON-friendly payload every channel sends. */
    public Map<String, Object> payload() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("severity", severity.name());
      body.put("title", title);
      body.put("text", text);
      body.put("fields", fields);
      return body;
    }
  }

  /**
   * One place alerts go. {@code send} starts one delivery attempt and completes when the channel
   * accepted it, or exceptionally; it must not block.
   */
  public interface Channel {
    String name();

    CompletionStage<?> send(Alert alert);
  }

  /** Ask for the latest alerts raised on this node, newest first (at most {@link #RECENT_ALERTS}). */
  public record GetRecentAlerts(int limit, ActorRef<RecentAlerts> replyTo) implements Command {}

  /** Reply to {@link GetRecentAlerts}: newest first. */
  public record RecentAlerts(List<Raised> alerts) implements CborSerializable {}

  /** An alert and when this node raised it. */
  public record Raised(long atMs, Alert alert) implements CborSerializable {}

  /** Alerts kept in memory per node for the API (not persisted: a restart starts empty). */
  public static final int RECENT_ALERTS = 200;

  private record Attempted(Delivery delivery, Throwable failure) implements Command {}

  private record Retry(Delivery delivery) implements Command {}

  /** One alert on its way to one channel ({@code channel}: index in the channel list). */
  private record Delivery(long id, int channel, Alert alert, int attempt) {}

  private final TimerScheduler<Command> timers;
  private final List<Channel> channels;
  private final int maxAttempts;
  private final Backoff backoff;
  private final java.time.Clock clock;
  /** The latest alerts, oldest first, at most {@link #RECENT_ALERTS}. */
  private final java.util.ArrayDeque<Raised> recent = new java.util.ArrayDeque<>();
  private long deliveries;

  public static Behavior<Command> create(List<Channel> channels, int maxAttempts, Backoff backoff) {
    return create(channels, maxAttempts, backoff, java.time.Clock.systemUTC());
  }

  /** As above, alerts timed by {@code clock}. */
  public static Behavior<Command> create(List<Channel> channels, int maxAttempts, Backoff backoff, java.time.Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Notifier(ctx, timers, channels, maxAttempts, backoff, clock)));
  }

  private Notifier(
      ActorContext<Command> context, TimerScheduler<Command> timers, List<Channel> channels, int maxAttempts, Backoff backoff,
      java.time.Clock clock) {
    super(context);
    this.clock = clock;
    this.timers = timers;
    this.channels = List.copyOf(channels);
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
  }

  /** Channel names, for the log line at start. */
  public static List<String> names(List<Channel> channels) {
    List<String> names = new ArrayList<>();
    channels.forEach(c -> names.add(c.name()));
    return names;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Alert.class, this::onAlert)
        .onMessage(Attempted.class, this::onAttempted)
        .onMessage(Retry.class, retry -> attempt(retry.delivery()))
        .onMessage(GetRecentAlerts.class, this::onGetRecentAlerts)
        .build();
  }

  private Behavior<Command> onAlert(Alert alert) {
    getContext().getLog().warn("ALERT [{}] {}: {} {}", alert.severity(), alert.title(), alert.text(), alert.fields());
    recent.addLast(new Raised(clock.millis(), alert));
    if (recent.size() > RECENT_ALERTS) {
      recent.removeFirst();
    }
    for (int channel = 0; channel < channels.size(); channel++) {
      attempt(new Delivery(++deliveries, channel, alert, 1));
    }
    return this;
  }

  private Behavior<Command> onGetRecentAlerts(GetRecentAlerts query) {
    List<Raised> newestFirst = new ArrayList<>(recent);
    java.util.Collections.reverse(newestFirst);
    int limit = Math.max(0, Math.min(query.limit(), newestFirst.size()));
    query.replyTo().tell(new RecentAlerts(List.copyOf(newestFirst.subList(0, limit))));
    return this;
  }

  private Behavior<Command> attempt(Delivery delivery) {
    CompletionStage<?> sent;
    try {
      sent = channels.get(delivery.channel()).send(delivery.alert());
    } catch (RuntimeException e) {
      sent = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    getContext().pipeToSelf(sent, (ok, failure) -> new Attempted(delivery, failure));
    return this;
  }

  private Behavior<Command> onAttempted(Attempted attempted) {
    Delivery delivery = attempted.delivery();
    if (attempted.failure() == null) {
      if (delivery.attempt() > 1) {
        getContext().getLog().info("Alert '{}' delivered to {} on attempt {}", delivery.alert().title(), name(delivery), delivery.attempt());
      }
      return this;
    }
    String why = describe(attempted.failure());
    if (delivery.attempt() >= maxAttempts) {
      getContext().getLog().error(
          "Alert undelivered to {} after {} attempts ({}); payload: {}", name(delivery), delivery.attempt(), why,
          delivery.alert().payload());
      return this;
    }
    Duration delay = backoff.delay(delivery.attempt(), ThreadLocalRandom.current().nextDouble());
    getContext().getLog().warn("Alert delivery to {} failed ({}); retry {} in {} ms", name(delivery), why, delivery.attempt(), delay.toMillis());
    Delivery next = new Delivery(delivery.id(), delivery.channel(), delivery.alert(), delivery.attempt() + 1);
    timers.startSingleTimer("retry-" + delivery.id(), new Retry(next), delay);
    return this;
  }

  private String name(Delivery delivery) {
    return channels.get(delivery.channel()).name();
  }

  /**
   * A failure in words. Channels fail with {@link DeliveryFailed}, whose message is safe to log;
   * anything else is named by its type only (its message might hold an address with a token).
   */
  private static String describe(Throwable failure) {
    Throwable root = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return root instanceof DeliveryFailed ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** A channel's failure, with a message that holds no address or secret. */
  public static final class DeliveryFailed extends RuntimeException {
    public DeliveryFailed(String message) {
      super(message, null, false, false);
    }
  }
}
