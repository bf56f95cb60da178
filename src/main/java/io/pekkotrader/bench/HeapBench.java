package io.pekkotrader.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.actors.Supervision;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.execution.OrderGateway;
import io.pekkotrader.persistence.JournalCompaction;
import io.pekkotrader.persistence.JournalDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.LoggerFactory;

/**
 * {@code bench heap}: the heap one idle SymbolTrader holds, its candles included.
 *
 * <p>In one process: a single-node cluster with the SymbolTrader shard region, wired as the
 * engine's guardian wires it (the same {@link SymbolTrader.Dependencies} from the engine's default
 * settings, the supervision monitor around each entity, a real kill-switch topic) over the real
 * Pekko Persistence JDBC journal on an H2 file database in a temporary directory (on disk, so
 * the journal's rows are not on the heap). Risk, Portfolio, the venue and the notifier are stubs
 * that answer what an idle symbol asks and nothing else.
 *
 * <p>Each symbol gets one batch of trades filling its whole candle history plus an open candle:
 * {@code tradesPerCandle} trades per candle with distinct open, high, low and close (8-decimal
 * prices and quantities, built as the decoders build them), the closes drifting down so that the
 * strategy never enters and no symbol has an order. Every symbol completes its warm-up (one
 * persisted event) and stays READY. The clock is fixed inside the open candle, so the candle
 * timer finds nothing to close: the history stays the traded candles (with the wall clock, an
 * idle symbol would replace them with forward fills, one per interval).
 *
 * <p>The heap is measured three times: with no entity, with half of them and with all, each
 * time as HotSpot's class histogram after a full collection (live objects only) and as the heap
 * used after {@link System#gc()}. Per SymbolTrader: the growth from none to all divided by their
 * number (the average, one-off costs such as shard actors included), and from half to all (the
 * marginal cost of one more). The growth by class, grouped, says where it goes.
 */
public final class HeapBench {
  /** Trade time of the first trade (a whole second). */
  static final long START_MS = 1_700_000_000_000L;
  private static final Duration ASK = Duration.ofSeconds(60);
  private static final int IN_FLIGHT = 100;

  /**
   * @param symbols how many SymbolTraders to start
   * @param candles closed candles each is fed (its whole history: the engine keeps {@code trading.candle-history})
   * @param tradesPerCandle trades per candle, at least 1
   * @param idleSeconds how long the entities are left alone before each measurement
   */
  public record Config(int symbols, int candles, int tradesPerCandle, int idleSeconds) {
    public Config {
      if (symbols < 2 || candles < 2 || candles > 10_000 || tradesPerCandle < 1 || tradesPerCandle > 100 || idleSeconds < 0) {
        throw new IllegalArgumentException(
            "need symbols >= 2, 2 <= candles <= 10000, 1 <= trades per candle <= 100, idle seconds >= 0; got " + this);
      }
    }
  }

  /**
   * The heap with {@code entities} SymbolTraders started.
   *
   * @param liveBytes the class histogram's total (live objects after a full collection); -1 where the JVM has no histogram
   * @param usedBytes the heap used after {@link System#gc()}
   */
  public record Measurement(int entities, long liveBytes, long usedBytes) {}

  /** A share of the growth, per SymbolTrader. */
  public record Share(String name, double bytes, double instances) {}

  /**
   * What the entities reported before the last measurement.
   *
   * @param ready entities in READY with no order
   * @param fullHistory entities holding {@code candles} closed candles
   * @param trades trades sent in all
   * @param validated entities that recovered from the journal and validated their state
   */
  public record Checks(int entities, int ready, int fullHistory, long trades, int validated) {}

