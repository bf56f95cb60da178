package io.pekkotrader.domain.risk;

import io.pekkotrader.domain.IntentKind;
import java.math.BigDecimal;

/**
 * Every pre-trade check, in the fixed order they run (declaration order); the first that fails is
 * the decision's reason code. Entries run all of them; exits, which only reduce risk, run only
 * the ones a venue would enforce anyway (circuit breaker and venue filters), so the kill switch,
 * loss limits, cooldowns and rate limits never trap a position.
 *
 * <p>Money limits are in the account asset: an entry's amounts (in its symbol's quote asset) are
 * converted at the context's rate before they are compared. An entry whose rate is unknown, or
 * taken while the portfolio's figures leave an asset out, fails {@link #NO_CONVERSION_RATE}
 * before any check that would need the rate or the whole account.
 */
public enum RiskCheck {
  KILL_SWITCH("kill_switch", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return c.killSwitchEngaged() ? "kill switch engaged: " + c.killSwitchReason() : null;
    }
  },
  NO_CONVERSION_RATE("no_conversion_rate", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      if (c.quoteAsset() == null) {
        return "no cash is kept in a quote asset of " + r.intent().symbol();
      }
      if (c.conversionRate() == null) {
        return "no price yet to value " + c.quoteAsset() + " in the account asset: " + r.intent().symbol()
            + " cannot be held to limits set in it";
      }
      return c.unconvertedAssets().isEmpty()
          ? null
          : "no price yet to value " + String.join(", ", c.unconvertedAssets())
              + " in the account asset: the day's PnL, drawdown and exposure are not known";
    }
  },
  DAILY_LOSS_LIMIT("daily_loss_limit", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return c.dailyPnl().compareTo(l.maxDailyLoss().negate()) <= 0
          ? "daily PnL " + plain(c.dailyPnl()) + " has reached the loss limit of " + plain(l.maxDailyLoss())
          : null;
    }
  },
  MAX_LOSS_PER_TRADE("max_loss_per_trade", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      if (r.stopPrice() == null) {
        return "an entry must carry a stop price";
      }
      BigDecimal loss =
          r.intent().referencePrice().subtract(r.stopPrice()).abs().multiply(r.intent().quantity()).multiply(c.conversionRate());
      return loss.compareTo(l.maxLossPerTrade()) > 0
          ? "loss at the stop " + plain(loss) + " exceeds " + plain(l.maxLossPerTrade())
          : null;
    }
  },
  MAX_OPEN_POSITIONS("max_open_positions", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return openPositionsFailure(c.openPositions() + c.workingEntries(), l.maxOpenPositions());
    }
  },
  DUPLICATE_POSITION("duplicate_position", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      if (c.symbolHasPosition()) {
        return r.intent().symbol() + " already holds a position";
      }
      return c.symbolHasWorkingOrder() ? r.intent().symbol() + " already has a working order" : null;
    }
  },
  COOLDOWN("cooldown", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return c.nowMs() < c.symbolCooldownUntilMs()
          ? r.intent().symbol() + " cools down for " + (c.symbolCooldownUntilMs() - c.nowMs()) + " ms more"
          : null;
    }
  },
  CIRCUIT_BREAKER_OPEN("circuit_breaker_open", true) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return c.venueBreakerOpen() ? "the circuit breaker of " + r.intent().symbol().venue() + " is open" : null;
    }
  },
  MAX_NOTIONAL_PER_ORDER("max_notional_per_order", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      BigDecimal notional = accountNotional(r, c);
      return notional.compareTo(l.maxNotionalPerOrder()) > 0
          ? "order notional " + plain(notional) + " exceeds " + plain(l.maxNotionalPerOrder())
          : null;
    }
  },
  MAX_NOTIONAL_PER_SYMBOL("max_notional_per_symbol", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      BigDecimal after = c.symbolNotional().add(accountNotional(r, c));
      return after.compareTo(l.maxNotionalPerSymbol()) > 0
          ? r.intent().symbol() + " notional would be " + plain(after) + ", limit " + plain(l.maxNotionalPerSymbol())
          : null;
    }
  },
  MAX_GROSS_EXPOSURE("max_gross_exposure", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      BigDecimal after = c.grossExposure().add(accountNotional(r, c));
      BigDecimal limit = c.startingCapital().multiply(l.maxGrossExposureMultiple());
      return after.compareTo(limit) > 0
          ? "gross exposure would be " + plain(after) + ", limit " + plain(limit) + " ("
              + plain(l.maxGrossExposureMultiple()) + " × starting capital)"
          : null;
    }
  },
  ORDER_RATE_SYMBOL("order_rate_symbol", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return c.symbolOrdersLastMinute() >= l.maxOrdersPerSymbolPerMinute()
          ? r.intent().symbol() + " sent " + c.symbolOrdersLastMinute() + " orders in the last minute, limit "
              + l.maxOrdersPerSymbolPerMinute()
          : null;
    }
  },
  ORDER_RATE_GLOBAL("order_rate_global", false) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return c.ordersLastMinute() >= l.maxOrdersPerMinute()
          ? c.ordersLastMinute() + " orders in the last minute, limit " + l.maxOrdersPerMinute()
          : null;
    }
  },
  MIN_NOTIONAL("min_notional", true) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      return r.notional().compareTo(c.filters().minNotional()) < 0
          ? "notional " + plain(r.notional()) + " is below the venue's minimum " + plain(c.filters().minNotional())
          : null;
    }
  },
  LOT_SIZE("lot_size", true) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      BigDecimal quantity = r.intent().quantity();
      if (quantity.compareTo(c.filters().minQuantity()) < 0) {
        return "quantity " + plain(quantity) + " is below the venue's minimum " + plain(c.filters().minQuantity());
      }
      return VenueFilters.isMultiple(quantity, c.filters().lotStep())
          ? null
          : "quantity " + plain(quantity) + " is not a multiple of the lot step " + plain(c.filters().lotStep());
    }
  },
  TICK_SIZE("tick_size", true) {
    @Override
    String failure(RiskRequest r, RiskContext c, RiskLimits l) {
      if (r.limitPrice() == null || VenueFilters.isMultiple(r.limitPrice(), c.filters().tickSize())) {
        return null;
      }
      return "price " + plain(r.limitPrice()) + " is not a multiple of the tick size " + plain(c.filters().tickSize());
    }
  };

  private final String code;
  private final boolean appliesToExits;

  RiskCheck(String code, boolean appliesToExits) {
    this.code = code;
    this.appliesToExits = appliesToExits;
  }

  /** The reason code written to the audit trail when this check fails. */
  public String code() {
    return code;
  }

  public boolean appliesTo(IntentKind kind) {
    return kind == IntentKind.ENTRY || appliesToExits;
  }

  /** Why the request fails this check, or null when it passes. */
  abstract String failure(RiskRequest request, RiskContext context, RiskLimits limits);

  /**
   * Why one more entry would pass the limit of open positions, or null when it fits: the rule of
   * {@link #MAX_OPEN_POSITIONS}, written here only. Portfolio applies it again where the funds are
   * reserved, atomically with the hold, so two entries never race past it.
   *
   * @param openPositionsAndEntries positions held plus entries in flight, the one asking excluded
   */
  public static String openPositionsFailure(int openPositionsAndEntries, int maxOpenPositions) {
    return openPositionsAndEntries >= maxOpenPositions
        ? openPositionsAndEntries + " positions and entries open, limit " + maxOpenPositions
        : null;
  }

  /** The request's notional in the account asset (entries only: exits may have no rate). */
  static BigDecimal accountNotional(RiskRequest request, RiskContext context) {
    return request.notional().multiply(context.conversionRate());
  }

  /** A decimal as written in reasons: plain, without trailing zeros. */
  static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }
}
