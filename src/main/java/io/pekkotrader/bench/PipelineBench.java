package io.pekkotrader.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.streams.venue.BinanceDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code bench pipeline}: how fast recorded-shape Binance trade frames go from text to a trading
 * decision, against how fast Jackson merely tokenizes the same text.
 *
 * <p>In one process and one thread: the frames are generated up front ({@link RecordedShapeFrames});
 * then, after warm-up rounds, each measured round times (a) a raw pass that creates a streaming
 * parser per frame and reads every token, and (b) an end-to-end pass through a fresh
 * {@link DecisionPipeline} (decode, route by symbol, then the {@link TradingKernel}: candles, decision, risk,
 * paper fill and ledger on every entry and exit signal). Throughput is the median
 * over the rounds; the ratio is end-to-end over raw. A last pass times every frame with
 * {@link System#nanoTime()} into HdrHistograms: tick-to-decision latency for every frame, and for
 * the frames that closed a candle and so ran the strategy.
 */
public final class PipelineBench {
  /** The throughput the pipeline must reach. */
  public static final long TARGET_FRAMES_PER_SECOND = 1_000_000;
  /** The end-to-end to raw-parse ratio it must reach. */
  public static final double TARGET_RATIO = 0.5;

  /**
   * @param symbols how many symbols the frames are spread over
   * @param frames frames per pass
   * @param warmupRounds unmeasured rounds first
   * @param rounds measured rounds
   * @param seed seed of the generated market
   * @param engine the candle interval and history, strategy and sizing, from the engine's configuration
   */
  public record Config(int symbols, int frames, int warmupRounds, int rounds, long seed, EngineDecisionSettings engine) {
    public Config {
      if (symbols < 1 || frames < 1 || warmupRounds < 0 || rounds < 1) {
        throw new IllegalArgumentException("need symbols >= 1, frames >= 1, warm-up rounds >= 0, rounds >= 1; got " + this);
      }
    }

    /** The candle interval. */
    public long intervalMs() {
      return engine.intervalMs();
    }

    /** Closed candles kept per symbol. */
    public int history() {
      return engine.history();
    }
  }

  /**
   * Frames per second: the median over the measured rounds and every round, by the wall clock
   * and by the CPU time of the measuring thread (which leaves out the time the thread waited
   * for a core, so it is the steadier figure on a shared machine).
   */
  public record Rate(double framesPerSecond, List<Double> rounds, double framesPerCpuSecond, List<Double> cpuRounds) {
    static Rate of(List<Double> wall, List<Double> cpu) {
      return new Rate(median(wall), List.copyOf(wall), median(cpu), List.copyOf(cpu));
    }
  }

  /** Latency percentiles in nanoseconds over {@code count} samples. */
  public record Latency(long count, long p50, long p90, long p99, long p999, long p9999, long max) {
    static Latency of(Histogram histogram) {
      return new Latency(
          histogram.getTotalCount(),
          histogram.getValueAtPercentile(50),
          histogram.getValueAtPercentile(90),
          histogram.getValueAtPercentile(99),
          histogram.getValueAtPercentile(99.9),
          histogram.getValueAtPercentile(99.99),
          histogram.getMaxValue());
    }
  }

  /** What one end-to-end pass did (the same in every pass: the input is the same). */
  public record Counts(
      long frames, long trades, long decisions, long entries, long exits, long approved, long rejected, long fills,
      long readySymbols, long ignored, long malformed, long unrouted, long rawTokens) {}

  /** The figures of one run. */
  public record Result(
      Config config, double averageFrameBytes, Rate rawParse, Rate endToEnd, Latency everyFrame, Latency candleClose,
      Counts counts) {
    /** End-to-end over raw parse, by the wall clock. */
    public double ratio() {
      return endToEnd.framesPerSecond() / rawParse.framesPerSecond();
    }

    /** End-to-end over raw parse, by thread CPU time. */
    public double cpuRatio() {
      return endToEnd.framesPerCpuSecond() / rawParse.framesPerCpuSecond();
    }

    /** Whether the wall-clock end-to-end rate reaches {@link #TARGET_FRAMES_PER_SECOND}. */
    public boolean meetsThroughputTarget() {
      return endToEnd.framesPerSecond() >= TARGET_FRAMES_PER_SECOND;
    }

    /** Whether the wall-clock ratio reaches {@link #TARGET_RATIO}. */
    public boolean meetsRatioTarget() {
      return ratio() >= TARGET_RATIO;
    }
  }

  private PipelineBench() {}

  /** Runs the bench; {@code progress} hears one line per phase. */
  public static Result run(Config config, Consumer<String> progress) {
    progress.accept("generating " + config.frames() + " frames over " + config.symbols() + " symbols");
    List<String> symbols = RecordedShapeFrames.symbols(config.symbols());
    String[] text = RecordedShapeFrames.generate(symbols, config.frames(), config.intervalMs(), config.seed());
    // UTF-8 bytes, as frames come off the WebSocket transport and as the live stream decodes them
    byte[][] frames = new byte[text.length][];
    long chars = 0;
    for (int i = 0; i < text.length; i++) {
      frames[i] = text[i].getBytes(StandardCharsets.UTF_8);
      chars += frames[i].length;
    }
    text = null;
    JsonFactory rawFactory = new JsonFactory();
    BinanceDialect binance = new BinanceDialect();

    for (int round = 1; round <= config.warmupRounds(); round++) {
      progress.accept("warm-up round " + round + " of " + config.warmupRounds());
      rawPass(rawFactory, frames);
      endToEndPass(binance, symbols, frames, config);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> rawWall = new ArrayList<>();
    List<Double> rawCpu = new ArrayList<>();
    List<Double> endToEndWall = new ArrayList<>();
    List<Double> endToEndCpu = new ArrayList<>();
    long tokens = 0;
    DecisionPipeline last = null;
    for (int round = 1; round <= config.rounds(); round++) {
      progress.accept("measured round " + round + " of " + config.rounds());
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      tokens = rawPass(rawFactory, frames);
      rawWall.add(rate(frames.length, System.nanoTime() - start));
      rawCpu.add(rate(frames.length, threads.getCurrentThreadCpuTime() - cpu));
      cpu = threads.getCurrentThreadCpuTime();
      start = System.nanoTime();
      last = endToEndPass(binance, symbols, frames, config);
      endToEndWall.add(rate(frames.length, System.nanoTime() - start));
      endToEndCpu.add(rate(frames.length, threads.getCurrentThreadCpuTime() - cpu));
    }
    progress.accept("latency pass");
    Histogram everyFrame = new Histogram(60_000_000_000L, 3);
    Histogram candleClose = new Histogram(60_000_000_000L, 3);
    latencyPass(binance, symbols, frames, config, everyFrame, candleClose);

    Rate raw = Rate.of(rawWall, rawCpu);
    Rate endToEnd = Rate.of(endToEndWall, endToEndCpu);
    TradingKernel.Counts kernel = last.counts();
    Counts counts =
        new Counts(
            frames.length, last.trades, kernel.decisions(), kernel.entries(), kernel.exits(), kernel.approved(), kernel.rejected(),
            kernel.fills(), last.readySymbols(), last.ignored, last.malformed, last.unrouted, tokens);
    return new Result(
        config, (double) chars / frames.length, raw, endToEnd, Latency.of(everyFrame), Latency.of(candleClose), counts);
  }

  /** Tokenizes every frame; returns the token count (so the work cannot be optimised away). */
  static long rawPass(JsonFactory factory, byte[][] frames) {
    long tokens = 0;
    try {
      for (byte[] frame : frames) {
        try (JsonParser parser = factory.createParser(frame)) {
          while (parser.nextToken() != null) {
            tokens++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a generated frame is not JSON", e);
    }
    return tokens;
  }

  private static DecisionPipeline endToEndPass(BinanceDialect binance, List<String> symbols, byte[][] frames, Config config) {
    DecisionPipeline pipeline = new DecisionPipeline(binance, symbols, config.engine());
    for (byte[] frame : frames) {
      pipeline.onFrame(frame);
    }
    return pipeline;
  }

  private static void latencyPass(
      BinanceDialect binance, List<String> symbols, byte[][] frames, Config config, Histogram everyFrame, Histogram candleClose) {
    DecisionPipeline pipeline = new DecisionPipeline(binance, symbols, config.engine());
    for (byte[] frame : frames) {
      long start = System.nanoTime();
      boolean decided = pipeline.onFrame(frame);
      long nanos = System.nanoTime() - start;
      everyFrame.recordValue(nanos);
      if (decided) {
        candleClose.recordValue(nanos);
      }
    }
  }

  private static double rate(int frames, long nanos) {
    return frames * 1e9 / Math.max(1, nanos);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
