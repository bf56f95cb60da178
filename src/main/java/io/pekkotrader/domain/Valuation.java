package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger in the account asset at one moment: each asset's book in its own asset, with its
 * rate to the account asset (see {@link Ledger#rate}), and the account's totals. A book whose
 * rate is unknown is left out of the totals, never converted at an assumed rate; {@link
 * #unconverted()} names it, and then the totals are not the whole account. Conversions are
 * exact products, so per converted asset and in total: equity − starting capital = realized +
 * unrealized PnL exactly.
 *
 * @param accountAsset the asset of the totals
 * @param pools by asset (the account asset first, then by name)
 * @param startingCapital Σ starting cash × rate of the converted books
 * @param equity Σ (cash + market value of positions) × rate
 * @param cash Σ cash × rate
 * @param reserved Σ reserved × rate
 * @param realizedPnl Σ realized PnL × rate
 * @param unrealizedPnl Σ unrealized PnL × rate
 * @param feesPaid Σ fees × rate
 * @param unconverted assets whose rate is unknown, by name (empty: the totals are complete)
 */
public record Valuation(
    String accountAsset,
    Map<String, Pool> pools,
    BigDecimal startingCapital,
    BigDecimal equity,
    BigDecimal cash,
    BigDecimal reserved,
    BigDecimal realizedPnl,
    BigDecimal unrealizedPnl,
    BigDecimal feesPaid,
    List<String> unconverted) {

  /**
   * One asset's book in that asset.
   *
   * @param rate what one unit is worth in the account asset; null when unknown
   * @param converted whether the rate is known, so the pool is in the account's totals
   */
  public record Pool(
      String asset,
      BigDecimal startingCash,
      BigDecimal cash,
      BigDecimal reserved,
      BigDecimal available,
      BigDecimal realizedPnl,
      BigDecimal unrealizedPnl,
      BigDecimal feesPaid,
      BigDecimal equity,
      BigDecimal rate,
      boolean converted) {}

  public Valuation {
    pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    unconverted = List.copyOf(unconverted);
  }

  /** Available cash in the account asset: cash − reserved. */
  public BigDecimal available() {
    return cash.subtract(reserved);
  }

  /** Whether every book is in the totals. */
  public boolean complete() {
    return unconverted.isEmpty();
  }

  /** The ledger valued at {@code lastPrices} (by symbol id; a position without one at its average price). */
  public static Valuation of(Ledger ledger, Map<String, BigDecimal> lastPrices) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    List<CashBook> books = new ArrayList<>();
    books.add(ledger.book(ledger.accountAsset()));
    ledger.books().values().stream().filter(b -> !b.asset().equals(ledger.accountAsset())).forEach(books::add);
    BigDecimal capital = BigDecimal.ZERO;
    BigDecimal equity = BigDecimal.ZERO;
    BigDecimal cash = BigDecimal.ZERO;
    BigDecimal reserved = BigDecimal.ZERO;
    BigDecimal realized = BigDecimal.ZERO;
    BigDecimal unrealized = BigDecimal.ZERO;
    BigDecimal fees = BigDecimal.ZERO;
    List<String> unconverted = new ArrayList<>();
    for (CashBook book : books) {
      BigDecimal rate = ledger.rate(book.asset(), lastPrices);
      Pool pool =
          new Pool(
              book.asset(),
              book.startingCash(),
              book.cash(),
              book.reserved(),
              book.available(),
              book.realizedPnl(),
              book.unrealizedPnl(lastPrices),
              book.feesPaid(),
              book.equity(lastPrices),
              rate,
              rate != null);
      pools.put(book.asset(), pool);
      if (rate == null) {
        unconverted.add(book.asset());
        continue;
      }
      capital = capital.add(pool.startingCash().multiply(rate));
      equity = equity.add(pool.equity().multiply(rate));
      cash = cash.add(pool.cash().multiply(rate));
      reserved = reserved.add(pool.reserved().multiply(rate));
      realized = realized.add(pool.realizedPnl().multiply(rate));
      unrealized = unrealized.add(pool.unrealizedPnl().multiply(rate));
      fees = fees.add(pool.feesPaid().multiply(rate));
    }
    return new Valuation(ledger.accountAsset(), pools, capital, equity, cash, reserved, realized, unrealized, fees, unconverted);
  }
}
