package io.pekkotrader.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkotrader.actors.EngineEvents;
import io.pekkotrader.actors.Supervision;
import io.pekkotrader.engine.Engine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * {@code GET /actors}: the supervision tree; {@code GET /events}: the engine's live feed as
 * Server-Sent Events. Each SSE client has its own bounded buffer between the feed's topic and
 * its connection: a client that falls {@link #CLIENT_BUFFER} events behind is disconnected,
 * and nothing upstream ever waits for it. The API key holds at most {@code http.max-event-streams}
 * streams at once; one more is refused with a 429 until one closes.
 */
final class FeedRoutes extends AllDirectives {
  /** Events a client may fall behind before it is dropped. */
  static final int CLIENT_BUFFER = 256;

  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Engine engine;
  private final ActorSystem<?> system;
  private final int maxStreams;
  private final AtomicInteger openStreams = new AtomicInteger();

  FeedRoutes(Engine engine, ActorSystem<?> system) {
    this.engine = engine;
    this.system = system;
    this.maxStreams = engine.settings().http().maxEventStreams();
  }

  Route routes() {
    return concat(
        path("actors", () -> get(() -> completeWithFuture(actors()))),
        path("events", () -> get(() -> extractRequest(this::events))));
  }

  /** The feed on a slot of the key's streams, freed when the stream ends or its connection closes, whichever is first. */
  private Route events(HttpRequest request) {
    if (!takeStreamSlot()) {
      return complete(
          ControlRoutes.error(
              StatusCodes.TOO_MANY_REQUESTS,
              "too_many_streams",
              "the API key holds " + maxStreams + " event streams already (http.max-event-streams); close one first",
              null));
    }
    AtomicBoolean freed = new AtomicBoolean();
    Runnable free =
        () -> {
          if (freed.compareAndSet(false, true)) {
            openStreams.decrementAndGet();
          }
        };
    request.getAttribute(HeaderTimeout.SCOPE).ifPresent(connection -> connection.onClose(free));
    Source<ServerSentEvent, NotUsed> events =
        events()
            .watchTermination(
                (mat, done) -> {
                  done.whenComplete((ok, failure) -> free.run());
                  return mat;
                });
    return completeOK(events, EventStreamMarshalling.toEventStream());
  }

  private boolean takeStreamSlot() {
    while (true) {
      int open = openStreams.get();
      if (open >= maxStreams) {
        return false;
      }
      if (openStreams.compareAndSet(open, open + 1)) {
        return true;
      }
    }
  }

  /** Event streams open now. */
  int openStreams() {
    return openStreams.get();
  }

  private java.util.concurrent.CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> actors() {
    return ControlRoutes.ask(system, engine.supervision(), Supervision.GetTree::new)
        .thenApply(tree -> ControlRoutes.ok(Map.of("actors", tree.actors())))
        .exceptionally(ControlRoutes::unavailable);
  }

  private Source<ServerSentEvent, NotUsed> events() {
    return clientFeed(engine.events());
  }

  /**
   * One client's stream of {@code topic}: {@link EngineEvents#SUBSCRIBED} first, then every event
   * published after it, through the client's own buffer of {@link #CLIENT_BUFFER} events. The
   * buffer fills only while the client does not read (its connection pushes back); when an
   * event arrives at a full buffer the stream fails, which closes the client's connection.
   */
  static Source<ServerSentEvent, NotUsed> clientFeed(ActorRef<Topic.Command<EngineEvents.EngineEvent>> topic) {
    return ActorSource.<EngineEvents.EngineEvent>actorRef(
            message -> false, message -> Optional.empty(), CLIENT_BUFFER, OverflowStrategy.fail())
        .mapMaterializedValue(
            client -> {
              topic.tell(Topic.subscribe(client));
              // after the subscription in the topic's mailbox: an event published once the client
              // has read this one is queued behind the subscription, so the client gets it
              client.tell(new EngineEvents.Subscribed(System.currentTimeMillis()));
              return NotUsed.getInstance();
            })
        .map(FeedRoutes::toSse)
        .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat);
  }

  /**
   * The event as SSE: its type as the event name, and as data one flat JSON object of {@code
   * type}, {@code atMs} and the event's fields, each with its JSON type (decimals as strings).
   */
  static ServerSentEvent toSse(EngineEvents.EngineEvent event) {
    ObjectNode data = Json.mapper().createObjectNode().put("type", event.type());
    data.setAll((ObjectNode) Json.mapper().valueToTree(event));
    return ServerSentEvent.create(Json.write(data), event.type());
  }
}
