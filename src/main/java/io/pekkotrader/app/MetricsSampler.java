package io.pekkotrader.app;

import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.VenueConnection;
import io.pekkotrader.metrics.MetricsSettings;
import io.pekkotrader.metrics.TradingMetrics;
import io.pekkotrader.serialization.CborSerializable;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Feeds the catalogue's gauges from the actors that own the figures, the way RiskManager's watch
 * reads them: every {@code interval} it asks Portfolio for its summary (equity, daily PnL,
 * drawdown, open positions), RiskManager for its status (kill switch, circuit breakers) and each
 * venue connection for its market-data state, and sets the gauges from the answers. It never
 * blocks: the answers arrive as messages, and an answer that does not come in time leaves the
 * gauge at its last value. The kill switch also follows the {@code kill-switch} topic, so its
 * gauge changes as soon as the switch does.
 */
public final class MetricsSampler extends AbstractBehavior<MetricsSampler.Command> {

  /** The sampler's messages: its timer and the answers it asked for. */
  public sealed interface Command extends CborSerializable {}

  private enum Sample implements Command {
    INSTANCE
  }

  private record WrappedSummary(Portfolio.Summary summary) implements Command {}

  private record WrappedRiskStatus(RiskManager.RiskStatus status) implements Command {}

  private record WrappedVenueStatus(VenueConnection.VenueStatus status) implements Command {}

  private record WrappedKillSwitch(RiskManager.KillSwitchStatus status) implements Command {}

  private final ActorRef<Portfolio.Command> portfolio;
  private final ActorRef<RiskManager.Command> risk;
  private final Map<String, ActorRef<VenueConnection.Command>> venues;
  private final Duration interval;

  /**
   * @param venues the venue connections by venue name
   * @param interval how often to sample; also how long an answer is waited for
   */
  public static Behavior<Command> create(
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<RiskManager.Command> risk,
      Map<String, ActorRef<VenueConnection.Command>> venues,
      ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic,
      Duration interval) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  venues.keySet().forEach(TradingMetrics::registerVenue);
                  killSwitchTopic.tell(
                      Topic.subscribe(context.messageAdapter(RiskManager.KillSwitchStatus.class, WrappedKillSwitch::new)));
                  timers.startTimerWithFixedDelay(Sample.INSTANCE, Duration.ZERO, interval);
                  return new MetricsSampler(context, portfolio, risk, venues, interval);
                }));
  }

  private MetricsSampler(
      ActorContext<Command> context,
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<RiskManager.Command> risk,
      Map<String, ActorRef<VenueConnection.Command>> venues,
      Duration interval) {
    super(context);
    this.portfolio = portfolio;
    this.risk = risk;
    this.venues = Map.copyOf(venues);
    this.interval = interval;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Sample.class, sample -> onSample())
        .onMessage(WrappedSummary.class, this::onSummary)
        .onMessage(WrappedRiskStatus.class, this::onRiskStatus)
        .onMessage(WrappedVenueStatus.class, this::onVenueStatus)
        .onMessage(WrappedKillSwitch.class, this::onKillSwitch)
        .build();
  }

  private Behavior<Command> onSample() {
    getContext().ask(
        Portfolio.Summary.class, portfolio, interval, Portfolio.GetSummary::new, (summary, failure) -> new WrappedSummary(summary));
    getContext().ask(
        RiskManager.RiskStatus.class, risk, interval, RiskManager.GetRiskStatus::new, (status, failure) -> new WrappedRiskStatus(status));
    for (ActorRef<VenueConnection.Command> venue : venues.values()) {
      getContext().ask(
          VenueConnection.VenueStatus.class,
          venue,
          interval,
          VenueConnection.GetVenueStatus::new,
          (status, failure) -> new WrappedVenueStatus(status));
    }
    return this;
  }

  private Behavior<Command> onSummary(WrappedSummary wrapped) {
    Portfolio.Summary summary = wrapped.summary();
    if (summary != null) {
      TradingMetrics.portfolio(summary.equity(), summary.dailyPnl(), summary.drawdown(), summary.openPositions());
    }
    return this;
  }

  private Behavior<Command> onRiskStatus(WrappedRiskStatus wrapped) {
    RiskManager.RiskStatus status = wrapped.status();
    if (status != null) {
      TradingMetrics.killSwitch(status.killSwitch().engaged());
      status.breakers().forEach((venue, breaker) -> TradingMetrics.breaker(venue, breaker.open()));
    }
    return this;
  }

  private Behavior<Command> onVenueStatus(WrappedVenueStatus wrapped) {
    VenueConnection.VenueStatus status = wrapped.status();
    if (status != null) {
      TradingMetrics.venue(
          status.venue(), status.connected(), status.lastMessageAgeMs(), status.attemptsInWindow(), status.symbolsShedding());
    }
    return this;
  }

  private Behavior<Command> onKillSwitch(WrappedKillSwitch wrapped) {
    TradingMetrics.killSwitch(wrapped.status().engaged());
    return this;
  }
}
