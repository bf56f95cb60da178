// The dashboard: polls the control API every two seconds, follows its Server-Sent Events for live
// updates, and drives the kill switch, the emergency stop and pause / resume behind a
// confirmation. Two views: supervision (the engine's health) and trading (prices, trades, PnL,
// alerts, equity); only the shown view's endpoints are polled. Each panel shows "unavailable" on
// its own when its endpoint fails.

import { apiKey, get, post, followEvents, Unauthorized, ApiError } from './api.js';
import { byId, replace, setAttributesOf } from './dom.js';
import { clock, decimal } from './format.js';
import {
  renderSummary,
  renderKillSwitch,
  renderPortfolio,
  renderSymbols,
  renderStreams,
  renderActors,
  renderOrders,
  renderFills,
  renderAudit,
  addEvent,
} from './panels.js';
import { renderSymbolPicker, renderPriceFacts, renderPrice, renderEquity, renderTrades, renderPerformance, renderAlerts } from './trading.js';
import { resizeCharts } from './charts.js';

const POLL_MS = 2000;
const SOON_MS = 250;
const FILLS_SHOWN = 25;
const SAMPLED_POINTS = 1800;
const TRADES_SHOWN = 50;
const CANDLES_SHOWN = 200;
const MARKED_TRADES = 100;

/** Every endpoint the supervision view polls, by the name the panels use. */
const SOURCES = {
  status: '/status',
  streams: '/streams',
  symbols: '/symbols',
  portfolio: '/portfolio',
  risk: '/risk',
  actors: '/actors',
  orders: '/orders',
  fills: '/fills?limit=' + FILLS_SHOWN,
  audit: '/audit?limit=25',
};

/** The endpoints the trading view polls; the chosen symbol's candles and trades are added per poll. */
const TRADING_SOURCES = {
  status: '/status',
  symbols: '/symbols',
  portfolio: '/portfolio',
  equity: '/equity?limit=1000',
  alerts: '/alerts?limit=50',
};

const page = {
  keyPanel: byId('key-panel'),
  keyForm: byId('key-form'),
  keyInput: byId('key-input'),
  keyError: byId('key-error'),
  board: byId('board'),
  summary: byId('engine-summary'),
  connState: byId('conn-state'),
  eventsState: byId('events-state'),
  kill: {
    state: byId('kill-state'),
    facts: byId('kill-facts'),
    riskFacts: byId('risk-facts'),
    breakers: byId('breakers'),
    engage: byId('engage'),
    release: byId('release'),
  },
  emergencyStop: byId('emergency-stop'),
  actionResult: byId('action-result'),
  portfolio: { facts: byId('portfolio'), chart: byId('equity-chart'), note: byId('equity-note') },
  symbols: byId('symbols'),
  streams: byId('streams'),
  actors: byId('actors'),
  orders: byId('orders'),
  fills: byId('fills'),
  audit: byId('audit'),
  events: byId('events'),
  dialog: byId('confirm-dialog'),
  dialogForm: byId('confirm-form'),
  dialogTitle: byId('confirm-title'),
  dialogText: byId('confirm-text'),
  dialogReason: byId('confirm-reason'),
  dialogError: byId('confirm-error'),
  dialogCancel: byId('confirm-cancel'),
  dialogOk: byId('confirm-ok'),
  views: { supervision: byId('board'), trading: byId('trading') },
  viewButtons: { supervision: byId('show-supervision'), trading: byId('show-trading') },
  trading: {
    picker: byId('trade-symbol'),
    priceFacts: byId('price-facts'),
    price: { chart: byId('price-chart'), note: byId('price-note') },
    equity: { chart: byId('equity-dd-chart'), note: byId('equity-dd-note') },
    trades: byId('trades'),
    tradesNewest: byId('trades-newest'),
    tradesOlder: byId('trades-older'),
    tradesPage: byId('trades-page'),
    performance: byId('performance'),
    alerts: byId('alerts'),
  },
};

const state = {
  running: false,
  /** Set after a 429: how long to wait before the next poll. */
  retryAfterMs: 0,
  inFlight: false,
  again: false,
  timer: null,
  /** Equity sampled from /status while /portfolio has no curve. */
  sampled: [],
  /** Fills that arrived as events, by trade id, until a poll of /fills has them. */
  liveFills: new Map(),
  /** The last rendered data of each panel, to skip re-rendering what did not change. */
  rendered: new Map(),
  /** 'supervision' or 'trading', from the address's #fragment. */
  view: location.hash === '#trading' ? 'trading' : 'supervision',
  /** The symbol the price chart shows; the chart starts afresh when it changes. */
  symbol: '',
  chartSymbol: null,
  /** The cursor of the trades page shown (null: the newest), and the one of the next older page. */
  tradesBefore: null,
  tradesNextBefore: null,
};

