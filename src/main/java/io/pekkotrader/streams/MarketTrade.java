package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;

/** A decoded trade and the symbol it belongs to, as it flows from a venue to its SymbolTrader. */
public record MarketTrade(SymbolId symbol, Trade trade) {}
