// One function per panel: engine data in, DOM out, every value as text (see dom.js).

import { el, replace, table, facts, unavailable } from './dom.js';
import { decimal, percent, exact, signClass, age, clock, timestamp, duration, brief, NONE } from './format.js';
import { drawCurve, numeric } from './charts.js';

const money = (value) => el('span', { class: 'num ' + signClass(value), title: exact(value) }, decimal(value));
const plain = (value) => el('span', { class: 'num', title: exact(value) }, decimal(value));
const fraction = (value) => el('span', { class: 'num', title: exact(value) }, value === null || value === undefined ? NONE : percent(value));
const yesNo = (flag, yes, no) => el('span', { class: 'badge ' + (flag ? 'ok' : 'bad') }, flag ? yes : no);
const count = (value) => (typeof value === 'number' ? String(value) : NONE);

/** The engine line in the header: mode, uptime, symbols. */
export function renderSummary(node, status) {
  if (!status) {
    replace(node, 'engine status unavailable');
    return;
  }
  const symbols = Array.isArray(status.symbols) ? status.symbols.length : 0;
  replace(node, exact(status.mode) + ' · up ' + duration(status.uptimeMs) + ' · ' + symbols + ' symbols');
}

/** The kill switch (from /risk, else /status) and the risk figures of /risk. */
export function renderKillSwitch(nodes, killSwitch, risk, riskError) {
  const { state, facts: factsNode, riskFacts, breakers, engage, release } = nodes;
  if (!killSwitch) {
    replace(state, 'unknown');
    state.className = 'badge';
    facts(factsNode, [['state', riskError || 'unavailable']]);
  } else {
    replace(state, killSwitch.engaged ? 'ENGAGED' : 'released');
    state.className = 'badge ' + (killSwitch.engaged ? 'bad big' : 'ok big');
    facts(factsNode, [
      ['reason', exact(killSwitch.reason)],
      ['since', typeof killSwitch.sinceMs === 'number' && killSwitch.sinceMs > 0 ? timestamp(killSwitch.sinceMs) : NONE],
    ]);
  }
  engage.disabled = killSwitch ? killSwitch.engaged === true : false;
  release.disabled = killSwitch ? killSwitch.engaged === false : false;

  if (!risk) {
    replace(riskFacts);
    replace(breakers, unavailable(riskError || 'no answer from /risk'));
    return;
  }
  facts(riskFacts, [
    ['daily PnL', money(risk.dailyPnl)],
    ['drawdown', fraction(risk.drawdown)],
    ['peak equity', plain(risk.peakEquity)],
    ['ledger', exact(risk.ledgerInvariants)],
    ['decisions', count(risk.decisions)],
    ['max daily loss', plain(risk.limits && risk.limits.maxDailyLoss)],
  ]);
  const breakerRows = Array.isArray(risk.breakers) ? risk.breakers : [];
  const cooldowns = Array.isArray(risk.cooldowns) ? risk.cooldowns : [];
  replace(
    breakers,
    breakerRows.length === 0
      ? el('p', { class: 'muted small' }, 'no venue circuit breakers')
      : table(
          [
            ['breaker', (b) => exact(b.venue)],
            ['state', (b) => yesNo(b.state !== 'open', 'closed', 'OPEN')],
            ['reason', (b) => exact(b.reason)],
            ['since', (b) => clock(b.sinceMs)],
          ],
          breakerRows),
    cooldowns.length === 0
      ? null
      : el('p', { class: 'muted small' }, 'cooling down: ' + cooldowns.map((c) => exact(c.symbol) + ' until ' + clock(c.untilMs)).join(', ')),
  );
}

