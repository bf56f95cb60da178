package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
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

/**
 * Random sequences of orders (reserve, partial fills, fill, cancel, reject, expire) and closes,
 * for longs and shorts on two symbols, applied to {@link Ledger} and to a reference ledger
 * written plainly here. After every step: cash, fees, quantities, equity and reserved funds agree
 * exactly; realized + unrealized = equity − starting cash exactly (zero drift); available cash is
 * never negative; an ended order leaves no reservation; with every position flat, realized PnL is
 * exactly the change in cash.
 */
class LedgerPropertiesTest {
  private static final BigDecimal START = new BigDecimal("100000");
  private static final BigDecimal LOT = new BigDecimal("0.001");
  private static final BigDecimal TICK = new BigDecimal("0.01");
  private static final List<SymbolId> SYMBOLS = List.of(SymbolId.parse("sim:BTCUSDT"), SymbolId.parse("sim:ETHUSDT"));

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

  /** The reference: plain sums, no division, no shared code with the ledger. */
  static final class Reference {
    BigDecimal cash = START;
    BigDecimal fees = BigDecimal.ZERO;
    final Map<SymbolId, BigDecimal> quantity = new HashMap<>();
    final Map<String, BigDecimal> reserved = new HashMap<>();
    final Map<SymbolId, BigDecimal> last = new HashMap<>();

    void fill(SymbolId symbol, Side side, BigDecimal qty, BigDecimal price, BigDecimal fee, String clientOrderId) {
      BigDecimal notional = qty.multiply(price);
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

  @Provide
  Arbitrary<List<Op>> scenarios() {
    Arbitrary<Op> order =
        Combinators.combine(
                Arbitraries.integers().between(0, 1),
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
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(1_000, 200_000), Arbitraries.integers().between(0, 20))
            .as(Close::new);
    return Arbitraries.frequencyOf(Tuple.of(4, order), Tuple.of(1, close)).list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 2000)
  void ledgerAgreesWithAPlainReferenceAfterEveryStep(@ForAll("scenarios") List<Op> scenario) {
    Ledger ledger = Ledger.start("USDT", START);
    Reference reference = new Reference();
    int n = 0;
    for (Op op : scenario) {
      String clientOrderId = "o-" + (++n);
      if (op instanceof Order order) {
        ledger = runOrder(ledger, reference, order, clientOrderId);
      } else {
        ledger = runClose(ledger, reference, (Close) op, clientOrderId);
      }
      assertAgree(ledger, reference);
    }
    assertEquals(0, ledger.reserved().signum(), "no reservation left once every order ended");
  }

  private static Ledger runOrder(Ledger ledger, Reference reference, Order order, String clientOrderId) {
    SymbolId symbol = SYMBOLS.get(order.symbol());
    BigDecimal qty = LOT.multiply(BigDecimal.valueOf(order.lots()));
    BigDecimal basePrice = TICK.multiply(BigDecimal.valueOf(order.priceTicks()));
    BigDecimal maxPrice = basePrice.add(TICK.multiply(BigDecimal.valueOf(order.parts())));
    BigDecimal feeRate = BigDecimal.valueOf(order.feeBps()).movePointLeft(4);

    if (order.side() == Side.BUY) {
      BigDecimal amount = qty.multiply(maxPrice).multiply(BigDecimal.ONE.add(feeRate));
      boolean affordable = reference.cash.subtract(reference.reservedTotal()).compareTo(amount) >= 0;
      assertEquals(affordable, ledger.canReserve(clientOrderId, amount), "reservation decision");
      if (!affordable) {
        return ledger;
      }
      ledger = ledger.reserve(new Reservation(clientOrderId, symbol, amount));
      reference.reserved.put(clientOrderId, amount);
      assertAgree(ledger, reference);
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
        BigDecimal price = basePrice.add(TICK.multiply(BigDecimal.valueOf(part)));
        BigDecimal fee = partQty.multiply(price).multiply(feeRate);
        Fill fill = new Fill(clientOrderId + "-" + part, clientOrderId, symbol, order.side(), partQty, price, fee, 0);
        ledger = ledger.applyFill(fill);
        assertEquals(ledger, ledger.applyFill(fill), "a fill applied twice changes nothing");
        reference.fill(symbol, order.side(), partQty, price, fee, clientOrderId);
        assertAgree(ledger, reference);
      }
    }
    ledger = ledger.release(clientOrderId);
    reference.reserved.remove(clientOrderId);
    assertNull(ledger.reservations().get(clientOrderId), "the ended order left its reservation");
    return ledger;
  }

