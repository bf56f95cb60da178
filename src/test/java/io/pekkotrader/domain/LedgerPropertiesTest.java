package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of orders (reserve, partial fills, fill, cancel, reject, expire) and closes,
 * for longs and shorts on three symbols quoted in two assets (BTCUSDT and ETHUSDT in USDT, ETHBTC
 * in BTC), each asset booked at a generated precision (decimals and rounding mode), applied to
 * {@link Ledger} and to a reference ledger written plainly here. After every
 * step, per asset: cash, fees, quantities, equity and reserved funds agree exactly; realized +
 * unrealized = equity − starting cash exactly (zero drift); available cash is never negative; an
 * ended order leaves no reservation; with every position flat, realized PnL is exactly the change
 * in cash. In the account asset: BTC converts at the last BTCUSDT price once there is one (left
 * out, and named, before), and the converted totals keep equity − capital = realized +
 * unrealized exactly.
 */
class LedgerPropertiesTest {
  private static final BigDecimal START = new BigDecimal("100000");
  private static final BigDecimal START_BTC = new BigDecimal("2");
  private static final Map<String, BigDecimal> STARTS = Map.of("USDT", START, "BTC", START_BTC);
  private static final BigDecimal LOT = new BigDecimal("0.001");
  private static final List<SymbolId> SYMBOLS =
      List.of(SymbolId.parse("sim:BTCUSDT"), SymbolId.parse("sim:ETHUSDT"), SymbolId.parse("sim:ETHBTC"));
  /** The quote asset of each symbol, by index. */
  private static final List<String> ASSETS = List.of("USDT", "USDT", "BTC");
  /** Price ticks by quote asset: ETHBTC trades around 0.05 BTC. */
  private static final Map<String, BigDecimal> TICKS = Map.of("USDT", new BigDecimal("0.01"), "BTC", new BigDecimal("0.000001"));

  enum End {
    FILLED,
    CANCELED,
    REJECTED,
    EXPIRED
  }

  sealed interface Op {}

  /** An order: quantity in lots, base price in ticks, filled in parts up to a percentage. */
  record Order(int symbol, Side side, int lots, int priceTicks, int parts, int filledPercent, End end, int feeBps)
      implements Op {}

  /** Close the whole position of a symbol at a price, in one fill. */
  record Close(int symbol, int priceTicks, int feeBps) implements Op {}

  /**
   * The reference of one asset: plain sums, no division, no shared code with the ledger. Like the
   * venue, it books each fill's quote amount (quantity × price) and fee at the asset's decimals,
   * rounded by its rounding mode.
   */
  static final class Reference {
    final BigDecimal start;
    final int decimals;
    final RoundingMode rounding;
    BigDecimal cash;
    BigDecimal fees = BigDecimal.ZERO;
    final Map<SymbolId, BigDecimal> quantity = new HashMap<>();
    final Map<String, BigDecimal> reserved = new HashMap<>();
    final Map<SymbolId, BigDecimal> last;

    Reference(BigDecimal start, int decimals, RoundingMode rounding, Map<SymbolId, BigDecimal> last) {
      this.start = start;
      this.decimals = decimals;
      this.rounding = rounding;
      this.cash = start;
      this.last = last;
    }

    /** What a venue books of {@code amount}. */
    BigDecimal booked(BigDecimal amount) {
      return amount.setScale(decimals, rounding);
    }

    /** A hold of at least {@code amount} at the asset's decimals. */
    BigDecimal covering(BigDecimal amount) {
      return amount.setScale(decimals, RoundingMode.CEILING);
    }

    void fill(SymbolId symbol, Side side, BigDecimal qty, BigDecimal price, BigDecimal reportedFee, String clientOrderId) {
      BigDecimal notional = booked(qty.multiply(price));
      BigDecimal fee = booked(reportedFee);
      if (side == Side.BUY) {
        cash = cash.subtract(notional).subtract(fee);
        quantity.merge(symbol, qty, BigDecimal::add);
        BigDecimal held = reserved.get(clientOrderId);
        if (held != null) {
          BigDecimal left = held.subtract(notional).subtract(fee);
          reserved.put(clientOrderId, left.signum() < 0 ? BigDecimal.ZERO : left);
        }
      } else {
        cash = cash.add(notional).subtract(fee);
        quantity.merge(symbol, qty.negate(), BigDecimal::add);
      }
      fees = fees.add(fee);
      last.put(symbol, price);
    }

