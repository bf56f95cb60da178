package io.pekkotrader.domain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The precision each asset's amounts are booked at (see {@link AssetPrecision}): set per asset,
 * else {@code fallback}.
 *
 * @param fallback for every asset not in {@code byAsset}
 * @param byAsset by asset name ({@code USDT}, {@code BTC})
 */
public record AssetPrecisions(AssetPrecision fallback, Map<String, AssetPrecision> byAsset) {

  /** Every asset at {@link AssetPrecision#DEFAULT}. */
  public static final AssetPrecisions DEFAULT = new AssetPrecisions(AssetPrecision.DEFAULT, Map.of());

  public AssetPrecisions {
    Objects.requireNonNull(fallback, "fallback");
    byAsset = Collections.unmodifiableMap(new TreeMap<>(byAsset));
  }

  /** The precision of {@code asset} (null: the fallback's). */
  public AssetPrecision of(String asset) {
    return asset == null ? fallback : byAsset.getOrDefault(asset, fallback);
  }
}