// ---- the API key -------------------------------------------------------------------------

function askForKey(message) {
  page.keyPanel.hidden = false;
  replace(page.keyError, message || '');
  page.keyInput.value = '';
  page.keyInput.focus();
}

page.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = page.keyInput.value.trim();
  if (key === '') {
    replace(page.keyError, 'Enter the API key.');
    return;
  }
  apiKey.set(key);
  page.keyInput.value = '';
  page.keyPanel.hidden = true;
  replace(page.keyError, '');
  start();
});

byId('change-key').addEventListener('click', () => askForKey(''));
byId('forget-key').addEventListener('click', () => {
  apiKey.clear();
  stop();
  setConnection('no API key', 'bad');
  askForKey('The key was removed from this tab.');
});

/** The engine refused the key: forget it and ask again. */
function refused(message) {
  apiKey.clear();
  stop();
  setConnection('API key refused', 'bad');
  askForKey('The engine refused this API key (401 unauthorized: ' + message + '). Enter the key from the engine\'s data directory (file api-key) or TRADER_API_KEY.');
}

// ---- polling -----------------------------------------------------------------------------

function start() {
  showView(state.view);
  state.running = true;
  state.rendered.clear();
  events.restart();
  poll();
}

function stop() {
  page.views.supervision.hidden = true;
  page.views.trading.hidden = true;
  state.running = false;
  clearTimeout(state.timer);
  state.timer = null;
}

/** Polls now, or right after the poll in flight. */
function refreshSoon() {
  if (!state.running) {
    return;
  }
  if (state.inFlight) {
    state.again = true;
    return;
  }
  clearTimeout(state.timer);
  state.timer = setTimeout(poll, SOON_MS);
}

async function poll() {
  clearTimeout(state.timer);
  state.timer = null;
  if (!state.running || state.inFlight) {
    return;
  }
  state.inFlight = true;
  try {
    await refresh();
  } catch (failure) {
    setConnection('dashboard error: ' + failure.message, 'bad');
  } finally {
    state.inFlight = false;
  }
  if (state.running) {
    const wait = state.retryAfterMs > 0 ? state.retryAfterMs : state.again ? SOON_MS : POLL_MS;
    state.timer = setTimeout(poll, wait);
    state.again = false;
    state.retryAfterMs = 0;
  }
}

/** The endpoints of the view shown, by name. */
function sources() {
  if (state.view !== 'trading') {
    return SOURCES;
  }
  const wanted = Object.assign({}, TRADING_SOURCES);
  wanted.trades = '/trades?limit=' + TRADES_SHOWN + (state.tradesBefore === null ? '' : '&before=' + encodeURIComponent(state.tradesBefore));
  if (state.symbol) {
    const id = encodeURIComponent(state.symbol);
    wanted.candles = '/symbols/' + id + '/candles?limit=' + CANDLES_SHOWN;
    wanted.symbolTrades = '/trades?limit=' + MARKED_TRADES + '&symbol=' + id;
  }
  return wanted;
}

async function refresh() {
  const view = state.view;
  const wanted = sources();
  const names = Object.keys(wanted);
  const answers = await Promise.allSettled(names.map((name) => get(wanted[name])));
  if (view !== state.view) {
    // the view changed while the answers were on their way: the next poll draws the new one
    state.again = true;
    return;
  }
  const data = {};
  const errors = {};
  names.forEach((name, i) => {
    const answer = answers[i];
    if (answer.status === 'fulfilled') {
      data[name] = answer.value;
    } else {
      errors[name] = answer.reason;
    }
  });
  const refusal = Object.values(errors).find((e) => e instanceof Unauthorized);
  if (refusal) {
    refused(refusal.message);
    return;
  }
  const limited = Object.values(errors).filter((e) => e instanceof ApiError && e.status === 429);
  if (limited.length > 0) {
    // the engine's per-client rate limit: wait as long as it asks (at most a minute) before the next poll
    state.retryAfterMs = Math.min(60, Math.max(...limited.map((e) => e.retryAfterS || 1))) * 1000;
  }
  const why = (name) => describe(errors[name]);
  if (errors.status && errors.status.status === 0) {
    setConnection('engine unreachable', 'bad');
  } else {
    setConnection('updated ' + clock(Date.now()), 'ok');
  }
  if (view === 'trading') {
    renderTrading(data, why);
  } else {
    render(data, why);
  }
}

