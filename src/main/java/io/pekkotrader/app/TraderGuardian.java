package io.pekkotrader.app;

import io.pekkotrader.actors.AlertChannels;
import io.pekkotrader.actors.EngineEvents;
import io.pekkotrader.actors.EventFeed;
import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.Supervision;
import io.pekkotrader.actors.SymbolDirectory;
import io.pekkotrader.actors.SymbolRegistry;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.actors.VenueConnection;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.exchange.MarketDataConnection;
import io.pekkotrader.execution.OrderGateway;
import io.pekkotrader.execution.PaperOrderClient;
import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.streams.MarketDataPipeline;
import io.pekkotrader.streams.StreamEvent;
import io.pekkotrader.streams.StreamSettings;
import io.pekkotrader.streams.Subscriptions;
import io.pekkotrader.streams.TradeRouter;
import io.pekkotrader.streams.WebSocketMarketSource;
import io.pekkotrader.streams.WebSocketTransport;
import io.pekkotrader.streams.WebSocketTransports;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import io.pekkotrader.persistence.AuditFile;
import io.pekkotrader.persistence.AuditProjection;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.stream.Materializer;

/**
 * The root of the actor tree. Starts Portfolio and RiskManager as cluster singletons, the
 * SymbolTrader shard region, and one MarketDataConnection per venue (with its market data),
 * each supervised to restart with backoff: nothing below it stops silently.
 */
public final class TraderGuardian {
  private TraderGuardian() {}

  /**
   * @param marketUrls each venue's market-data base URL (the embedded simulators' or the real
   *     venues'); ignored when market data is off
   */
  public static Behavior<Void> create(
      Settings settings, Map<String, String> marketUrls, Clock clock, CompletableFuture<Engine> started) {
    return Behaviors.setup(
        context -> {
          try {
            started.complete(start(context, settings, marketUrls, clock));
          } catch (RuntimeException e) {
            started.completeExceptionally(e);
            throw e;
          }
          return Behaviors.empty();
        });
  }

