package io.pekkotrader.backtest;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the trades of one file, one at a time, in bounded memory (a line at a time): the engine's
 * trades CSV, a Binance public trade dump, or a raw WebSocket frame capture of a supported venue
 * (one frame per line, as {@code simulate-exchange --replay} takes). The file may be plain, gzip or
 * zip (its first file entry); compression is recognised from the content (magic bytes), the format
 * from the first non-blank line:
 *
 * <ul>
 *   <li>{@link Format#ENGINE_CSV}: the header {@code timestamp_ms,price,quantity,side,trade_id}, side
 *       being the taker's {@code buy} or {@code sell}.
 *   <li>{@link Format#BINANCE_DUMP}: {@code id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]},
 *       with that header (futures files) or without (spot files). A {@code time} above {@value
 *       #MICROS_ABOVE} is in microseconds (newer spot files) and is floored to milliseconds. The
 *       taker sold when the buyer was the maker.
 *   <li>{@link Format#VENUE_FRAMES}: a line starting with <code>{</code> or {@code [}; decoded by the
 *       venue dialect ({@link VenueDialects}) that first recognises a trade in it. Only trades of
 *       the file's symbol are read; acknowledgements and heartbeats are skipped.
 * </ul>
 *
 * <p>Trades must come in time order within a file (equal times allowed). Anything else, a bad
 * number, unknown columns or a file without trades, is a {@link BacktestInputException} naming the
 * file and line.
 */
public final class TradeFile implements AutoCloseable {
  /** The engine's trades CSV header. */
  public static final String ENGINE_HEADER = "timestamp_ms,price,quantity,side,trade_id";

  /** The Binance dump header (spot files have none; futures files have this one, some without the last column). */
  public static final String BINANCE_HEADER = "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match";

  /** A Binance dump {@code time} above this is in microseconds (1e14 ms is far beyond any real date). */
  public static final long MICROS_ABOVE = 100_000_000_000_000L;

  /** What a file holds. */
  public enum Format {
    ENGINE_CSV,
    BINANCE_DUMP,
    VENUE_FRAMES
  }

  private final Path file;
  private final String symbol;
  private final CountingStream counted;
  private final BufferedReader reader;
  private final Format format;
  private final ArrayDeque<Trade> pending = new ArrayDeque<>();
  private VenueDialect dialect;
  private String firstLine;
  private long firstLineNumber;
  private long lineNumber;
  private long lastTimestampMs = Long.MIN_VALUE;
  private long trades;

  private TradeFile(Path file, String symbol, CountingStream counted, BufferedReader reader) {
    this.file = file;
    this.symbol = symbol;
    this.counted = counted;
    this.reader = reader;
    this.format = detect();
  }

  /**
   * Opens {@code file} and recognises its format.
   *
   * @param symbol the engine's symbol ({@code BTCUSDT}) whose trades a frame capture is read for
   * @throws BacktestInputException the file is missing, empty or of no known format
   */
  public static TradeFile open(Path file, String symbol) {
    CountingStream counted = null;
    try {
      counted = new CountingStream(Files.newInputStream(file));
      BufferedReader reader = new BufferedReader(new InputStreamReader(decompressed(file, counted), StandardCharsets.UTF_8), 1 << 16);
      return new TradeFile(file, symbol, counted, reader);
    } catch (NoSuchFileException e) {
      throw BacktestInputException.in(file, "no such file");
    } catch (IOException e) {
      closeQuietly(counted);
      throw BacktestInputException.in(file, "cannot be read: " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(counted);
      throw e;
    }
  }

  /** The file's content, unzipped or gunzipped when its first bytes say so. */
  private static InputStream decompressed(Path file, InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(4);
    int b0 = in.read();
    int b1 = in.read();
    int b2 = in.read();
    int b3 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    if (b0 == 'P' && b1 == 'K' && b2 == 3 && b3 == 4) {
      ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (!entry.isDirectory()) {
          return new BufferedInputStream(zip, 1 << 16);
        }
      }
      throw BacktestInputException.in(file, "the zip file holds no file");
    }
    if (b0 == 'P' && b1 == 'K') {
      throw BacktestInputException.in(file, "an empty or split zip file holds no trades");
    }
    return in;
  }

  public Path file() {
    return file;
  }

  public Format format() {
    return format;
  }

  /** The venue whose frames a {@link Format#VENUE_FRAMES} file holds, once a trade was read; otherwise null. */
  public String venue() {
    return dialect == null ? null : dialect.venue();
  }

  /** Bytes read from the file so far (compressed bytes for a compressed file). */
  public long bytesRead() {
    return counted.count;
  }

  /** The line last read, 1-based. */
  public long line() {
    return lineNumber;
  }

  /**
   * The next trade, or null at the end of the file.
   *
   * @throws BacktestInputException a bad line, a trade older than the one before, or no trade at all
   */
  public Trade next() {
    if (!pending.isEmpty()) {
      return counted(pending.poll());
    }
    while (true) {
      String line;
      long number;
      if (firstLine != null) {
        line = firstLine;
        number = firstLineNumber;
        firstLine = null;
      } else {
        line = readLine();
        number = lineNumber;
      }
      if (line == null) {
        if (trades == 0) {
          throw BacktestInputException.in(file, format == Format.VENUE_FRAMES ? "no trade of " + symbol + " in the frames" : "no trades after the header");
        }
        return null;
      }
      if (line.isBlank()) {
        continue;
      }
      Trade trade;
      switch (format) {
        case ENGINE_CSV -> trade = engineTrade(line, number);
        case BINANCE_DUMP -> trade = binanceTrade(line, number);
        default -> {
          frameTrades(line, number);
          trade = pending.poll();
        }
      }
      if (trade != null) {
        return counted(trade);
      }
    }
  }

  private Trade counted(Trade trade) {
    if (trade.timestampMs() < lastTimestampMs) {
      throw BacktestInputException.at(file, lineNumber,
          "trade " + trade.tradeId() + " at " + trade.timestampMs() + " ms is older than the trade before it at " + lastTimestampMs
              + " ms: trades must be in time order");
    }
    lastTimestampMs = trade.timestampMs();
    trades++;
    return trade;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- format -------------------------------------------------------------------------------

  private Format detect() {
    String line;
    do {
      line = readLine();
      if (line == null) {
        throw BacktestInputException.in(file, "the file is empty");
      }
    } while (line.isBlank());
    if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1);
    }
    String trimmed = line.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      firstLine = trimmed;
      firstLineNumber = lineNumber;
      return Format.VENUE_FRAMES;
    }
    String columns = trimmed.toLowerCase(Locale.ROOT).replace(" ", "");
    if (columns.equals(ENGINE_HEADER)) {
      return Format.ENGINE_CSV;
    }
    if (columns.equals(BINANCE_HEADER) || columns.equals("id,price,qty,quote_qty,time,is_buyer_maker")) {
      return Format.BINANCE_DUMP;
    }
    String[] fields = trimmed.split(",", -1);
    if ((fields.length == 6 || fields.length == 7) && isBoolean(fields[5]) && !fields[0].isEmpty() && Character.isDigit(fields[0].charAt(0))) {
      firstLine = trimmed;
      firstLineNumber = lineNumber;
      return Format.BINANCE_DUMP;
    }
    throw BacktestInputException.at(file, lineNumber,
        "unknown columns '" + abbreviated(trimmed) + "': expected the header '" + ENGINE_HEADER + "', a Binance trade dump ('"
            + BINANCE_HEADER + "', with or without that header) or WebSocket frames (JSON, one per line)");
  }

  private static boolean isBoolean(String text) {
    return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
  }

  // ---- the engine's CSV ---------------------------------------------------------------------

  private Trade engineTrade(String line, long number) {
    int c1 = line.indexOf(',');
    int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
    int c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
    int c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
    if (c4 < 0 || line.indexOf(',', c4 + 1) >= 0) {
      throw BacktestInputException.at(file, number, "expected 5 columns (" + ENGINE_HEADER + "), got '" + abbreviated(line) + "'");
    }
    long timestampMs = longAt(line, 0, c1, "timestamp_ms", number);
    BigDecimal price = decimalAt(line, c1 + 1, c2, "price", number);
    BigDecimal quantity = decimalAt(line, c2 + 1, c3, "quantity", number);
    String sideText = line.substring(c3 + 1, c4).strip();
    Side side;
    if (sideText.equalsIgnoreCase("buy")) {
      side = Side.BUY;
    } else if (sideText.equalsIgnoreCase("sell")) {
      side = Side.SELL;
    } else {
      throw BacktestInputException.at(file, number, "side '" + sideText + "' is neither buy nor sell");
    }
    String tradeId = line.substring(c4 + 1).strip();
    if (tradeId.isEmpty()) {
      throw BacktestInputException.at(file, number, "trade_id is empty");
    }
    return trade(tradeId, timestampMs, price, quantity, side, number);
  }

  // ---- Binance dumps ------------------------------------------------------------------------

  private Trade binanceTrade(String line, long number) {
    int c1 = line.indexOf(',');
    int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
    int c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
    int c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
    int c5 = c4 < 0 ? -1 : line.indexOf(',', c4 + 1);
    if (c5 < 0) {
      throw BacktestInputException.at(file, number, "expected the columns " + BINANCE_HEADER + ", got '" + abbreviated(line) + "'");
    }
    int c6 = line.indexOf(',', c5 + 1);
    int end = c6 < 0 ? line.length() : c6;
    if (c6 >= 0 && line.indexOf(',', c6 + 1) >= 0) {
      throw BacktestInputException.at(file, number, "expected at most 7 columns (" + BINANCE_HEADER + "), got '" + abbreviated(line) + "'");
    }
    String tradeId = line.substring(0, c1).strip();
    if (tradeId.isEmpty()) {
      throw BacktestInputException.at(file, number, "id is empty");
    }
    BigDecimal price = decimalAt(line, c1 + 1, c2, "price", number);
    BigDecimal quantity = decimalAt(line, c2 + 1, c3, "qty", number);
    long time = longAt(line, c4 + 1, c5, "time", number);
    long timestampMs = time > MICROS_ABOVE ? Math.floorDiv(time, 1000L) : time;
    String maker = line.substring(c5 + 1, end).strip();
    Side taker;
    if (maker.equalsIgnoreCase("true")) {
      taker = Side.SELL;
    } else if (maker.equalsIgnoreCase("false")) {
      taker = Side.BUY;
    } else {
      throw BacktestInputException.at(file, number, "is_buyer_maker '" + maker + "' is neither true nor false");
    }
    return trade(tradeId, timestampMs, price, quantity, taker, number);
  }

  // ---- frames -------------------------------------------------------------------------------

  /** Queues the trades of {@link #symbol} in the frame; the dialect is the first that finds a trade. */
  private void frameTrades(String frame, long number) {
    Decoded decoded;
    if (dialect != null) {
      decoded = dialect.decode(frame);
    } else {
      decoded = null;
      String malformed = null;
      for (String venue : VenueDialects.venues()) {
        VenueDialect candidate = VenueDialects.forVenue(venue);
        Decoded tried = candidate.decode(frame);
        if (tried instanceof Decoded.Trades) {
          dialect = candidate;
          decoded = tried;
          break;
        }
        if (tried instanceof Decoded.Ignored) {
          decoded = tried;
        } else if (tried instanceof Decoded.Malformed m && malformed == null) {
          malformed = m.reason();
        }
      }
      if (decoded == null) {
        throw BacktestInputException.at(file, number, "no venue (" + String.join(", ", VenueDialects.venues())
            + ") reads this frame as a trade or a known message: " + malformed);
      }
    }
    if (decoded instanceof Decoded.Malformed m) {
      throw BacktestInputException.at(file, number, "malformed " + dialect.venue() + " frame: " + m.reason());
    }
    if (decoded instanceof Decoded.Trades t) {
      List<Decoded.VenueTrade> trades = t.trades();
      for (int i = 0; i < trades.size(); i++) {
        if (trades.get(i).symbol().equals(symbol)) {
          pending.add(trades.get(i).trade());
        }
      }
    }
  }

  // ---- fields -------------------------------------------------------------------------------

  private Trade trade(String tradeId, long timestampMs, BigDecimal price, BigDecimal quantity, Side side, long number) {
    try {
      return new Trade(tradeId, timestampMs, price, quantity, side);
    } catch (IllegalArgumentException e) {
      throw BacktestInputException.at(file, number, e.getMessage());
    }
  }

  private long longAt(String line, int from, int to, String column, long number) {
    String text = line.substring(from, to).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw BacktestInputException.at(file, number, column + " '" + text + "' is not a whole number");
    }
  }

  private BigDecimal decimalAt(String line, int from, int to, String column, long number) {
    String text = line.substring(from, to).strip();
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw BacktestInputException.at(file, number, column + " '" + text + "' is not a decimal");
    }
    if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
      throw BacktestInputException.at(file, number, column + " '" + text + "' is in exponent notation: write it as a plain decimal");
    }
    return value;
  }

  private String readLine() {
    try {
      String line = reader.readLine();
      if (line != null) {
        lineNumber++;
      }
      return line;
    } catch (IOException e) {
      throw BacktestInputException.at(file, lineNumber + 1, "cannot be read: " + e.getMessage());
    }
  }

  private static String abbreviated(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the open failed already; that is the error reported
      }
    }
  }

  /** Counts the bytes read from the file, for the progress bar's estimate. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
