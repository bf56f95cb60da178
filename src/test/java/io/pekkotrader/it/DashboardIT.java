package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervision dashboard in a real browser (Debian's headless Chromium) against a running
 * engine on the embedded simulator: it shows live data, engages and releases the kill switch
 * behind its confirmation, renders hostile text as text, and says so when the key is wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
  /** Would run script if any engine value reached the page as HTML. */
  static final String XSS = "<img src=x onerror=window.__xss=1>";
  private static final Pattern PHASE =
      Pattern.compile("WARMING_UP|READY|ENTRY_PENDING|ENTRY_WORKING|IN_POSITION|EXIT_WORKING|COOLDOWN|PAUSED|HALTED");

  @TempDir static Path tmp;
  private EngineProcess engine;
  private String key;
  private Browser browser;

  @BeforeAll
  void startEngine() throws Exception {
    // equity persisted every second, so that the trading view's equity history has points within the test
    Path config = tmp.resolve("dashboard.conf");
    java.nio.file.Files.writeString(config, "pekko-trader.trading.equity-sample-interval = 1s\n");
    engine = EngineProcess.start(tmp.resolve("data"), "simulator", "dashboard-engine", java.util.Map.of("--config", config.toString()));
    engine.awaitStatus(
        Duration.ofSeconds(90),
        "recovered symbols and trades on the venue stream",
        s -> EngineProcess.settled(s) && s.get("venues").get(0).get("trades").asLong() > 0);
    key = engine.apiKey();
  }

  @AfterAll
  void stopEngine() throws Exception {
    if (engine != null) {
      engine.close();
    }
  }

  @BeforeEach
  void openBrowser(TestInfo test) throws Exception {
    browser = Browser.open(tmp.resolve("profile-" + test.getTestMethod().orElseThrow().getName()));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void showsLiveDataOfTheRunningEngineAfterTheKeyIsEnteredOnce() throws Exception {
    openWithKey(key);

    await("a connected venue in the streams panel", () -> browser.text("#streams").contains("binance") && browser.text("#streams").contains("connected") && browser.text("#streams").contains("shed"));
    await("the three symbols with their phases", () -> {
      String symbols = browser.text("#symbols");
      return symbols.contains("binance:BTCUSDT") && symbols.contains("binance:ETHUSDT") && symbols.contains("binance:SOLUSDT")
          && PHASE.matcher(symbols).find();
    });
    String equity = engine.status().get("portfolio").get("equity").asText();
    await("the portfolio's equity", () -> browser.text("#portfolio").contains("equity") && browser.text("#portfolio").matches("(?s).*\\d+,?\\d*\\.\\d\\d.*"));
    assertTrue(equity.matches("\\d+(\\.\\d+)?"), equity);
    await("an equity curve drawn by the chart library", () -> browser.find("#equity-chart").isDisplayed() && canvasInked("#equity-chart"));
    await("the kill switch's state", () -> browser.text("#kill-state").matches("released|ENGAGED"));
    await("the audit trail's decisions", () -> browser.text("#audit").contains("approved"));
    await("the connection badge", () -> browser.text("#conn-state").startsWith("updated"));
    await("the strategies from /symbols", () -> browser.text("#symbols").contains("ma-crossover"));
    await("the supervision tree", () -> browser.text("#actors").contains("risk-manager") && browser.text("#actors").contains("binance:BTCUSDT"));
    await("the live event stream", () -> browser.text("#events-state").equals("live events: connected"));

    // live: the last message age and the counters move while the page is open
    String before = browser.text("#streams");
    await("the streams panel to change with new market data", () -> !browser.text("#streams").equals(before));

    assertEquals(key, browser.script("return sessionStorage.getItem('pekko-trader.api-key')"), "the key is kept in sessionStorage");
    assertEquals(0L, browser.script("return localStorage.length"), "nothing in localStorage");
    assertFalse(browser.driver.getCurrentUrl().contains(key), "the key is never in the URL");
    assertTrue(browser.find("#key-panel").getAttribute("hidden") != null, "the key form is hidden once a key works");

    Path shot = browser.screenshot("dashboard-live");
    assertNoScriptErrors();
    System.out.println("screenshot: " + shot.toAbsolutePath());

    // the key entered once is still there after a reload of the tab
    browser.driver.navigate().refresh();
    await("data after a reload without entering the key again", () -> browser.text("#symbols").contains("binance:BTCUSDT"));
  }

  @Test
  void engagingAndReleasingTheKillSwitchFromThePageReachesTheEngine() throws Exception {
    setKillSwitch(false, "dashboard test starts released");
    openWithKey(key);
    await("the released kill switch", () -> browser.text("#kill-state").equals("released"));

    browser.find("#engage").click();
    await("the confirmation", () -> browser.find("#confirm-dialog").isDisplayed());
    browser.find("#confirm-reason").sendKeys("no, not now");
    browser.find("#confirm-cancel").click();
    await("the confirmation to close", () -> !browser.find("#confirm-dialog").isDisplayed());
    assertFalse(risk().get("killSwitch").get("engaged").asBoolean(), "cancelling the confirmation changes nothing");

    browser.find("#engage").click();
    await("the confirmation", () -> browser.find("#confirm-dialog").isDisplayed());
    browser.find("#confirm-ok").click();
    await("the empty reason to be refused", () -> browser.text("#confirm-error").contains("reason"));
    browser.find("#confirm-reason").sendKeys("engaged from the dashboard");
    browser.screenshot("dashboard-confirm");
    browser.find("#confirm-ok").click();

    JsonNode engaged = awaitRisk("the engine's kill switch engaged from the page", r -> r.get("killSwitch").get("engaged").asBoolean());
    assertEquals("operator: engaged from the dashboard", engaged.get("killSwitch").get("reason").asText());
    assertTrue(engine.status().get("killSwitch").get("engaged").asBoolean(), "status agrees");
    await("the page to show it engaged", () -> browser.text("#kill-state").equals("ENGAGED"));
    await("the page to show the reason", () -> browser.text("#kill-facts").contains("operator: engaged from the dashboard"));
    await("the audit trail to show it", () -> browser.text("#audit").contains("kill switch engaged"));
    assertTrue(browser.text("#action-result").contains("kill switch engaged"), browser.text("#action-result"));
    browser.screenshot("dashboard-engaged");

    browser.find("#release").click();
    await("the confirmation", () -> browser.find("#confirm-dialog").isDisplayed());
    browser.find("#confirm-reason").sendKeys("released from the dashboard");
    browser.find("#confirm-ok").click();
    awaitRisk("the engine's kill switch released from the page", r -> !r.get("killSwitch").get("engaged").asBoolean());
    awaitAuditLine("kill_switch_released", "operator: released from the dashboard");
    await("the page to show it released", () -> browser.text("#kill-state").equals("released"));
    assertNoScriptErrors();
  }

  @Test
  void rendersHostileTextFromTheEngineAsText() throws Exception {
    setKillSwitch(false, "dashboard hostile-text test starts released");
    try {
      openWithKey(key);
      await("the live event stream", () -> browser.text("#events-state").equals("live events: connected"));

      // engaged while the page is open: the reason reaches it by polling and as a live event
      setKillSwitch(true, XSS);
      String recorded = "operator: " + XSS;
      await("the hostile reason in the kill-switch panel", () -> browser.text("#kill-facts").contains(recorded));
      await("the hostile reason in the audit trail", () -> browser.text("#audit").contains(recorded));
      await("the hostile reason as a live kill-switch event", () -> browser.text("#events").contains(recorded));
      browser.screenshot("dashboard-xss");

      assertTrue(browser.findAll("img").isEmpty(), "no img element was created");
      assertNull(browser.script("return window.__xss"), "no script ran");

      // every panel, fed hostile strings in every field, builds text nodes only
      Object result =
          browser.asyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "const x = arguments[0];"
                  + "import('/dashboard/panels.js').then((p) => {"
                  + "  const box = document.createElement('div');"
                  + "  const n = () => box.appendChild(document.createElement('div'));"
                  + "  const nodes = { state: n(), facts: n(), riskFacts: n(), breakers: n(), engage: document.createElement('button'), release: document.createElement('button') };"
                  + "  p.renderKillSwitch(nodes, {engaged: true, reason: x, sinceMs: 1}, {killSwitch: {engaged: true, reason: x}, dailyPnl: x, drawdown: x,"
                  + "    peakEquity: x, ledgerInvariants: x, decisions: 1, limits: {maxDailyLoss: x}, breakers: [{venue: x, state: x, reason: x, sinceMs: 1}],"
                  + "    cooldowns: [{symbol: x, untilMs: 1}]}, x);"
                  + "  p.renderPortfolio({facts: n(), chart: n(), note: n()}, {quoteAsset: x, equity: x, cash: x, positions: {[x]: x}},"
                  + "    [{atMs: 1, equity: '1'}, {atMs: 2, equity: '2'}], x, x);"
                  + "  p.renderSymbols(n(), [{id: x, strategy: x, phase: x, positionQty: x, lastSignal: x, lastDecision: x,"
                  + "    workingOrder: {kind: x, side: x, quantity: x, filledQuantity: x, clientOrderId: x}}], x, x);"
                  + "  p.renderStreams(n(), [{venue: x, url: x, connected: false, lastDisconnect: x}], x, x);"
                  + "  p.renderActors(n(), [{path: x, name: x, parent: null, kind: x, state: x, restarts: 1, lastFailure: x, lastFailureAtMs: 1}], x);"
                  + "  p.renderOrders(n(), [{symbol: x, kind: x, side: x, quantity: x, filledQuantity: x, clientOrderId: x}], x, x);"
                  + "  p.renderFills(n(), [{tradeId: x, clientOrderId: x, symbol: x, side: x, price: x, quantity: x, fee: x, atMs: 1}], x);"
                  + "  p.renderAudit(n(), [{seqNr: 1, type: 'decision', symbol: x, kind: x, side: x, strategy: x, reasonCode: x, message: x, atMs: 1},"
                  + "    {seqNr: 2, type: 'kill_switch_engaged', by: x, reason: x, trigger: x, atMs: 1}, {seqNr: 3, type: x, atMs: 1}], x);"
                  + "  p.renderSymbols(n(), null, x, x);"
                  + "  p.addEvent(n().appendChild(document.createElement('ol')), x, {reason: x});"
                  + "  done({ imgs: box.querySelectorAll('img').length, text: box.textContent.split(x).length - 1,"
                  + "         attrs: [...box.querySelectorAll('*')].flatMap((e) => [...e.attributes]).filter((a) => a.name.startsWith('on')).length });"
                  + "}).catch((e) => done({ error: String(e) }));",
              XSS);
      assertTrue(result instanceof java.util.Map, String.valueOf(result));
      java.util.Map<?, ?> rendered = (java.util.Map<?, ?>) result;
      assertNull(rendered.get("error"), String.valueOf(rendered));
      assertEquals(0L, rendered.get("imgs"), "no img element from any panel: " + rendered);
      assertEquals(0L, rendered.get("attrs"), "no event-handler attribute from any panel: " + rendered);
      assertTrue(((Number) rendered.get("text")).longValue() >= 30, "the hostile strings are on the page as text: " + rendered);
      assertNull(browser.script("return window.__xss"), "still no script ran");
      assertNoScriptErrors();
    } finally {
      setKillSwitch(false, "dashboard hostile-text test done");
    }
  }

  @Test
  void theTradingViewChartsTheChosenSymbolsCandlesAndShowsEachPanelOrWhyItIsUnavailable() throws Exception {
    openWithKey(key);
    await("the supervision view first", () -> browser.text("#symbols").contains("binance:BTCUSDT"));
    browser.find("#show-trading").click();

    await("the symbol picker", () -> browser.findAll("#trade-symbol option").size() == 3);
    assertTrue(browser.find("#board").getAttribute("hidden") != null, "the supervision view is hidden");
    assertTrue(browser.driver.getCurrentUrl().endsWith("#trading"), browser.driver.getCurrentUrl());
    await("candles drawn on the chart's canvas", () -> chartCandles("#price-chart") > 5 && canvasInked("#price-chart"));
    await("the price line beside the picker", () -> PHASE.matcher(browser.text("#price-facts")).find() && browser.text("#price-facts").contains("last"));

    // another symbol: the chart shows that symbol's candles, as the engine serves them
    new org.openqa.selenium.support.ui.Select(browser.find("#trade-symbol")).selectByValue("binance:ETHUSDT");
    JsonNode eth = engine.call("GET", "/api/v1/symbols/binance:ETHUSDT/candles?limit=200", null, 200);
    JsonNode lastEth = eth.get("candles").get(eth.get("candles").size() - 1);
    await("the chart to draw ETHUSDT's candle of " + lastEth, () -> chartHasCandle("#price-chart", lastEth));

    // every other panel: its data, or "unavailable" with the engine's answer while its endpoint is missing
    for (String[] panel :
        new String[][] {
          {"#trades", "/api/v1/trades?limit=5", "no round-trip trades yet|PnL"},
          {"#alerts", "/api/v1/alerts?limit=5", "no alerts|severity"},
          {"#equity-dd-note", "/api/v1/equity?limit=5", "points over"},
          {"#performance", "/api/v1/portfolio", "no round-trip trades yet|win rate|no performance figures"},
        }) {
      int status = statusOf(panel[1]);
      String expected = status == 200 ? panel[2] : "unavailable: HTTP " + status;
      await(panel[0] + " to show " + expected + " (the engine answers " + panel[1] + " with " + status + ")",
          () -> Pattern.compile(expected).matcher(browser.text(panel[0])).find());
    }
    if (statusOf("/api/v1/equity?limit=5") == 200) {
      await("equity and drawdown drawn", () -> browser.find("#equity-dd-chart").isDisplayed() && canvasInked("#equity-dd-chart"));
    }

    // the chart's tooltip is drawn on its canvas: no HTML element appears for it
    Object tip = browser.asyncScript(
        "const done = arguments[arguments.length - 1];"
            + "import('/dashboard/echarts.js').then((e) => { const c = e.getInstanceByDom(document.querySelector('#price-chart'));"
            + "  const n = c.getOption().series[0].data.length; c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: n - 1});"
            + "  setTimeout(() => done([...document.querySelectorAll('#price-chart *')].map((x) => x.tagName).filter((t) => t !== 'DIV' && t !== 'CANVAS')), 300); })"
            + ".catch((f) => done(String(f)));");
    assertEquals(List.of(), tip, "only ECharts' div and canvas inside the chart");
    browser.screenshot("dashboard-trading");
    assertNoScriptErrors();

    // back to supervision: its panels again, and the address says so
    browser.find("#show-supervision").click();
    await("the supervision view again", () -> browser.find("#board").isDisplayed() && !browser.find("#trading").isDisplayed());
    assertFalse(browser.driver.getCurrentUrl().contains("#trading"));
  }

  @Test
  void rendersHostileTradingTextAsTextInTablesAndCharts() throws Exception {
    openWithKey(key);
    await("the page", () -> browser.text("#conn-state").startsWith("updated"));
    Object result =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "const x = arguments[0];"
                + "Promise.all([import('/dashboard/trading.js'), import('/dashboard/charts.js')]).then(async ([t, c]) => {"
                + "  const box = document.createElement('div'); box.className = 'card'; document.body.prepend(box);"
                + "  const n = () => box.appendChild(document.createElement('div'));"
                + "  const chart = () => { const d = n(); d.className = 'kchart'; return d; };"
                + "  const trade = {number: 1, symbol: x, side: x, entryTimeMs: 2000, exitTimeMs: 3000, entryPrice: '10', exitPrice: '11', quantity: x,"
                + "    fees: x, pnl: x, pnlPct: x, holdingMs: 1000, exitReason: x + '{b|bold}'};"
                + "  t.renderTrades(n(), [trade], x);"
                + "  t.renderAlerts(n(), [{atMs: 1, severity: x, title: x, text: x, fields: {[x]: x}}], x);"
                + "  t.renderPerformance(n(), {total: {trades: 1, wins: 1, losses: 0, winRate: x, pnl: x}, bySymbol: {[x]: {trades: 1, winRate: x, pnl: x}}}, x);"
                + "  t.renderSymbolPicker(box.appendChild(document.createElement('select')), [x], x);"
                + "  t.renderPriceFacts(n(), {phase: x, positionQty: x, averagePrice: x, lastPrice: x});"
                + "  t.renderTrades(n(), null, x); t.renderAlerts(n(), null, x); t.renderPerformance(n(), null, x);"
                + "  const candles = [1000, 2000, 3000].map((ms) => ({openTimeMs: ms, open: '10', high: '12', low: '9', close: '11', volume: x}));"
                + "  const price = {chart: chart(), note: n()};"
                + "  await t.renderPrice(price, {symbol: x, intervalMs: 1000, candles}, x, [trade], x, {positionQty: '1', averagePrice: '10.5'}, true);"
                + "  await t.renderEquity({chart: chart(), note: n()}, {quoteAsset: x, points: [{atMs: 1, equity: '1', peak: x, drawdown: x, drawdownPct: x},"
                + "    {atMs: 2, equity: '2', peak: '2', drawdown: '0', drawdownPct: '0'}]}, x);"
                + "  await t.renderPrice({chart: chart(), note: n()}, null, x, null, x, null, true);"
                + "  const e = await import('/dashboard/echarts.js');"
                + "  e.getInstanceByDom(price.chart).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 1});"
                + "  const tipText = c.priceOption(candles, 1000, [trade], null).tooltip.formatter([{seriesType: 'candlestick', dataIndex: 2}]);"
                + "  setTimeout(() => done({ imgs: box.querySelectorAll('img').length, text: box.textContent.split(x).length - 1,"
                + "    attrs: [...box.querySelectorAll('*')].flatMap((el) => [...el.attributes]).filter((a) => a.name.startsWith('on')).length,"
                + "    chartTags: [...box.querySelectorAll('.kchart *')].map((el) => el.tagName).filter((tag) => tag !== 'DIV' && tag !== 'CANVAS'),"
                + "    tipText, canvases: box.querySelectorAll('.kchart canvas').length }), 300);"
                + "}).catch((e) => done({ error: String(e && e.stack || e) }));",
            XSS);
    browser.screenshot("dashboard-trading-hostile");
    assertTrue(result instanceof java.util.Map, String.valueOf(result));
    java.util.Map<?, ?> rendered = (java.util.Map<?, ?>) result;
    assertNull(rendered.get("error"), String.valueOf(rendered));
    assertEquals(0L, rendered.get("imgs"), "no img element from any trading panel: " + rendered);
    assertEquals(0L, rendered.get("attrs"), "no event-handler attribute: " + rendered);
    assertEquals(List.of(), rendered.get("chartTags"), "the charts hold only ECharts' div and canvas: " + rendered);
    assertEquals(2L, rendered.get("canvases"), "the price and equity charts were drawn: " + rendered);
    assertTrue(((Number) rendered.get("text")).longValue() >= 20, "the hostile strings are on the page as text: " + rendered);
    String tip = String.valueOf(rendered.get("tipText"));
    assertTrue(tip.contains(XSS + " b bold"), "the exit reason is in the tooltip as plain text, its rich-text markup taken out: " + tip);
    assertFalse(tip.contains("{") || tip.contains("|"), tip);
    assertNull(browser.script("return window.__xss"), "no script ran");
    assertNoScriptErrors();
  }

  @Test
  void theApiExplorerAuthorizesWithTheKeyAndTriesAnEndpointUnderItsPolicy() throws Exception {
    browser.get("http://127.0.0.1:" + engine.httpPort + "/api/docs");
    await("Swagger UI with the API's description", () -> browser.text(".swagger-ui .info .title").contains("pekko-trader control API"));
    await("the operations", () -> !browser.findAll(".opblock-summary-path[data-path='/status']").isEmpty());

    browser.find(".swagger-ui .btn.authorize").click();
    await("the authorize dialog", () -> !browser.findAll(".modal-ux input").isEmpty());
    browser.find(".modal-ux input").sendKeys(key);
    browser.find(".modal-ux .auth-btn-wrapper .btn.modal-btn.authorize").click();
    browser.find(".modal-ux .btn-done, .modal-ux .close-modal").click();

    browser.find(".opblock-summary-path[data-path='/status']").click();
    await("Try it out", () -> !browser.findAll(".opblock.is-open .try-out__btn").isEmpty());
    browser.find(".opblock.is-open .try-out__btn").click();
    await("Execute", () -> !browser.findAll(".opblock.is-open .execute").isEmpty());
    browser.find(".opblock.is-open .execute").click();
    await("the engine's 200 with its status", () ->
        browser.text(".opblock.is-open .live-responses-table tbody .response-col_status").startsWith("200")
            && browser.text(".opblock.is-open .live-responses-table").contains("uptimeMs"));
    assertTrue(browser.text(".opblock.is-open .request-url").contains("127.0.0.1:" + engine.httpPort + "/api/v1/status"), browser.text(".opblock.is-open .request-url"));
    assertEquals(0L, browser.script("return localStorage.length"), "the key is not kept in localStorage");
    browser.screenshot("api-docs");
    assertNoScriptErrors();
  }

  @Test
  void aWrongKeyShowsAnErrorAndTheRightKeyThenWorks() throws Exception {
    openWithKey("wrong-key-of-some-length-0000");
    await("the refusal", () -> browser.text("#key-error").contains("refused"));
    assertTrue(browser.find("#key-panel").isDisplayed(), "the key form is shown again");
    assertTrue(browser.text("#key-error").contains("401"), browser.text("#key-error"));
    assertEquals("API key refused", browser.text("#conn-state"));
    assertNull(browser.script("return sessionStorage.getItem('pekko-trader.api-key')"), "a refused key is not kept");
    browser.screenshot("dashboard-wrong-key");

    browser.find("#key-input").sendKeys(key);
    browser.find("#key-submit").click();
    await("data with the right key", () -> browser.text("#symbols").contains("binance:BTCUSDT"));
    assertFalse(browser.find("#key-panel").isDisplayed(), "the key form is hidden again");
    assertEquals("", browser.text("#key-error"));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void openWithKey(String apiKey) {
    browser.get("http://127.0.0.1:" + engine.httpPort + "/");
    await("the key form", () -> browser.find("#key-input").isDisplayed());
    browser.find("#key-input").sendKeys(apiKey);
    browser.find("#key-submit").click();
  }

  private void setKillSwitch(boolean engaged, String reason) throws Exception {
    String body = EngineProcess.JSON.createObjectNode().put("engaged", engaged).put("reason", reason).toString();
    engine.call("POST", "/api/v1/kill-switch", body, 200);
  }

  private JsonNode risk() throws Exception {
    return engine.call("GET", "/api/v1/risk", null, 200);
  }

  private JsonNode awaitRisk(String what, java.util.function.Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = risk();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    browser.screenshot("timeout-risk");
    throw new AssertionError("timed out waiting for " + what + "; last /risk " + last + "\npage:\n" + browser.text("body"));
  }

  /** Waits for the page; a failure says whether the engine still runs and ends with its log. */
  private void await(String what, java.util.function.Supplier<Boolean> condition) {
    browser.await(what, condition, () -> "engine alive: " + engine.isAlive() + "\nengine log:\n" + engine.logTail());
  }

  /** Waits until the audit trail has a line of that type with that reason (the projection follows the journal). */
  private void awaitAuditLine(String type, String reason) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode items = null;
    while (System.nanoTime() < deadline) {
      items = engine.call("GET", "/api/v1/audit?limit=50", null, 200).get("items");
      for (JsonNode item : items) {
        if (item.get("type").asText().equals(type) && item.path("reason").asText().equals(reason)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no " + type + " line with reason \"" + reason + "\" in the audit trail: " + items);
  }

  /** The HTTP status the engine answers {@code path} with. */
  private int statusOf(String path) throws Exception {
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + engine.httpPort + path))
            .header("Authorization", "Bearer " + key)
            .build();
    return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** How many candles the ECharts chart in {@code css} holds, or -1. */
  private long chartCandles(String css) {
    Object n = browser.asyncScript(
        "const done = arguments[arguments.length - 1];"
            + "import('/dashboard/echarts.js').then((e) => { const c = e.getInstanceByDom(document.querySelector(arguments[0]));"
            + "  done(c ? c.getOption().series[0].data.length : -1); }).catch(() => done(-1));",
        css);
    return n instanceof Number number ? number.longValue() : -1;
  }

  /** Whether the chart in {@code css} shows {@code candle} (its open time on the axis, its close as its close). */
  private boolean chartHasCandle(String css, JsonNode candle) {
    Object found = browser.asyncScript(
        "const done = arguments[arguments.length - 1];"
            + "const [css, label, close] = [arguments[0], arguments[1], arguments[2]];"
            + "import('/dashboard/echarts.js').then((e) => { const c = e.getInstanceByDom(document.querySelector(css));"
            + "  if (!c) { done(false); return; } const o = c.getOption(); const i = o.xAxis[0].data.indexOf(label);"
            + "  done(i >= 0 && o.series[0].data[i][1] === Number(close)); }).catch(() => done(false));",
        css,
        java.time.Instant.ofEpochMilli(candle.get("openTimeMs").asLong()).toString().substring(11, 19),
        candle.get("close").asText());
    return Boolean.TRUE.equals(found);
  }

  /** Whether the canvas in {@code css} has pixels drawn on it. */
  private boolean canvasInked(String css) {
    Object inked = browser.script(
        "const c = document.querySelector(arguments[0] + ' canvas'); if (!c || c.width === 0) return false;"
            + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + "let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n > 500;",
        css);
    return Boolean.TRUE.equals(inked);
  }

  /** No script error and no Content-Security-Policy violation in the browser console. */
  private void assertNoScriptErrors() {
    List<String> errors =
        browser.consoleErrors().stream()
            .filter(line -> line.contains("Uncaught") || line.contains("Content Security Policy") || line.contains("SyntaxError") || line.contains("TypeError"))
            .toList();
    assertTrue(errors.isEmpty(), "browser console: " + errors);
  }
}
