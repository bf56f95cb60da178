package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
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
 * as {@link StreamEvent.Progress}, conflated and at most a few times a second, so reporting never
 * slows the data. Each call of {@link #connect()} is one connection; {@link MarketDataPipeline}
 * calls it again on every restart.
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
  private final Materializer materializer;

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
    this.materializer = Materializer.matFromSystem(system);
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
        .mapAsync(1, this::wholeFrame)
        .idleTimeout(settings.idleTimeout())
        .statefulMapConcat(() -> new FrameDecoder()::decode)
        .alsoTo(progress())
        .mapConcat(this::trades);
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

  /** A whole inbound frame: strict text as is, streamed text concatenated, binary drained and marked. */
  private CompletionStage<Frame> wholeFrame(Message message) {
    if (!message.isText()) {
      return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(done -> Frame.BINARY);
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(new Frame(text.getStrictText(), false));
    }
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

  /** The trades of a decoded frame; the decoder has already kept only this connection's symbols. */
  private List<MarketTrade> trades(Decoded decoded) {
    if (!(decoded instanceof Decoded.Trades trades)) {
      return List.of();
    }
    List<MarketTrade> out = new ArrayList<>(trades.trades().size());
    for (Decoded.VenueTrade trade : trades.trades()) {
      out.add(new MarketTrade(symbols.get(trade.symbol()), trade.trade()));
    }
    return out;
  }

  /** Counts per kind, summed while the owner is not asking, sent a few times a second. */
  private Sink<Decoded, NotUsed> progress() {
    return Flow.<Decoded>create()
        .conflateWithSeed(this::counts, (sum, decoded) -> sum.plus(counts(decoded)))
        .throttle(PROGRESS_REPORTS_PER_SECOND, java.time.Duration.ofSeconds(1))
        .to(Sink.foreach(sum -> events.tell(sum.event())));
  }

  private Counts counts(Decoded decoded) {
    long now = clock.millis();
    if (decoded instanceof Decoded.Trades trades) {
      return new Counts(1, trades.trades().size(), 0, 0, now);
    }
    return decoded instanceof Decoded.Malformed ? new Counts(1, 0, 0, 1, now) : new Counts(1, 0, 1, 0, now);
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

  private record Counts(long messages, long trades, long ignored, long malformed, long lastAtMs) {
    Counts plus(Counts other) {
      return new Counts(
          messages + other.messages, trades + other.trades, ignored + other.ignored, malformed + other.malformed, other.lastAtMs);
    }

    StreamEvent.Progress event() {
      return new StreamEvent.Progress(messages, trades, ignored, malformed, lastAtMs);
    }
  }

  /**
   * Decodes the frames of one connection (one instance per connection, owned by its stage): never
   * throws, keeps only this connection's symbols, and logs malformed frames at a limited rate.
   */
  private final class FrameDecoder {
    private long lastLogAtMs = Long.MIN_VALUE;
    private long unlogged;

    List<Decoded> decode(Frame frame) {
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
      return List.of(decoded);
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
