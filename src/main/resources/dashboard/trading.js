// The trading view's panels: engine data in, DOM out, every value as text (see dom.js). The charts
// are drawn by charts.js; the functions here only say what they show and build the tables.

import { el, replace, table, unavailable } from './dom.js';
import { decimal, percent, exact, signClass, clock, timestamp, duration, NONE } from './format.js';
import { drawPrice, drawEquity, spanText } from './charts.js';

const money = (value) => el('span', { class: 'num ' + signClass(value), title: exact(value) }, decimal(value));
const count = (value) => (typeof value === 'number' ? String(value) : NONE);
const at = (ms) => el('span', { class: 'nowrap', title: timestamp(ms) }, clock(ms));
const SEVERITIES = { INFO: 'sev-info', WARN: 'sev-warn', CRITICAL: 'sev-critical' };

/** The symbol picker: one option per symbol id; keeps {@code selected} when it is still there. Returns the selected id. */
export function renderSymbolPicker(select, ids, selected) {
  replace(select, ids.map((id) => el('option', { value: id }, id)));
  const chosen = ids.includes(selected) ? selected : ids[0] ?? '';
  select.value = chosen;
  select.disabled = ids.length === 0;
  return chosen;
}

/** The line beside the picker: phase, position and last price of the chosen symbol. */
export function renderPriceFacts(node, symbol) {
  if (!symbol) {
    replace(node);
    return;
  }
  const qty = String(symbol.positionQty ?? '0');
  const flat = qty === '' || /^-?0*(\.0*)?$/.test(qty);
  replace(
    node,
    exact(symbol.phase),
    ' · ',
    flat ? 'flat' : 'position ' + exact(symbol.positionQty) + ' @ ' + exact(symbol.averagePrice),
    ' · last ',
    exact(symbol.lastPrice),
  );
}

/**
 * The price chart of one symbol: its candles, its round trips marked, its open position's entry
 * line. {@code candles} is the answer of /symbols/{id}/candles (or null with {@code error}); trades
 * may be null (the markers are then missing and the note says why).
 */
export async function renderPrice(nodes, answer, error, trades, tradesError, symbol, reset) {
  const { chart, note } = nodes;
  if (!answer || !Array.isArray(answer.candles)) {
    chart.hidden = true;
    replace(note, unavailable(error || 'no symbol chosen'));
    return;
  }
  if (answer.candles.length === 0) {
    chart.hidden = true;
    replace(note, el('p', { class: 'muted' }, 'no closed candles yet'));
    return;
  }
  chart.hidden = false;
  const position = symbol ? { qty: symbol.positionQty, averagePrice: symbol.averagePrice } : null;
  const shownTrades = Array.isArray(trades) ? trades : [];
  const first = answer.candles[0];
  const last = answer.candles[answer.candles.length - 1];
  replace(
    note,
    answer.candles.length + ' candles of ' + duration(answer.intervalMs) + ' from ' + clock(first.openTimeMs) + ' to ' + clock(last.openTimeMs) + ' UTC; ',
    Array.isArray(trades)
      ? shownTrades.length + ' recent round trips marked (▲ buy, ▼ sell)'
      : 'trades unavailable: ' + (tradesError || 'no answer'),
    '; drag or scroll to zoom.',
  );
  try {
    await drawPrice(chart, answer.candles, answer.intervalMs, shownTrades, position, reset);
  } catch (failure) {
    chart.hidden = true;
    replace(note, unavailable('the chart library could not be loaded (' + (failure && failure.message ? failure.message : String(failure)) + ')'));
  }
}

/** Equity over time with its drawdown underneath, from /equity (kept across restarts). */
export async function renderEquity(nodes, answer, error) {
  const { chart, note } = nodes;
  const points = answer && Array.isArray(answer.points) ? answer.points : null;
  if (!points) {
    chart.hidden = true;
    replace(note, unavailable(error || 'no answer from /equity'));
    return;
  }
  if (points.length < 2) {
    chart.hidden = true;
    replace(note, el('p', { class: 'muted' }, 'equity history: not enough points yet (' + points.length + ')'));
    return;
  }
  chart.hidden = false;
  const last = points[points.length - 1];
  const worst = points.reduce((w, p) => (Number(p.drawdownPct) > Number(w.drawdownPct) ? p : w), points[0]);
  replace(
    note,
    points.length + ' points over ' + spanText(points) + ', across restarts; equity ' + decimal(last.equity) + ' ' + exact(answer.quoteAsset)
      + ', drawdown now ' + decimal(last.drawdownPct) + ' %, worst ' + decimal(worst.drawdownPct) + ' % at ' + timestamp(worst.atMs) + '.',
  );
  try {
    await drawEquity(chart, points, answer.quoteAsset);
  } catch (failure) {
    chart.hidden = true;
    replace(note, unavailable('the chart library could not be loaded (' + (failure && failure.message ? failure.message : String(failure)) + ')'));
  }
}