    BigDecimal reservedTotal() {
      return reserved.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal equity() {
      BigDecimal value = cash;
      for (Map.Entry<SymbolId, BigDecimal> held : quantity.entrySet()) {
        if (held.getValue().signum() != 0) {
          value = value.add(held.getValue().multiply(last.get(held.getKey())));
        }
      }
      return value;
    }

    boolean allFlat() {
      return quantity.values().stream().allMatch(q -> q.signum() == 0);
    }
  }

  /** The references of both assets, sharing the last prices. */
  static final class References {
    final Map<SymbolId, BigDecimal> last = new HashMap<>();
    final Map<String, Reference> byAsset;

    References(Precisions precisions) {
      byAsset =
          Map.of(
              "USDT", new Reference(START, precisions.usdtDecimals(), precisions.usdtRounding(), last),
              "BTC", new Reference(START_BTC, precisions.btcDecimals(), precisions.btcRounding(), last));
    }

    /** The precision the ledger books {@code asset} at, made from the reference's numbers. */
    AssetPrecision precision(String asset) {
      Reference reference = byAsset.get(asset);
      return new AssetPrecision(reference.decimals, reference.rounding);
    }

    Reference of(int symbol) {
      return byAsset.get(ASSETS.get(symbol));
    }
  }

  /** The decimals and rounding each asset is booked at in one scenario. */
  record Precisions(int usdtDecimals, RoundingMode usdtRounding, int btcDecimals, RoundingMode btcRounding) {}

  @Provide
  Arbitrary<Precisions> precisions() {
    Arbitrary<RoundingMode> roundings = Arbitraries.of(RoundingMode.class).filter(mode -> mode != RoundingMode.UNNECESSARY);
    return Combinators.combine(Arbitraries.of(0, 2, 8), roundings, Arbitraries.of(5, 8), roundings).as(Precisions::new);
  }

  @Provide
  Arbitrary<List<Op>> scenarios() {
    Arbitrary<Op> order =
        Combinators.combine(
                Arbitraries.integers().between(0, SYMBOLS.size() - 1),
                Arbitraries.of(Side.class),
                Arbitraries.integers().between(1, 500),
                Arbitraries.integers().between(1_000, 200_000),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 100),
                Arbitraries.of(End.class),
                Arbitraries.integers().between(0, 20))
            .as(Order::new);
    Arbitrary<Op> close =
        Combinators.combine(
                Arbitraries.integers().between(0, SYMBOLS.size() - 1),
                Arbitraries.integers().between(1_000, 200_000),
                Arbitraries.integers().between(0, 20))
            .as(Close::new);
    return Arbitraries.frequencyOf(Tuple.of(4, order), Tuple.of(1, close)).list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 2000)
  void ledgerAgreesWithAPlainReferenceAfterEveryStep(
      @ForAll("scenarios") List<Op> scenario, @ForAll("precisions") Precisions precisions) {
    Ledger ledger = Ledger.start("USDT", STARTS);
    References references = new References(precisions);
    int n = 0;
    for (Op op : scenario) {
      String clientOrderId = "o-" + (++n);
      if (op instanceof Order order) {
        ledger = runOrder(ledger, references, order, clientOrderId);
      } else {
        ledger = runClose(ledger, references, (Close) op, clientOrderId);
      }
      assertAgree(ledger, references);
    }
    for (String asset : STARTS.keySet()) {
      assertEquals(0, ledger.book(asset).reserved().signum(), "no " + asset + " reservation left once every order ended");
    }
    Statistics.label("assets traded").collect(scenario.stream().map(op -> ASSETS.get(symbolOf(op))).distinct().count());
    Statistics.label("BTC converted at the end").collect(references.last.containsKey(SYMBOLS.get(0)));
    Statistics.label("USDT decimals").collect(precisions.usdtDecimals());
  }

  private static int symbolOf(Op op) {
    return op instanceof Order order ? order.symbol() : ((Close) op).symbol();
  }

