package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.venue.VenueDialects;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradeFileTest {
  @TempDir Path dir;

  @Test
  void readsTheEngineTradesCsvWithItsHeader() throws IOException {
    Path file = write("trades.csv", "timestamp_ms,price,quantity,side,trade_id\n1000,60000.10,0.5,buy,a1\n1000,60000.20,0.25,sell,a2\n\n2000,59999.9,1,buy,a3\n");

    List<Trade> trades = readAll(file, TradeFile.Format.ENGINE_CSV);

    assertEquals(List.of(
        new Trade("a1", 1000, new BigDecimal("60000.10"), new BigDecimal("0.5"), Side.BUY),
        new Trade("a2", 1000, new BigDecimal("60000.20"), new BigDecimal("0.25"), Side.SELL),
        new Trade("a3", 2000, new BigDecimal("59999.9"), new BigDecimal("1"), Side.BUY)), trades);
    assertEquals("60000.10", trades.get(0).price().toPlainString(), "decimals are kept as written");
  }

  @Test
  void readsABinanceSpotDumpWithoutHeaderAndMicrosecondTimes() throws IOException {
    Path file = write("BTCUSDT-trades.csv",
        "4200000000,93531.90,0.26241000,24543.70587900,1735689602171703,False,True\n"
            + "4200000001,93600.19,0.34764000,32539.17005160,1735689604091999,True,True\n");

    List<Trade> trades = readAll(file, TradeFile.Format.BINANCE_DUMP);

    assertEquals(new Trade("4200000000", 1735689602171L, new BigDecimal("93531.90"), new BigDecimal("0.26241000"), Side.BUY), trades.get(0));
    assertEquals(1735689604091L, trades.get(1).timestampMs(), "microseconds floored to milliseconds");
    assertEquals(Side.SELL, trades.get(1).takerSide(), "the buyer was the maker: the taker sold");
  }

  @Test
  void readsABinanceFuturesDumpWithHeaderAndMillisecondTimes() throws IOException {
    Path file = write("BTCUSDT-trades-futures.csv",
        "id,price,qty,quote_qty,time,is_buyer_maker\n" + "5000,42000.5,0.010,420.005,1704067200123,true\n" + "5001,42001.0,0.020,840.02,1704067200124,false\n");

    List<Trade> trades = readAll(file, TradeFile.Format.BINANCE_DUMP);

    assertEquals(List.of(1704067200123L, 1704067200124L), trades.stream().map(Trade::timestampMs).toList());
    assertEquals(List.of(Side.SELL, Side.BUY), trades.stream().map(Trade::takerSide).toList());
  }

  @Test
  void readsZipAndGzipFilesByTheirContent() throws IOException {
    String csv = "1,100.5,2,201,1700000000000,False,True\n2,100.6,1,100.6,1700000000001,True,True\n";
    Path zip = dir.resolve("BTCUSDT-trades-2023-11.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("BTCUSDT-trades-2023-11.csv"));
      out.write(csv.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Path gz = dir.resolve("trades.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    Path plain = write("plain.csv", csv);

    List<Trade> fromPlain = readAll(plain, TradeFile.Format.BINANCE_DUMP);

    assertEquals(2, fromPlain.size());
    assertEquals(fromPlain, readAll(zip, TradeFile.Format.BINANCE_DUMP));
    assertEquals(fromPlain, readAll(gz, TradeFile.Format.BINANCE_DUMP));
  }

  @Test
  void readsTheSymbolsTradesFromRawVenueFramesSkippingOtherMessages() throws IOException {
    var binance = VenueDialects.forVenue("binance");
    Trade first = new Trade("11", 1700000000000L, new BigDecimal("60000.01"), new BigDecimal("0.001"), Side.BUY);
    Trade other = new Trade("12", 1700000000001L, new BigDecimal("3000.5"), new BigDecimal("0.1"), Side.SELL);
    Trade second = new Trade("13", 1700000000002L, new BigDecimal("60000.02"), new BigDecimal("0.002"), Side.SELL);
    Path file = write("capture.jsonl", String.join("\n",
        "{\"result\":null,\"id\":1}",
        binance.encodeTrade("BTCUSDT", first),
        binance.encodeTrade("ETHUSDT", other),
        binance.encodeTrade("BTCUSDT", second)) + "\n");

    try (TradeFile trades = TradeFile.open(file, "BTCUSDT")) {
      assertEquals(TradeFile.Format.VENUE_FRAMES, trades.format());
      assertEquals(first, trades.next());
      assertEquals("binance", trades.venue());
      assertEquals(second, trades.next());
      assertNull(trades.next());
    }
  }

  @Test
  void refusesUnsortedTradesNamingFileAndLine() throws IOException {
    Path file = write("unsorted.csv", "timestamp_ms,price,quantity,side,trade_id\n2000,1,1,buy,a\n1999,1,1,buy,b\n");

    BacktestInputException e = assertThrows(BacktestInputException.class, () -> readAll(file, TradeFile.Format.ENGINE_CSV));

    assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
    assertTrue(e.getMessage().contains("time order"), e.getMessage());
  }

  @Test
  void refusesABadDecimalNamingFileAndLine() throws IOException {
    Path file = write("bad.csv", "timestamp_ms,price,quantity,side,trade_id\n1000,1.5,1,buy,a\n1001,1.5x,1,buy,b\n");

    BacktestInputException e = assertThrows(BacktestInputException.class, () -> readAll(file, TradeFile.Format.ENGINE_CSV));

    assertEquals(file + ":3: price '1.5x' is not a decimal", e.getMessage());
  }

  @Test
  void refusesUnknownColumnsAndEmptyFiles() throws IOException {
    Path unknown = write("unknown.csv", "time,open,high,low,close\n1,2,3,4,5\n");
    Path empty = write("empty.csv", "");
    Path headerOnly = write("header.csv", "timestamp_ms,price,quantity,side,trade_id\n");

    BacktestInputException columns = assertThrows(BacktestInputException.class, () -> TradeFile.open(unknown, "BTCUSDT"));
    BacktestInputException nothing = assertThrows(BacktestInputException.class, () -> TradeFile.open(empty, "BTCUSDT"));
    BacktestInputException noTrades = assertThrows(BacktestInputException.class, () -> readAll(headerOnly, TradeFile.Format.ENGINE_CSV));

    assertTrue(columns.getMessage().startsWith(unknown + ":1: unknown columns 'time,open,high,low,close'"), columns.getMessage());
    assertEquals(empty + ": the file is empty", nothing.getMessage());
    assertEquals(headerOnly + ": no trades after the header", noTrades.getMessage());
  }

  @Test
  void refusesAZeroPriceAndAnUnknownSide() throws IOException {
    Path zero = write("zero.csv", "timestamp_ms,price,quantity,side,trade_id\n1000,0,1,buy,a\n");
    Path side = write("side.csv", "timestamp_ms,price,quantity,side,trade_id\n1000,1,1,hold,a\n");

    assertTrue(assertThrows(BacktestInputException.class, () -> readAll(zero, TradeFile.Format.ENGINE_CSV)).getMessage()
        .startsWith(zero + ":2: trade price must be > 0"));
    assertEquals(side + ":2: side 'hold' is neither buy nor sell",
        assertThrows(BacktestInputException.class, () -> readAll(side, TradeFile.Format.ENGINE_CSV)).getMessage());
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static List<Trade> readAll(Path file, TradeFile.Format expected) {
    List<Trade> trades = new ArrayList<>();
    try (TradeFile in = TradeFile.open(file, "BTCUSDT")) {
      assertEquals(expected, in.format());
      for (Trade t = in.next(); t != null; t = in.next()) {
        trades.add(t);
      }
    }
    return trades;
  }
}
