package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a venue's public market data, as a source of trades: opens
 * {@code baseUrl + dialect.connectPath(symbols)} through a {@link WebSocketTransport} (the
 * client: Netty's), which sends the dialect's subscribe frames first and
 * its keep-alive ping periodically; fails when no frame arrives for {@code idleTimeout} (the
 * watchdog), decodes every frame with the dialect (from its UTF-8 bytes where the client hands
 * them over) and emits the trades of the configured symbols.
 *
 * <p>Bad input never fails the stream: a frame that does not decode is counted as malformed and
 * logged at most once per {@value #MALFORMED_LOG_INTERVAL_MS} ms per connection (with the count
 * since the last line); a well-formed non-trade message, a trade of a symbol this connection does
 * not trade, and a binary frame are counted as ignored. Frames that arrive in pieces are joined by
 * the transport (up to {@code maxFrameChars}). Counts go to the owner as {@link
 * StreamEvent.Progress}, summed in the decoding stage and sent at most a few times a second, so
 * reporting never slows the data. Each call of {@link #connect()} is one connection; {@link
 * MarketDataPipeline} calls it again on every restart.
 */
public final class WebSocketMarketSource {
  private static final Logger log = LoggerFactory.getLogger(WebSocketMarketSource.class);
  static final long MALFORMED_LOG_INTERVAL_MS = 10_000;
  private static final int PROGRESS_REPORTS_PER_SECOND = 5;

  private final WebSocketTransport transport;
  private final String url;
  private final VenueDialect dialect;
  private final Map<String, SymbolId> symbols;
  private final StreamSettings settings;
  private final ActorRef<StreamEvent> events;
  private final Clock clock;
  private final WebSocketTransport.Request request;

  /** Through the system's transport of the default kind ({@link WebSocketTransport.Kind#DEFAULT}). */
  public WebSocketMarketSource(
      ActorSystem<?> system,
      String baseUrl,
      VenueDialect dialect,
      List<SymbolId> symbols,
      StreamSettings settings,
      ActorRef<StreamEvent> events,
      Clock clock) {
    this(WebSocketTransports.get(system, WebSocketTransport.Kind.DEFAULT), baseUrl, dialect, symbols, settings, events, clock);
  }

  /**
   * @param transport the WebSocket client
   * @param baseUrl the venue's base URL ({@code wss://stream.binance.com:9443}); the dialect's connect path is appended
   * @param symbols the symbols of this connection, all of the dialect's venue
   */
  public WebSocketMarketSource(
      WebSocketTransport transport,
      String baseUrl,
      VenueDialect dialect,
      List<SymbolId> symbols,
      StreamSettings settings,
      ActorRef<StreamEvent> events,
      Clock clock) {
    this.transport = transport;
    this.dialect = dialect;
    this.symbols = new LinkedHashMap<>();
    for (SymbolId symbol : symbols) {
      if (!symbol.venue().equals(dialect.venue())) {
        throw new IllegalArgumentException(symbol + " is not a " + dialect.venue() + " symbol");
      }
      this.symbols.put(symbol.symbol(), symbol);
    }
    List<String> venueSymbols = List.copyOf(this.symbols.keySet());
    this.url = compose(baseUrl, dialect.connectPath(venueSymbols));
    this.settings = settings;
    this.events = events;
    this.clock = clock;
    this.request =
        new WebSocketTransport.Request(
            url,
            Map.of(),
            dialect.subscribeFrames(venueSymbols),
            dialect.clientPing(),
            dialect.clientPing().isPresent() ? dialect.clientPingInterval() : Duration.ZERO,
            settings.maxFrameChars(),
            settings.frameTimeout());
  }

  /** The URL this source connects to. */
  public String url() {
    return url;
  }

  /** One connection's trades; ends when the connection ends (failure, close or idle timeout). */
  public Source<MarketTrade, NotUsed> connect() {
    return transport
        .connect(request)
        .mapMaterializedValue(
            upgraded -> {
              upgraded.thenRun(() -> events.tell(new StreamEvent.Connected(clock.millis())));
              return NotUsed.getInstance();
            })
        .idleTimeout(settings.idleTimeout())
        .via(new Decoding());
  }

  /**
   * Decodes each frame, emits its trades and counts what it was, in one stage per connection. The
   * counts are fields of the stage, sent to the owner as {@link StreamEvent.Progress} at most
   * {@value #PROGRESS_REPORTS_PER_SECOND} times a second (and once more when the connection ends),
   * so reporting allocates nothing per frame and never slows the data.
   */
  private final class Decoding extends GraphStage<FlowShape<InboundFrame, MarketTrade>> {
    private final Inlet<InboundFrame> in = Inlet.create("WebSocketMarketSource.frames");
    private final Outlet<MarketTrade> out = Outlet.create("WebSocketMarketSource.trades");
    private final FlowShape<InboundFrame, MarketTrade> shape = FlowShape.of(in, out);

    @Override
    public FlowShape<InboundFrame, MarketTrade> shape() {
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

        {
          setHandler(
              in,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  onFrame(grab(in));
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

        private void onFrame(InboundFrame frame) {
          Decoded decoded = decoder.decode(frame);
          messages++;
          lastAtMs = clock.millis();
          if (!(decoded instanceof Decoded.Trades batch) || batch.trades().isEmpty()) {
            if (decoded instanceof Decoded.Malformed) {
              malformed++;
            } else {
              ignored++;
            }
            pull(in);
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

  /**
   * Decodes the frames of one connection (one instance per connection, owned by its stage): never
   * throws, keeps only this connection's symbols, and logs malformed frames at a limited rate.
   */
  private final class FrameDecoder {
    private long lastLogAtMs = Long.MIN_VALUE;
    private long unlogged;

    Decoded decode(InboundFrame frame) {
      Decoded decoded;
      try {
        if (frame instanceof InboundFrame.Utf8 utf8) {
          decoded = dialect.decode(utf8.bytes(), utf8.offset(), utf8.length());
        } else if (frame instanceof InboundFrame.Text text) {
          decoded = dialect.decode(text.text());
        } else if (frame == InboundFrame.Binary.INSTANCE) {
          decoded = new Decoded.Ignored("binary");
        } else {
          decoded = new Decoded.Malformed("frame longer than " + settings.maxFrameChars() + " characters");
        }
      } catch (RuntimeException e) {
        decoded = new Decoded.Malformed("decoder error: " + e);
      }
      if (decoded instanceof Decoded.Trades trades) {
        decoded = ours(trades);
      } else if (decoded instanceof Decoded.Malformed malformed) {
        logMalformed(malformed, frame);
      }
      return decoded;
    }

    /** The trades of this connection's symbols: the frame's own list when it has no other (no copy per frame). */
    private Decoded ours(Decoded.Trades trades) {
      List<Decoded.VenueTrade> all = trades.trades();
      int n = all.size();
      int first = 0;
      while (first < n && symbols.containsKey(all.get(first).symbol())) {
        first++;
      }
      if (first == n) {
        return trades;
      }
      List<Decoded.VenueTrade> kept = new ArrayList<>(all.subList(0, first));
      for (int i = first + 1; i < n; i++) {
        if (symbols.containsKey(all.get(i).symbol())) {
          kept.add(all.get(i));
        }
      }
      return kept.isEmpty() ? new Decoded.Ignored("other symbol") : new Decoded.Trades(kept);
    }

    private void logMalformed(Decoded.Malformed malformed, InboundFrame frame) {
      unlogged++;
      long now = clock.millis();
      if (lastLogAtMs != Long.MIN_VALUE && now - lastLogAtMs < MALFORMED_LOG_INTERVAL_MS) {
        return;
      }
      String text =
          frame instanceof InboundFrame.Text t ? t.text()
              : frame instanceof InboundFrame.Utf8 u ? new String(u.bytes(), u.offset(), Math.min(u.length(), 160), StandardCharsets.UTF_8)
              : "";
      String sample = text.length() > 120 ? text.substring(0, 120) + "..." : text;
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
