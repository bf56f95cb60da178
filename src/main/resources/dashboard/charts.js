// The trading view's charts, drawn by Apache ECharts (served from the jar as /dashboard/echarts.js,
// loaded on first use). ECharts draws on a canvas, so nothing it shows is ever parsed as HTML:
// the canvas renderer needs no inline style (the SVG renderer would, against the page's CSP), and
// tooltips use renderMode 'richText' (drawn on the canvas) instead of ECharts' HTML tooltips.
// Every text given to ECharts is built here from numbers and fixed words; the one engine text shown
// (a trade's exit reason) goes through chartText, which removes ECharts' rich-text markup.
// Coordinates are floats: a picture, not money; the labels show the engine's decimals as they came.

import { clock, timestamp, decimal, duration } from './format.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const MAX_TEXT = 80;
const COLORS = { up: '#1c7c4a', down: '#b42318', accent: '#1f5f99', muted: '#66717f', line: '#dde2e8', warn: '#a15c00' };

let library = null;

/** ECharts' module, imported once; rejects when it cannot be loaded. */
function echarts() {
  if (!library) {
    library = import('/dashboard/echarts.js').catch((failure) => {
      library = null;
      throw failure;
    });
  }
  return library;
}

/** A number from an engine decimal string, or null when it is not one. */
export function numeric(value) {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : null;
}

/** An engine decimal as it came when it is one, else a dash: never any other engine text. */
function exactDecimal(value) {
  return typeof value === 'string' && DECIMAL.test(value) ? value : '—';
}

/**
 * Engine text for a chart label: control characters and ECharts' rich-text markup ({style|text}) taken
 * out, cut short. The canvas draws it as characters; this only keeps ECharts from styling it.
 */
export function chartText(value) {
  const text = String(value ?? '').replace(/[\u0000-\u001f\u007f{}|]/g, ' ');
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 1) + '…' : text;
}

/** An axis bound a little beyond the data, so that a flat line does not get an axis ten times its size (its label is not shown). */
const padded = (side) => (range) => {
  const pad = Math.max((range.max - range.min) * 0.05, Math.abs(range.max) * 0.0005, 0.01);
  return Number((side < 0 ? range.min - pad : range.max + pad).toPrecision(6));
};

/** Draws {@code option} into {@code node} (a fresh chart after {@code reset}); resolves to the chart. */
async function draw(node, option, reset) {
  const lib = await echarts();
  const chart = lib.getInstanceByDom(node) || lib.init(node, null, { renderer: 'canvas' });
  if (reset) {
    chart.clear();
  }
  chart.setOption(option);
  chart.resize();
  return chart;
}

/** Fits every chart on the page to its box again (after a view switch or a window resize). */
export async function resizeCharts(nodes) {
  const lib = await echarts().catch(() => null);
  if (!lib) {
    return;
  }
  for (const node of nodes) {
    const chart = lib.getInstanceByDom(node);
    if (chart) {
      chart.resize();
    }
  }
}

