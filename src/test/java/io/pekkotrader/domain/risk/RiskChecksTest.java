package io.pekkotrader.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each check on both sides of its boundary. The baseline passes every check; each test moves one
 * figure to exactly the limit (the side that passes or fails, as the rule says) and one unit past.
 */
class RiskChecksTest {
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");

  private static final RiskLimits LIMITS =
      new RiskLimits(d("500"), d("20"), 3, d("1000"), d("1500"), d("2"), 5, 20, d("0.2"));

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  /** A mutable copy of the baseline; each test changes what it tests. */
  private static final class Case {
    IntentKind kind = IntentKind.ENTRY;
    BigDecimal quantity = d("2");
    BigDecimal reference = d("100");
    BigDecimal stop = d("95");
    BigDecimal limit;
    long now = 10_000;
    boolean killSwitch;
    BigDecimal dailyPnl = d("-100");
    BigDecimal startingCapital = d("10000");
    int openPositions = 1;
    int workingEntries = 0;
    boolean symbolHasPosition;
    boolean symbolHasWorkingOrder;
    long cooldownUntil = 0;
    boolean breakerOpen;
    BigDecimal symbolNotional = d("0");
    BigDecimal grossExposure = d("1000");
    int symbolOrders = 0;
    int orders = 0;
    VenueFilters filters = new VenueFilters(d("10"), d("0.001"), d("0.001"), d("0.01"));
    String quoteAsset = "USDT";
    BigDecimal rate = BigDecimal.ONE;
    List<String> unconverted = List.of();

    RiskVerdict evaluate() {
      OrderIntent intent =
          new OrderIntent("BTCUSDT-2", BTC, kind, kind == IntentKind.ENTRY ? Side.BUY : Side.SELL, quantity, reference,
              "ma-crossover", "test", now);
      RiskContext context =
          new RiskContext(now, killSwitch ? "operator test" : null, dailyPnl, startingCapital, openPositions, workingEntries, symbolHasPosition,
              symbolHasWorkingOrder, cooldownUntil, breakerOpen, symbolNotional, grossExposure, symbolOrders, orders, filters,
              quoteAsset, rate, unconverted);
      return RiskChecks.evaluate(new RiskRequest(intent, stop, limit), context, LIMITS);
    }
  }

  private static RiskVerdict with(Consumer<Case> change) {
    Case c = new Case();
    change.accept(c);
    return c.evaluate();
  }

  private static void assertPasses(Consumer<Case> change) {
    RiskVerdict verdict = with(change);
    assertTrue(verdict.approved(), verdict.toString());
    assertEquals("approved", verdict.reasonCode());
  }

  private static void assertRejected(String code, Consumer<Case> change) {
    RiskVerdict verdict = with(change);
    assertFalse(verdict.approved(), "expected " + code);
    assertEquals(code, verdict.reasonCode(), verdict.message());
    assertFalse(verdict.message().isBlank());
  }

  @Test
  void approvesTheBaseline() {
    assertPasses(c -> {});
  }

  @Test
  void rejectsEntriesWhileTheKillSwitchIsEngaged() {
    assertPasses(c -> c.killSwitch = false);
    assertRejected("kill_switch", c -> c.killSwitch = true);
  }

  @Test
  void rejectsAnEntryWhoseQuoteAssetCannotBeValuedInTheAccountAsset() {
    assertPasses(c -> c.rate = d("1.0"));
    assertRejected("no_conversion_rate", c -> c.rate = null);
    assertRejected("no_conversion_rate", c -> c.quoteAsset = null);
    RiskVerdict verdict = with(c -> {
      c.quoteAsset = "BTC";
      c.rate = null;
      c.dailyPnl = d("-9999");
    });
    assertEquals("no_conversion_rate", verdict.reasonCode(), "before the daily loss, which cannot be judged");
    assertTrue(verdict.message().contains("BTC"), verdict.message());
  }

