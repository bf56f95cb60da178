package io.pekkotrader.actors;

import io.pekkotrader.serialization.CborSerializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The supervision tree as the operator sees it: each monitored actor reports its starts, its
 * failures and its stop to one {@link #monitor} per node, which answers {@code GET /actors}.
 * An actor that failed and has not started again is in backoff (its supervisor restarts it with
 * backoff); restarts count the starts after the first. Counts live in memory, per node.
 */
public final class Supervision {
  private Supervision() {}

  public sealed interface Command {}

  private record Started(String path, String parent, String kind, long atMs) implements Command {}

  private record Failed(String path, String failure, long atMs) implements Command {}

  private record Stopped(String path, long atMs) implements Command {}

  private record Degraded(String path, String reason, long atMs) implements Command {}

  /** Ask for every monitored actor. */
  public record GetTree(ActorRef<Tree> replyTo) implements Command {}

  /** Reply to {@link GetTree}: actors sorted by path. */
  public record Tree(List<Node> actors) implements CborSerializable {}

  /**
   * One actor. {@code state}: {@code running}, {@code backoff} (failed, restart pending), {@code
   * error} (running, but unable to do its work: {@code lastFailure} says why) or {@code stopped}.
   */
  public record Node(
      String path,
      String name,
      String parent,
      String kind,
      String state,
      int restarts,
      String lastFailure,
      Long lastFailureAtMs,
      long startedAtMs)
      implements CborSerializable {}

  /** Entities of the same kind beyond this many are not listed one by one (the count is kept). */
  static final int MAX_NODES = 5_000;

  public static Behavior<Command> monitor(Clock clock) {
    return Behaviors.setup(
        context -> {
          Map<String, Node> nodes = new LinkedHashMap<>();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Started.class,
                  started -> {
                    Node before = nodes.get(started.path());
                    if (before == null && nodes.size() >= MAX_NODES) {
                      return Behaviors.same();
                    }
                    int restarts = before == null ? 0 : before.restarts() + 1;
                    nodes.put(
                        started.path(),
                        new Node(
                            started.path(),
                            name(started.path()),
                            started.parent(),
                            started.kind(),
                            "running",
                            restarts,
                            before == null ? null : before.lastFailure(),
                            before == null ? null : before.lastFailureAtMs(),
                            started.atMs()));
                    return Behaviors.same();
                  })
              .onMessage(
                  Failed.class,
                  failed -> {
                    Node before = nodes.get(failed.path());
                    if (before != null) {
                      String failure = failed.failure() != null ? failed.failure() : before.lastFailure();
                      nodes.put(failed.path(), with(before, "backoff", failure, failed.atMs()));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Degraded.class,
                  degraded -> {
                    Node before = nodes.get(degraded.path());
                    if (before != null) {
                      nodes.put(degraded.path(), with(before, "error", degraded.reason(), degraded.atMs()));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Stopped.class,
                  stopped -> {
                    Node before = nodes.get(stopped.path());
                    if (before != null && (before.state().equals("running") || before.state().equals("error"))) {
                      nodes.put(stopped.path(), with(before, "stopped", before.lastFailure(), before.lastFailureAtMs()));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  GetTree.class,
                  get -> {
                    List<Node> all = new ArrayList<>(nodes.values());
                    all.sort(Comparator.comparing(Node::path));
                    get.replyTo().tell(new Tree(all));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private static Node with(Node node, String state, String failure, Long failedAtMs) {
    return new Node(
        node.path(), node.name(), node.parent(), node.kind(), state, node.restarts(), failure, failedAtMs, node.startedAtMs());
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * Tells {@code monitor} that the actor of {@code context}, started under {@link #monitored}, runs
   * but cannot do its work, for {@code reason} (shown as state {@code error} until it starts again).
   */
  public static void degraded(ActorRef<Command> monitor, org.apache.pekko.actor.typed.javadsl.ActorContext<?> context, String reason, Clock clock) {
    monitor.tell(new Degraded(context.getSelf().path().toStringWithoutAddress(), reason, clock.millis()));
  }

  /**
   * {@code behavior}, reporting to {@code monitor}; put it inside the supervisor so that every
   * restart starts it again and is counted.
   */
  public static <T> Behavior<T> monitored(ActorRef<Command> monitor, String kind, Clock clock, Behavior<T> behavior) {
    return Behaviors.setup(
        context -> {
          String path = context.getSelf().path().toStringWithoutAddress();
          String parent = context.getSelf().path().parent().toStringWithoutAddress();
          monitor.tell(new Started(path, parent, kind, clock.millis()));
          return Behaviors.intercept(() -> new Reporter<T>(monitor, path, clock), behavior);
        });
  }

  /** Reports a failure on its way to the supervisor, and a stop. */
  private static final class Reporter<T> extends BehaviorInterceptor<T, T> {
    private final ActorRef<Command> monitor;
    private final String path;
    private final Clock clock;

    @SuppressWarnings("unchecked")
    Reporter(ActorRef<Command> monitor, String path, Clock clock) {
      super((Class<T>) (Class<?>) Object.class);
      this.monitor = monitor;
      this.path = path;
      this.clock = clock;
    }

    @Override
    public Behavior<T> aroundStart(TypedActorContext<T> ctx, PreStartTarget<T> target) {
      try {
        return target.start(ctx);
      } catch (RuntimeException | Error e) {
        monitor.tell(new Failed(path, e.getClass().getSimpleName() + ": " + e.getMessage(), clock.millis()));
        throw e;
      }
    }

    @Override
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
      try {
        return target.apply(ctx, msg);
      } catch (RuntimeException | Error e) {
        monitor.tell(new Failed(path, e.getClass().getSimpleName() + ": " + e.getMessage(), clock.millis()));
        throw e;
      }
    }

    @Override
    public Behavior<T> aroundSignal(TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
      if (signal instanceof PostStop) {
        monitor.tell(new Stopped(path, clock.millis()));
      } else if (signal instanceof PreRestart) {
        monitor.tell(new Failed(path, null, clock.millis()));
      }
      return target.apply(ctx, signal);
    }
  }
}
