package io.pekkotrader.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The symbols the engine trades now: the configured ones, then every addition and removal made
 * at run time, in order. Immutable; {@code version} grows by one with each change, so a node that
 * hears of catalogues out of order keeps the newest.
 *
 * <p>The rules of a change, checked by {@link #refusesAdd} and {@link #refusesRemove} before it is
 * recorded:
 *
 * <table>
 *   <caption>changes</caption>
 *   <tr><th>change</th><th>refused when</th><th>code</th></tr>
 *   <tr><td>add</td><td>the symbol is traded already</td><td>{@code symbol_exists}</td></tr>
 *   <tr><td>remove</td><td>the symbol is not traded</td><td>{@code unknown_symbol}</td></tr>
 *   <tr><td>remove</td><td>it is the last {@code <asset><account>} quoted in the account asset
 *       while the engine keeps cash in {@code <asset>} (its price values that cash)</td>
 *       <td>{@code conversion_symbol}</td></tr>
 * </table>
 *
 * Whether the symbol is flat is the symbol's own question (see {@code SymbolTrader.Pause}); this
 * class only knows the list.
 */
public record SymbolCatalogue(long version, List<SymbolListing> listings) {

  public SymbolCatalogue {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0");
    }
    listings = List.copyOf(listings);
  }

  /** Why a change is refused: a stable code and a sentence for the operator. */
  public record Refusal(String code, String message) {}

  /** The configured symbols, before any change (version 0). */
  public static SymbolCatalogue configured(List<SymbolListing> listings) {
    return new SymbolCatalogue(0, listings);
  }

  public List<SymbolId> ids() {
    return listings.stream().map(SymbolListing::id).toList();
  }

  /** The listing of {@code id}, or null when it is not traded. */
  public SymbolListing listing(SymbolId id) {
    for (SymbolListing listing : listings) {
      if (listing.id().equals(id)) {
        return listing;
      }
    }
    return null;
  }

  public boolean contains(SymbolId id) {
    return listing(id) != null;
  }

  /** The symbols traded on {@code venue}, in catalogue order. */
  public List<SymbolId> onVenue(String venue) {
    return ids().stream().filter(id -> id.venue().equals(venue)).toList();
  }

  /** Null when {@code listing} may be added, else why not. */
  public Refusal refusesAdd(SymbolListing listing) {
    if (contains(listing.id())) {
      return new Refusal("symbol_exists", "symbol " + listing.id() + " is traded already");
    }
    return null;
  }

  /**
   * Null when {@code id} may be removed, else why not.
   *
   * @param accountAsset the asset risk and reporting count in
   * @param cashAssets every asset the engine keeps cash in
   */
  public Refusal refusesRemove(SymbolId id, String accountAsset, java.util.Collection<String> cashAssets) {
    SymbolListing listing = listing(id);
    if (listing == null) {
      return new Refusal("unknown_symbol", "symbol " + id + " is not traded by this engine");
    }
    for (String asset : cashAssets) {
      if (!asset.equals(accountAsset) && converts(listing, asset, accountAsset) && otherConverters(id, asset, accountAsset) == 0) {
        return new Refusal(
            "conversion_symbol",
            "symbol " + id + " values the " + asset + " cash in " + accountAsset + " and no other traded symbol does;"
                + " it stays while cash is kept in " + asset);
      }
    }
    return null;
  }

  private static boolean converts(SymbolListing listing, String asset, String accountAsset) {
    return listing.id().symbol().equals(asset + accountAsset) && accountAsset.equals(listing.quoteAsset());
  }

  private long otherConverters(SymbolId removed, String asset, String accountAsset) {
    return listings.stream().filter(l -> !l.id().equals(removed) && converts(l, asset, accountAsset)).count();
  }

  /** With {@code listing} added at the end (its checks passed). */
  public SymbolCatalogue added(SymbolListing listing) {
    Objects.requireNonNull(listing, "listing");
    List<SymbolListing> next = new ArrayList<>(listings.size() + 1);
    for (SymbolListing existing : listings) {
      if (!existing.id().equals(listing.id())) {
        next.add(existing);
      }
    }
    next.add(listing);
    return new SymbolCatalogue(version + 1, next);
  }

  /** Without {@code id} (a symbol that is not listed leaves the list as it is, version still grows). */
  public SymbolCatalogue removed(SymbolId id) {
    return new SymbolCatalogue(version + 1, listings.stream().filter(l -> !l.id().equals(id)).toList());
  }
}
