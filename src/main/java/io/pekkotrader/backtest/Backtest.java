package io.pekkotrader.backtest;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.RoundTrips;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolEvent;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingKernel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays recorded trades through the engine's own {@link TradingKernel}: the live path of
 * candles, strategy, risk checks in their order, portfolio reservations, and paper fills with
 * fees, slippage and partial fills, with the time taken from the data. Several files (of one or
 * more symbols) are merged in time order into the one kernel, so they share one portfolio and one
 * risk manager; equal times keep the order the files were given in.
 *
 * <p><b>No look-ahead.</b> The kernel sees each trade once, in time order, and decides on a trade
 * from that trade and the ones before it. An order reaches the paper venue {@link Setup#latencyMs}
 * after the decision ({@link TradingKernel.Config#fillDelayMs}) and fills only against trades from
 * that moment on ({@link TradingKernel.Config#priceAtArrival}): its first fill is priced by the
 * symbol's {@code PaperFillModel} from the first trade at or after decision + latency (slippage
 * and fees on top) and stamped with that trade's time; each further partial fill is one latency
 * later, at the first trade from then. So nothing after a decision's time can change that
 * decision or anything before it. An order still waiting at the end of the data is not filled.
 *
 * <p>As it goes, it writes into a directory: {@code candles.csv} (every symbol's candles, see
 * {@link CandleWriter}), {@code fills.csv} (each fill with its order's kind and reason) and {@code
 * equity.csv} (the equity at each interval's end, in the account asset at its precision, with the
 * drawdown from the peak). Memory stays bounded by the symbols, the orders and the intervals, not
 * by the trades.
 */
public final class Backtest {
  /** Candle file name. */
  public static final String CANDLES = "candles.csv";
  /** Fill file name. */
  public static final String FILLS = "fills.csv";
  /** Equity file name. */
  public static final String EQUITY = "equity.csv";

  static final String FILLS_HEADER = "time_ms,symbol,side,quantity,price,fee,kind,client_order_id,trade_id,reason";
  static final String EQUITY_HEADER = "time_ms,equity,drawdown,drawdown_pct";

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /**
   * What to run.
   *
   * @param kernel the engine's settings, its {@code fillDelayMs} being the latency
   * @param listings every symbol traded, with its strategy, sizing, fill model and filters
   */
  public record Setup(TradingKernel.Config kernel, List<TradingKernel.Listing> listings) {
    public Setup {
      Objects.requireNonNull(kernel, "kernel");
      listings = List.copyOf(listings);
      if (listings.isEmpty()) {
        throw new IllegalArgumentException("no symbol to trade");
      }
    }

    /** Time from a decision to its order's arrival at the venue (and between partial fills). */
    public long latencyMs() {
      return kernel.fillDelayMs();
    }

    public long intervalMs() {
      return kernel.candleIntervalMs();
    }
  }

  /** One file of recorded trades of {@code symbol}. */
  public record Feed(SymbolId symbol, Path file) {}

  /** Told how far the run is, about every {@value #PROGRESS_EVERY} trades and at the end. */
  public interface Progress {
    void update(long trades, long bytesRead, long bytesTotal);
  }

  static final int PROGRESS_EVERY = 1 << 16;

  /**
   * A decision that became an order (risk approved its intent).
   *
   * @param atMs when it was made: the time of the trade, or of the candle clock's tick, that closed the candle
   */
  public record Decision(long atMs, SymbolId symbol, String clientOrderId, IntentKind kind, String side, BigDecimal quantity,
      BigDecimal referencePrice, String reason) {}

  /** One symbol's market over the run. */
  public record Market(SymbolId symbol, long trades, BigDecimal firstPrice, BigDecimal lastPrice, long candles) {}

  /**
   * The equity curve in brief, for the report (the whole curve is in {@code equity.csv}).
   *
   * @param times sample times, one per interval end and one at the end of the data
   * @param equity the equity at each, in the account asset at its precision
   */
  public record Curve(long[] times, BigDecimal[] equity) {}

  /**
   * What the run did.
   *
   * @param trades trades replayed
   * @param firstTradeMs the first trade's time
   * @param lastTradeMs the last trade's time
   * @param startingCash the account's starting cash
   * @param finalEquity the equity at the last trade prices
   * @param decisions every decision that became an order, in order
   * @param roundTrips every closed position, with the reason of the order that closed it
   * @param fills fills booked
   * @param fees fees paid, in the account asset
   * @param exposedMs time during which at least one position was open
   * @param markets each symbol's market, in the order the symbols were listed
   * @param curve the equity samples
   * @param counts the kernel's counts
   * @param alerts alerts the kernel raised
   * @param openPositions symbols still holding a position at the end
   */
  public record Result(
      Setup setup,
      long trades,
      long firstTradeMs,
      long lastTradeMs,
      BigDecimal startingCash,
      BigDecimal finalEquity,
      List<Decision> decisions,
      List<RoundTrips.RoundTrip> roundTrips,
      long fills,
      BigDecimal fees,
      long exposedMs,
      List<Market> markets,
      Curve curve,
      TradingKernel.Counts counts,
      long alerts,
      List<String> openPositions) {}

  private Backtest() {}

  /**
   * Runs {@code feeds} through a new kernel of {@code setup}, writing the CSV files into {@code
   * dir} (an existing directory).
   *
   * @throws BacktestInputException a file is unreadable, unsorted, badly formed or names a symbol not listed
   */
  public static Result run(Setup setup, List<Feed> feeds, Path dir, Progress progress) throws IOException {
    Run run = new Run(setup, dir);
    List<TradeFile> files = new ArrayList<>();
    try {
      for (Feed feed : feeds) {
        if (!run.symbols.containsKey(feed.symbol())) {
          throw BacktestInputException.in(feed.file(), "its symbol " + feed.symbol().id() + " is not listed");
        }
        files.add(TradeFile.open(feed.file(), feed.symbol().symbol()));
      }
      long bytesTotal = 0;
      for (Feed feed : feeds) {
        bytesTotal += Files.size(feed.file());
      }
      return run.replay(feeds, files, progress, bytesTotal);
    } finally {
      for (TradeFile file : files) {
        file.close();
      }
      run.close();
    }
  }

  /**
   * Runs {@code trades} of {@code symbol} (in time order, already read) through a new kernel of
   * {@code setup}, the same way as {@link #run} but writing no file: for many runs over the same
   * trades, such as an optimisation's, which keeps them in memory once.
   *
   * @throws BacktestInputException there is no trade, or the symbol is not listed
   */
  public static Result replay(Setup setup, SymbolId symbol, List<Trade> trades) throws IOException {
    Run run = new Run(setup, Writer.nullWriter(), Writer.nullWriter(), Writer.nullWriter());
    try {
      SymbolRun symbolRun = run.symbols.get(symbol);
      if (symbolRun == null) {
        throw new BacktestInputException("the symbol " + symbol.id() + " is not listed");
      }
      for (Trade trade : trades) {
        run.step(symbolRun, trade);
      }
      return run.finish();
    } finally {
      run.close();
    }
  }

  /** One symbol's bookkeeping beside the kernel. */
  private static final class SymbolRun {
    final SymbolId symbol;
    final CandleWriter candles;
    long trades;
    BigDecimal firstPrice;
    BigDecimal lastPrice;

    SymbolRun(SymbolId symbol, CandleWriter candles) {
      this.symbol = symbol;
      this.candles = candles;
    }
  }

  /** The state of one run. */
  private static final class Run {
    final Setup setup;
    final TradingKernel kernel;
    final long intervalMs;
    final Writer candlesOut;
    final Writer fillsOut;
    final Writer equityOut;
    final Map<SymbolId, SymbolRun> symbols = new LinkedHashMap<>();
    final Map<String, Decision> byOrder = new HashMap<>();
    /** Intents the kernel journaled and risk has not answered yet, by client order id. */
    final Map<String, OrderIntent> intended = new HashMap<>();
    final List<Decision> decisions = new ArrayList<>();
    final List<RoundTrips.RoundTrip> roundTrips = new ArrayList<>();
    RoundTrips trips = RoundTrips.empty();
    int fillsSeen;
    BigDecimal fees = BigDecimal.ZERO;
    long exposedMs;
    long lastTimeMs = Long.MIN_VALUE;
    long firstTradeMs = Long.MIN_VALUE;
    long trades;
    long nextBoundaryMs = Long.MIN_VALUE;
    BigDecimal peak;
    long[] curveTimes = new long[1024];
    BigDecimal[] curveEquity = new BigDecimal[1024];
    int curveSize;

    Run(Setup setup, Path dir) throws IOException {
      this(setup, writer(dir.resolve(CANDLES)), writer(dir.resolve(FILLS)), writer(dir.resolve(EQUITY)));
    }

    Run(Setup setup, Writer candlesOut, Writer fillsOut, Writer equityOut) throws IOException {
      this.setup = setup;
      this.kernel = new TradingKernel(setup.kernel());
      this.intervalMs = setup.intervalMs();
      this.peak = setup.kernel().startingCash();
      this.candlesOut = candlesOut;
      this.fillsOut = fillsOut;
      this.equityOut = equityOut;
      boolean several = setup.listings().size() > 1;
      candlesOut.write(CandleWriter.header(several) + "\n");
      fillsOut.write(FILLS_HEADER + "\n");
      equityOut.write(EQUITY_HEADER + "\n");
      kernel.journalTo(this::journaled);
      for (TradingKernel.Listing listing : setup.listings()) {
        kernel.addSymbol(listing);
        symbols.put(listing.symbol(), new SymbolRun(listing.symbol(), new CandleWriter(intervalMs, candlesOut, several ? listing.symbol().id() : null)));
      }
    }

    private static Writer writer(Path file) throws IOException {
      return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }

    Result replay(List<Feed> feeds, List<TradeFile> files, Progress progress, long bytesTotal) throws IOException {
      int n = files.size();
      Trade[] heads = new Trade[n];
      SymbolRun[] runs = new SymbolRun[n];
      for (int i = 0; i < n; i++) {
        runs[i] = symbols.get(feeds.get(i).symbol());
        heads[i] = files.get(i).next();
      }
      while (true) {
        int pick = -1;
        for (int i = 0; i < n; i++) {
          if (heads[i] != null && (pick < 0 || heads[i].timestampMs() < heads[pick].timestampMs())) {
            pick = i;
          }
        }
        if (pick < 0) {
          break;
        }
        step(runs[pick], heads[pick]);
        heads[pick] = files.get(pick).next();
        if (progress != null && (trades & (PROGRESS_EVERY - 1)) == 0) {
          progress.update(trades, bytesRead(files), bytesTotal);
        }
      }
      if (progress != null) {
        progress.update(trades, bytesRead(files), bytesTotal);
      }
      return finish();
    }

    private static long bytesRead(List<TradeFile> files) {
      long sum = 0;
      for (TradeFile file : files) {
        sum += file.bytesRead();
      }
      return sum;
    }

    /** One trade: the interval ends it passes, then the kernel, then what the kernel did. */
    private void step(SymbolRun run, Trade trade) throws IOException {
      long t = trade.timestampMs();
      if (firstTradeMs == Long.MIN_VALUE) {
        firstTradeMs = t;
        nextBoundaryMs = Math.floorDiv(t, intervalMs) * intervalMs + intervalMs;
        sample(Math.floorDiv(t, intervalMs) * intervalMs, setup.kernel().startingCash());
      }
      while (t >= nextBoundaryMs) {
        // fills due before the interval's end are delivered (as the next trade would), then it is sampled
        kernel.advanceTo(nextBoundaryMs - 1);
        afterKernel();
        sample(nextBoundaryMs, kernel.equity());
        nextBoundaryMs += intervalMs;
      }
      if (lastTimeMs != Long.MIN_VALUE && !trips.openSymbols().isEmpty()) {
        exposedMs += t - lastTimeMs;
      }
      lastTimeMs = t;
      kernel.onTrade(run.symbol, trade);
      trades++;
      run.trades++;
      if (run.firstPrice == null) {
        run.firstPrice = trade.price();
      }
      run.lastPrice = trade.price();
      run.candles.onTrade(trade);
      afterKernel();
    }

    /** Records the fills the kernel booked since the last look. */
    private void afterKernel() throws IOException {
      List<Fill> fills = kernel.fills();
      for (int i = fillsSeen; i < fills.size(); i++) {
        booked(fills.get(i));
      }
      fillsSeen = fills.size();
    }

    /**
     * What a symbol journaled: an approved intent is a decision, at the time it was made (a trade's,
     * or the candle clock's tick when that closed the candle).
     */
    private void journaled(SymbolId symbol, SymbolEvent event) {
      if (event instanceof SymbolEvent.EntryIntended entry) {
        intended.put(entry.intent().clientOrderId(), entry.intent());
      } else if (event instanceof SymbolEvent.ExitIntended exit) {
        intended.put(exit.intent().clientOrderId(), exit.intent());
      } else if (event instanceof SymbolEvent.IntentRejected rejected) {
        intended.remove(rejected.clientOrderId());
      } else if (event instanceof SymbolEvent.IntentApproved approved) {
        OrderIntent intent = intended.remove(approved.clientOrderId());
        if (intent != null) {
          Decision decision = new Decision(intent.createdAtMs(), symbol, intent.clientOrderId(), intent.kind(),
              intent.side().name().toLowerCase(java.util.Locale.ROOT), intent.quantity(), intent.referencePrice(), intent.reason());
          byOrder.put(intent.clientOrderId(), decision);
          decisions.add(decision);
        }
      }
    }

    private void booked(Fill fill) throws IOException {
      Decision decision = byOrder.get(fill.clientOrderId());
      if (decision == null) {
        throw new IllegalStateException("the kernel booked a fill of " + fill.clientOrderId() + ", an order it never journaled as approved");
      }
      fees = fees.add(fill.fee());
      String asset = setup.kernel().quoteAsset();
      RoundTrips.Step step = trips.apply(fill, asset, setup.kernel().precision());
      trips = step.next();
      if (step.closed() != null) {
        roundTrips.add(step.closed().withExitReason(decision.reason()));
      }
      fillsOut.write(fill.timestampMs() + "," + fill.symbol().id() + "," + fill.side().name().toLowerCase(java.util.Locale.ROOT) + ","
          + fill.quantity().toPlainString() + "," + fill.price().toPlainString() + "," + fill.fee().toPlainString() + ","
          + (decision.kind() == null ? "" : decision.kind().name().toLowerCase(java.util.Locale.ROOT)) + "," + fill.clientOrderId() + ","
          + fill.tradeId() + "," + csvText(decision.reason()) + "\n");
    }

    private void sample(long atMs, BigDecimal rawEquity) throws IOException {
      BigDecimal equity = setup.kernel().precision().round(rawEquity);
      if (equity.compareTo(peak) > 0) {
        peak = equity;
      }
      BigDecimal drawdown = peak.subtract(equity);
      BigDecimal drawdownPct = peak.signum() == 0 ? BigDecimal.ZERO : drawdown.multiply(HUNDRED).divide(peak, 4, RoundingMode.HALF_EVEN);
      equityOut.write(atMs + "," + equity.toPlainString() + "," + drawdown.toPlainString() + "," + drawdownPct.toPlainString() + "\n");
      if (curveSize == curveTimes.length) {
        curveTimes = java.util.Arrays.copyOf(curveTimes, curveSize * 2);
        curveEquity = java.util.Arrays.copyOf(curveEquity, curveSize * 2);
      }
      curveTimes[curveSize] = atMs;
      curveEquity[curveSize] = equity;
      curveSize++;
    }

    private Result finish() throws IOException {
      if (trades == 0) {
        throw new BacktestInputException("no trades to replay");
      }
      BigDecimal finalEquity = kernel.equity();
      sample(lastTimeMs, finalEquity);
      List<Market> markets = new ArrayList<>();
      for (SymbolRun run : symbols.values()) {
        run.candles.finish();
        markets.add(new Market(run.symbol, run.trades, run.firstPrice, run.lastPrice, run.candles.written()));
      }
      candlesOut.flush();
      fillsOut.flush();
      equityOut.flush();
      List<String> open = new ArrayList<>(trips.openSymbols());
      java.util.Collections.sort(open);
      return new Result(setup, trades, firstTradeMs, lastTimeMs, setup.kernel().startingCash(), finalEquity, List.copyOf(decisions),
          List.copyOf(roundTrips), fillsSeen, fees, exposedMs, List.copyOf(markets),
          new Curve(java.util.Arrays.copyOf(curveTimes, curveSize), java.util.Arrays.copyOf(curveEquity, curveSize)),
          kernel.counts(), kernel.alerts().size(), List.copyOf(open));
    }

    void close() throws IOException {
      IOException first = null;
      for (Writer w : List.of(candlesOut, fillsOut, equityOut)) {
        try {
          w.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  /** A free-text CSV field: quoted when it holds a comma, quote or line break. */
  static String csvText(String text) {
    if (text == null) {
      return "";
    }
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
  }
}
