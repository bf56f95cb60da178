package io.pekkotrader.backtest;

import io.pekkotrader.domain.Trade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Folds one symbol's trades into candles of a fixed interval and writes each candle as a CSV row
 * when it closes, so a run of any length holds one open candle per symbol. The rules are the
 * engine's ({@code CandleAggregator}): intervals aligned to the epoch ({@code openTime = t - t mod
 * interval}), a trade exactly on {@code openTime + interval} opening the next candle, and every
 * empty interval between two trades written as a forward-filled candle from the last close (open
 * = high = low = close, volume 0, trades 0). The candle open at the end is written by {@link
 * #finish()}. Decimals are written as the trades had them (no exponent).
 *
 * <p>Columns: {@code open_time_ms,open,high,low,close,volume,trades}, preceded by the symbol when
 * {@code symbolColumn} is given (a run of several symbols shares one file).
 */
final class CandleWriter {
  private final long intervalMs;
  private final Writer out;
  private final String symbolColumn;
  private boolean open;
  private long openTimeMs;
  private BigDecimal first;
  private BigDecimal high;
  private BigDecimal low;
  private BigDecimal close;
  private BigDecimal volume;
  private int trades;
  private long written;

  /**
   * @param symbolColumn the value of a leading {@code symbol} column, or null for none
   */
  CandleWriter(long intervalMs, Writer out, String symbolColumn) {
    this.intervalMs = intervalMs;
    this.out = out;
    this.symbolColumn = symbolColumn;
  }

  static String header(boolean symbolColumn) {
    return (symbolColumn ? "symbol," : "") + "open_time_ms,open,high,low,close,volume,trades";
  }

  /** Folds in a trade (not older than the open candle), first writing the candles it closes. */
  void onTrade(Trade trade) {
    long t = trade.timestampMs();
    BigDecimal price = trade.price();
    if (open && t - openTimeMs < intervalMs) {
      if (price.compareTo(high) > 0) {
        high = price;
      } else if (price.compareTo(low) < 0) {
        low = price;
      }
      close = price;
      volume = volume.add(trade.quantity());
      trades++;
      return;
    }
    long bucket = Math.floorDiv(t, intervalMs) * intervalMs;
    if (open) {
      write();
      for (long gap = openTimeMs + intervalMs; gap < bucket; gap += intervalMs) {
        row(gap, close, close, close, close, BigDecimal.ZERO, 0);
      }
    }
    open = true;
    openTimeMs = bucket;
    first = price;
    high = price;
    low = price;
    close = price;
    volume = trade.quantity();
    trades = 1;
  }

  /** Writes the candle still open, if any. */
  void finish() {
    if (open) {
      write();
      open = false;
    }
  }

  /** Candles written so far. */
  long written() {
    return written;
  }

  private void write() {
    row(openTimeMs, first, high, low, close, volume, trades);
  }

  private void row(long at, BigDecimal o, BigDecimal h, BigDecimal l, BigDecimal c, BigDecimal v, int n) {
    StringBuilder line = new StringBuilder(96);
    if (symbolColumn != null) {
      line.append(symbolColumn).append(',');
    }
    line.append(at).append(',').append(o.toPlainString()).append(',').append(h.toPlainString()).append(',')
        .append(l.toPlainString()).append(',').append(c.toPlainString()).append(',').append(v.toPlainString()).append(',').append(n)
        .append('\n');
    try {
      out.write(line.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written++;
  }
}
