package io.pekkotrader.http;

import io.pekkotrader.actors.EngineEvents;
import io.pekkotrader.actors.Supervision;
import io.pekkotrader.app.Engine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
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
 * and nothing upstream ever waits for it.
 */
final class FeedRoutes extends AllDirectives {
  /** Events a client may fall behind before it is dropped. */
  static final int CLIENT_BUFFER = 256;

  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Engine engine;
  private final ActorSystem<?> system;

  FeedRoutes(Engine engine, ActorSystem<?> system) {
    this.engine = engine;
    this.system = system;
  }

  Route routes() {
    return concat(
        path("actors", () -> get(() -> completeWithFuture(actors()))),
        path("events", () -> get(() -> completeOK(events(), EventStreamMarshalling.toEventStream()))));
  }

  private java.util.concurrent.CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> actors() {
    return ControlRoutes.ask(system, engine.supervision(), Supervision.GetTree::new)
        .thenApply(tree -> ControlRoutes.ok(Map.of("actors", tree.actors())))
        .exceptionally(ControlRoutes::unavailable);
  }

  private Source<ServerSentEvent, NotUsed> events() {
    ActorRef<Topic.Command<EngineEvents.EngineEvent>> topic = engine.events();
    return ActorSource.<EngineEvents.EngineEvent>actorRef(
            message -> false, message -> Optional.empty(), CLIENT_BUFFER, OverflowStrategy.fail())
        .mapMaterializedValue(
            client -> {
              topic.tell(Topic.subscribe(client));
              // after the subscription in the topic's mailbox: an event published once the client
              // has read this one is queued behind the subscription, so the client gets it
              client.tell(new EngineEvents.EngineEvent(EngineEvents.SUBSCRIBED, System.currentTimeMillis(), Map.of()));
              return NotUsed.getInstance();
            })
        .map(FeedRoutes::toSse)
        .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat);
  }

  private static ServerSentEvent toSse(EngineEvents.EngineEvent event) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("type", event.type());
    data.put("atMs", event.atMs());
    data.putAll(event.data());
    return ServerSentEvent.create(Json.write(data), event.type());
  }
}