function describe(error) {
  if (!error) {
    return 'no data';
  }
  return error instanceof ApiError ? error.describe() : String(error.message || error);
}

function setConnection(text, kind) {
  replace(page.connState, text);
  page.connState.className = 'badge ' + kind;
}

/** Calls {@code draw} when {@code value} differs from what the panel shows. */
function once(panel, value, draw) {
  const key = JSON.stringify(value ?? null);
  if (state.rendered.get(panel) === key) {
    return;
  }
  state.rendered.set(panel, key);
  draw();
}

function render(data, why) {
  const status = data.status || null;
  renderHeader(status);

  const risk = data.risk || null;
  const killSwitch = (risk && risk.killSwitch) || (status && status.killSwitch) || null;
  once('kill', { killSwitch, risk, e: risk ? null : why('risk') }, () => renderKillSwitch(page.kill, killSwitch, risk, why('risk')));

  // portfolio: /portfolio with its equity curve, else the summary in /status and a curve sampled here
  const portfolio = data.portfolio || (status && status.portfolio) || null;
  let curve = data.portfolio && Array.isArray(data.portfolio.equityCurve) ? data.portfolio.equityCurve : null;
  let note = '';
  if (portfolio && typeof portfolio.equity === 'string') {
    state.sampled.push({ atMs: Date.now(), equity: portfolio.equity });
    if (state.sampled.length > SAMPLED_POINTS) {
      state.sampled.shift();
    }
  }
  if (!curve) {
    curve = state.sampled;
    note = 'Equity sampled by this page since it opened (/portfolio: ' + why('portfolio') + ').';
  } else {
    note = curve.length + ' points of the engine\'s equity curve; last ' + (curve.length ? decimal(curve[curve.length - 1].equity) : '—');
  }
  once('portfolio', { portfolio, curve: curve.length, last: curve[curve.length - 1], note }, () =>
    renderPortfolio(page.portfolio, portfolio, curve, note, why('portfolio')));

  // symbols: /symbols, else the shorter rows of /status
  let symbols = data.symbols && Array.isArray(data.symbols.symbols) ? data.symbols.symbols : null;
  let symbolsNote = '';
  if (!symbols && status && Array.isArray(status.symbols)) {
    symbols = status.symbols;
    symbolsNote = 'From /status (/symbols: ' + why('symbols') + '); strategy and last signal need /symbols.';
  }
  once('symbols', { symbols, symbolsNote }, () => renderSymbols(page.symbols, symbols, symbolsNote, why('symbols')));

  // streams: /streams, else the venues of /status
  let streams = data.streams && Array.isArray(data.streams.streams) ? data.streams.streams : null;
  let streamsNote = '';
  if (!streams && status && Array.isArray(status.venues)) {
    streams = status.venues;
    streamsNote = 'From /status (/streams: ' + why('streams') + ').';
  }
  once('streams', { streams, streamsNote }, () => renderStreams(page.streams, streams, streamsNote, why('streams')));

  const actors = data.actors && Array.isArray(data.actors.actors) ? data.actors.actors : null;
  once('actors', { actors, e: actors ? null : why('actors') }, () => renderActors(page.actors, actors, why('actors')));

  // working orders: /orders, else the symbols' working orders
  let working = data.orders && Array.isArray(data.orders.working) ? data.orders.working : null;
  let ordersNote = '';
  if (!working && symbols) {
    working = symbols.filter((s) => s.workingOrder).map((s) => Object.assign({ symbol: s.id }, s.workingOrder));
    ordersNote = 'From the symbols (/orders: ' + why('orders') + ').';
  }
  once('orders', { working, ordersNote }, () => renderOrders(page.orders, working, ordersNote, why('orders')));

  let fills = data.fills && Array.isArray(data.fills.fills) ? data.fills.fills : null;
  if (fills) {
    for (const fill of fills) {
      state.liveFills.delete(String(fill.tradeId));
    }
  }
  if (state.liveFills.size > 0) {
    const live = [...state.liveFills.values()].reverse();
    fills = live.concat(fills || []).slice(0, FILLS_SHOWN);
  }
  once('fills', { fills, e: fills ? null : why('fills') }, () => renderFills(page.fills, fills, why('fills')));

  const audit = data.audit && Array.isArray(data.audit.items) ? data.audit.items : null;
  once('audit', { audit, e: audit ? null : why('audit') }, () => renderAudit(page.audit, audit, why('audit')));
}