/** The portfolio summary and its equity curve. */
export function renderPortfolio(nodes, portfolio, curve, note, error) {
  const { facts: factsNode, chart, note: noteNode } = nodes;
  if (!portfolio) {
    facts(factsNode, [['portfolio', error || 'unavailable']]);
    chart.hidden = true;
    replace(noteNode);
    return;
  }
  const asset = portfolio.quoteAsset ? ' (' + portfolio.quoteAsset + ')' : '';
  const positions = portfolio.positions && typeof portfolio.positions === 'object' ? Object.entries(portfolio.positions) : [];
  facts(factsNode, [
    ['equity' + asset, el('strong', {}, money(portfolio.equity))],
    ['cash', plain(portfolio.cash)],
    ['available', plain(portfolio.available)],
    ['reserved', plain(portfolio.reserved)],
    ['realized PnL', money(portfolio.realizedPnl)],
    ['unrealized PnL', money(portfolio.unrealizedPnl)],
    ['fees paid', plain(portfolio.feesPaid)],
    ['daily PnL', portfolio.dailyPnl === undefined ? NONE : money(portfolio.dailyPnl)],
    ['drawdown', portfolio.drawdown === undefined ? NONE : fraction(portfolio.drawdown)],
    ['open positions', count(portfolio.openPositions)],
    ['fills', count(portfolio.fills)],
    ['positions', positions.length === 0 ? 'flat' : positions.map(([symbol, qty]) => exact(symbol) + ' ' + exact(qty)).join(', ')],
  ]);
  const points = (curve || []).filter((p) => p && typeof p.atMs === 'number' && numeric(p.equity) !== null);
  if (points.length < 2) {
    chart.hidden = true;
    replace(noteNode, 'equity curve: not enough points yet (' + points.length + '). ', note || '');
    return;
  }
  chart.hidden = false;
  replace(noteNode, note || '');
  drawCurve(chart, points, portfolio.quoteAsset).catch((failure) => {
    chart.hidden = true;
    replace(noteNode, unavailable('the chart library could not be loaded (' + (failure && failure.message ? failure.message : String(failure)) + ')'));
  });
}

/** Symbols: phase, position, last signal and decision, working order, pause / resume. */
export function renderSymbols(node, symbols, note, error) {
  if (!symbols) {
    replace(node, unavailable(error));
    return;
  }
  if (symbols.length === 0) {
    replace(node, el('p', { class: 'muted' }, 'no symbols traded'));
    return;
  }
  const paused = (s) => s.phase === 'PAUSED';
  replace(
    node,
    table(
      [
        ['symbol', (s) => el('span', { class: 'symbol' }, exact(s.id))],
        ['strategy', (s) => el('span', { class: 'nowrap' }, exact(s.strategy))],
        ['phase', (s) => el('span', { class: 'phase phase-' + String(s.phase).toLowerCase().replace(/[^a-z_]/g, '') }, exact(s.phase))],
        ['position', (s) => exact(s.positionQty)],
        ['avg price', (s) => exact(s.averagePrice)],
        ['last price', (s) => exact(s.lastPrice)],
        ['last signal', (s) => exact(s.lastSignal)],
        ['last decision', (s) => exact(s.lastDecision)],
        ['candles', (s) => count(s.candles)],
        ['fills', (s) => count(s.fills)],
        ['working order', (s) => (s.workingOrder ? orderText(s.workingOrder) : NONE)],
        [
          '',
          (s) =>
            el(
              'button',
              { type: 'button', class: 'small', 'data-action': paused(s) ? 'resume' : 'pause', 'data-symbol': String(s.id) },
              paused(s) ? 'Resume' : 'Pause'),
        ],
      ],
      symbols),
    note ? el('p', { class: 'muted small' }, note) : null,
  );
}

function orderText(order) {
  return [exact(order.kind), exact(order.side), exact(order.filledQuantity) + '/' + exact(order.quantity), exact(order.clientOrderId)].join(' ');
}

/** Market-data streams per venue connection. */
export function renderStreams(node, streams, note, error) {
  if (!streams) {
    replace(node, unavailable(error));
    return;
  }
  if (streams.length === 0) {
    replace(node, el('p', { class: 'muted' }, 'no venue connections'));
    return;
  }
  replace(
    node,
    table(
      [
        ['venue', (s) => el('strong', {}, exact(s.venue))],
        ['connected', (s) => yesNo(s.connected === true, 'connected', s.stopped ? 'stopped' : 'disconnected')],
        ['last message', (s) => age(s.lastMessageAgeMs)],
        ['reconnects', (s) => count(s.reconnects)],
        ['messages', (s) => count(s.messages)],
        ['trades', (s) => count(s.trades)],
        ['ignored', (s) => count(s.ignored)],
        ['malformed', (s) => el('span', { class: s.malformed > 0 ? 'warn' : '' }, count(s.malformed))],
        ['duplicates', (s) => count(s.duplicatesDropped)],
        ['shed', (s) => shed(s.deliveries)],
        ['budget', (s) => (typeof s.connectionBudget === 'number' ? count(s.attemptsInWindow) + ' / ' + count(s.connectionBudget) : NONE)],
        ['last disconnect', (s) => exact(s.lastDisconnect)],
      ],
      streams,
      (s) => (s.connected ? '' : 'row-bad')),
    note ? el('p', { class: 'muted small' }, note) : null,
    el('p', { class: 'muted small urls' }, streams.filter((s) => s.url).map((s) => exact(s.venue) + ': ' + exact(s.url)).join('  ')),
  );
}