  /**
   * The figures of one run.
   *
   * @param categories the growth from none to all by group of classes, per SymbolTrader, largest first
   * @param classes the classes that grew most from none to all, per SymbolTrader
   * @param fillSeconds how long starting and feeding all of them took
   */
  public record Result(
      Config config,
      Settings.Trading trading,
      Measurement none,
      Measurement half,
      Measurement all,
      List<Share> categories,
      List<Share> classes,
      Checks checks,
      double fillSeconds) {

    /** Bytes per SymbolTrader, from none to all (live bytes where the histogram exists). */
    public double bytesPerEntity() {
      return perEntity(none, all);
    }

    /** Bytes per SymbolTrader, from half to all. */
    public double marginalBytesPerEntity() {
      return perEntity(half, all);
    }

    /** The same from the heap used after {@link System#gc()}, none to all. */
    public double usedBytesPerEntity() {
      return (double) (all.usedBytes() - none.usedBytes()) / (all.entities() - none.entities());
    }

    private static double perEntity(Measurement from, Measurement to) {
      boolean live = from.liveBytes() >= 0 && to.liveBytes() >= 0;
      long growth = live ? to.liveBytes() - from.liveBytes() : to.usedBytes() - from.usedBytes();
      return (double) growth / (to.entities() - from.entities());
    }
  }