  private static Engine start(ActorContext<Void> context, Settings settings, Map<String, String> marketUrls, Clock clock) {
    Settings.Trading trading = settings.trading();
    ActorRef<Supervision.Command> supervision = context.spawn(Supervision.monitor(clock), "supervision");
    List<Notifier.Channel> channels = alertChannels(context, settings.alerts());
    ActorRef<Notifier.Command> notifier =
        context.spawn(
            supervised(
                Supervision.monitored(
                    supervision, "Notifier", clock, Notifier.create(channels, settings.alerts().maxAttempts(), settings.alerts().backoff(), clock))),
            "notifier");
    context.getLog().info("Alerts go to the log{}", channels.isEmpty() ? "" : " and " + Notifier.names(channels));
    ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic =
        context.spawn(Topic.create(RiskManager.KillSwitchStatus.class, "kill-switch"), "kill-switch-topic");

    ClusterSingleton singletons = ClusterSingleton.get(context.getSystem());
    ActorRef<Portfolio.Command> portfolio =
        singletons.init(
            SingletonActor.of(
                Supervision.monitored(
                    supervision,
                    "Portfolio (singleton)",
                    clock,
                    Portfolio.create(
                        settings.quoteAssets(), trading.assetPrecisions(), settings.risk().tradingDay(), clock, trading.snapshotEvery(),
                        trading.equitySampleInterval(), notifier)),
                "portfolio"));
    Settings.Risk risk = settings.risk();
    SymbolDirectory directory = new SymbolDirectory(settings.symbols());
    ActorRef<RiskManager.Command> riskManager =
        singletons.init(
            SingletonActor.of(
                Supervision.monitored(
                    supervision,
                    "RiskManager (singleton)",
                    clock,
                RiskManager.create(
                    portfolio,
                    notifier,
                    killSwitchTopic,
                    new RiskManager.Setup(
                        risk.limits(),
                        settings.paper().priceBuffer(),
                        settings.paper().feeRate(),
                        trading.askTimeout(),
                        risk.cooldownAfterExit(),
                        risk.breakerStaleAfter(),
                        risk.watchInterval(),
                        symbol -> risk.filters(lotStep(directory, symbol))),
                    clock,
                    trading.snapshotEvery())),
                "risk-manager"));

    ClusterSharding sharding = ClusterSharding.get(context.getSystem());
    ActorRef<SymbolRegistry.Command> registry =
        singletons.init(
            SingletonActor.of(
                Supervision.monitored(
                    supervision,
                    "SymbolRegistry (singleton)",
                    clock,
                    SymbolRegistry.create(
                        new SymbolRegistry.Setup(
                            settings.symbols(),
                            trading.quoteAsset(),
                            trading.startingCashByAsset().keySet(),
                            symbol -> sharding.entityRefFor(SymbolTrader.ENTITY_KEY, symbol.id()),
                            trading.askTimeout(),
                            clock,
                            listing -> Strategies.problem(listing.strategy())))),
                "symbol-registry"));
    // sharding first: a venue's stream routes trades to the symbols as soon as it is spawned
    Map<String, ActorRef<VenueConnection.Command>> venues = new ConcurrentHashMap<>();
    Map<String, ActorRef<OrderGateway.Command>> gateways = new ConcurrentHashMap<>();
    sharding.init(
        SymbolTrader.entity(
            supervision,
            clock,
            symbol -> dependencies(settings, directory, symbol, portfolio, riskManager, gateways, notifier, killSwitchTopic, clock)));

    for (String venue : settings.symbols().stream().map(s -> s.id().venue()).distinct().toList()) {
      // the gateway first: a symbol's dependencies need it, and the stream may wake symbols at once
      gateways.put(
          venue,
          context.spawn(
              supervised(Supervision.monitored(supervision, "OrderGateway", clock, orderGateway(settings, directory, venue, sharding, clock))),
              "orders-" + venue));
      ActorRef<VenueConnection.Command> connection =
          context.spawn(
              supervised(
                  Supervision.monitored(
                      supervision,
                      "MarketData",
                      clock,
                      marketData(context, settings, directory, venue, marketUrls.get(venue), sharding, notifier, clock))),
              "market-data-" + venue);
      context.getSystem().receptionist().tell(Receptionist.register(RiskManager.VENUES, connection));
      venues.put(venue, connection);
    }
    directory.onChange(
        catalogue ->
            venues.forEach(
                (venue, connection) -> {
                  List<SymbolId> symbols = catalogue.onVenue(venue);
                  connection.tell(new MarketDataConnection.Subscribe(catalogue.version(), symbols, streamUrl(marketUrls.get(venue), venue, symbols)));
                }));
    context.spawn(
        supervised(Supervision.monitored(supervision, "SymbolDirectory", clock, SymbolDirectory.follower(directory, registry, Duration.ofSeconds(1)))),
        "symbol-directory");
    if (settings.metrics().enabled()) {
      context.spawn(
          supervised(MetricsSampler.create(portfolio, riskManager, venues, killSwitchTopic, settings.metrics().sampleInterval())),
          "metrics-sampler");
    }

    context.getLog().info(
        "Engine started: mode {}, market {}, symbols {}",
        settings.mode(),
        settings.market().source(),
        settings.symbols().stream().map(s -> s.id().id()).toList());
    context.spawn(
        supervised(
            Supervision.monitored(
                supervision,
                "EventFeed",
                clock,
                EventFeed.create(
                    directory::ids,
                    symbol -> sharding.entityRefFor(SymbolTrader.ENTITY_KEY, symbol.id()),
                    () -> venues,
                    killSwitchTopic,
                    Duration.ofSeconds(1),
                    clock))),
        "event-feed");
    ActorRef<Topic.Command<EngineEvents.EngineEvent>> events = EngineEvents.topic(context);
    // The actors publish through topic instances of their own, which reach this one once the
    // receptionist has spread its registration (about half a second), and it is registered only
    // while it has a subscriber: with a subscriber for the node's life, a dashboard client that
    // subscribes here gets every event from its first moment, not after that delay.
    events.tell(Topic.subscribe(context.<EngineEvents.EngineEvent>spawn(Behaviors.ignore(), "engine-events-anchor")));
    AuditFile audit = new AuditFile(settings.dataDir().resolve("audit"), settings.audit().maxFileBytes(), settings.audit().maxFiles());
    AuditProjection.start(context.getSystem(), audit, AuditProjection.jdbcEvents(context.getSystem()));
    return new Engine(
        settings, clock.millis(), portfolio, riskManager, Map.copyOf(venues), sharding, audit, supervision, events, directory, registry,
        notifier);
  }

  /** The precision of the symbol's quote asset (as listed, else as configured or named), which fees are charged at. */
  private static io.pekkotrader.domain.AssetPrecision feePrecision(Settings settings, SymbolDirectory directory, SymbolId symbol) {
    SymbolListing listed = directory.listing(symbol);
    String asset = listed != null && listed.quoteAsset() != null ? listed.quoteAsset() : settings.quoteAssets().of(symbol);
    return settings.trading().assetPrecisions().of(asset);
  }

  /** The symbol's lot step, or the finest step when it is no longer listed. */
  private static java.math.BigDecimal lotStep(SymbolDirectory directory, SymbolId symbol) {
    SymbolListing listed = directory.listing(symbol);
    return listed != null ? listed.lotStep() : SymbolListing.FINEST_LOT_STEP;
  }

