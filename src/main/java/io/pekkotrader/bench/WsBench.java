package io.pekkotrader.bench;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.exchange.simulator.ExchangeSimulator;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.exchange.simulator.SimulatorSettings;
import io.pekkotrader.streams.MarketDataPipeline;
import io.pekkotrader.streams.MarketTrade;
import io.pekkotrader.streams.StreamEvent;
import io.pekkotrader.streams.StreamSettings;
import io.pekkotrader.streams.SyntheticMarket;
import io.pekkotrader.streams.WebSocketMarketSource;
import io.pekkotrader.streams.WebSocketTransport;
import io.pekkotrader.streams.WebSocketTransports;
import io.pekkotrader.streams.venue.VenueDialects;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * {@code bench ws}: a market feed → a loopback WebSocket → the engine's market-data stream
 * ({@link WebSocketMarketSource} under {@link MarketDataPipeline}: its WebSocket client, restart
 * supervision, decoding, de-duplication) → the engine's {@link TradingKernel} ({@link
 * KernelStage}: every symbol's candles and strategy, risk, paper fills, the ledger, as {@code bench
 * pipeline} and the backtest run it) in the stream's last stage, at a fixed offered rate. The feed
 * ({@link Feed}) is the exchange simulator in the same JVM (as this bench began), or {@link
 * WsBenchFeed} paced against the clock, in the same JVM or in a JVM of its own so that the
 * engine's process is measured alone.
 *
 * <p>The feed is open loop: it never waits for the engine (a connection more than 8192 trades
 * behind is dropped, which this bench reports). Every generated trade's time is recorded (by a
 * tape listener, or by the feed process, whose {@code System.nanoTime()} is on the same clock on
 * Linux); trade {@code k} is also due at {@code t0 + k / rate} by the schedule. Latency of a
 * trade = the time its decision step finished minus (a) its due time by the schedule, which
 * corrects for coordinated omission (a generator or JVM stall counts against every trade it
 * delayed), and (b) the moment it was generated. Only trades due inside the measured window
 * count; trades generated for it but never delivered are drops. A generator that cannot keep the
 * schedule shows as an offered rate below the target.
 */
public final class WsBench {
  /** The offered rate the stream must sustain. */
  public static final int TARGET_RATE = 50_000;
  /** The p99 tick-to-decision latency at {@link #TARGET_RATE}, in microseconds (issue 15). */
  public static final long TARGET_P99_MICROS = 5_000;
  /** Below {@link #TARGET_RATE} (the 5,000/s case), the p99 to stay under, in microseconds. */
  public static final long TARGET_P99_MICROS_LOW_RATE = 1_000;
  /** CPU per delivered trade in the engine's JVM at {@link #TARGET_RATE}, in nanoseconds. */
  public static final long TARGET_CPU_NANOS_PER_TRADE = 5_000;
  /** Below {@link #TARGET_RATE}, the CPU per delivered trade to stay under, in nanoseconds. */
  public static final long TARGET_CPU_NANOS_PER_TRADE_LOW_RATE = 10_000;

  private static final int SLOTS = 1 << 22;
  /** The engine's scheduler, as `run` sets it (cluster.conf). */
  private static final String SCHEDULER = "pekko.scheduler.implementation";
  /**
   * Candles of synthetic trades a throwaway kernel steps before the feed starts ({@link
   * KernelStage#warmUp}), so the JIT has compiled the decision path, which a low offered rate runs
   * only at candle closes, before the window is measured.
   */
  static final int KERNEL_WARM_UP_CANDLES = 600;
  private static final long FIRST_ID = WsBenchFeed.FIRST_ID;

  /** Where the frames come from. */
  public enum Feed {
    /** The exchange simulator, in the engine's JVM (its tape paced by a throttle on 1 ms timer ticks). */
    SIMULATOR,
    /** {@link WsBenchFeed}, paced by its own thread against the clock, in the engine's JVM. */
    PACED,
    /** {@link WsBenchFeed} in a JVM of its own: the engine's process is measured alone. */
    PROCESS
  }

