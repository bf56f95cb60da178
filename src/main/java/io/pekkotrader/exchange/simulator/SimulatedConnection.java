package io.pekkotrader.exchange.simulator;

import io.pekkotrader.streams.MarketTrade;
import io.pekkotrader.streams.venue.VenueDialect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The server side of one client connection, as one linear flow: the client's frames, the trade
 * tape (or the replay file), the heartbeat and a fault clock are merged into one stage that owns
 * the connection's subscriptions and writes the dialect's frames; a second stage applies the
 * faults in force (drop, stall, garbage, truncation); a third adds latency. No state is shared
 * with other connections except the tape and the counters.
 */
final class SimulatedConnection {
  private static final int MAX_REPLAY_LINE = 1 << 20;
  private static final Duration FAULT_CLOCK = Duration.ofMillis(100);
  /** How often the clock looks whether a drop fault was set, while none is in force. */
  private static final Duration FAULT_CLOCK_IDLE = Duration.ofSeconds(1);
  private static final int LATENCY_PARALLELISM = 256;
  private static final String[] GARBAGE = {
    "\u0000\u0001garbage\u0002", "{{{{{{", "not json at all: ", "}{\"e\":", "\uFFFD\uFFFD\uFFFD trade?"
  };

  /** The faults in force and when they were applied (windows count from then). */
  record ActiveFaults(FaultSpec spec, long appliedAtMs) {}

  /** What the protocol stage reacts to. */
  private sealed interface Input {}

  private record ClientText(String text) implements Input {}

  private record TapeTrade(MarketTrade trade) implements Input {}

  private record Raw(String frame) implements Input {}

  private enum Tick implements Input {
    HEARTBEAT,
    CLOCK
  }

  /** A frame to send; {@code data} frames are subject to faults. A null frame is a clock tick for the fault stage. */
  private record Out(String frame, boolean data, boolean trade) {
    static final Out CLOCK = new Out(null, false, false);
  }

  /** The connection was dropped on purpose by the {@code drop} fault. */
  static final class Dropped extends RuntimeException {
    Dropped(Duration after) {
      super(after.isZero() ? "dropped by the simulator on request" : "dropped by the simulator's drop fault after " + after.toMillis() + " ms", null, false, false);
    }
  }

  private final SimulatorSettings settings;
  private final VenueDialect dialect;
  private final TradeTape tape;
  private final Supplier<ActiveFaults> faults;
  private final SimulatorStats stats;
  private final Clock clock;
  private final ActorSystem system;
  private final Materializer materializer;
  private final AtomicReference<SharedKillSwitch> dropSwitch = new AtomicReference<>(KillSwitches.shared("drop-1"));
  private final AtomicLong drops = new AtomicLong(1);

  SimulatedConnection(
      SimulatorSettings settings,
      VenueDialect dialect,
      TradeTape tape,
      Supplier<ActiveFaults> faults,
      SimulatorStats stats,
      Clock clock,
      ActorSystem system,
      Materializer materializer) {
    this.settings = settings;
    this.dialect = dialect;
    this.tape = tape;
    this.faults = faults;
    this.stats = stats;
    this.clock = clock;
    this.system = system;
    this.materializer = materializer;
  }

  /** The handler of one accepted connection whose request was {@code pathAndQuery}; {@code number} counts connections. */
  Flow<Message, Message, NotUsed> handler(String pathAndQuery, long number) {
    List<String> pathSymbols = dialect.symbolsInConnectPath(pathAndQuery);
    return Flow.<Message>create()
        .mapAsync(1, this::clientText)
        .<Input>map(ClientText::new)
        .merge(dataSource(), true)
        .merge(heartbeats(), true)
        .merge(Source.fromGraph(new FaultClock()), true)
        .statefulMapConcat(() -> new Protocol(pathSymbols)::on)
        .statefulMapConcat(() -> new Faults(number)::apply)
        .via(dropSwitch.get().flow())
        .mapAsync(LATENCY_PARALLELISM, this::delayed)
        .map(
            frame -> {
              stats.framesSent.incrementAndGet();
              return (Message) TextMessage.create(frame);
            })
        .watchTermination(
            (mat, done) -> {
              stats.open.incrementAndGet();
              done.whenComplete((ok, failure) -> stats.open.decrementAndGet());
              return NotUsed.getInstance();
            });
  }