/** The candle whose interval holds {@code atMs}, or -1 when it is outside the candles shown. */
function candleAt(candles, intervalMs, atMs) {
  if (typeof atMs !== 'number' || candles.length === 0) {
    return -1;
  }
  let low = 0;
  let high = candles.length - 1;
  if (atMs < candles[0].openTimeMs || atMs >= candles[high].openTimeMs + intervalMs) {
    return -1;
  }
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (candles[mid].openTimeMs <= atMs) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

/**
 * The ECharts option of the price chart: {@code candles} ({openTimeMs, open, high, low, close}, oldest
 * first), the round trips of {@code trades} marked where they entered and exited (a buy as an
 * up-triangle, a sell as a down-triangle), and the open {@code position} ({qty, averagePrice}) as a
 * dashed entry line. Candles that are not all numbers are left out.
 */
export function priceOption(candles, intervalMs, trades, position) {
  const usable = (candles || []).filter(
    (c) => c && typeof c.openTimeMs === 'number' && [c.open, c.high, c.low, c.close].every((v) => numeric(v) !== null));
  const interval = typeof intervalMs === 'number' && intervalMs > 0 ? intervalMs : 60_000;
  const markers = { entries: [], exits: [] };
  for (const trade of trades || []) {
    const long = String(trade.side).toLowerCase() !== 'short';
    const marks = [
      ['entries', trade.entryTimeMs, trade.entryPrice, long],
      ['exits', trade.exitTimeMs, trade.exitPrice, !long],
    ];
    for (const [kind, atMs, price, buy] of marks) {
      const index = candleAt(usable, interval, atMs);
      if (index >= 0 && numeric(price) !== null) {
        markers[kind].push({ index, price: exactDecimal(price), value: numeric(price), buy, kind, trade });
      }
    }
  }
  const qty = position ? numeric(position.qty) : null;
  const entry = position ? numeric(position.averagePrice) : null;
  const entryLine =
    qty !== null && qty !== 0 && entry !== null
      ? [{
          yAxis: entry,
          label: { formatter: (qty > 0 ? 'long ' : 'short ') + exactDecimal(position.qty).replace('-', '') + ' @ ' + exactDecimal(position.averagePrice), position: 'insideStartTop', color: COLORS.accent },
          lineStyle: { color: COLORS.accent, type: 'dashed', width: 1.5 },
        }]
      : [];

  const tooltip = (params) => {
    const list = Array.isArray(params) ? params : [params];
    const lines = [];
    const candle = list.find((p) => p.seriesType === 'candlestick');
    const index = candle ? candle.dataIndex : list.length > 0 && Array.isArray(list[0].value) ? list[0].value[0] : -1;
    const c = usable[index];
    if (c) {
      lines.push(timestamp(c.openTimeMs));
      lines.push('open ' + exactDecimal(c.open) + '  high ' + exactDecimal(c.high));
      lines.push('low ' + exactDecimal(c.low) + '  close ' + exactDecimal(c.close));
      if (numeric(c.volume) !== null) {
        lines.push('volume ' + exactDecimal(c.volume));
      }
    }
    for (const kind of ['entries', 'exits']) {
      for (const mark of markers[kind].filter((m) => m.index === index)) {
        lines.push(markerText(mark));
      }
    }
    return lines.join('\n');
  };

  return {
    animation: false,
    useUTC: true,
    grid: { left: 70, right: 24, top: 16, bottom: 56 },
    tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'cross' }, formatter: tooltip, confine: true },
    axisPointer: { label: { formatter: (p) => (p.axisDimension === 'x' ? clockOf(usable, p.value) : String(round(p.value))) } },
    xAxis: {
      type: 'category',
      data: usable.map((c) => clock(c.openTimeMs)),
      boundaryGap: true,
      axisLine: { lineStyle: { color: COLORS.muted } },
    },
    yAxis: { type: 'value', scale: true, splitLine: { lineStyle: { color: COLORS.line } }, axisLabel: { color: COLORS.muted } },
    dataZoom: [{ type: 'inside', filterMode: 'weakFilter' }, { type: 'slider', height: 18, bottom: 8, labelFormatter: (i) => clockOf(usable, i) }],
    series: [
      {
        name: 'price',
        type: 'candlestick',
        // ECharts' candle order: open, close, lowest, highest
        data: usable.map((c) => [numeric(c.open), numeric(c.close), numeric(c.low), numeric(c.high)]),
        itemStyle: { color: COLORS.up, color0: COLORS.down, borderColor: COLORS.up, borderColor0: COLORS.down },
        markLine: { silent: true, symbol: 'none', data: entryLine },
      },
      { name: 'entries', type: 'scatter', symbol: 'triangle', symbolSize: 13, z: 5, data: markers.entries.map(markerPoint) },
      { name: 'exits', type: 'scatter', symbol: 'triangle', symbolSize: 13, z: 5, data: markers.exits.map(markerPoint) },
    ],
  };
}

/** A marker on the candle chart: ▲ a buy, ▼ a sell, at the candle the trade happened in. */
function markerPoint(mark) {
  return {
    value: [mark.index, mark.value],
    symbolRotate: mark.buy ? 0 : 180,
    itemStyle: { color: mark.buy ? COLORS.up : COLORS.down, borderColor: '#fff', borderWidth: 1 },
  };
}

function markerText(mark) {
  const t = mark.trade;
  const number = typeof t.number === 'number' ? '#' + t.number + ' ' : '';
  const side = String(t.side).toLowerCase() === 'short' ? 'short' : 'long';
  if (mark.kind === 'entries') {
    return (mark.buy ? '▲ buy ' : '▼ sell ') + mark.price + ' · entry ' + number + side;
  }
  const pnl = numeric(t.pnl) !== null ? ' · pnl ' + decimal(t.pnl) : '';
  const reason = t.exitReason ? ' · ' + chartText(t.exitReason) : '';
  return (mark.buy ? '▲ buy ' : '▼ sell ') + mark.price + ' · exit ' + number + side + pnl + reason;
}

function clockOf(candles, index) {
  const c = candles[Math.round(Number(index))];
  return c ? clock(c.openTimeMs) : '';
}

function round(value) {
  const n = Number(value);
  return Number.isFinite(n) ? Number(n.toPrecision(8)) : '';
}

/** Draws the price chart into {@code node}; a new {@code key} (another symbol) starts a fresh chart. */
export function drawPrice(node, candles, intervalMs, trades, position, reset) {
  return draw(node, priceOption(candles, intervalMs, trades, position), reset);
}

/**
 * The ECharts option of equity over time ({atMs, equity, drawdownPct}, oldest first) with the
 * drawdown from the running peak underneath, in percent below zero; both share the time axis.
 */