  private static Ledger runClose(Ledger ledger, Reference reference, Close close, String clientOrderId) {
    SymbolId symbol = SYMBOLS.get(close.symbol());
    BigDecimal held = reference.quantity.getOrDefault(symbol, BigDecimal.ZERO);
    if (held.signum() == 0) {
      assertTrue(ledger.position(symbol).isFlat());
      return ledger;
    }
    Side side = held.signum() > 0 ? Side.SELL : Side.BUY;
    BigDecimal price = TICK.multiply(BigDecimal.valueOf(close.priceTicks()));
    BigDecimal fee = held.abs().multiply(price).multiply(BigDecimal.valueOf(close.feeBps()).movePointLeft(4));
    ledger = ledger.applyFill(new Fill(clientOrderId + "-1", clientOrderId, symbol, side, held.abs(), price, fee, 0));
    reference.fill(symbol, side, held.abs(), price, fee, clientOrderId);
    assertTrue(ledger.position(symbol).isFlat(), "a close leaves the symbol flat");
    return ledger;
  }

  private static void assertAgree(Ledger ledger, Reference reference) {
    assertExact(reference.cash, ledger.cash(), "cash");
    assertExact(reference.fees, ledger.feesPaid(), "fees");
    assertExact(reference.reservedTotal(), ledger.reserved(), "reserved");
    for (SymbolId symbol : SYMBOLS) {
      assertExact(reference.quantity.getOrDefault(symbol, BigDecimal.ZERO), ledger.position(symbol).quantity(), symbol + " quantity");
    }
    Map<String, BigDecimal> last = new HashMap<>();
    reference.last.forEach((symbol, price) -> last.put(symbol.id(), price));
    BigDecimal equity = reference.equity();
    assertExact(equity, ledger.equity(last), "equity");
    assertExact(equity.subtract(START), ledger.realizedPnl().add(ledger.unrealizedPnl(last)), "realized + unrealized (drift)");
    assertFalse(ledger.available().signum() < 0, "available cash went negative: " + ledger.available().toPlainString());
    if (reference.allFlat()) {
      assertExact(reference.cash.subtract(START), ledger.realizedPnl(), "realized PnL when flat");
    }
  }

  private static void assertExact(BigDecimal expected, BigDecimal actual, String what) {
    assertEquals(0, expected.compareTo(actual), what + ": expected " + expected.toPlainString() + ", got " + actual.toPlainString());
  }

  @Property(tries = 1000)
  void realizesShortProfitsWithThePositiveSign(
      @ForAll("ticks") int sellTicks, @ForAll("ticks") int coverTicks, @ForAll("lots") int lots) {
    SymbolId symbol = SYMBOLS.get(0);
    BigDecimal qty = LOT.multiply(BigDecimal.valueOf(lots));
    BigDecimal sell = TICK.multiply(BigDecimal.valueOf(sellTicks));
    BigDecimal cover = TICK.multiply(BigDecimal.valueOf(coverTicks));

    Ledger ledger =
        Ledger.start("USDT", START)
            .applyFill(new Fill("s", "o-1", symbol, Side.SELL, qty, sell, BigDecimal.ZERO, 0))
            .applyFill(new Fill("c", "o-2", symbol, Side.BUY, qty, cover, BigDecimal.ZERO, 0));

    assertExact(sell.subtract(cover).multiply(qty), ledger.realizedPnl(), "short PnL = (entry − exit) × quantity");
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