  /** Closes every open connection now (each counts as dropped); later connections are not affected. */
  void dropAll() {
    SharedKillSwitch old = dropSwitch.getAndSet(KillSwitches.shared("drop-" + drops.incrementAndGet()));
    stats.dropped.addAndGet(stats.open.get());
    old.abort(new Dropped(Duration.ZERO));
  }

  private CompletionStage<String> clientText(Message message) {
    stats.clientFrames.incrementAndGet();
    if (!message.isText()) {
      return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(done -> "");
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(text.getStrictText());
    }
    return text.getStreamedText()
        .completionTimeout(Duration.ofSeconds(5))
        .runFold(new StringBuilder(), StringBuilder::append, materializer)
        .thenApply(StringBuilder::toString);
  }

  /** Generated trades from the tape, or the replay file (then silence, the connection stays open). */
  private Source<Input, NotUsed> dataSource() {
    if (settings.replay() == null) {
      return tape.live().map(TapeTrade::new);
    }
    Source<Input, NotUsed> lines = replay(settings.replay());
    if (settings.pace() > 0) {
      lines = lines.throttle(settings.pace(), Duration.ofSeconds(1), Math.max(1, settings.pace() / 10), ThrottleMode.shaping());
    }
    return lines.concat(Source.<Input>never());
  }

  private static Source<Input, NotUsed> replay(Path file) {
    return FileIO.fromPath(file)
        .via(Framing.delimiter(ByteString.fromString("\n"), MAX_REPLAY_LINE, FramingTruncation.ALLOW))
        .map(bytes -> bytes.decodeString(StandardCharsets.UTF_8).strip())
        .filter(line -> !line.isEmpty())
        .<Input>map(Raw::new)
        .mapMaterializedValue(io -> NotUsed.getInstance());
  }

  private Source<Input, NotUsed> heartbeats() {
    if (dialect.serverHeartbeat().isEmpty() || settings.heartbeatInterval().isZero()) {
      return Source.<Input>never();
    }
    return Source.<Input>tick(settings.heartbeatInterval(), settings.heartbeatInterval(), Tick.HEARTBEAT)
        .mapMaterializedValue(c -> NotUsed.getInstance());
  }

  /**
   * Ticks every 100 ms while a drop fault is in force, so that a connection
   * with nothing to send is still dropped on time; without one it only looks once a second
   * whether one was set, and ticks nothing (the tick of an idle clock changed nothing, and woke
   * the connection ten times a second). A drop fault set at run time reaches a silent connection
   * within a second; one that sends frames meets it at its next frame, as before.
   */
  private final class FaultClock extends GraphStage<SourceShape<Input>> {
    private final Outlet<Input> out = Outlet.create("SimulatedConnection.faultClock");
    private final SourceShape<Input> shape = SourceShape.of(out);

    @Override
    public SourceShape<Input> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new TimerGraphStageLogic(shape) {
        {
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {}
          });
        }

        @Override
        public void preStart() {
          scheduleOnce(Tick.CLOCK, next());
        }

        @Override
        public void onTimer(Object key) {
          if (dropArmed() && isAvailable(out)) {
            push(out, Tick.CLOCK);
          }
          scheduleOnce(Tick.CLOCK, next());
        }