/** Trades shed by the router's per-symbol breakers, and the symbols whose breaker is not closed now. */
function shed(deliveries) {
  if (!Array.isArray(deliveries)) {
    return NONE;
  }
  const total = deliveries.reduce((sum, d) => sum + (typeof d.shed === 'number' ? d.shed : 0), 0);
  const open = deliveries.filter((d) => d.breaker !== 'closed').map((d) => String(d.symbol));
  return el(
    'span',
    { class: open.length > 0 ? 'warn' : '', title: open.length > 0 ? 'breaker open: ' + open.join(', ') : '' },
    count(total) + (open.length > 0 ? ' (' + count(open.length) + ' open)' : ''),
  );
}

/** The supervision tree from /actors ({path, parent, ...}), nested by parent. */
export function renderActors(node, actors, error) {
  if (!actors) {
    replace(node, unavailable(error));
    return;
  }
  const byPath = new Map(actors.map((a) => [String(a.path), a]));
  const children = new Map();
  const roots = [];
  for (const actor of actors) {
    const parent = actor.parent == null ? null : String(actor.parent);
    if (parent !== null && byPath.has(parent) && parent !== String(actor.path)) {
      if (!children.has(parent)) {
        children.set(parent, []);
      }
      children.get(parent).push(actor);
    } else {
      roots.push(actor);
    }
  }
  const byName = (a, b) => String(a.path).localeCompare(String(b.path));
  const seen = new Set();
  const item = (actor) => {
    const path = String(actor.path);
    seen.add(path);
    const kids = (children.get(path) || []).filter((k) => !seen.has(String(k.path))).sort(byName);
    const state = String(actor.state ?? 'unknown');
    const restarts = typeof actor.restarts === 'number' ? actor.restarts : 0;
    return el(
      'li',
      { class: 'actor', title: path },
      el('span', { class: 'actor-name' }, actorName(actor.name ?? path)),
      ' ',
      el('span', { class: 'muted small' }, exact(actor.kind)),
      ' ',
      el('span', { class: 'badge state-' + state.replace(/[^a-z]/g, '') }, state === 'restarting' ? 'restarting (backoff)' : state),
      ' ',
      el('span', { class: restarts > 0 ? 'warn small' : 'muted small' }, restarts + (restarts === 1 ? ' restart' : ' restarts')),
      actor.lastFailure
        ? el('div', { class: 'failure small' }, 'last failure' + (typeof actor.lastFailureAtMs === 'number' ? ' at ' + clock(actor.lastFailureAtMs) : '') + ': ' + brief(actor.lastFailure, 200))
        : null,
      kids.length > 0 ? el('ul', {}, kids.map(item)) : null,
    );
  };
  // actors whose parent is not reported (a guardian, a shard region) hang under that parent's path
  const top = [];
  const groups = new Map();
  for (const actor of roots.sort(byName)) {
    const parent = actor.parent == null ? null : String(actor.parent);
    if (parent === null || parent === String(actor.path)) {
      top.push(item(actor));
    } else {
      if (!groups.has(parent)) {
        groups.set(parent, []);
      }
      groups.get(parent).push(actor);
    }
  }
  for (const [parent, members] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    top.push(el('li', { class: 'actor-group' }, el('span', { class: 'muted small' }, parent), el('ul', {}, members.map(item))));
  }
  replace(node, actors.length === 0 ? el('p', { class: 'muted' }, 'no actors reported') : el('ul', { class: 'tree' }, top));
}

/** An actor name as the engine spelled it before URL-encoding it into the path (binance%3ABTCUSDT → binance:BTCUSDT). */
function actorName(name) {
  try {
    return decodeURIComponent(String(name));
  } catch (malformed) {
    return String(name);
  }
}

