package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Builders of test data shared by the domain and strategy tests. */
public final class TestData {
  public static final SymbolId BTCUSDT = SymbolId.parse("binance:BTCUSDT");
  public static final long MINUTE_MS = 60_000L;

  private TestData() {}

  public static BigDecimal dec(String value) {
    return new BigDecimal(value);
  }

  /** A public trade with the taker buying. */
  public static Trade trade(String tradeId, long timestampMs, String price, String quantity) {
    return new Trade(tradeId, timestampMs, dec(price), dec(quantity), Side.BUY);
  }

  /** Closed one-minute candles with O=H=L=C=close, one trade each, oldest first. */
  public static List<Candle> candlesClosingAt(String... closes) {
    List<Candle> candles = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      BigDecimal close = dec(closes[i]);
      candles.add(new Candle(i * MINUTE_MS, close, close, close, close, BigDecimal.ONE, 1));
    }
    return candles;
  }

  public static Position position(String quantity, String averagePrice) {
    return Position.of(dec(quantity), dec(averagePrice));
  }

  public static OrderIntent entryIntent(String clientOrderId, String quantity, String referencePrice) {
    return new OrderIntent(
        clientOrderId, BTCUSDT, IntentKind.ENTRY, Side.BUY, dec(quantity), dec(referencePrice), "test", "entry signal", 1_000L);
  }

  public static OrderIntent exitIntent(String clientOrderId, String quantity, String referencePrice) {
    return new OrderIntent(
        clientOrderId, BTCUSDT, IntentKind.EXIT, Side.SELL, dec(quantity), dec(referencePrice), "test", "exit signal", 2_000L);
  }

  public static Fill fill(String tradeId, String clientOrderId, Side side, String quantity, String price, String fee) {
    return new Fill(tradeId, clientOrderId, BTCUSDT, side, dec(quantity), dec(price), dec(fee), 3_000L);
  }

  public static Fill buy(String tradeId, String clientOrderId, String quantity, String price, String fee) {
    return fill(tradeId, clientOrderId, Side.BUY, quantity, price, fee);
  }

  public static Fill sell(String tradeId, String clientOrderId, String quantity, String price, String fee) {
    return fill(tradeId, clientOrderId, Side.SELL, quantity, price, fee);
  }

  /** A state built directly through the record constructor, so it may break any invariant. */
  public static SymbolState state(SymbolPhase phase, Position position, WorkingOrder order, String... anomalies) {
    return new SymbolState(BTCUSDT, phase, position, order, 0, 0, List.of(), 0, null, 0, List.of(anomalies));
  }

  /** A symbol that has warmed up and is flat. */
  public static SymbolState ready() {
    return SymbolState.initial(BTCUSDT).warmUpCompleted();
  }

  /** A symbol holding {@code quantity} bought at {@code price} through a complete entry. */
  public static SymbolState inPosition(String entryClientOrderId, String quantity, String price) {
    return ready()
        .intended(entryIntent(entryClientOrderId, quantity, price))
        .approved(entryClientOrderId)
        .filled(buy(entryClientOrderId + "-1", entryClientOrderId, quantity, price, "0"))
        .ended(entryClientOrderId, 0);
  }
}
