package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.io.StringWriter;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CandleWriterTest {
  @Test
  void writesHandComputedCandlesWithEmptyIntervalsForwardFilledAndABoundaryTradeInTheNextCandle() {
    StringWriter out = new StringWriter();
    CandleWriter candles = new CandleWriter(60_000, out, null);

    candles.onTrade(trade(120_000, "100.0", "1"));
    candles.onTrade(trade(130_000, "101.5", "0.5"));
    candles.onTrade(trade(150_000, "99.25", "2"));
    candles.onTrade(trade(179_999, "100.5", "0.25"));
    // exactly on the boundary: opens the candle at 180000
    candles.onTrade(trade(180_000, "102", "1"));
    // two empty intervals (240000, 300000), then a trade at 360001
    candles.onTrade(trade(360_001, "98", "3"));
    candles.finish();

    assertEquals(String.join("\n",
        "120000,100.0,101.5,99.25,100.5,3.75,4",
        "180000,102,102,102,102,1,1",
        "240000,102,102,102,102,0,0",
        "300000,102,102,102,102,0,0",
        "360000,98,98,98,98,3,1") + "\n", out.toString());
    assertEquals(5, candles.written());
  }

  @Test
  void writesTheCandlesTheEnginesOwnAggregatorCloses() {
    StringWriter out = new StringWriter();
    CandleWriter candles = new CandleWriter(1_000, out, null);
    io.pekkotrader.domain.CandleAggregator engine = new io.pekkotrader.domain.CandleAggregator(1_000, 1_000);
    StringBuilder closed = new StringBuilder();
    java.util.Random random = new java.util.Random(3);
    long t = 0;
    for (int i = 0; i < 2_000; i++) {
      t += random.nextInt(1_500);
      Trade trade = trade(t, (100 + random.nextInt(50)) + "." + random.nextInt(100), "0." + (1 + random.nextInt(999)));
      candles.onTrade(trade);
      for (io.pekkotrader.domain.Candle c : engine.onTrade(trade)) {
        closed.append(c.openTimeMs()).append(',').append(c.open().toPlainString()).append(',').append(c.high().toPlainString()).append(',')
            .append(c.low().toPlainString()).append(',').append(c.close().toPlainString()).append(',').append(c.volume().toPlainString())
            .append(',').append(c.trades()).append('\n');
      }
    }

    assertEquals(closed.toString(), out.toString(), "every closed candle, forward fills included, as the engine builds it");
  }

  @Test
  void prefixesTheSymbolWhenSeveralShareTheFile() {
    StringWriter out = new StringWriter();
    CandleWriter candles = new CandleWriter(1_000, out, "binance:ETHUSDT");

    candles.onTrade(trade(-1, "5", "1"));
    candles.finish();

    assertEquals("binance:ETHUSDT,-1000,5,5,5,5,1,1\n", out.toString(), "negative times are floored to the interval");
    assertEquals("symbol,open_time_ms,open,high,low,close,volume,trades", CandleWriter.header(true));
  }

  private static Trade trade(long atMs, String price, String quantity) {
    return new Trade("t" + atMs, atMs, new BigDecimal(price), new BigDecimal(quantity), Side.BUY);
  }
}