  /**
   * @param rate offered trades (= frames) per second, in all
   * @param symbols symbols the rate is spread over (the rate must divide evenly)
   * @param warmup unmeasured time first
   * @param duration measured time
   * @param feed where the frames come from
   * @param client the engine's WebSocket client
   * @param engine what the kernel decides with: candles, strategy, sizing, risk, paper fills, from the engine's configuration
   */
  public record Config(
      int rate, int symbols, Duration warmup, Duration duration, Feed feed, WebSocketTransport.Kind client, EngineDecisionSettings engine) {
    public Config {
      java.util.Objects.requireNonNull(engine, "engine");
      if (rate < 1 || symbols < 1 || rate % symbols != 0 || warmup.isNegative() || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(
            "need rate >= 1 divisible by symbols >= 1, warm-up >= 0 and a duration > 0; got rate " + rate + ", symbols " + symbols
                + ", warm-up " + warmup + ", duration " + duration);
      }
      if ((warmup.toMillis() + duration.toMillis() + 5_000) / 1000 * rate > SLOTS) {
        throw new IllegalArgumentException("rate × (warm-up + duration) must stay under " + SLOTS + " trades");
      }
    }

    /** Deciding with the shipped configuration. */
    public Config(int rate, int symbols, Duration warmup, Duration duration, Feed feed, WebSocketTransport.Kind client) {
      this(rate, symbols, warmup, duration, feed, client, EngineDecisionSettings.shipped());
    }

    /** Through the default WebSocket client. */
    public Config(int rate, int symbols, Duration warmup, Duration duration, Feed feed) {
      this(rate, symbols, warmup, duration, feed, WebSocketTransport.Kind.DEFAULT);
    }

    /** From the exchange simulator in the same JVM, as the bench always did. */
    public Config(int rate, int symbols, Duration warmup, Duration duration) {
      this(rate, symbols, warmup, duration, Feed.SIMULATOR);
    }
  }

  /** Latency percentiles, nanoseconds. */
  public record Latency(long count, long p50, long p90, long p99, long p999, long max) {
    static Latency of(Histogram h) {
      return new Latency(
          h.getTotalCount(),
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(90),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getMaxValue());
    }
  }

  /**
   * @param offeredRate trades generated per second in the window (the target is {@code config.rate})
   * @param sustainedRate trades delivered per second in the window
   * @param offered trades due in the window
   * @param delivered those delivered to the decision step
   * @param drops generated for the window and never delivered
   * @param disconnects connections that ended during the run
   * @param malformed frames the engine could not decode
   * @param fromSchedule latency from each trade's due time (coordinated-omission corrected)
   * @param fromGeneration latency from the moment each trade was generated
   * @param candleClose latency from the schedule, of the trades that closed a candle and ran the strategy
   * @param engine this JVM's CPU time and collector pauses during the measured window
   * @param kernel what the trading kernel did over the whole run (warm-up included)
   * @param late trades older than the kernel's time (it refuses them): delivered, counted here, not stepped
   */
  public record Result(
      Config config,
      double offeredRate,
      double sustainedRate,
      long offered,
      long delivered,
      long drops,
      long disconnects,
      long malformed,
      Latency fromSchedule,
      Latency fromGeneration,
      Latency candleClose,
      Engine engine,
      TradingKernel.Counts kernel,
      long late) {}

  /**
   * What this JVM spent while the window's trades were delivered (from 1 s after the warm-up to the
   * end of the window, by the bench's clock): CPU time of the whole process (the engine's stream
   * and decisions, plus the feed when it runs in this JVM) per delivered trade, and the collector.
   *
   * @param cpuNanosPerTrade process CPU time per trade delivered in that interval
   * @param cpuShare process CPU time as a share of one core's wall-clock time
   * @param gcPauses collections in that interval
   * @param gcMillis their total time, milliseconds (for G1's young collections: the pauses)
   */
  public record Engine(long cpuNanosPerTrade, double cpuShare, long gcPauses, long gcMillis) {}