  @Test
  void rejectsEveryEntryWhileAnAssetIsLeftOutOfTheAccountFigures() {
    RiskVerdict verdict = with(c -> c.unconverted = List.of("BTC"));

    assertEquals("no_conversion_rate", verdict.reasonCode());
    assertTrue(verdict.message().contains("BTC"), verdict.message());
    assertPasses(c -> {
      c.kind = IntentKind.EXIT;
      c.rate = null;
      c.unconverted = List.of("BTC");
    });
  }

  @Test
  void holdsAnEntryQuotedInAnotherAssetToLimitsInTheAccountAsset() {
    // 2 ETH at 0.05 BTC = 0.1 BTC: 1000 USDT at 10000 per BTC (the limit per order), 3000 at 30000
    Consumer<Case> ethBtc = c -> {
      c.quoteAsset = "BTC";
      c.rate = d("30000");
      c.reference = d("0.05");
      c.stop = d("0.0499");
      c.filters = new VenueFilters(d("0.0001"), d("0.001"), d("0.001"), d("0.000001"));
    };
    assertPasses(ethBtc.andThen(c -> c.rate = d("10000"))); // loss at the stop 0.0002 BTC: 2 USDT
    assertRejected("max_notional_per_order", ethBtc);
    assertRejected("max_loss_per_trade", ethBtc.andThen(c -> c.stop = d("0.04"))); // 0.02 BTC: 600 USDT
    assertRejected("max_gross_exposure", ethBtc.andThen(c -> {
      c.rate = d("10000");
      c.grossExposure = d("19001"); // + 1000 > 2 × 10000
    }));
  }

  @Test
  void rejectsEntryWhenDailyLossLimitIsReached() {
    assertPasses(c -> c.dailyPnl = d("-499.99"));
    assertRejected("daily_loss_limit", c -> c.dailyPnl = d("-500"));
  }

  @Test
  void rejectsAnEntryWhoseLossAtTheStopExceedsThePerTradeMaximum() {
    assertPasses(c -> c.stop = d("90")); // 10 × 2 = 20: at the limit
    assertRejected("max_loss_per_trade", c -> c.stop = d("89.99")); // 20.02
    assertRejected("max_loss_per_trade", c -> c.stop = null);
  }

  @Test
  void rejectsAnEntryBeyondTheMaximumOfOpenPositions() {
    assertPasses(c -> {
      c.openPositions = 1;
      c.workingEntries = 1;
    });
    assertRejected("max_open_positions", c -> {
      c.openPositions = 2;
      c.workingEntries = 1;
    });
  }

  @Test
  void rejectsASecondPositionOrOrderOnTheSameSymbol() {
    assertRejected("duplicate_position", c -> c.symbolHasPosition = true);
    assertRejected("duplicate_position", c -> c.symbolHasWorkingOrder = true);
  }

  @Test
  void rejectsEntriesUntilTheCooldownHasElapsed() {
    assertRejected("cooldown", c -> c.cooldownUntil = 10_001);
    assertPasses(c -> c.cooldownUntil = 10_000);
  }

  @Test
  void rejectsOrdersWhileTheVenueCircuitBreakerIsOpen() {
    assertRejected("circuit_breaker_open", c -> c.breakerOpen = true);
  }

  @Test
  void rejectsAnOrderAboveTheMaximumNotional() {
    assertPasses(c -> {
      c.quantity = d("10"); // 1000: at the limit
      c.stop = d("99");
    });
    assertRejected("max_notional_per_order", c -> {
      c.quantity = d("10.001");
      c.stop = d("99");
    });
  }

  @Test
  void rejectsAnOrderThatWouldTakeTheSymbolAboveItsMaximumNotional() {
    assertPasses(c -> c.symbolNotional = d("1300")); // 1300 + 200 = 1500
    assertRejected("max_notional_per_symbol", c -> c.symbolNotional = d("1300.01"));
  }