export function equityOption(points, quoteAsset) {
  const usable = (points || []).filter((p) => p && typeof p.atMs === 'number' && numeric(p.equity) !== null);
  const asset = typeof quoteAsset === 'string' && /^[A-Za-z0-9]{1,12}$/.test(quoteAsset) ? ' ' + quoteAsset : '';
  const byTime = new Map(usable.map((p) => [p.atMs, p]));
  const tooltip = (params) => {
    const list = Array.isArray(params) ? params : [params];
    const atMs = list.length > 0 && Array.isArray(list[0].value) ? list[0].value[0] : null;
    const p = byTime.get(atMs);
    if (!p) {
      return '';
    }
    return [
      timestamp(p.atMs),
      'equity ' + exactDecimal(p.equity) + asset,
      'peak ' + exactDecimal(p.peak) + asset,
      'drawdown ' + exactDecimal(p.drawdown) + asset + ' (' + exactDecimal(p.drawdownPct) + ' %)',
    ].join('\n');
  };
  return {
    animation: false,
    useUTC: true,
    tooltip: { trigger: 'axis', renderMode: 'richText', formatter: tooltip, confine: true },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: [
      { left: 80, right: 24, top: 30, height: '54%' },
      { left: 80, right: 24, top: '74%', bottom: 28 },
    ],
    xAxis: [
      { type: 'time', gridIndex: 0, axisLabel: { show: false }, axisLine: { lineStyle: { color: COLORS.muted } } },
      { type: 'time', gridIndex: 1, axisLabel: { color: COLORS.muted, formatter: (v) => clock(v), hideOverlap: true }, axisLine: { lineStyle: { color: COLORS.muted } } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, min: padded(-1), max: padded(1), name: 'equity' + asset, nameTextStyle: { color: COLORS.muted, align: 'left' },
        splitLine: { lineStyle: { color: COLORS.line } }, axisLabel: { color: COLORS.muted, showMinLabel: false, showMaxLabel: false } },
      // drawdown is at most zero: the axis ends at zero and goes down at least a little, also while it is all zero
      { type: 'value', gridIndex: 1, max: 0, min: (range) => (range.min < 0 ? range.min : -0.1), splitNumber: 2, name: 'drawdown %', nameTextStyle: { color: COLORS.muted, align: 'left' },
        splitLine: { lineStyle: { color: COLORS.line } }, axisLabel: { color: COLORS.muted, showMinLabel: false } },
    ],
    series: [
      { name: 'equity', type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, data: usable.map((p) => [p.atMs, numeric(p.equity)]),
        lineStyle: { color: COLORS.accent, width: 2 }, itemStyle: { color: COLORS.accent }, areaStyle: { color: COLORS.accent, opacity: 0.06 } },
      { name: 'drawdown', type: 'line', xAxisIndex: 1, yAxisIndex: 1, showSymbol: false,
        data: usable.map((p) => [p.atMs, -(numeric(p.drawdownPct) ?? 0)]),
        lineStyle: { color: COLORS.down, width: 1 }, itemStyle: { color: COLORS.down }, areaStyle: { color: COLORS.down, opacity: 0.25 } },
    ],
  };
}

/** Draws equity and drawdown into {@code node}. */
export function drawEquity(node, points, quoteAsset) {
  return draw(node, equityOption(points, quoteAsset), false);
}

/** The ECharts option of the supervision view's equity curve ({atMs, equity}, oldest first). */
export function curveOption(points, quoteAsset) {
  const usable = (points || []).filter((p) => p && typeof p.atMs === 'number' && numeric(p.equity) !== null);
  const asset = typeof quoteAsset === 'string' && /^[A-Za-z0-9]{1,12}$/.test(quoteAsset) ? ' ' + quoteAsset : '';
  const byTime = new Map(usable.map((p) => [p.atMs, p]));
  const tooltip = (params) => {
    const list = Array.isArray(params) ? params : [params];
    const p = list.length > 0 && Array.isArray(list[0].value) ? byTime.get(list[0].value[0]) : null;
    return p ? timestamp(p.atMs) + '\nequity ' + exactDecimal(p.equity) + asset : '';
  };
  return {
    animation: false,
    useUTC: true,
    grid: { left: 80, right: 16, top: 12, bottom: 28 },
    tooltip: { trigger: 'axis', renderMode: 'richText', formatter: tooltip, confine: true },
    xAxis: { type: 'time', axisLabel: { color: COLORS.muted, formatter: (v) => clock(v), hideOverlap: true }, axisLine: { lineStyle: { color: COLORS.muted } } },
    yAxis: { type: 'value', min: padded(-1), max: padded(1), splitLine: { lineStyle: { color: COLORS.line } },
      axisLabel: { color: COLORS.muted, showMinLabel: false, showMaxLabel: false } },
    series: [
      { name: 'equity', type: 'line', showSymbol: false, data: usable.map((p) => [p.atMs, numeric(p.equity)]),
        lineStyle: { color: COLORS.accent, width: 2 }, itemStyle: { color: COLORS.accent }, areaStyle: { color: COLORS.accent, opacity: 0.08 } },
    ],
  };
}

/** Draws the supervision view's equity curve into {@code node}. */
export function drawCurve(node, points, quoteAsset) {
  return draw(node, curveOption(points, quoteAsset), false);
}

/** How long the equity history spans, for the note under the chart. */
export function spanText(points) {
  if (!Array.isArray(points) || points.length < 2) {
    return '';
  }
  return duration(points[points.length - 1].atMs - points[0].atMs);
}