function renderHeader(status) {
  once('summary', status && { mode: status.mode, uptime: Math.floor(status.uptimeMs / 1000), n: (status.symbols || []).length }, () =>
    renderSummary(page.summary, status));
}

// ---- the trading view ----------------------------------------------------------------------

function renderTrading(data, why) {
  const status = data.status || null;
  renderHeader(status);
  const t = page.trading;

  // the symbols to choose from: /symbols, else /status
  let symbols = data.symbols && Array.isArray(data.symbols.symbols) ? data.symbols.symbols : null;
  if (!symbols && status && Array.isArray(status.symbols)) {
    symbols = status.symbols;
  }
  const ids = (symbols || []).map((s) => String(s.id));
  once('t-picker', ids, () => {
    const chosen = renderSymbolPicker(t.picker, ids, state.symbol);
    if (chosen !== state.symbol) {
      state.symbol = chosen;
      refreshSoon();
    }
  });
  const symbol = (symbols || []).find((s) => String(s.id) === state.symbol) || null;
  once('t-facts', symbol && [symbol.phase, symbol.positionQty, symbol.averagePrice, symbol.lastPrice], () => renderPriceFacts(t.priceFacts, symbol));

  const candles = data.candles && String(data.candles.symbol ?? state.symbol) === state.symbol ? data.candles : null;
  const marked = data.symbolTrades && Array.isArray(data.symbolTrades.trades) ? data.symbolTrades.trades : null;
  const position = symbol && [symbol.positionQty, symbol.averagePrice];
  const reset = state.chartSymbol !== state.symbol;
  once('t-price', { s: state.symbol, candles, marked, position, e: candles ? null : why('candles') }, () => {
    state.chartSymbol = state.symbol;
    renderPrice(t.price, candles, state.symbol ? why('candles') : 'no symbol to chart', marked, why('symbolTrades'), symbol, reset);
  });

  once('t-equity', { equity: data.equity || null, e: data.equity ? null : why('equity') }, () => renderEquity(t.equity, data.equity || null, why('equity')));

  const trades = data.trades && Array.isArray(data.trades.trades) ? data.trades.trades : null;
  state.tradesNextBefore = data.trades && data.trades.nextBefore != null ? data.trades.nextBefore : null;
  once('t-trades', { trades, e: trades ? null : why('trades') }, () => renderTrades(t.trades, trades, why('trades')));
  t.tradesOlder.disabled = state.tradesNextBefore === null;
  t.tradesNewest.disabled = state.tradesBefore === null;
  replace(t.tradesPage, state.tradesBefore === null ? 'newest first' : 'older than #' + state.tradesBefore);

  const performance = data.portfolio ? data.portfolio.performance : null;
  const performanceWhy = data.portfolio ? '/portfolio has no performance figures' : why('portfolio');
  once('t-performance', { performance, e: performance ? null : performanceWhy }, () => renderPerformance(t.performance, performance, performanceWhy));

  const alerts = data.alerts && Array.isArray(data.alerts.alerts) ? data.alerts.alerts : null;
  once('t-alerts', { alerts, e: alerts ? null : why('alerts') }, () => renderAlerts(t.alerts, alerts, why('alerts')));
}

/** Shows one view and remembers it in the address's #fragment; the next poll fills it. */
function showView(view) {
  state.view = view === 'trading' ? 'trading' : 'supervision';
  for (const [name, node] of Object.entries(page.views)) {
    node.hidden = name !== state.view;
    setAttributesOf(page.viewButtons[name], { 'aria-pressed': String(name === state.view) });
  }
  history.replaceState(null, '', state.view === 'trading' ? '#trading' : location.pathname);
  state.rendered.clear();
  state.chartSymbol = null;
  resizeCharts(charts());
}

/** Every chart on the page (ECharts draws into a box sized while it is shown). */
function charts() {
  return [page.portfolio.chart, page.trading.price.chart, page.trading.equity.chart];
}

page.viewButtons.supervision.addEventListener('click', () => {
  showView('supervision');
  refreshSoon();
});
page.viewButtons.trading.addEventListener('click', () => {
  showView('trading');
  refreshSoon();
});
page.trading.picker.addEventListener('change', () => {
  state.symbol = page.trading.picker.value;
  refreshSoon();
});
page.trading.tradesOlder.addEventListener('click', () => {
  if (state.tradesNextBefore !== null) {
    state.tradesBefore = state.tradesNextBefore;
    refreshSoon();
  }
});
page.trading.tradesNewest.addEventListener('click', () => {
  state.tradesBefore = null;
  refreshSoon();
});
window.addEventListener('resize', () => resizeCharts(charts()));