  @Test
  void measuresGrossExposureAgainstStartingCapitalNotEquity() {
    assertPasses(c -> c.grossExposure = d("19800")); // 19800 + 200 = 2 × 10000
    assertRejected("max_gross_exposure", c -> c.grossExposure = d("19800.01"));
  }

  @Test
  void rejectsOrdersAboveTheOrderRatePerSymbolAndGlobally() {
    assertPasses(c -> c.symbolOrders = 4);
    assertRejected("order_rate_symbol", c -> c.symbolOrders = 5);
    assertPasses(c -> c.orders = 19);
    assertRejected("order_rate_global", c -> c.orders = 20);
  }

  @Test
  void appliesTheVenuesMinimumNotional() {
    assertPasses(c -> {
      c.quantity = d("0.1");
      c.stop = d("50"); // notional 10: at the minimum
    });
    assertRejected("min_notional", c -> {
      c.quantity = d("0.099");
      c.stop = d("50");
    });
  }

  @Test
  void appliesTheVenuesLotSizeAndMinimumQuantity() {
    assertRejected("lot_size", c -> c.quantity = d("2.0005"));
    VenueFilters bigMinimum = new VenueFilters(d("10"), d("2.001"), d("0.001"), d("0.01"));
    assertRejected("lot_size", c -> c.filters = bigMinimum);
  }

  @Test
  void appliesTheTickSizeToLimitPricesOnly() {
    assertPasses(c -> c.limit = d("100.01"));
    assertRejected("tick_size", c -> c.limit = d("100.005"));
    assertPasses(c -> c.reference = d("100.005")); // a market order's reference price is not checked
  }

  @Test
  void reportsTheFirstFailingCheckInTheDocumentedOrder() {
    RiskVerdict verdict =
        with(c -> {
          c.killSwitch = true;
          c.dailyPnl = d("-1000");
          c.symbolHasPosition = true;
          c.quantity = d("2.0005");
        });

    assertEquals("kill_switch", verdict.reasonCode());
    assertEquals("daily_loss_limit", with(c -> {
      c.dailyPnl = d("-1000");
      c.symbolHasPosition = true;
    }).reasonCode());
  }

  @Test
  void letsExitsThroughEverythingButTheVenuesOwnRules() {
    assertPasses(c -> {
      c.kind = IntentKind.EXIT;
      c.killSwitch = true;
      c.dailyPnl = d("-1000");
      c.stop = null;
      c.openPositions = 9;
      c.symbolHasPosition = true;
      c.cooldownUntil = 99_999;
      c.quantity = d("50");
      c.symbolOrders = 99;
      c.orders = 99;
    });
    assertRejected("circuit_breaker_open", c -> {
      c.kind = IntentKind.EXIT;
      c.breakerOpen = true;
    });
    assertRejected("lot_size", c -> {
      c.kind = IntentKind.EXIT;
      c.quantity = d("2.0005");
    });
  }

  private static RiskRequest request(IntentKind kind, String quantity, BigDecimal stop) {
    OrderIntent intent =
        new OrderIntent("BTCUSDT-2", BTC, kind, kind == IntentKind.ENTRY ? Side.BUY : Side.SELL, d(quantity), d("100"),
            "ma-crossover", "test", 10_000);
    return new RiskRequest(intent, stop, null);
  }

  private static final RiskContext.SymbolConditions CALM =
      new RiskContext.SymbolConditions(0, false, new VenueFilters(d("10"), d("0.001"), d("0.001"), d("0.01")));