/** Round-trip trades, newest first, with their PnL net of fees. */
export function renderTrades(node, trades, error) {
  if (!trades) {
    replace(node, unavailable(error));
    return;
  }
  replace(
    node,
    trades.length === 0
      ? el('p', { class: 'muted' }, 'no round-trip trades yet')
      : table(
          [
            ['#', (t) => count(t.number)],
            ['symbol', (t) => el('span', { class: 'symbol' }, exact(t.symbol))],
            ['side', (t) => el('span', { class: String(t.side).toLowerCase() === 'short' ? 'side-sell' : 'side-buy' }, exact(t.side))],
            ['entry', (t) => at(t.entryTimeMs)],
            ['exit', (t) => at(t.exitTimeMs)],
            ['entry price', (t) => exact(t.entryPrice)],
            ['exit price', (t) => exact(t.exitPrice)],
            ['quantity', (t) => exact(t.quantity)],
            ['fees', (t) => exact(t.fees)],
            ['PnL', (t) => money(t.pnl)],
            ['PnL %', (t) => el('span', { class: 'num ' + signClass(t.pnlPct) }, t.pnlPct == null ? NONE : exact(t.pnlPct) + ' %')],
            ['held', (t) => duration(t.holdingMs)],
            ['exit reason', (t) => el('span', { class: 'detail' }, exact(t.exitReason))],
          ],
          trades,
          (t) => (signClass(t.pnl) === 'neg' ? 'row-loss' : '')),
  );
}

/** Per-symbol trades, wins, losses, win rate and PnL, and the total, from /portfolio's performance. */
export function renderPerformance(node, performance, error) {
  if (!performance || typeof performance !== 'object') {
    replace(node, unavailable(error || 'the portfolio has no performance figures'));
    return;
  }
  const bySymbol = performance.bySymbol && typeof performance.bySymbol === 'object' ? Object.entries(performance.bySymbol) : [];
  const rows = bySymbol.sort(([a], [b]) => a.localeCompare(b)).map(([symbol, p]) => Object.assign({ symbol }, p));
  if (performance.total) {
    rows.push(Object.assign({ symbol: 'all symbols', total: true }, performance.total));
  }
  replace(
    node,
    rows.length === 0 || (performance.total && performance.total.trades === 0 && bySymbol.length === 0)
      ? el('p', { class: 'muted' }, 'no round-trip trades yet')
      : table(
          [
            ['symbol', (p) => el('span', { class: 'symbol' }, exact(p.symbol))],
            ['trades', (p) => count(p.trades)],
            ['wins', (p) => count(p.wins)],
            ['losses', (p) => count(p.losses)],
            ['win rate', (p) => el('span', { class: 'num', title: exact(p.winRate) }, p.winRate == null ? NONE : percent(p.winRate, 1))],
            ['PnL', (p) => money(p.pnl)],
          ],
          rows,
          (p) => (p.total ? 'total' : '')),
  );
}

/** The Notifier's recent alerts, newest first. */
export function renderAlerts(node, alerts, error) {
  if (!alerts) {
    replace(node, unavailable(error));
    return;
  }
  replace(
    node,
    alerts.length === 0
      ? el('p', { class: 'muted' }, 'no alerts')
      : table(
          [
            ['time', (a) => at(a.atMs)],
            ['severity', (a) => el('span', { class: 'badge ' + (SEVERITIES[a.severity] || '') }, exact(a.severity))],
            ['alert', (a) => [el('strong', {}, exact(a.title)), a.text ? el('div', { class: 'detail' }, exact(a.text)) : null]],
            ['details', (a) => el('span', { class: 'detail small' }, fieldsText(a.fields))],
          ],
          alerts),
  );
}

function fieldsText(fields) {
  if (!fields || typeof fields !== 'object') {
    return '';
  }
  return Object.entries(fields).map(([k, v]) => String(k) + '=' + (typeof v === 'string' ? v : JSON.stringify(v))).join(' · ');
}