  /** A point in time for {@link Engine}: process CPU, delivered trades, collections. */
  private record Sample(long wallNanos, long cpuNanos, long delivered, long gcCount, long gcMillis) {
    static Sample now(long delivered) {
      long count = 0;
      long millis = 0;
      for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
      long cpu = java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
          ? os.getProcessCpuTime()
          : -1;
      return new Sample(System.nanoTime(), cpu, delivered, count, millis);
    }

    Engine to(Sample end) {
      long trades = Math.max(1, end.delivered - delivered);
      long cpu = cpuNanos < 0 || end.cpuNanos < 0 ? 0 : end.cpuNanos - cpuNanos;
      return new Engine(cpu / trades, cpu / (double) Math.max(1, end.wallNanos - wallNanos), end.gcCount - gcCount, end.gcMillis - gcMillis);
    }
  }

  private WsBench() {}

  public static Result run(Config config, Consumer<String> progress) throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "bench-ws",
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        // the simulator paces its tape on the scheduler's ticks, 1 ms apart here; with
                        // a feed of its own the engine side runs on the scheduler `run` uses, which
                        // wakes only when a timer is due
                        + (config.feed() == Feed.SIMULATOR
                            ? "pekko.scheduler.tick-duration = 1ms\n"
                            : "pekko.scheduler.implementation = \"" + Settings.shippedConfig().getString(SCHEDULER) + "\"\n")
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n")
                .withFallback(ConfigFactory.defaultReference()));
    try {
      return run(config, system, progress);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Result run(Config config, ActorSystem<Void> system, Consumer<String> progress) throws Exception {
    List<String> names = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < config.symbols(); i++) {
      String name = "S" + i + "USDT";
      names.add(name);
      index.put(name, i);
    }
    long periodNanos = 1_000_000_000L / config.rate();
    Tape tape = new Tape(config.symbols(), index);
    Counters counters = new Counters();
    ActorRef<StreamEvent> events = system.systemActorOf(counters.behavior(), "bench-ws-events", Props.empty());
    Settings settings = Settings.shipped();
    long warming = System.nanoTime();
    TradingKernel.Counts warmed = KernelStage.warmUp("binance", names, config.engine(), KERNEL_WARM_UP_CANDLES);
    progress.accept(String.format(
        "kernel warmed up on a throwaway kernel in %,d ms: %,d synthetic trades, %,d decisions, %,d fills", (System.nanoTime() - warming) / 1_000_000,
        warmed.trades(), warmed.decisions(), warmed.fills()));
    Decisions decisions = new Decisions(config, names, tape, periodNanos);
    StreamSettings streams = settings.market().streams("binance");
    List<SymbolId> symbols = names.stream().map(n -> new SymbolId("binance", n)).toList();
    try (Market market = Market.start(config, names, tape, system)) {
      WebSocketMarketSource source =
          new WebSocketMarketSource(
              WebSocketTransports.get(system, config.client()), market.url(), VenueDialects.forVenue("binance"), symbols, streams, events,
              Clock.systemUTC());
      progress.accept(String.format(
          "%,d trades/s over %d symbols, warm-up %d s, measuring %d s, from %s (%s), client %s", config.rate(), config.symbols(),
          config.warmup().toSeconds(), config.duration().toSeconds(), market.url(), market.describe(), config.client().configName()));
      UniqueKillSwitch stop =
          MarketDataPipeline.start(
              source::connect, decisions.flow(), streams, events, Clock.systemUTC(), Materializer.createMaterializer(system),
              WebSocketTransports.get(system, config.client()).streamAttributes(system));
      long disconnects;
      Engine engine;
      try {
        long start = System.currentTimeMillis();
        long windowFrom = start + config.warmup().toMillis() + 1_000;
        long windowTo = start + config.warmup().toMillis() + config.duration().toMillis();
        long deadline = windowTo + 3_000;
        Sample first = null;
        Sample last = null;
        long nextProgress = start + 5_000;
        while (System.currentTimeMillis() < deadline) {
          long now = System.currentTimeMillis();
          long next = Math.min(nextProgress, deadline);
          if (first == null) {
            next = Math.min(next, windowFrom);
          } else if (last == null) {
            next = Math.min(next, windowTo);
          }
          Thread.sleep(Math.max(1, next - now));
          now = System.currentTimeMillis();
          if (first == null && now >= windowFrom) {
            first = Sample.now(decisions.deliveredAll.get());
          } else if (first != null && last == null && now >= windowTo) {
            last = Sample.now(decisions.deliveredAll.get());
          }
          if (now >= nextProgress) {
            nextProgress += 5_000;
            progress.accept(String.format("%s, %,d delivered", market.progress(), decisions.deliveredAll.get()));
          }
        }
        engine = first == null || last == null ? new Engine(0, 0, 0, 0) : first.to(last);
      } finally {
        disconnects = counters.disconnects.get();
        stop.shutdown();
        market.finish();
      }
      // the kernel is read once its stage has stopped, so that its counts are whole and seen here
      decisions.stopped().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return decisions.result(disconnects, counters.malformed.get(), engine);
    }
  }

  /** The other end of the socket: the simulator or the paced feed, in this JVM or another. */
  private interface Market extends AutoCloseable {
    String url();

    String describe();

    String progress();

    /** Stops generating; afterwards the tape holds every generated trade's time. */
    void finish() throws Exception;

    @Override
    default void close() throws Exception {
      finish();
    }

    static Market start(Config config, List<String> names, Tape tape, ActorSystem<Void> system) throws Exception {
      switch (config.feed()) {
        case SIMULATOR:
          return SimulatorMarket.start(config, names, tape, system);
        case PACED:
          return new PacedMarket(new WsBenchFeed(config.rate(), config.symbols(), tape::record), tape);
        default:
          return ProcessMarket.start(config, tape);
      }
    }
  }

  private static final class SimulatorMarket implements Market {
    private final ExchangeSimulator simulator;
    private final Tape tape;
    private boolean finished;

    private SimulatorMarket(ExchangeSimulator simulator, Tape tape) {
      this.simulator = simulator;
      this.tape = tape;
    }

    static Market start(Config config, List<String> names, Tape tape, ActorSystem<Void> system) throws Exception {
      List<SyntheticMarket.Instrument> instruments = new ArrayList<>();
      for (String name : names) {
        instruments.add(SimulatorSettings.instrument(new SymbolId("binance", name)));
      }
      SimulatorSettings settings =
          SimulatorSettings.defaults("binance", names)
              .withInstruments(instruments)
              .withGenerator(7, config.rate() / config.symbols(), new BigDecimal("5"));
      ExchangeSimulator simulator =
          ExchangeSimulator.start(settings, system, tape::onGenerated).toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new SimulatorMarket(simulator, tape);
    }

    @Override
    public String url() {
      return simulator.url();
    }

    @Override
    public String describe() {
      return "the exchange simulator in this JVM";
    }

    @Override
    public String progress() {
      return String.format("%,d trades generated", tape.generated.get());
    }

    @Override
    public void finish() throws Exception {
      if (!finished) {
        finished = true;
        simulator.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static final class PacedMarket implements Market {
    private final WsBenchFeed feed;
    private final Tape tape;

    PacedMarket(WsBenchFeed feed, Tape tape) {
      this.feed = feed;
      this.tape = tape;
    }

    @Override
    public String url() {
      try {
        return feed.url();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public String describe() {
      return "the paced feed in this JVM";
    }

    @Override
    public String progress() {
      return String.format("%,d trades generated, %d slow-consumer disconnects", tape.generated.get(), feed.slowConsumerDrops.get());
    }

    @Override
    public void finish() throws Exception {
      feed.close();
    }
  }

  /** The paced feed as a child JVM; its generation times come back in a file when it stops. */
  private static final class ProcessMarket implements Market {
    private final Process process;
    private final java.io.BufferedReader out;
    private final Path times;
    private final String url;
    private final Tape tape;
    private boolean finished;

    private ProcessMarket(Process process, java.io.BufferedReader out, Path times, String url, Tape tape) {
      this.process = process;
      this.out = out;
      this.times = times;
      this.url = url;
      this.tape = tape;
    }

    static Market start(Config config, Tape tape) throws Exception {
      Path times = Files.createTempFile("ws-bench-feed", ".times");
      String javaCommand = ProcessHandle.current().info().command().orElse("java");
      Process process =
          new ProcessBuilder(
                  javaCommand, "-XX:+UseSerialGC", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                  WsBenchFeed.class.getName(), String.valueOf(config.rate()), String.valueOf(config.symbols()), times.toString(),
                  String.valueOf(SLOTS))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      java.io.BufferedReader out =
          new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      long before = System.nanoTime();
      String line = out.readLine();
      long after = System.nanoTime();
      if (line == null) {
        process.destroy();
        throw new IllegalStateException("the feed process ended before it listened (exit " + process.waitFor() + ")");
      }
      String[] parts = line.split(" ");
      long childNanos = Long.parseLong(parts[1]);
      if (childNanos < before || childNanos > after) {
        process.destroy();
        throw new IllegalStateException(
            "System.nanoTime() of the feed process is not on this process's clock (it is on Linux); use --feed paced here");
      }
      return new ProcessMarket(process, out, times, parts[0], tape);
    }

    @Override
    public String url() {
      return url;
    }

    @Override
    public String describe() {
      return "the paced feed in its own JVM, pid " + process.pid();
    }

    @Override
    public String progress() {
      return "feed in its own process";
    }

    @Override
    public void finish() throws Exception {
      if (finished) {
        return;
      }
      finished = true;
      try {
        process.getOutputStream().write('\n');
        process.getOutputStream().close();
        String done = out.readLine();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the feed process did not stop");
        }
        if (done == null || !done.startsWith("done ")) {
          throw new IllegalStateException("the feed process ended without its figures (exit " + process.exitValue() + ")");
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(times)))) {
          int n = in.readInt();
          for (int k = 0; k < n; k++) {
            tape.record(k, in.readLong());
          }
        }
      } finally {
        process.destroy();
        Files.deleteIfExists(times);
      }
    }
  }

  /** When each trade was generated; written by the tape stage, read by the decision stage. */
  private static final class Tape {
    private final int symbols;
    private final Map<String, Integer> index;
    final AtomicLongArray generatedAt = new AtomicLongArray(SLOTS);
    final AtomicLong generated = new AtomicLong();

    Tape(int symbols, Map<String, Integer> index) {
      this.symbols = symbols;
      this.index = index;
    }

    long sequence(String symbol, String tradeId) {
      return (Long.parseLong(tradeId) - FIRST_ID) * symbols + index.get(symbol);
    }

    void onGenerated(MarketTrade trade) {
      record(sequence(trade.symbol().symbol(), trade.trade().tradeId()), System.nanoTime());
    }

    void record(long k, long nanos) {
      generatedAt.set((int) (k % SLOTS), nanos);
      generated.incrementAndGet();
    }
  }

  /** Stream events the bench needs: disconnects and malformed frames. */
  private static final class Counters {
    final AtomicLong disconnects = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();

    org.apache.pekko.actor.typed.Behavior<StreamEvent> behavior() {
      return Behaviors.receiveMessage(
          event -> {
            if (event instanceof StreamEvent.Disconnected) {
              disconnects.incrementAndGet();
            } else if (event instanceof StreamEvent.Progress p) {
              malformed.addAndGet(p.malformed());
            }
            return Behaviors.same();
          });
    }
  }

  /**
   * The decision step: one {@link TradingKernel} for every symbol ({@link KernelStage}), recording
   * when each trade's step finished. Owned by one stream stage, so the kernel is used by one thread
   * at a time, as it requires.
   *
   * <p>The feeds here stamp each trade with the wall clock as they generate it, one sender over one
   * connection, so their trades arrive in time order unless the wall clock steps back (a time
   * adjustment). A trade older than the kernel's time is then not stepped but counted ({@link
   * Result#late}), and its step still finishes here: the stream never fails for it. (The live
   * engine steps each symbol on its own, and its candle aggregator folds or counts a late trade;
   * the backtest refuses a file out of time order.)
   */
  private static final class Decisions {
    private final Config config;
    private final KernelStage kernel;
    private final Tape tape;
    private final long periodNanos;
    /** When each trade's decision step finished (0: never delivered); negative when it closed a candle. */
    private final AtomicLongArray doneAt = new AtomicLongArray(SLOTS);
    final AtomicLong deliveredAll = new AtomicLong();
    private volatile CompletionStage<Done> stopped;

    Decisions(Config config, List<String> names, Tape tape, long periodNanos) {
      this.config = config;
      this.tape = tape;
      this.periodNanos = periodNanos;
      this.kernel = new KernelStage("binance", names, config.engine());
    }

    private long windowStartK() {
      return config.warmup().toNanos() / periodNanos;
    }

    private long windowEndK() {
      return windowStartK() + config.duration().toNanos() / periodNanos;
    }

    /** The stage; materialize it once. */
    Flow<MarketTrade, Done, NotUsed> flow() {
      return Flow.<MarketTrade>create()
          .map(this::onTrade)
          .watchTermination(
              (notUsed, done) -> {
                stopped = done;
                return NotUsed.getInstance();
              });
    }

    private Done onTrade(MarketTrade trade) {
      boolean closed = kernel.onTrade(trade.symbol().symbol(), trade.trade());
      long done = System.nanoTime();
      long k = tape.sequence(trade.symbol().symbol(), trade.trade().tradeId());
      doneAt.set((int) (k % SLOTS), closed ? -done : done);
      deliveredAll.incrementAndGet();
      return Done.getInstance();
    }

    /** Completes when the stage has stopped; the kernel may be read after that. */
    CompletionStage<Done> stopped() {
      CompletionStage<Done> s = stopped;
      if (s == null) {
        throw new IllegalStateException("the decision stage was never materialized");
      }
      return s;
    }

    /**
     * The figures of the window. The schedule is the line {@code anchor + k × period} through the
     * generator's earliest point in the window (so that no trade is early by it): a trade's
     * latency from the schedule includes any time the generator or the JVM fell behind.
     */
    Result result(long disconnects, long malformed, Engine engine) {
      long from = windowStartK();
      long to = Math.min(windowEndK(), tape.generated.get());
      long anchor = Long.MAX_VALUE;
      for (long k = from; k < to; k++) {
        anchor = Math.min(anchor, tape.generatedAt.get((int) (k % SLOTS)) - k * periodNanos);
      }
      Histogram fromSchedule = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      Histogram fromGeneration = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      Histogram candleClose = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      long delivered = 0;
      for (long k = from; k < to; k++) {
        long raw = doneAt.get((int) (k % SLOTS));
        if (raw == 0) {
          continue;
        }
        long done = Math.abs(raw);
        delivered++;
        long scheduled = clamp(done - (anchor + k * periodNanos));
        fromSchedule.recordValue(scheduled);
        fromGeneration.recordValue(clamp(done - tape.generatedAt.get((int) (k % SLOTS))));
        if (raw < 0) {
          candleClose.recordValue(scheduled);
        }
      }
      double seconds = config.duration().toNanos() / 1e9;
      long generated = Math.max(0, to - from);
      return new Result(
          config,
          generated / seconds,
          delivered / seconds,
          windowEndK() - from,
          delivered,
          generated - delivered,
          disconnects,
          malformed,
          Latency.of(fromSchedule),
          Latency.of(fromGeneration),
          Latency.of(candleClose),
          engine,
          kernel.counts(),
          kernel.late());
    }

    private static long clamp(long nanos) {
      return Math.max(0, Math.min(nanos, TimeUnit.SECONDS.toNanos(60)));
    }
  }
}