  @Test
  void decidesAnEntryFromTheNamedInputsOfThePortfolioAndTheSymbol() {
    PortfolioFigures figures = new PortfolioFigures(d("9900"), d("10000"), d("10000"), 0, d("10000"), null);
    PortfolioExposure exposure = new PortfolioExposure(1, 0, false, false, d("0"), d("1000"), "USDT", BigDecimal.ONE);

    RiskVerdict approved =
        RiskChecks.decide(request(IntentKind.ENTRY, "2", d("95")), LIMITS, null, figures, exposure, CALM, new RiskContext.OrderRates(0, 0), 10_000);
    RiskVerdict full =
        RiskChecks.decide(
            request(IntentKind.ENTRY, "2", d("95")), LIMITS, null, figures,
            new PortfolioExposure(2, 1, false, false, d("0"), d("1000"), "USDT", BigDecimal.ONE), CALM, new RiskContext.OrderRates(0, 0), 10_000);
    RiskVerdict cooling =
        RiskChecks.decide(
            request(IntentKind.ENTRY, "2", d("95")), LIMITS, null, figures, exposure,
            new RiskContext.SymbolConditions(10_001, false, CALM.filters()), new RiskContext.OrderRates(0, 0), 10_000);
    RiskVerdict killed =
        RiskChecks.decide(request(IntentKind.ENTRY, "2", d("95")), LIMITS, "operator test", figures, exposure, CALM, new RiskContext.OrderRates(0, 0), 10_000);
    RiskVerdict busy =
        RiskChecks.decide(request(IntentKind.ENTRY, "2", d("95")), LIMITS, null, figures, exposure, CALM, new RiskContext.OrderRates(0, 20), 10_000);

    assertTrue(approved.approved(), approved.toString());
    assertEquals("max_open_positions", full.reasonCode());
    assertEquals("3 positions and entries open, limit 3", full.message());
    assertEquals("cooldown", cooling.reasonCode());
    assertEquals("kill switch engaged: operator test", killed.message());
    assertEquals("order_rate_global", busy.reasonCode());
  }

  @Test
  void decidesAnExitWithoutThePortfolio() {
    RiskVerdict exit =
        RiskChecks.decide(request(IntentKind.EXIT, "2", null), LIMITS, "operator test", null, null, CALM, new RiskContext.OrderRates(99, 99), 10_000);
    RiskVerdict broken =
        RiskChecks.decide(
            request(IntentKind.EXIT, "2", null), LIMITS, null, null, null,
            new RiskContext.SymbolConditions(0, true, CALM.filters()), new RiskContext.OrderRates(0, 0), 10_000);

    assertTrue(exit.approved(), exit.toString());
    assertEquals("circuit_breaker_open", broken.reasonCode());
  }

  @Test
  void everyReasonCodeIsDistinctAndReachable() {
    Set<String> codes = new HashSet<>();
    Arrays.stream(RiskCheck.values()).forEach(check -> codes.add(check.code()));
    List<String> reached =
        List.of(
            with(c -> c.killSwitch = true).reasonCode(),
            with(c -> c.rate = null).reasonCode(),
            with(c -> c.dailyPnl = d("-500")).reasonCode(),
            with(c -> c.stop = null).reasonCode(),
            with(c -> c.openPositions = 3).reasonCode(),
            with(c -> c.symbolHasPosition = true).reasonCode(),
            with(c -> c.cooldownUntil = 20_000).reasonCode(),
            with(c -> c.breakerOpen = true).reasonCode(),
            with(c -> { c.quantity = d("11"); c.stop = d("99"); }).reasonCode(),
            with(c -> c.symbolNotional = d("1400")).reasonCode(),
            with(c -> c.grossExposure = d("20000")).reasonCode(),
            with(c -> c.symbolOrders = 5).reasonCode(),
            with(c -> c.orders = 20).reasonCode(),
            with(c -> { c.quantity = d("0.05"); c.stop = d("50"); }).reasonCode(),
            with(c -> c.quantity = d("2.0005")).reasonCode(),
            with(c -> c.limit = d("100.001")).reasonCode());

    assertEquals(RiskCheck.values().length, codes.size());
    assertEquals(codes, new HashSet<>(reached));
    assertEquals(
        Arrays.stream(RiskCheck.values()).map(RiskCheck::code).toList(), reached, "one test case per check, in order");
  }
}
