package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Folds trades into candles of a fixed interval, aligned to the epoch
 * ({@code openTime = t - t mod interval}). A trade at exactly {@code openTime + interval}
 * belongs to the next candle. When time moves past one or more intervals without trades,
 * each empty interval is closed as a forward-filled candle from the last close.
 *
 * <p>Candles close either when a later trade arrives ({@link #onTrade}) or when the clock
 * passes the end of the open candle ({@link #advanceTo}); both return the candles closed by
 * that step, oldest first. A trade older than the open candle cannot change a closed candle:
 * it is counted in {@link #lateTrades()} and ignored.
 *
 * <p>Mutable and not thread-safe: it is owned by exactly one actor. The closed history is
 * bounded by {@code capacity}; a gap longer than that emits only the newest {@code capacity}
 * forward-filled candles (older ones could not be kept anyway).
 *
 * <p>This is on the path of every trade and holds a symbol's candles for as long as the symbol
 * trades, so it keeps numbers rather than objects, exactly:
 * <ul>
 *   <li>The open candle's open, high, low, close and volume are scaled longs (an unscaled value
 *       and a scale, as in {@link BigDecimal}): a trade is folded in by comparing and adding
 *       longs, without allocating and without reading earlier trades' decimals. A value of more
 *       than 18 digits or 18 decimals, which venues do not send, makes that one candle fall back
 *       to {@link BigDecimal} fields until it closes.
 *   <li>Closed candles are rows of longs (with each close also as a {@code double} for
 *       indicators) rather than {@link Candle} objects and their decimals, about a third of the
 *       memory. The rows have some room beyond {@code capacity}; when they are full the newest
 *       {@code capacity} candles move to fresh ones. A slot is written once and never again, so
 *       {@link #history()} and the lists of closed candles are immutable windows over the rows,
 *       not copies. A {@link Candle} is built when one is read: its decimals have the values and
 *       scales the trades had, so it equals the candle built from the trades' {@link BigDecimal}s.
 * </ul>
 */
public final class CandleAggregator {
  /** Most digits and most decimals a value may have to be kept as a scaled long. */
  private static final int MAX_DIGITS = 18;

  private static final long[] TEN_TO_THE = new long[MAX_DIGITS + 1];
  /** {@code Long.MAX_VALUE / 10^d}: a non-negative value up to this can be scaled up by {@code d} digits. */
  private static final long[] SCALABLE_UP_TO = new long[MAX_DIGITS + 1];

  static {
    long power = 1;
    for (int d = 0; d <= MAX_DIGITS; d++) {
      TEN_TO_THE[d] = power;
      SCALABLE_UP_TO[d] = Long.MAX_VALUE / power;
      power *= 10;
    }
  }

  private final long intervalMs;
  private final int capacity;
  private ClosedCandles log;
  private int logEnd;
  private long lateTrades;

  // the open candle; trades == 0 is a forward fill
  private boolean hasOpen;
  private long openTimeMs;
  private int trades;
  /** Whether the open candle is in the decimal fields below rather than in the scaled longs. */
  private boolean wide;
  private long open;
  private long high;
  private long low;
  private long close;
  private long volume;
  private int openScale;
  private int highScale;
  private int lowScale;
  private int closeScale;
  private int volumeScale;
  private BigDecimal wideOpen;
  private BigDecimal wideHigh;
  private BigDecimal wideLow;
  private BigDecimal wideClose;
  private BigDecimal wideVolume;

  public CandleAggregator(long intervalMs, int capacity) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("candle interval must be > 0 ms, got " + intervalMs);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("candle capacity must be > 0, got " + capacity);
    }
    this.intervalMs = intervalMs;
    this.capacity = capacity;
    this.log = new ClosedCandles(capacity + Math.max(16, capacity / 4));
  }

  public long intervalMs() {
    return intervalMs;
  }

  /** Adds a trade; returns the candles this trade closed (possibly forward-filled ones). */
  public List<Candle> onTrade(Trade trade) {
    long timestampMs = trade.timestampMs();
    if (hasOpen && timestampMs >= openTimeMs && timestampMs - openTimeMs < intervalMs) {
      // the open candle's interval, the common case: no division to find the bucket
      fold(trade);
      return List.of();
    }
    long bucket = bucketOf(timestampMs);
    if (!hasOpen) {
      startWith(bucket, trade);
      return List.of();
    }
    if (bucket < openTimeMs) {
      lateTrades++;
      return List.of();
    }
    if (bucket == openTimeMs) {
      fold(trade);
      return List.of();
    }
    List<Candle> closed = closeUpTo(bucket);
    startWith(bucket, trade);
    return closed;
  }

  /**
   * Tells the aggregator that the clock reads {@code nowMs}: the open candle and any empty
   * intervals that ended at or before now are closed. The interval containing now is left
   * open as a forward-fill, ready for the next trade.
   */
  public List<Candle> advanceTo(long nowMs) {
    if (!hasOpen) {
      return List.of();
    }
    long bucket = bucketOf(nowMs);
    if (bucket <= openTimeMs) {
      return List.of();
    }
    List<Candle> closed = closeUpTo(bucket);
    openTimeMs = bucket;
    trades = 0;
    if (wide) {
      wideOpen = wideClose;
      wideHigh = wideClose;
      wideLow = wideClose;
      wideVolume = BigDecimal.ZERO;
    } else {
      open = close;
      high = close;
      low = close;
      openScale = closeScale;
      highScale = closeScale;
      lowScale = closeScale;
      volume = 0;
      volumeScale = 0;
    }
    return closed;
  }

  private void startWith(long bucket, Trade trade) {
    hasOpen = true;
    openTimeMs = bucket;
    trades = 1;
    BigDecimal price = trade.price();
    BigDecimal quantity = trade.quantity();
    wide = !fits(price) || !fits(quantity);
    if (wide) {
      wideOpen = price;
      wideHigh = price;
      wideLow = price;
      wideClose = price;
      wideVolume = quantity;
      return;
    }
    long p = unscaled(price);
    int scale = price.scale();
    open = p;
    high = p;
    low = p;
    close = p;
    openScale = scale;
    highScale = scale;
    lowScale = scale;
    closeScale = scale;
    volume = unscaled(quantity);
    volumeScale = quantity.scale();
  }

  /**
   * Adds a trade to the open candle: the first trade of a forward-filled interval opens it at its
   * own price; later ones move high, low, close, volume and count. As {@link BigDecimal#max} and
   * {@link BigDecimal#min} would, high and low keep the earlier value on a tie (so its scale
   * too); the volume's scale is the larger of the two, as {@link BigDecimal#add} gives.
   */
  private void fold(Trade trade) {
    if (trades == 0) {
      startWith(openTimeMs, trade);
      return;
    }
    trades++;
    BigDecimal price = trade.price();
    BigDecimal quantity = trade.quantity();
    if (!wide && fits(price) && fits(quantity)) {
      long q = unscaled(quantity);
      int qScale = quantity.scale();
      int sumScale = Math.max(volumeScale, qScale);
      int volumeUp = sumScale - volumeScale;
      int quantityUp = sumScale - qScale;
      // both are non-negative: a sum beyond Long.MAX_VALUE shows as a negative one
      long sum =
          volume <= SCALABLE_UP_TO[volumeUp] && q <= SCALABLE_UP_TO[quantityUp]
              ? scaleUp(volume, volumeUp) + scaleUp(q, quantityUp)
              : -1;
      if (sum >= 0) {
        long p = unscaled(price);
        int pScale = price.scale();
        if (compare(p, pScale, high, highScale) > 0) {
          high = p;
          highScale = pScale;
        }
        if (compare(p, pScale, low, lowScale) < 0) {
          low = p;
          lowScale = pScale;
        }
        close = p;
        closeScale = pScale;
        volume = sum;
        volumeScale = sumScale;
        return;
      }
    }
    if (!wide) {
      widen();
    }
    wideHigh = wideHigh.max(price);
    wideLow = wideLow.min(price);
    wideClose = price;
    wideVolume = wideVolume.add(quantity);
  }

  /** Moves the open candle from the scaled longs to decimals, for a value the longs cannot hold. */
  private void widen() {
    wide = true;
    wideOpen = BigDecimal.valueOf(open, openScale);
    wideHigh = BigDecimal.valueOf(high, highScale);
    wideLow = BigDecimal.valueOf(low, lowScale);
    wideClose = BigDecimal.valueOf(close, closeScale);
    wideVolume = BigDecimal.valueOf(volume, volumeScale);
  }

  /** Closes the open candle and forward-fills every empty interval before {@code bucket}. */
  private List<Candle> closeUpTo(long bucket) {
    long gaps = (bucket - openTimeMs) / intervalMs - 1;
    long firstFill = openTimeMs + intervalMs;
    if (gaps > capacity) {
      firstFill += (gaps - capacity) * intervalMs;
      gaps = capacity;
    }
    int count = 1 + (int) gaps;
    makeRoomFor(count);
    int from = logEnd;
    int slot = logEnd++;
    if (wide) {
      log.putWide(slot, new Candle(openTimeMs, wideOpen, wideHigh, wideLow, wideClose, wideVolume, trades));
    } else {
      log.put(slot, openTimeMs, open, openScale, high, highScale, low, lowScale, close, closeScale, volume, volumeScale, trades);
    }
    for (long i = 0; i < gaps; i++) {
      long openTime = firstFill + i * intervalMs;
      slot = logEnd++;
      if (wide) {
        log.putWide(slot, Candle.forwardFill(openTime, wideClose));
      } else {
        log.put(slot, openTime, close, closeScale, close, closeScale, close, closeScale, close, closeScale, 0, 0, 0);
      }
    }
    return new History(log, from, logEnd);
  }

  /**
   * Makes room for {@code count} more candles in the rows, moving the newest ones (at most
   * {@code capacity}) to fresh rows when these are full; the old rows stay as they are for
   * the windows still reading them.
   */
  private void makeRoomFor(int count) {
    if (logEnd + count <= log.length()) {
      return;
    }
    int keep = Math.min(Math.min(logEnd, capacity), log.length() - count);
    ClosedCandles fresh = new ClosedCandles(log.length());
    log.copyTo(logEnd - keep, fresh, keep);
    log = fresh;
    logEnd = keep;
  }

  private long bucketOf(long timestampMs) {
    return Math.floorDiv(timestampMs, intervalMs) * intervalMs;
  }

  /**
   * Closed candles, oldest first, at most {@code capacity}: an unmodifiable snapshot that later
   * candles do not change.
   */
  public History history() {
    return new History(log, Math.max(0, logEnd - capacity), logEnd);
  }

  /** The number of closed candles held. */
  public int closedCount() {
    return Math.min(logEnd, capacity);
  }

  /** The candle still open, or {@code null} before the first trade. */
  public Candle openCandle() {
    if (!hasOpen) {
      return null;
    }
    if (wide) {
      return new Candle(openTimeMs, wideOpen, wideHigh, wideLow, wideClose, wideVolume, trades);
    }
    return new Candle(
        openTimeMs,
        BigDecimal.valueOf(open, openScale),
        BigDecimal.valueOf(high, highScale),
        BigDecimal.valueOf(low, lowScale),
        BigDecimal.valueOf(close, closeScale),
        BigDecimal.valueOf(volume, volumeScale),
        trades);
  }

  public long lateTrades() {
    return lateTrades;
  }

  /** Whether a value can be kept as a scaled long here: at most 18 digits and 0 to 18 decimals. */
  private static boolean fits(BigDecimal value) {
    int scale = value.scale();
    return scale >= 0 && scale <= MAX_DIGITS && value.precision() <= MAX_DIGITS;
  }

  /** The unscaled value of a decimal that {@link #fits}. */
  private static long unscaled(BigDecimal value) {
    return value.movePointRight(value.scale()).longValue();
  }

  /** {@code value × 10^digits}; the caller has checked it against {@link #SCALABLE_UP_TO}. */
  private static long scaleUp(long value, int digits) {
    return digits == 0 ? value : value * TEN_TO_THE[digits];
  }

  /** Compares two non-negative scaled longs exactly, whatever their scales. */
  static int compare(long a, int aScale, long b, int bScale) {
    if (aScale == bScale) {
      return Long.compare(a, b);
    }
    if (aScale < bScale) {
      int digits = bScale - aScale;
      return a > SCALABLE_UP_TO[digits] ? 1 : Long.compare(a * TEN_TO_THE[digits], b);
    }
    int digits = aScale - bScale;
    return b > SCALABLE_UP_TO[digits] ? -1 : Long.compare(a, b * TEN_TO_THE[digits]);
  }

  /**
   * The {@code double} nearest to {@code unscaled × 10^-scale}, the same as
   * {@link BigDecimal#doubleValue()} of that decimal: below 2^52 both operands are exact doubles
   * and one division rounds their quotient correctly, as the JDK's own fast path does.
   */
  static double toDouble(long unscaled, int scale) {
    if (scale == 0) {
      return unscaled;
    }
    if (Math.abs(unscaled) < (1L << 52)) {
      return unscaled / (double) TEN_TO_THE[scale];
    }
    return BigDecimal.valueOf(unscaled, scale).doubleValue();
  }

  /**
   * Closed candles, one row of {@value #ROW} longs per slot (open time, open, high, low, close,
   * volume, then the trade count and the five scales packed in one long), so that closing a
   * candle writes one or two cache lines; beside them each close as a {@code double}, in a row of
   * its own for the indicators. Slots are written once.
   */
  private static final class ClosedCandles {
    static final int ROW = 7;
    private static final int SCALE_BITS = 5;
    private static final int SCALE_MASK = (1 << SCALE_BITS) - 1;

    private final long[] rows;
    private final double[] closeDoubles;
    /** Candles with a value a long cannot hold, by slot; null until there is one. */
    private Candle[] wide;

    ClosedCandles(int length) {
      rows = new long[ROW * length];
      closeDoubles = new double[length];
    }

    int length() {
      return closeDoubles.length;
    }

    void put(
        int slot, long openTime, long open, int openScale, long high, int highScale, long low, int lowScale, long close,
        int closeScale, long volume, int volumeScale, int count) {
      int r = ROW * slot;
      rows[r] = openTime;
      rows[r + 1] = open;
      rows[r + 2] = high;
      rows[r + 3] = low;
      rows[r + 4] = close;
      rows[r + 5] = volume;
      long scales = openScale | highScale << SCALE_BITS | lowScale << 2 * SCALE_BITS | closeScale << 3 * SCALE_BITS
          | (long) volumeScale << 4 * SCALE_BITS;
      rows[r + 6] = (scales << 32) | (count & 0xFFFF_FFFFL);
      closeDoubles[slot] = toDouble(close, closeScale);
    }

    void putWide(int slot, Candle candle) {
      if (wide == null) {
        wide = new Candle[length()];
      }
      wide[slot] = candle;
      closeDoubles[slot] = candle.close().doubleValue();
    }

    void copyTo(int from, ClosedCandles to, int count) {
      System.arraycopy(rows, ROW * from, to.rows, 0, ROW * count);
      System.arraycopy(closeDoubles, from, to.closeDoubles, 0, count);
      if (wide != null) {
        to.wide = new Candle[to.length()];
        System.arraycopy(wide, from, to.wide, 0, count);
      }
    }

    Candle candle(int slot) {
      if (wide != null && wide[slot] != null) {
        return wide[slot];
      }
      int r = ROW * slot;
      long meta = rows[r + 6];
      return new Candle(
          rows[r],
          BigDecimal.valueOf(rows[r + 1], scale(meta, 0)),
          BigDecimal.valueOf(rows[r + 2], scale(meta, 1)),
          BigDecimal.valueOf(rows[r + 3], scale(meta, 2)),
          BigDecimal.valueOf(rows[r + 4], scale(meta, 3)),
          BigDecimal.valueOf(rows[r + 5], scale(meta, 4)),
          (int) meta);
    }

    BigDecimal close(int slot) {
      if (wide != null && wide[slot] != null) {
        return wide[slot].close();
      }
      int r = ROW * slot;
      return BigDecimal.valueOf(rows[r + 4], scale(rows[r + 6], 3));
    }

    /** Scale {@code index} (open, high, low, close, volume) of a packed row end. */
    private static int scale(long meta, int index) {
      return (int) (meta >>> (32 + SCALE_BITS * index)) & SCALE_MASK;
    }
  }

  /**
   * Closed candles, oldest first: an unmodifiable window over slots that are never written again,
   * so it does not change as later candles close. {@link #get} builds the {@link Candle};
   * {@link #closeAsDouble} reads a close for an indicator without building anything.
   */
  public static final class History extends AbstractList<Candle> implements RandomAccess {
    private final ClosedCandles candles;
    private final int from;
    private final int size;

    History(ClosedCandles candles, int from, int to) {
      this.candles = candles;
      this.from = from;
      this.size = to - from;
    }

    @Override
    public Candle get(int index) {
      return candles.candle(slot(index));
    }

    /** The close of candle {@code index}, exactly. */
    public BigDecimal close(int index) {
      return candles.close(slot(index));
    }

    /** The close of candle {@code index} as {@link BigDecimal#doubleValue()} gives it. */
    public double closeAsDouble(int index) {
      return candles.closeDoubles[slot(index)];
    }

    @Override
    public int size() {
      return size;
    }

    private int slot(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException("index " + index + ", size " + size);
      }
      return from + index;
    }
  }
}
