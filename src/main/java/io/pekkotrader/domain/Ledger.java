package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cash per quote asset, reservations and positions, in exact decimals booked at each asset's
 * precision as the venue books them (see {@link AssetPrecision}): one {@link CashBook} per
 * asset (e.g. {@code USDT} and {@code BTC}), and every operation works in the book of its
 * symbol's quote asset only. Immutable: every operation returns the ledger after it. Fills are
 * applied once per trade id (a bounded window of the most recent {@code DEDUP_WINDOW} trade ids
 * is kept; senders only re-send recent fills).
 *
 * <p>The account asset is the one risk and reporting count in; its starting cash is > 0, the
 * others' >= 0. Per asset, equity − starting cash = realized + unrealized PnL exactly. Figures in
 * the account asset are a {@link Valuation}: each book converted at the last price of the symbol
 * {@code <asset><account asset>} (e.g. {@code BTCUSDT}), never at an assumed rate.
 *
 * @param accountAsset e.g. {@code USDT}
 * @param books by asset; the account asset's is always there
 * @param fills fills applied
 * @param recentTradeIds trade ids of the most recent fills, oldest first (kept as a {@link
 *     TradeIdWindow}, so looking one up does not scan them)
 */
public record Ledger(String accountAsset, Map<String, CashBook> books, long fills, List<String> recentTradeIds) {

  public static final int DEDUP_WINDOW = 10_000;

  public Ledger {
    Objects.requireNonNull(accountAsset, "accountAsset");
    CashBook account = books.get(accountAsset);
    if (account == null || account.startingCash().signum() <= 0) {
      throw new IllegalArgumentException(
          "starting cash in the account asset " + accountAsset + " must be > 0, got "
              + (account == null ? "none" : account.startingCash().toPlainString()));
    }
    books = Collections.unmodifiableMap(new TreeMap<>(books));
    recentTradeIds = TradeIdWindow.of(recentTradeIds);
  }

  /** A ledger with {@code startingCash} (> 0) of one asset, which is the account asset. */
  public static Ledger start(String quoteAsset, BigDecimal startingCash) {
    return start(quoteAsset, Map.of(quoteAsset, startingCash));
  }

  /** A ledger with starting cash per asset; the account asset's must be there and > 0, the others >= 0. */
  public static Ledger start(String accountAsset, Map<String, BigDecimal> startingCash) {
    Map<String, CashBook> books = new TreeMap<>();
    startingCash.forEach((asset, cash) -> books.put(asset, CashBook.start(asset, cash)));
    return new Ledger(accountAsset, books, 0, List.of());
  }

  /**
   * With a book for {@code asset} holding {@code startingCash} (>= 0), when it has none: cash in an
   * asset configured after this ledger began. A book it has already is kept as it is.
   */
  public Ledger opened(String asset, BigDecimal startingCash) {
    if (books.containsKey(asset)) {
      return this;
    }
    Map<String, CashBook> more = new TreeMap<>(books);
    more.put(asset, CashBook.start(asset, startingCash));
    return new Ledger(accountAsset, more, fills, recentTradeIds);
  }

  /** The book of {@code asset}, or null when the ledger keeps no cash in it. */
  public CashBook book(String asset) {
    return books.get(asset);
  }

  /** Every reservation of every asset, by client order id. */
  public Map<String, Reservation> reservations() {
    Map<String, Reservation> all = new LinkedHashMap<>();
    books.values().forEach(book -> all.putAll(book.reservations()));
    return Collections.unmodifiableMap(all);
  }

  /** Every open position of every asset, by symbol id. */
  public Map<String, Position> positions() {
    Map<String, Position> all = new LinkedHashMap<>();
    books.values().forEach(book -> all.putAll(book.positions()));
    return Collections.unmodifiableMap(all);
  }

  public Position position(SymbolId symbol) {
    String asset = positionAsset(symbol);
    return asset == null ? Position.FLAT : books.get(asset).position(symbol);
  }

  /** The asset whose book holds the symbol's position, or null when it is flat. */
  public String positionAsset(SymbolId symbol) {
    for (CashBook book : books.values()) {
      if (book.positions().containsKey(symbol.id())) {
        return book.asset();
      }
    }
    return null;
  }

  /** The reservation of an order, or null. */
  public Reservation reservation(String clientOrderId) {
    for (CashBook book : books.values()) {
      Reservation reservation = book.reservations().get(clientOrderId);
      if (reservation != null) {
        return reservation;
      }
    }
    return null;
  }

  /**
   * The asset an order of {@code symbol} trades in: its reservation's, else the asset of the
   * position it changes, else {@code quoteAsset} (the symbol's configured quote asset). So a
   * position stays in the book it was opened in.
   */
  public String assetFor(SymbolId symbol, String clientOrderId, String quoteAsset) {
    Reservation reservation = clientOrderId == null ? null : reservation(clientOrderId);
    if (reservation != null) {
      return reservation.asset();
    }
    String held = positionAsset(symbol);
    return held != null ? held : quoteAsset;
  }

  public boolean hasApplied(String tradeId) {
    return recentTradeIds.contains(tradeId);
  }

  /** Whether {@code amount} of {@code asset} can be reserved now (or the order already holds a reservation). */
  public boolean canReserve(String clientOrderId, String asset, BigDecimal amount) {
    if (reservation(clientOrderId) != null) {
      return true;
    }
    CashBook book = books.get(asset);
    return book != null && book.canReserve(amount);
  }