  private static Ledger runOrder(Ledger ledger, References references, Order order, String clientOrderId) {
    Reference reference = references.of(order.symbol());
    String asset = ASSETS.get(order.symbol());
    BigDecimal tick = TICKS.get(asset);
    SymbolId symbol = SYMBOLS.get(order.symbol());
    BigDecimal qty = LOT.multiply(BigDecimal.valueOf(order.lots()));
    BigDecimal basePrice = tick.multiply(BigDecimal.valueOf(order.priceTicks()));
    BigDecimal maxPrice = basePrice.add(tick.multiply(BigDecimal.valueOf(order.parts())));
    BigDecimal feeRate = BigDecimal.valueOf(order.feeBps()).movePointLeft(4);

    if (order.side() == Side.BUY) {
      // held as Portfolio holds it (rounded up to the asset's decimals), with two units of headroom
      // for the rounding of the quote amount and the fee, as RiskManager's price buffer gives it
      BigDecimal headroom = BigDecimal.ONE.movePointLeft(reference.decimals).multiply(BigDecimal.valueOf(2));
      BigDecimal amount = reference.covering(qty.multiply(maxPrice).multiply(BigDecimal.ONE.add(feeRate)).add(headroom));
      boolean affordable = reference.cash.subtract(reference.reservedTotal()).compareTo(amount) >= 0;
      assertEquals(affordable, ledger.canReserve(clientOrderId, asset, amount), "reservation decision");
      if (!affordable) {
        return ledger;
      }
      ledger = ledger.reserve(new Reservation(clientOrderId, symbol, amount, asset));
      reference.reserved.put(clientOrderId, amount);
      assertAgree(ledger, references);
    }

    if (order.end() != End.REJECTED) {
      long filledLots = order.end() == End.FILLED ? order.lots() : (long) order.lots() * order.filledPercent() / 100;
      long perPart = filledLots / order.parts();
      for (int part = 1; part <= order.parts() && filledLots > 0; part++) {
        long lots = part == order.parts() ? filledLots - perPart * (order.parts() - 1) : perPart;
        if (lots == 0) {
          continue;
        }
        BigDecimal partQty = LOT.multiply(BigDecimal.valueOf(lots));
        BigDecimal price = basePrice.add(tick.multiply(BigDecimal.valueOf(part)));
        BigDecimal fee = partQty.multiply(price).multiply(feeRate);
        Fill fill = new Fill(clientOrderId + "-" + part, clientOrderId, symbol, order.side(), partQty, price, fee, 0);
        ledger = ledger.applyFill(fill, asset, references.precision(asset));
        assertEquals(ledger, ledger.applyFill(fill, asset, references.precision(asset)), "a fill applied twice changes nothing");
        reference.fill(symbol, order.side(), partQty, price, fee, clientOrderId);
        assertAgree(ledger, references);
      }
    }
    ledger = ledger.release(clientOrderId);
    reference.reserved.remove(clientOrderId);
    assertNull(ledger.reservations().get(clientOrderId), "the ended order left its reservation");
    return ledger;
  }

  private static Ledger runClose(Ledger ledger, References references, Close close, String clientOrderId) {
    Reference reference = references.of(close.symbol());
    String asset = ASSETS.get(close.symbol());
    SymbolId symbol = SYMBOLS.get(close.symbol());
    BigDecimal held = reference.quantity.getOrDefault(symbol, BigDecimal.ZERO);
    if (held.signum() == 0) {
      assertTrue(ledger.position(symbol).isFlat());
      return ledger;
    }
    Side side = held.signum() > 0 ? Side.SELL : Side.BUY;
    BigDecimal price = TICKS.get(asset).multiply(BigDecimal.valueOf(close.priceTicks()));
    BigDecimal fee = held.abs().multiply(price).multiply(BigDecimal.valueOf(close.feeBps()).movePointLeft(4));
    ledger =
        ledger.applyFill(
            new Fill(clientOrderId + "-1", clientOrderId, symbol, side, held.abs(), price, fee, 0), asset, references.precision(asset));
    reference.fill(symbol, side, held.abs(), price, fee, clientOrderId);
    assertTrue(ledger.position(symbol).isFlat(), "a close leaves the symbol flat");
    return ledger;
  }

