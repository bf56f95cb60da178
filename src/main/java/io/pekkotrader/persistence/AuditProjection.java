package io.pekkotrader.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkotrader.actors.RiskManager;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects RiskManager's journal into the {@link AuditFile}: a live query of its events from
 * the sequence number after the last one written, each turned into one JSON line
 * ({@code docs/audit.md} has the schema), appended in batches on the blocking-I/O dispatcher.
 * Runs under {@link RestartSource#withBackoff}: a failure restarts from the file's offset, so a
 * line is neither lost nor written twice, also across a crash of the engine.
 */
public final class AuditProjection {
  private static final Logger log = LoggerFactory.getLogger(AuditProjection.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Version of the JSON line schema; raise it when a field changes meaning or goes away. */
  public static final int SCHEMA_VERSION = 1;

  private AuditProjection() {}

  /** RiskManager's events from {@code fromSeqNr} on, live, from the JDBC journal. */
  public static LongFunction<Source<EventEnvelope, NotUsed>> jdbcEvents(ActorSystem<?> system) {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return from -> journal.eventsByPersistenceId(RiskManager.PERSISTENCE_ID.id(), from, Long.MAX_VALUE);
  }

  /** Starts the projection; the returned switch stops it. */
  public static UniqueKillSwitch start(ActorSystem<?> system, AuditFile file, LongFunction<Source<EventEnvelope, NotUsed>> events) {
    RestartSettings restart = RestartSettings.create(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2);
    Source<Done, NotUsed> projection =
        RestartSource.withBackoff(
            restart,
            () ->
                Source.lazySource(
                        () -> {
                          long[] written = {file.lastSeqNr()};
                          return events
                              .apply(written[0] + 1)
                              .groupedWithin(256, Duration.ofMillis(200))
                              .map(batch -> {
                                written[0] = write(file, batch, written[0]);
                                return Done.getInstance();
                              });
                        })
                    .addAttributes(ActorAttributes.dispatcher("pekko.actor.default-blocking-io-dispatcher")));
    return projection.viaMat(KillSwitches.single(), Keep.right()).to(Sink.ignore()).run(system);
  }

  /** Appends the batch's new events; returns the last sequence number now in the file. */
  private static long write(AuditFile file, List<EventEnvelope> batch, long written) {
    List<String> lines = new ArrayList<>();
    long last = written;
    for (EventEnvelope envelope : batch) {
      if (envelope.sequenceNr() <= written) {
        continue; // already in the file (a replay after a restart of the query)
      }
      lines.add(line(envelope.sequenceNr(), envelope.event()));
      last = envelope.sequenceNr();
    }
    file.append(lines, last);
    if (!lines.isEmpty()) {
      log.debug("Audit trail: {} line(s) written up to seqNr {}", lines.size(), last);
    }
    return last;
  }

  /** One event as a JSON line; {@code seqNr} always comes first. */
  public static String line(long seqNr, Object event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("seqNr", seqNr);
    node.put("schemaVersion", SCHEMA_VERSION);
    if (event instanceof RiskManager.DecisionRecorded recorded) {
      RiskManager.Decision d = recorded.decision();
      node.put("type", "decision");
      node.put("eventId", d.eventId());
      node.put("decisionSchemaVersion", d.schemaVersion());
      time(node, d.atMs());
      node.put("clientOrderId", d.clientOrderId());
      node.put("symbol", d.symbol());
      node.put("kind", d.kind().name());
      node.put("side", d.side());
      node.put("quantity", plain(d.quantity()));
      node.put("notional", plain(d.notional()));
      node.put("strategy", d.strategy());
      node.put("approved", d.approved());
      node.put("reasonCode", d.reasonCode());
      node.put("message", d.message());
      node.put("limitsHash", d.limitsHash());
      if (recorded.cooldownUntilMs() > 0) {
        node.put("cooldownUntilMs", recorded.cooldownUntilMs());
      }
    } else if (event instanceof RiskManager.KillSwitchEngaged engaged) {
      node.put("type", "kill_switch_engaged");
      time(node, engaged.atMs());
      node.put("reason", engaged.reason());
      node.put("by", engaged.trigger() == null ? "operator" : "automatic");
      node.put("trigger", engaged.trigger());
    } else if (event instanceof RiskManager.KillSwitchReleased released) {
      node.put("type", "kill_switch_released");
      time(node, released.atMs());
      node.put("reason", released.reason());
    } else if (event instanceof RiskManager.EmergencyStopped stopped) {
      node.put("type", "emergency_stop");
      node.put("eventId", stopped.eventId());
      time(node, stopped.atMs());
      node.put("reason", stopped.reason());
      stopped.symbols().forEach(node.putArray("symbols")::add);
    } else if (event instanceof RiskManager.SymbolFlattenOrdered flatten) {
      node.put("type", "symbol_flatten");
      node.put("eventId", flatten.eventId());
      time(node, flatten.atMs());
      node.put("symbol", flatten.symbol());
      node.put("reason", flatten.reason());
    } else if (event instanceof RiskManager.LimitsChanged changed) {
      node.put("type", "limits_changed");
      node.put("eventId", changed.eventId());
      time(node, changed.atMs());
      node.put("changedBy", changed.changedBy());
      node.put("limitsHash", changed.limitsHash());
      ObjectNode limits = node.putObject("limits");
      for (Map.Entry<String, String> field : changed.limits().canonical().entrySet()) {
        limits.put(field.getKey(), field.getValue());
      }
    } else {
      node.put("type", "unknown");
      node.put("event", String.valueOf(event == null ? null : event.getClass().getSimpleName()));
    }
    return node.toString();
  }

  private static void time(ObjectNode node, long atMs) {
    node.put("atMs", atMs);
    node.put("time", Instant.ofEpochMilli(atMs).toString());
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