/** Working orders from /orders, else from the symbols' working orders. */
export function renderOrders(node, working, note, error) {
  if (!working) {
    replace(node, unavailable(error));
    return;
  }
  replace(
    node,
    working.length === 0
      ? el('p', { class: 'muted' }, 'no working orders')
      : table(
          [
            ['symbol', (o) => exact(o.symbol)],
            ['kind', (o) => exact(o.kind)],
            ['side', (o) => exact(o.side)],
            ['filled / qty', (o) => exact(o.filledQuantity) + ' / ' + exact(o.quantity)],
            ['client order id', (o) => exact(o.clientOrderId)],
          ],
          working),
    note ? el('p', { class: 'muted small' }, note) : null,
  );
}

/** Recent fills, newest first. */
export function renderFills(node, fills, error) {
  if (!fills) {
    replace(node, unavailable(error));
    return;
  }
  replace(
    node,
    fills.length === 0
      ? el('p', { class: 'muted' }, 'no fills yet')
      : table(
          [
            ['time', (f) => el('span', { title: timestamp(f.atMs) }, clock(f.atMs))],
            ['symbol', (f) => exact(f.symbol)],
            ['side', (f) => el('span', { class: 'side-' + (String(f.side).toUpperCase() === 'SELL' ? 'sell' : 'buy') }, exact(f.side))],
            ['price', (f) => exact(f.price)],
            ['quantity', (f) => exact(f.quantity)],
            ['fee', (f) => exact(f.fee)],
            ['trade id', (f) => exact(f.tradeId)],
            ['client order id', (f) => exact(f.clientOrderId)],
          ],
          fills),
  );
}

/** The audit trail, newest first: decisions, kill-switch changes, limit changes. */
export function renderAudit(node, items, error) {
  if (!items) {
    replace(node, unavailable(error));
    return;
  }
  const outcome = (i) => {
    if (i.type === 'decision') {
      return el('span', { class: 'badge ' + (i.approved ? 'ok' : 'bad') }, i.approved ? 'approved' : 'rejected');
    }
    if (i.type === 'kill_switch_engaged') {
      return el('span', { class: 'badge bad' }, 'kill switch engaged');
    }
    if (i.type === 'kill_switch_released') {
      return el('span', { class: 'badge ok' }, 'kill switch released');
    }
    return el('span', { class: 'badge' }, exact(i.type));
  };
  const detail = (i) => {
    if (i.type === 'decision') {
      return [exact(i.kind), exact(i.side), exact(i.quantity), exact(i.strategy), exact(i.reasonCode) + ': ' + exact(i.message)].join(' · ');
    }
    if (i.type === 'kill_switch_engaged') {
      return 'by ' + exact(i.by) + ': ' + exact(i.reason) + (i.trigger ? ' (' + exact(i.trigger) + ')' : '');
    }
    if (i.type === 'kill_switch_released') {
      return exact(i.reason);
    }
    if (i.type === 'limits_changed') {
      return 'by ' + exact(i.changedBy) + ', limits ' + brief(i.limitsHash, 16);
    }
    return brief(i);
  };
  replace(
    node,
    items.length === 0
      ? el('p', { class: 'muted' }, 'no audit entries yet')
      : table(
          [
            ['#', (i) => count(i.seqNr)],
            ['time', (i) => el('span', { title: timestamp(i.atMs) }, clock(i.atMs))],
            ['symbol', (i) => exact(i.symbol)],
            ['outcome', outcome],
            ['detail', (i) => el('span', { class: 'detail' }, detail(i))],
          ],
          items),
  );
}

/** Adds a live event at the top of the list, keeping the newest {@code max}. */
export function addEvent(list, type, data, max = 40) {
  list.prepend(
    el(
      'li',
      {},
      el('span', { class: 'muted' }, clock(Date.now())),
      ' ',
      el('span', { class: 'badge event-' + String(type).replace(/[^a-z-]/g, '') }, String(type)),
      ' ',
      el('span', { class: 'detail' }, brief(withoutEnvelope(data), 240)),
    ),
  );
  while (list.childElementCount > max) {
    list.lastElementChild.remove();
  }
}

/** The event's data without the type and time the list already shows. */
function withoutEnvelope(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return data;
  }
  const rest = Object.assign({}, data);
  delete rest.type;
  delete rest.atMs;
  return rest;
}