        private Duration next() {
          return dropArmed() ? FAULT_CLOCK : FAULT_CLOCK_IDLE;
        }
      };
    }

    private boolean dropArmed() {
      return !faults.get().spec().dropAfter().isZero();
    }
  }

  private CompletionStage<String> delayed(String frame) {
    Duration latency = faults.get().spec().latency();
    if (latency.isZero()) {
      return CompletableFuture.completedFuture(frame);
    }
    return Patterns.after(latency, system.scheduler(), system.dispatcher(), () -> CompletableFuture.completedFuture(frame));
  }

  /** The connection's protocol: subscriptions, replies, trade frames. One instance per connection. */
  private final class Protocol {
    private final Set<String> subscribed = new LinkedHashSet<>();
    private final List<String> pathSymbols;
    private boolean started;

    Protocol(List<String> pathSymbols) {
      this.pathSymbols = pathSymbols;
    }

    List<Out> on(Input input) {
      List<Out> out = new ArrayList<>(2);
      if (!started) {
        started = true;
        subscribe(pathSymbols, out);
      }
      if (input instanceof TapeTrade tapeTrade) {
        MarketTrade trade = tapeTrade.trade();
        if (subscribed.contains(trade.symbol().symbol())) {
          out.add(new Out(dialect.encodeTrade(trade.symbol().symbol(), trade.trade()), true, true));
        }
      } else if (input instanceof Raw raw) {
        out.add(new Out(raw.frame(), true, true));
      } else if (input instanceof ClientText client) {
        if (!client.text().isEmpty()) {
          onClientFrame(client.text(), out);
        }
      } else if (input == Tick.HEARTBEAT) {
        out.add(new Out(dialect.serverHeartbeat().orElseThrow(), true, false));
      } else {
        out.add(Out.CLOCK);
      }
      return out;
    }

    private void onClientFrame(String text, List<Out> out) {
      VenueDialect.ClientFrame frame = dialect.readClientFrame(text);
      for (String reply : dialect.replyTo(frame)) {
        out.add(new Out(reply, false, false));
      }
      if (frame instanceof VenueDialect.ClientFrame.Subscribe subscribe) {
        subscribe(subscribe.symbols(), out);
      }
    }

    private void subscribe(List<String> symbols, List<Out> out) {
      int overlap = faults.get().spec().overlap();
      for (String symbol : symbols) {
        if (tape != null) {
          tape.list(symbol);
        }
        if (subscribed.add(symbol) && overlap > 0 && tape != null) {
          for (MarketTrade trade : tape.latest(symbol, overlap)) {
            out.add(new Out(dialect.encodeTrade(symbol, trade.trade()), true, true));
          }
        }
      }
    }
  }

  /** The faults in force, applied to one connection's frames. One instance per connection. */
  private final class Faults {
    private final long openedAtMs = clock.millis();
    private final SplittableRandom random;

    Faults(long number) {
      this.random = new SplittableRandom(settings.seed() * 1_000_003L + number);
    }

    List<String> apply(Out out) {
      ActiveFaults active = faults.get();
      FaultSpec spec = active.spec();
      long now = clock.millis();
      if (!spec.dropAfter().isZero() && now - openedAtMs >= spec.dropAfter().toMillis()) {
        stats.dropped.incrementAndGet();
        throw new Dropped(Duration.ofMillis(now - openedAtMs));
      }
      if (out.frame() == null) {
        return List.of();
      }
      if (!out.data()) {
        return List.of(out.frame());
      }
      if (spec.stalledAt(active.appliedAtMs(), now)) {
        stats.withheld.incrementAndGet();
        return List.of();
      }
      if (out.trade()) {
        stats.tradesSent.incrementAndGet();
      }
      String garbage = null;
      if (spec.garbage() > 0 && random.nextDouble() < spec.garbage()) {
        garbage = GARBAGE[random.nextInt(GARBAGE.length)] + Long.toHexString(random.nextLong());
        stats.garbageSent.incrementAndGet();
      }
      String frame = out.frame();
      if (spec.truncate() > 0 && random.nextDouble() < spec.truncate() && frame.length() > 1) {
        frame = frame.substring(0, 1 + random.nextInt(frame.length() - 1));
        stats.truncatedSent.incrementAndGet();
      }
      return garbage == null ? List.of(frame) : List.of(garbage, frame);
    }
  }
}