// ---- live events ---------------------------------------------------------------------------

const events = followEvents(
  (type, data) => {
    addEvent(page.events, type, data);
    if (type === 'fill' && data && typeof data === 'object' && data.tradeId != null) {
      state.liveFills.set(String(data.tradeId), data);
      if (state.liveFills.size > FILLS_SHOWN) {
        state.liveFills.delete(state.liveFills.keys().next().value);
      }
    }
    refreshSoon();
  },
  (text, live) => {
    replace(page.eventsState, text);
    page.eventsState.className = 'badge ' + (live ? 'ok' : 'idle');
  },
);

// ---- actions behind a confirmation ---------------------------------------------------------

let pending = null;

/** Opens the confirmation; resolves to the reason typed, or null when cancelled. */
function confirmAction(title, text, confirmLabel) {
  replace(page.dialogTitle, title);
  replace(page.dialogText, text);
  replace(page.dialogOk, confirmLabel);
  replace(page.dialogError, '');
  page.dialogReason.value = '';
  page.dialog.showModal();
  page.dialogReason.focus();
  return new Promise((resolve) => {
    pending = resolve;
  });
}

function closeDialog(result) {
  const resolve = pending;
  pending = null;
  if (page.dialog.open) {
    page.dialog.close();
  }
  if (resolve) {
    resolve(result);
  }
}

page.dialogForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = page.dialogReason.value.trim();
  if (reason === '' || reason.length > 200) {
    replace(page.dialogError, 'Give a reason of 1 to 200 characters.');
    return;
  }
  closeDialog(reason);
});
page.dialogReason.addEventListener('input', () => replace(page.dialogError, ''));
page.dialogCancel.addEventListener('click', () => closeDialog(null));
page.dialog.addEventListener('cancel', () => closeDialog(null));

function showResult(text, ok) {
  replace(page.actionResult, clock(Date.now()) + ' ' + text);
  page.actionResult.className = 'result ' + (ok ? 'ok' : 'error');
}

async function act(title, text, confirmLabel, send, done) {
  const reason = await confirmAction(title, text, confirmLabel);
  if (reason === null) {
    return;
  }
  try {
    const answer = await send(reason);
    showResult(done(answer), true);
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      refused(failure.message);
    } else {
      showResult('failed: ' + describe(failure), false);
    }
  }
  refreshSoon();
}

page.kill.engage.addEventListener('click', () =>
  act(
    'Engage the kill switch?',
    'Every new entry is refused until the switch is released; exits still go through.',
    'Engage',
    (reason) => post('/kill-switch', { engaged: true, reason }),
    (answer) => 'kill switch ' + (answer && answer.engaged ? 'engaged' : 'not engaged') + ': ' + (answer ? answer.reason : ''),
  ));

page.kill.release.addEventListener('click', () =>
  act(
    'Release the kill switch?',
    'Entries are allowed again, within the risk limits.',
    'Release',
    (reason) => post('/kill-switch', { engaged: false, reason }),
    (answer) => 'kill switch ' + (answer && answer.engaged === false ? 'released' : 'still engaged') + ': ' + (answer ? answer.reason : ''),
  ));

page.emergencyStop.addEventListener('click', () =>
  act(
    'Emergency stop?',
    'Cancels every working order and closes every position at market.',
    'Stop everything',
    (reason) => post('/emergency-stop', { reason }),
    () => 'emergency stop accepted',
  ));

page.symbols.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) {
    return;
  }
  const action = button.getAttribute('data-action');
  const symbol = button.getAttribute('data-symbol');
  if ((action !== 'pause' && action !== 'resume') || !symbol) {
    return;
  }
  button.disabled = true;
  try {
    await post('/symbols/' + encodeURIComponent(symbol) + '/' + action);
    showResult(symbol + ' ' + (action === 'pause' ? 'paused' : 'resumed'), true);
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      refused(failure.message);
    } else {
      showResult(action + ' ' + symbol + ' failed: ' + describe(failure), false);
    }
  }
  state.rendered.delete('symbols');
  refreshSoon();
});

// ---- start ---------------------------------------------------------------------------------

if (apiKey.get()) {
  page.keyPanel.hidden = true;
  start();
} else {
  setConnection('no API key', 'bad');
  askForKey('');
}
