package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a venue's public market data, as a source of trades: opens
 * {@code baseUrl + dialect.connectPath(symbols)} with Pekko HTTP's client, sends the dialect's
 * subscribe frames first and its keep-alive ping periodically (the outgoing side stays open for
 * the connection's life), fails when no frame arrives for {@code idleTimeout} (the watchdog),
 * decodes every frame with the dialect and emits the trades of the configured symbols.
 *
 * <p>Bad input never fails the stream: a frame that does not decode is counted as malformed and
 * logged at most once per {@value #MALFORMED_LOG_INTERVAL_MS} ms per connection (with the count
 * since the last line); a well-formed non-trade message, a trade of a symbol this connection does
 * not trade, and a binary frame are counted as ignored. Frames that arrive in pieces are
 * concatenated (up to {@code maxFrameChars}, within {@code frameTimeout}). Counts go to the owner
 * as {@link StreamEvent.Progress}, summed in the decoding stage and sent at most a few times a
 * second, so reporting never slows the data. Each call of {@link #connect()} is one connection;
 * {@link MarketDataPipeline} calls it again on every restart.
 */
public final class WebSocketMarketSource {
  private static final Logger log = LoggerFactory.getLogger(WebSocketMarketSource.class);
  static final long MALFORMED_LOG_INTERVAL_MS = 10_000;
  private static final int PROGRESS_REPORTS_PER_SECOND = 5;

  private final ActorSystem<?> system;
  private final String url;
  private final VenueDialect dialect;
  private final List<String> venueSymbols;
  private final Map<String, SymbolId> symbols;
  private final StreamSettings settings;
  private final ActorRef<StreamEvent> events;
  private final Clock clock;

  /**
   * @param baseUrl the venue's base URL ({@code wss://stream.binance.com:9443}); the dialect's connect path is appended
   * @param symbols the symbols of this connection, all of the dialect's venue
   */
  public WebSocketMarketSource(
      ActorSystem<?> system,
      String baseUrl,
      VenueDialect dialect,
      List<SymbolId> symbols,
      StreamSettings settings,
      ActorRef<StreamEvent> events,
      Clock clock) {
    this.system = system;
    this.dialect = dialect;
    this.symbols = new LinkedHashMap<>();
    for (SymbolId symbol : symbols) {
      if (!symbol.venue().equals(dialect.venue())) {
        throw new IllegalArgumentException(symbol + " is not a " + dialect.venue() + " symbol");
      }
      this.symbols.put(symbol.symbol(), symbol);
    }
    this.venueSymbols = List.copyOf(this.symbols.keySet());
    this.url = compose(baseUrl, dialect.connectPath(venueSymbols));
    this.settings = settings;
    this.events = events;
    this.clock = clock;
  }

  /** The URL this source connects to. */
  public String url() {
    return url;
  }

  /** One connection's trades; ends when the connection ends (failure, close or idle timeout). */
  public Source<MarketTrade, NotUsed> connect() {
    return outgoing()
        .viaMat(Http.get(system).webSocketClientFlow(WebSocketRequest.create(url)), Keep.right())
        .mapMaterializedValue(
            upgrade -> {
              upgrade.whenComplete(
                  (response, failure) -> {
                    if (failure == null && response.isValid()) {
                      events.tell(new StreamEvent.Connected(clock.millis()));
                    }
                  });
              return NotUsed.getInstance();
            })
        .idleTimeout(settings.idleTimeout())
        .via(new Decoding());
  }

  /** Subscribe frames, then the keep-alive ping forever (or nothing, forever): the outgoing side never completes. */
  private Source<Message, NotUsed> outgoing() {
    Source<Message, NotUsed> subscribe = Source.from(dialect.subscribeFrames(venueSymbols)).map(TextMessage::create);
    Optional<String> ping = dialect.clientPing();
    Source<Message, NotUsed> keepAlive =
        ping.isPresent() && !dialect.clientPingInterval().isZero()
            ? Source.<Message>tick(dialect.clientPingInterval(), dialect.clientPingInterval(), TextMessage.create(ping.get()))
                .mapMaterializedValue(cancellable -> NotUsed.getInstance())
            : Source.<Message>maybe().mapMaterializedValue(promise -> NotUsed.getInstance());
    return subscribe.concat(keepAlive);
  }

  /**
   * A frame that did not arrive whole, collected: streamed text concatenated, binary drained and
   * marked. Runs on {@code materializer}, the decoding stage's own (sub-fused), so the message's
   * parts are read at once by the stage that asked for them.
   */
  private CompletionStage<Frame> collect(Message message, Materializer materializer) {
    if (!message.isText()) {
      return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(done -> Frame.BINARY);
    }
    TextMessage text = message.asTextMessage();
    int limit = settings.maxFrameChars();
    return text.getStreamedText()
        .completionTimeout(settings.frameTimeout())
        .runFold(
            new StringBuilder(),
            (builder, piece) -> {
              if (builder.length() <= limit) {
                builder.append(piece, 0, Math.min(piece.length(), limit + 1 - builder.length()));
              }
              return builder;
            },
            materializer)
        .thenApply(builder -> builder.length() > limit ? Frame.TOO_LONG : new Frame(builder.toString(), false));
  }

  /**
   * Decodes each frame, emits its trades and counts what it was, in one stage per connection. A
   * strict text frame (the usual case: the whole frame came in one read) is decoded at once; any
   * other is first collected ({@link #collect}) while the stage asks for nothing more, and decoded
   * when whole. The counts are fields of the stage, sent to the owner as {@link
   * StreamEvent.Progress} at most {@value #PROGRESS_REPORTS_PER_SECOND} times a second (and once
   * more when the connection ends), so reporting allocates nothing per frame and never slows the
   * data.
   */
  private final class Decoding extends GraphStage<FlowShape<Message, MarketTrade>> {
    private final Inlet<Message> in = Inlet.create("WebSocketMarketSource.frames");
    private final Outlet<MarketTrade> out = Outlet.create("WebSocketMarketSource.trades");
    private final FlowShape<Message, MarketTrade> shape = FlowShape.of(in, out);

    @Override
    public FlowShape<Message, MarketTrade> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new TimerGraphStageLogic(shape) {
        private final FrameDecoder decoder = new FrameDecoder();
        private long messages;
        private long trades;
        private long ignored;
        private long malformed;
        private long lastAtMs;
        private boolean collecting;
        private final AsyncCallback<Frame> collected = createAsyncCallback(this::onCollected);
        private final AsyncCallback<Throwable> broken = createAsyncCallback(this::failStage);

        {
          setHandler(
              in,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  onMessage(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                  if (!collecting) {
                    complete(out);
                  }
                }
              });
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  pull(in);
                }
              });
        }

        @Override
        public void preStart() {
          Duration every = Duration.ofMillis(1000 / PROGRESS_REPORTS_PER_SECOND);
          scheduleWithFixedDelay("progress", every, every);
        }

        @Override
        public void onTimer(Object key) {
          report();
        }

        @Override
        public void postStop() {
          report();
        }

        private void onMessage(Message message) {
          if (message.isText() && message.asTextMessage().isStrict()) {
            onFrame(new Frame(message.asTextMessage().getStrictText(), false));
            return;
          }
          collecting = true;
          collect(message, subFusingMaterializer()).whenComplete(this::handBack);
        }

        /** Back into the stage, whichever thread completed the collection. */
        private void handBack(Frame frame, Throwable failure) {
          if (failure == null) {
            collected.invoke(frame);
          } else {
            broken.invoke(failure);
          }
        }

        private void onCollected(Frame frame) {
          collecting = false;
          onFrame(frame);
          if (isClosed(in)) {
            complete(out);
          }
        }

        private void onFrame(Frame frame) {
          Decoded decoded = decoder.decode(frame);
          messages++;
          lastAtMs = clock.millis();
          if (!(decoded instanceof Decoded.Trades batch) || batch.trades().isEmpty()) {
            if (decoded instanceof Decoded.Malformed) {
              malformed++;
            } else {
              ignored++;
            }
            if (!isClosed(in)) {
              pull(in);
            }
            return;
          }
          List<Decoded.VenueTrade> venueTrades = batch.trades();
          trades += venueTrades.size();
          if (venueTrades.size() == 1) {
            push(out, trade(venueTrades.get(0)));
            return;
          }
          List<MarketTrade> several = new ArrayList<>(venueTrades.size());
          for (Decoded.VenueTrade trade : venueTrades) {
            several.add(trade(trade));
          }
          emitMultiple(out, several.iterator());
        }

        private MarketTrade trade(Decoded.VenueTrade trade) {
          return new MarketTrade(symbols.get(trade.symbol()), trade.trade());
        }

        private void report() {
          if (messages > 0) {
            events.tell(new StreamEvent.Progress(messages, trades, ignored, malformed, lastAtMs));
            messages = 0;
            trades = 0;
            ignored = 0;
            malformed = 0;
          }
        }
      };
    }
  }

  /**
   * {@code base + connectPath}, where {@code base} may be the venue's host alone
   * ({@code wss://stream.bybit.com}) or already end with the path the dialect connects to
   * ({@code wss://stream.bybit.com/v5/public/spot}, as the venues document it): that path is then
   * not repeated, only the query is appended.
   */
  public static String compose(String base, String connectPath) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    int query = connectPath.indexOf('?');
    String path = query < 0 ? connectPath : connectPath.substring(0, query);
    if (!path.isEmpty() && !path.equals("/") && trimmed.endsWith(path)) {
      return trimmed + (query < 0 ? "" : connectPath.substring(query));
    }
    return trimmed + connectPath;
  }

  /** One inbound frame's text, or a marker for a binary or oversized frame. */
  private record Frame(String text, boolean binary) {
    static final Frame BINARY = new Frame(null, true);
    static final Frame TOO_LONG = new Frame(null, false);
  }

  /**
   * Decodes the frames of one connection (one instance per connection, owned by its stage): never
   * throws, keeps only this connection's symbols, and logs malformed frames at a limited rate.
   */
  private final class FrameDecoder {
    private long lastLogAtMs = Long.MIN_VALUE;
    private long unlogged;

    Decoded decode(Frame frame) {
      Decoded decoded;
      if (frame.text() == null) {
        decoded = frame.binary() ? new Decoded.Ignored("binary") : new Decoded.Malformed("frame longer than " + settings.maxFrameChars() + " characters");
      } else {
        try {
          decoded = dialect.decode(frame.text());
        } catch (RuntimeException e) {
          decoded = new Decoded.Malformed("decoder error: " + e);
        }
      }
      if (decoded instanceof Decoded.Trades trades) {
        decoded = ours(trades);
      } else if (decoded instanceof Decoded.Malformed malformed) {
        logMalformed(malformed, frame.text());
      }
      return decoded;
    }

    private Decoded ours(Decoded.Trades trades) {
      List<Decoded.VenueTrade> kept = new ArrayList<>(trades.trades().size());
      for (Decoded.VenueTrade trade : trades.trades()) {
        if (symbols.containsKey(trade.symbol())) {
          kept.add(trade);
        }
      }
      if (kept.size() == trades.trades().size()) {
        return trades;
      }
      return kept.isEmpty() ? new Decoded.Ignored("other symbol") : new Decoded.Trades(kept);
    }

    private void logMalformed(Decoded.Malformed malformed, String text) {
      unlogged++;
      long now = clock.millis();
      if (lastLogAtMs != Long.MIN_VALUE && now - lastLogAtMs < MALFORMED_LOG_INTERVAL_MS) {
        return;
      }
      String sample = text == null ? "" : text.length() > 120 ? text.substring(0, 120) + "..." : text;
      log.warn(
          "{}: {} malformed frame(s) dropped{}; latest: {} [{}]",
          dialect.venue(),
          unlogged,
          lastLogAtMs == Long.MIN_VALUE ? "" : " in the last " + (now - lastLogAtMs) / 1000 + " s",
          malformed.reason(),
          sample);
      lastLogAtMs = now;
      unlogged = 0;
    }
  }
}