  /** How classes are grouped in the breakdown: the first group whose test matches. */
  static final List<Map.Entry<String, Predicate<String>>> GROUPS =
      List.of(
          Map.entry("candles: Candle records and Candle[]", name -> name.equals("io.pekkotrader.domain.Candle") || name.equals("[Lio.pekkotrader.domain.Candle;")),
          Map.entry("decimals: BigDecimal, BigInteger", name -> name.startsWith("java.math.") || name.startsWith("[Ljava.math.")),
          Map.entry("primitive arrays (long[], double[], byte[], int[], char[]...)", name -> name.length() == 2 && name.charAt(0) == '['),
          Map.entry("engine objects (SymbolTrader, its state, strategy, lambdas)", name -> name.startsWith("io.pekkotrader.") || name.startsWith("[Lio.pekkotrader.")),
          Map.entry("Pekko persistence (event-sourced behavior)", name -> name.startsWith("org.apache.pekko.persistence.")),
          Map.entry("Pekko sharding (shards, entity maps)", name -> name.startsWith("org.apache.pekko.cluster.sharding.")),
          Map.entry("Pekko actors (cells, mailboxes, behaviors, timers)",
              name -> name.startsWith("org.apache.pekko.actor.") || name.startsWith("org.apache.pekko.dispatch.")),
          Map.entry("other Pekko", name -> name.startsWith("org.apache.pekko.") || name.startsWith("[Lorg.apache.pekko.")),
          Map.entry("Scala collections and functions", name -> name.startsWith("scala.") || name.startsWith("[Lscala.")),
          Map.entry("journal database (H2, HikariCP, Slick)",
              name -> name.startsWith("org.h2.") || name.startsWith("com.zaxxer.") || name.startsWith("slick.") || name.startsWith("[Lorg.h2.")),
          Map.entry("object arrays (Object[], String[]...)", name -> name.startsWith("[")),
          Map.entry("JDK objects (strings, maps, atomics...)", name -> name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")),
          Map.entry("other", name -> true));

  private HeapBench() {}

  /** Runs the bench; {@code progress} hears one line per phase. */
  public static Result run(Config config, Consumer<String> progress) throws Exception {
    Path dataDir = Files.createTempDirectory("bench-heap");
    Logger engineLog = (Logger) LoggerFactory.getLogger("io.pekkotrader");
    Level engineLevel = engineLog.getLevel();
    // 10,000 symbols would log their recovery and warm-up one by one
    engineLog.setLevel(Level.WARN);
    try {
      return run(config, dataDir, progress);
    } finally {
      engineLog.setLevel(engineLevel);
      deleteQuietly(dataDir);
    }
  }

  private static Result run(Config config, Path dataDir, Consumer<String> progress) throws Exception {
    com.typesafe.config.Config root = Settings.loadConfig(Map.of(), Map.of(), null);
    Settings settings = Settings.from(root);
    String jdbcUrl = JournalDatabase.h2Url(dataDir);
    JournalDatabase.createTablesIfMissing("h2", jdbcUrl, settings.db().user(), settings.db().password());
    com.typesafe.config.Config pekko =
        ConfigFactory.parseString(
                "pekko.remote.artery.canonical.port = 0\n"
                    + "pekko.loglevel = WARNING\n"
                    + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                    + "pekko.cluster.jmx.enabled = off\n")
            .withFallback(settings.pekkoOverrides(jdbcUrl))
            .withFallback(root);
    // the journal as `run` has it: compacted, or H2's chunk metadata would be part of the figure
    try (JournalCompaction compaction = JournalCompaction.open(jdbcUrl, settings.db().user(), settings.db().password()).start()) {
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-heap", pekko);
      try {
        return run(config, settings, system, dataDir, progress);
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static Result run(Config config, Settings settings, ActorSystem<Void> system, Path dataDir, Consumer<String> progress)
      throws Exception {
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the single-node cluster did not come up");
      }
      Thread.sleep(50);
    }
    // fixed inside the last (open) candle: the candle timer has nothing to close
    Settings.Trading trading = settings.trading();
    long intervalMs = trading.candleInterval().toMillis();
    Clock clock = Clock.fixed(Instant.ofEpochMilli(START_MS + config.candles() * intervalMs + intervalMs / 2), ZoneOffset.UTC);
    ClusterSharding sharding = ClusterSharding.get(system);
    startShardRegion(sharding, system, settings, config, clock);
    List<SymbolId> symbols = new ArrayList<>(config.symbols());
    for (int i = 1; i <= config.symbols(); i++) {
      symbols.add(new SymbolId("binance", String.format("S%05dUSDT", i)));
    }

    progress.accept("measuring the heap with no SymbolTrader");
    Taken none = measure(0, config, dataDir);
    int half = config.symbols() / 2;
    progress.accept("starting and feeding " + half + " SymbolTraders");
    long started = System.nanoTime();
    long trades = feed(sharding, symbols, 0, half, config, intervalMs, progress);
    long fillNanos = System.nanoTime() - started;
    progress.accept("measuring the heap with " + half);
    Taken halfWay = measure(half, config, dataDir);
    progress.accept("starting and feeding the other " + (config.symbols() - half));
    started = System.nanoTime();
    trades += feed(sharding, symbols, half, config.symbols(), config, intervalMs, progress);
    fillNanos += System.nanoTime() - started;
    progress.accept("checking every SymbolTrader");
    Checks checks = check(sharding, symbols, config, trades);
    progress.accept("measuring the heap with " + config.symbols());
    Taken all = measure(config.symbols(), config, dataDir);
    List<Share> categories = List.of();
    List<Share> classes = List.of();
    if (none.histogram() != null && all.histogram() != null) {
      List<HeapHistogram.Row> growth = HeapHistogram.parse(Files.readString(none.histogram())).growthTo(HeapHistogram.parse(Files.readString(all.histogram())));
      categories = byGroup(growth, config.symbols());
      classes = growth.stream().limit(25).map(row -> share(row.className(), row.bytes(), row.instances(), config.symbols())).toList();
    }
    return new Result(
        config, trading, none.measurement(), halfWay.measurement(), all.measurement(), categories, classes, checks, fillNanos / 1e9);
  }

  /**
   * A measurement and the file of the histogram behind it (null where the JVM has none). The
   * histograms wait on disk, not on the heap, so that an earlier one is not counted in a later.
   */
  private record Taken(Measurement measurement, Path histogram) {}

  private static void startShardRegion(
      ClusterSharding sharding, ActorSystem<Void> system, Settings settings, Config config, Clock clock) {
    Settings.Trading trading = settings.trading();
    ActorRef<Supervision.Command> supervision = system.systemActorOf(Supervision.monitor(clock), "supervision", Props.empty());
    ActorRef<RiskManager.Command> risk = system.systemActorOf(riskStub(), "risk-stub", Props.empty());
    ActorRef<Portfolio.Command> portfolio = system.systemActorOf(Behaviors.ignore(), "portfolio-stub", Props.empty());
    ActorRef<OrderGateway.Command> orders = system.systemActorOf(Behaviors.ignore(), "orders-stub", Props.empty());
    ActorRef<Notifier.Command> notifier = system.systemActorOf(Behaviors.ignore(), "notifier-stub", Props.empty());
    ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic =
        system.systemActorOf(Topic.create(RiskManager.KillSwitchStatus.class, "kill-switch"), "kill-switch-topic", Props.empty());
    // one per entity, as the engine's guardian builds them, with the candle history of the run
    EngineDecisionSettings engine = EngineDecisionSettings.of(settings);
    Function<SymbolId, SymbolTrader.Dependencies> dependencies =
        symbol ->
            new SymbolTrader.Dependencies(
                engine.newStrategy(),
                engine.decisions(),
                trading.candleInterval(),
                trading.candleInterval(),
                config.candles(),
                trading.askTimeout(),
                trading.snapshotEvery(),
                trading.keepSnapshots(),
                risk,
                portfolio,
                orders,
                notifier,
                killSwitchTopic,
                clock,
                null);
    sharding.init(SymbolTrader.entity(supervision, clock, dependencies));
  }

  /** Answers the kill-switch query with "released"; rejects an intent (none is expected). */
  private static org.apache.pekko.actor.typed.Behavior<RiskManager.Command> riskStub() {
    return Behaviors.receive(RiskManager.Command.class)
        .onMessage(
            RiskManager.GetKillSwitch.class,
            query -> {
              query.replyTo().tell(new RiskManager.KillSwitchStatus(false, null, 0));
              return Behaviors.same();
            })
        .onMessage(
            RiskManager.Evaluate.class,
            evaluate -> {
              var intent = evaluate.intent();
              evaluate.replyTo().tell(
                  new RiskManager.Decision(
                      RiskManager.SCHEMA_VERSION, "bench-" + intent.clientOrderId(), 0, intent.clientOrderId(), intent.symbol().id(),
                      intent.kind(), intent.side().name(), intent.quantity(), intent.notional(), intent.strategy(), false,
                      io.pekkotrader.domain.risk.RiskCheck.MAX_OPEN_POSITIONS.code(), "bench heap places no orders", "bench"));
              return Behaviors.same();
            })
        .onAnyMessage(message -> Behaviors.same())
        .build();
  }

  /** Starts and feeds symbols {@code [from, to)}, {@value #IN_FLIGHT} at a time; returns the trades sent. */
  private static long feed(
      ClusterSharding sharding, List<SymbolId> symbols, int from, int to, Config config, long intervalMs, Consumer<String> progress)
      throws Exception {
    long trades = 0;
    for (int start = from; start < to; start += IN_FLIGHT) {
      List<CompletableFuture<Done>> replies = new ArrayList<>();
      for (int i = start; i < Math.min(to, start + IN_FLIGHT); i++) {
        List<Trade> batch = trades(i, config, intervalMs);
        trades += batch.size();
        replies.add(
            sharding
                .entityRefFor(SymbolTrader.ENTITY_KEY, symbols.get(i).id())
                .<Done>ask(replyTo -> new SymbolTrader.OnTrades(batch, replyTo), ASK)
                .toCompletableFuture());
      }
      CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(ASK.toSeconds() * 2, TimeUnit.SECONDS);
      int done = Math.min(to, start + IN_FLIGHT);
      if ((done - from) % (IN_FLIGHT * 20) == 0 || done == to) {
        progress.accept("  " + done + " of " + symbols.size() + " started");
      }
    }
    return trades;
  }

  /**
   * The trades of symbol {@code index}: {@code candles + 1} intervals of {@code tradesPerCandle}
   * trades (the last interval stays open), 8 decimals as Binance sends them. Candle {@code j}
   * opens at {@code p}, reaches {@code p + 0.03}, falls to {@code p - 0.04} and closes at
   * {@code p - 0.01}, with {@code p} one cent lower each candle.
   */
  static List<Trade> trades(int index, Config config, long intervalMs) {
    int perCandle = config.tradesPerCandle();
    List<Trade> trades = new ArrayList<>((config.candles() + 1) * perCandle);
    long baseCents = 100_000 + (index % 50) * 1_000L + 2L * config.candles();
    for (int j = 0; j <= config.candles(); j++) {
      long openCents = baseCents - j;
      for (int i = 0; i < perCandle; i++) {
        long cents;
        if (i == 0) {
          cents = openCents;
        } else if (i == perCandle - 1) {
          cents = openCents - 1;
        } else if (i == 1) {
          cents = openCents + 3;
        } else if (i == 2) {
          cents = openCents - 4;
        } else {
          cents = openCents;
        }
        long timestampMs = START_MS + j * intervalMs + i * intervalMs / (perCandle + 1);
        BigDecimal price = BigDecimal.valueOf(cents * 1_000_000L, 8);
        BigDecimal quantity = BigDecimal.valueOf(100L * (1 + (index * 31L + j * 7L + i) % 5_000_000), 8);
        trades.add(new Trade(Long.toString((long) j * perCandle + i + 1), timestampMs, price, quantity, i % 2 == 0 ? Side.BUY : Side.SELL));
      }
    }
    return trades;
  }

  /** Asks every symbol for its view. */
  private static Checks check(ClusterSharding sharding, List<SymbolId> symbols, Config config, long trades) throws Exception {
    int ready = 0;
    int fullHistory = 0;
    int recovered = 0;
    for (int start = 0; start < symbols.size(); start += IN_FLIGHT) {
      List<CompletableFuture<SymbolTrader.SymbolView>> views = new ArrayList<>();
      for (int i = start; i < Math.min(symbols.size(), start + IN_FLIGHT); i++) {
        views.add(
            sharding
                .entityRefFor(SymbolTrader.ENTITY_KEY, symbols.get(i).id())
                .<SymbolTrader.SymbolView>ask(SymbolTrader.GetSymbol::new, ASK)
                .toCompletableFuture());
      }
      for (CompletableFuture<SymbolTrader.SymbolView> reply : views) {
        SymbolTrader.SymbolView view = reply.get(ASK.toSeconds() * 2, TimeUnit.SECONDS);
        if (view.phase() == SymbolPhase.READY && view.workingOrder() == null) {
          ready++;
        }
        if (view.candles() == config.candles()) {
          fullHistory++;
        }
        if (view.recovered()) {
          recovered++;
        }
      }
    }
    return new Checks(symbols.size(), ready, fullHistory, trades, recovered);
  }

  /** Leaves the entities alone for a while, then measures the heap. */
  private static Taken measure(int entities, Config config, Path dir) throws InterruptedException, IOException {
    Thread.sleep(TimeUnit.SECONDS.toMillis(config.idleSeconds()));
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    if (!HeapHistogram.available()) {
      return new Taken(new Measurement(entities, -1, used), null);
    }
    String text = HeapHistogram.takeText();
    Path file = Files.writeString(dir.resolve("histogram-" + entities + ".txt"), text);
    return new Taken(new Measurement(entities, HeapHistogram.parse(text).totalBytes(), used), file);
  }

  static List<Share> byGroup(List<HeapHistogram.Row> growth, int entities) {
    Map<String, long[]> sums = new LinkedHashMap<>();
    for (Map.Entry<String, Predicate<String>> group : GROUPS) {
      sums.put(group.getKey(), new long[2]);
    }
    for (HeapHistogram.Row row : growth) {
      for (Map.Entry<String, Predicate<String>> group : GROUPS) {
        if (group.getValue().test(row.className())) {
          long[] sum = sums.get(group.getKey());
          sum[0] += row.bytes();
          sum[1] += row.instances();
          break;
        }
      }
    }
    List<Share> shares = new ArrayList<>();
    sums.forEach((name, sum) -> shares.add(share(name, sum[0], sum[1], entities)));
    shares.sort(Comparator.comparingDouble(Share::bytes).reversed());
    return shares;
  }

  private static Share share(String name, long bytes, long instances, int entities) {
    return new Share(name, (double) bytes / entities, (double) instances / entities);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a temporary directory left behind is not worth failing the bench for
    }
  }
}
