package io.pekkotrader.engine;

import io.pekkotrader.actors.EngineEvents;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.Supervision;
import io.pekkotrader.actors.SymbolDirectory;
import io.pekkotrader.actors.SymbolRegistry;
import io.pekkotrader.actors.VenueConnection;
import org.apache.pekko.actor.typed.pubsub.Topic;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.persistence.AuditFile;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The running engine's entry points, handed from the guardian to the HTTP layer. */
public record Engine(
    Settings settings,
    long startedAtMs,
    ActorRef<Portfolio.Command> portfolio,
    ActorRef<RiskManager.Command> risk,
    Map<String, ActorRef<VenueConnection.Command>> venues,
    ClusterSharding sharding,
    AuditFile audit,
    ActorRef<Supervision.Command> supervision,
    ActorRef<Topic.Command<EngineEvents.EngineEvent>> events,
    SymbolDirectory symbols,
    ActorRef<SymbolRegistry.Command> registry,
    ActorRef<io.pekkotrader.actors.Notifier.Command> notifier) {

  /** The symbols this engine trades now (configured, then added or removed at run time). */
  public java.util.List<io.pekkotrader.domain.SymbolId> symbolIds() {
    return symbols.ids();
  }
}