  private static void assertAgree(Ledger ledger, References references) {
    Map<String, BigDecimal> last = new HashMap<>();
    references.last.forEach((symbol, price) -> last.put(symbol.id(), price));
    for (Map.Entry<String, Reference> entry : references.byAsset.entrySet()) {
      assertAgree(entry.getKey(), ledger.book(entry.getKey()), entry.getValue(), last);
    }
    for (SymbolId symbol : SYMBOLS) {
      BigDecimal quantity = BigDecimal.ZERO;
      for (Reference reference : references.byAsset.values()) {
        quantity = quantity.add(reference.quantity.getOrDefault(symbol, BigDecimal.ZERO));
      }
      assertExact(quantity, ledger.position(symbol).quantity(), symbol + " quantity");
    }
    assertEquals(List.of(), ledger.violations());

    // in the account asset: BTC at the last BTCUSDT price, or left out while there is none
    BigDecimal rate = references.last.get(SYMBOLS.get(0));
    Reference usdt = references.byAsset.get("USDT");
    Reference btc = references.byAsset.get("BTC");
    Valuation valuation = ledger.valuation(last);
    BigDecimal equity = rate == null ? usdt.equity() : usdt.equity().add(btc.equity().multiply(rate));
    BigDecimal capital = rate == null ? START : START.add(START_BTC.multiply(rate));
    assertEquals(rate == null ? List.of("BTC") : List.of(), valuation.unconverted(), "assets left out");
    assertExact(equity, valuation.equity(), "equity in USDT");
    assertExact(capital, valuation.startingCapital(), "starting capital in USDT");
    assertExact(
        equity.subtract(capital), valuation.realizedPnl().add(valuation.unrealizedPnl()), "converted realized + unrealized (drift)");
  }

  private static void assertAgree(String asset, CashBook book, Reference reference, Map<String, BigDecimal> last) {
    assertExact(reference.cash, book.cash(), asset + " cash");
    assertExact(reference.fees, book.feesPaid(), asset + " fees");
    assertExact(reference.reservedTotal(), book.reserved(), asset + " reserved");
    BigDecimal equity = reference.equity();
    assertExact(equity, book.equity(last), asset + " equity");
    assertExact(equity.subtract(reference.start), book.realizedPnl().add(book.unrealizedPnl(last)), asset + " realized + unrealized (drift)");
    assertFalse(book.available().signum() < 0, asset + " available cash went negative: " + book.available().toPlainString());
    if (reference.allFlat()) {
      assertExact(reference.cash.subtract(reference.start), book.realizedPnl(), asset + " realized PnL when flat");
    }
    assertAtDecimals(reference.decimals, book.cash(), asset + " cash");
    assertAtDecimals(reference.decimals, book.feesPaid(), asset + " fees");
    assertAtDecimals(reference.decimals, book.realizedPnl(), asset + " realized PnL");
    assertAtDecimals(reference.decimals, book.reserved(), asset + " reserved");
  }

  /** What the ledger books carries no more decimals than the venue's balance of the asset. */
  private static void assertAtDecimals(int decimals, BigDecimal amount, String what) {
    assertTrue(
        amount.stripTrailingZeros().scale() <= decimals,
        what + " has more than " + decimals + " decimals: " + amount.toPlainString());
  }

  private static void assertExact(BigDecimal expected, BigDecimal actual, String what) {
    assertEquals(0, expected.compareTo(actual), what + ": expected " + expected.toPlainString() + ", got " + actual.toPlainString());
  }

  @Property(tries = 1000)
  void realizesShortProfitsWithThePositiveSign(
      @ForAll("ticks") int sellTicks, @ForAll("ticks") int coverTicks, @ForAll("lots") int lots) {
    SymbolId symbol = SYMBOLS.get(0);
    BigDecimal qty = LOT.multiply(BigDecimal.valueOf(lots));
    BigDecimal sell = TICKS.get("USDT").multiply(BigDecimal.valueOf(sellTicks));
    BigDecimal cover = TICKS.get("USDT").multiply(BigDecimal.valueOf(coverTicks));

    Ledger ledger =
        Ledger.start("USDT", START)
            .applyFill(new Fill("s", "o-1", symbol, Side.SELL, qty, sell, BigDecimal.ZERO, 0))
            .applyFill(new Fill("c", "o-2", symbol, Side.BUY, qty, cover, BigDecimal.ZERO, 0));

    assertExact(sell.subtract(cover).multiply(qty), ledger.book("USDT").realizedPnl(), "short PnL = (entry − exit) × quantity");
  }

  @Provide
  Arbitrary<Integer> ticks() {
    return Arbitraries.integers().between(1, 1_000_000);
  }

  @Provide
  Arbitrary<Integer> lots() {
    return Arbitraries.integers().between(1, 100_000);
  }

}