  /**
   * Why a spot venue cannot take the fill in {@code asset}: the ledger keeps no cash in that
   * asset, the symbol's position is held in another asset, or a sell exceeds the long position
   * held. The ledger itself accounts for shorts; the last is the rule of the spot engine.
   */
  public String whyNotApplicable(Fill fill, String asset) {
    if (!books.containsKey(asset)) {
      return "no cash is kept in " + asset + ", the quote asset of " + fill.symbol();
    }
    String held = positionAsset(fill.symbol());
    if (held != null && !held.equals(asset)) {
      return "the position in " + fill.symbol() + " is held in " + held + ", not in " + asset;
    }
    return sellBeyond(fill, position(fill.symbol()));
  }

  /** Why a spot venue cannot take {@code fill} against {@code position}: a sell beyond the long held; null when it can. */
  static String sellBeyond(Fill fill, Position position) {
    if (fill.side() == Side.SELL && position.quantity().compareTo(fill.quantity()) < 0) {
      return "sell of " + fill.quantity().toPlainString() + " exceeds the position of "
          + position.quantity().toPlainString() + " in " + fill.symbol();
    }
    return null;
  }

  /**
   * Holds a reservation in its asset (null: the account asset). Idempotent per client order id.
   * A journal may name an asset no longer configured: its book then opens with zero starting
   * cash, and {@link #violations()} tells.
   */
  public Ledger reserve(Reservation reservation) {
    if (reservation(reservation.clientOrderId()) != null) {
      return this;
    }
    String asset = reservation.asset() == null ? accountAsset : reservation.asset();
    return withBook(bookOrEmpty(asset).reserve(reservation.in(asset)), fills, recentTradeIds);
  }

  /** Releases whatever is left of an order's reservation (order ended). */
  public Ledger release(String clientOrderId) {
    Reservation reservation = reservation(clientOrderId);
    if (reservation == null) {
      return this;
    }
    return withBook(books.get(reservation.asset()).release(clientOrderId), fills, recentTradeIds);
  }

  /** Applies a fill of a symbol quoted in the account asset, at {@link AssetPrecision#DEFAULT} (see {@link #applyFill(Fill, String, AssetPrecision)}). */
  public Ledger applyFill(Fill fill) {
    return applyFill(fill, accountAsset, AssetPrecision.DEFAULT);
  }

  /** Applies a fill at {@link AssetPrecision#DEFAULT} (see {@link #applyFill(Fill, String, AssetPrecision)}). */
  public Ledger applyFill(Fill fill, String asset) {
    return applyFill(fill, asset, AssetPrecision.DEFAULT);
  }

  /**
   * Applies a fill once, in the book of {@code asset} (null: the account asset) only, its quote
   * amount (price × quantity) and fee booked at {@code precision} as the venue books them (null:
   * exactly, as the fills of journals written before asset precision were): a buy commits its cost
   * from the order's reservation (what the reservation does not cover comes out of free cash), a
   * sell returns its proceeds and realizes PnL against the average price. Fees (in the same asset)
   * always reduce realized PnL.
   */
  public Ledger applyFill(Fill fill, String asset, AssetPrecision precision) {
    if (hasApplied(fill.tradeId())) {
      return this;
    }
    String in = asset == null ? accountAsset : asset;
    TradeIdWindow ids = ((TradeIdWindow) recentTradeIds).appended(fill.tradeId(), DEDUP_WINDOW);
    return withBook(bookOrEmpty(in).applyFill(fill, precision), fills + 1, ids);
  }

  private CashBook bookOrEmpty(String asset) {
    CashBook book = books.get(asset);
    return book != null ? book : CashBook.start(asset, BigDecimal.ZERO);
  }

  private Ledger withBook(CashBook book, long fillCount, List<String> tradeIds) {
    Map<String, CashBook> next = new TreeMap<>(books);
    next.put(book.asset(), book);
    return new Ledger(accountAsset, next, fillCount, tradeIds);
  }

  /**
   * What one unit of {@code asset} is worth in the account asset: 1 for the account asset, else
   * the last price of a symbol named {@code <asset><account asset>} (the first by id when several
   * venues trade it), else null (unknown: never assumed).
   */
  public BigDecimal rate(String asset, Map<String, BigDecimal> lastPrices) {
    if (asset.equals(accountAsset)) {
      return BigDecimal.ONE;
    }
    String pair = ":" + asset + accountAsset;
    BigDecimal rate = null;
    String chosen = null;
    for (Map.Entry<String, BigDecimal> entry : lastPrices.entrySet()) {
      // a symbol id has one colon: the id ends with ":BTCUSDT" exactly when its symbol is BTCUSDT
      if (entry.getKey().endsWith(pair) && (chosen == null || entry.getKey().compareTo(chosen) < 0)) {
        chosen = entry.getKey();
        rate = entry.getValue();
      }
    }
    return rate;
  }

  /** Every book and the account's totals in the account asset, at these last prices (see {@link Valuation}). */
  public Valuation valuation(Map<String, BigDecimal> lastPrices) {
    return Valuation.of(this, lastPrices);
  }

  /** Equity in the account asset of the books whose rate is known (see {@link #valuation}). */
  public BigDecimal equity(Map<String, BigDecimal> lastPrices) {
    return valuation(lastPrices).equity();
  }

  /**
   * Broken invariants, empty when consistent, per asset exactly: cash + Σ cost basis of the
   * asset's positions = its starting cash + its realized PnL; no negative cash, reservation or
   * available cash in any asset; no symbol held in two assets; no trade id applied twice.
   */
  public List<String> violations() {
    List<String> found = new ArrayList<>();
    Set<String> held = new HashSet<>();
    for (CashBook book : books.values()) {
      found.addAll(book.violations());
      for (String symbol : book.positions().keySet()) {
        if (!held.add(symbol)) {
          found.add(symbol + " is held in two assets");
        }
      }
    }
    if (((TradeIdWindow) recentTradeIds).hasDuplicates()) {
      found.add("a trade id was applied twice");
    }
    return found;
  }
}