  private static SymbolTrader.Dependencies dependencies(
      Settings settings,
      SymbolDirectory directory,
      SymbolId symbol,
      ActorRef<Portfolio.Command> portfolio,
      ActorRef<RiskManager.Command> risk,
      Map<String, ActorRef<OrderGateway.Command>> gateways,
      ActorRef<Notifier.Command> notifier,
      ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic,
      Clock clock) {
    SymbolListing symbolSettings = directory.listing(symbol);
    if (symbolSettings == null || gateways.get(symbol.venue()) == null) {
      return null;
    }
    Settings.Trading trading = settings.trading();
    // a listing persisted before its strategy was checked (or whose strategy has left the build)
    // must not crash-loop the entity: it comes up in ERROR, says why and stays removable
    String unusable = Strategies.problem(symbolSettings.strategy());
    return new SymbolTrader.Dependencies(
        unusable == null ? settings.strategy(symbolSettings.strategy()) : null,
        new TradingDecisions.Params(settings.orderNotional(symbolSettings), symbolSettings.lotStep(), trading.cooldown().toMillis()),
        trading.candleInterval(),
        trading.candleInterval(),
        trading.candleHistory(),
        trading.askTimeout(),
        trading.snapshotEvery(),
        trading.keepSnapshots(),
        risk,
        portfolio,
        gateways.get(symbol.venue()),
        notifier,
        killSwitchTopic,
        clock,
        unusable);
  }

  /** The venue's order gateway around a paper client; reports go to the order's SymbolTrader. */
  private static Behavior<OrderGateway.Command> orderGateway(
      Settings settings, SymbolDirectory directory, String venue, ClusterSharding sharding, Clock clock) {
    return OrderGateway.create(
        new OrderGateway.Setup(
            venue,
            PaperOrderClient.factory(
                symbol -> settings.paper().fillModel(lotStep(directory, symbol), feePrecision(settings, directory, symbol)),
                settings.paper().fillDelay(),
                clock),
            (symbol, update) ->
                sharding.entityRefFor(SymbolTrader.ENTITY_KEY, symbol.id()).tell(new SymbolTrader.ExecutionReport(update))));
  }

  private static Behavior<VenueConnection.Command> marketData(
      ActorContext<Void> context,
      Settings settings,
      SymbolDirectory directory,
      String venue,
      String marketUrl,
      ClusterSharding sharding,
      ActorRef<Notifier.Command> notifier,
      Clock clock) {
    List<SymbolId> symbols = directory.catalogue().onVenue(venue);
    Settings.Market market = settings.market();
    boolean marketData = market.enabled() && marketUrl != null;
    VenueDialect dialect = VenueDialects.forVenue(venue);
    StreamSettings streams = market.streams(venue);
    Materializer materializer = Materializer.createMaterializer(context.getSystem());
    WebSocketTransport transport = WebSocketTransports.get(context.getSystem(), market.client());
    // outlives the connection actor's restarts: a restarted actor starts again with the symbols it was last told
    String streamUrl = streamUrl(marketUrl, venue, symbols);
    Subscriptions subscriptions = new Subscriptions(symbols, streamUrl);
    return MarketDataConnection.create(
        new MarketDataConnection.Setup(
            venue,
            marketData
                ? events ->
                    MarketDataPipeline.start(
                        () ->
                            subscriptions.connection(
                                list -> new WebSocketMarketSource(transport, marketUrl, dialect, list, streams, events, clock).connect()),
                        TradeRouter.create(
                            new ShardedTraders(sharding),
                            market.router(),
                            report -> events.tell(new StreamEvent.Deliveries(report.router(), report.symbols()))),
                        streams,
                        events,
                        clock,
                        materializer,
                        transport.streamAttributes(context.getSystem()))
                : null,
            marketData ? streamUrl : null,
            marketData ? subscriptions : null,
            notifier::tell,
            clock));
  }

  /** The URL a venue's stream connects to for {@code symbols} (its base URL when there are none). */
  private static String streamUrl(String baseUrl, String venue, List<SymbolId> symbols) {
    if (baseUrl == null || symbols.isEmpty()) {
      return baseUrl;
    }
    return WebSocketMarketSource.compose(baseUrl, VenueDialects.forVenue(venue).connectPath(symbols.stream().map(SymbolId::symbol).toList()));
  }

  private static List<Notifier.Channel> alertChannels(ActorContext<Void> context, Settings.Alerts alerts) {
    List<Notifier.Channel> channels = new java.util.ArrayList<>();
    if (!alerts.webhookUrl().isEmpty()) {
      channels.add(AlertChannels.webhook(context.getSystem(), alerts.webhookUrl()));
    }
    if (alerts.telegramEnabled()) {
      channels.add(
          AlertChannels.telegram(context.getSystem(), alerts.telegramApiUrl(), alerts.telegramBotToken(), alerts.telegramChatId()));
    }
    return channels;
  }

  private static <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }
}
