// The equity curve as a hand-written SVG line chart. Coordinates are floats (a picture, not money);
// the labels show the engine's exact decimals rounded for display.

import { svg, el } from './dom.js';
import { decimal, timestamp, clock } from './format.js';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 78, right: 12, top: 12, bottom: 28 };
const MAX_POINTS = 600;

/** An SVG chart of {@code points} ([{atMs, equity}], oldest first), or a note when there are too few. */
export function equityChart(points, quoteAsset) {
  const usable = (points || []).filter((p) => p && typeof p.atMs === 'number' && Number.isFinite(Number(p.equity)));
  if (usable.length < 2) {
    return el('p', { class: 'muted' }, 'equity curve: not enough points yet (' + usable.length + ')');
  }
  const shown = thin(usable, MAX_POINTS);
  const xs = shown.map((p) => p.atMs);
  const ys = shown.map((p) => Number(p.equity));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  let low = Math.min(...ys);
  let high = Math.max(...ys);
  const lowPoint = shown[ys.indexOf(low)];
  const highPoint = shown[ys.indexOf(high)];
  if (high - low < 1e-9) {
    high += 1;
    low -= 1;
  }
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + (x1 === x0 ? plotW : ((t - x0) / (x1 - x0)) * plotW);
  const y = (v) => PAD.top + (1 - (v - low) / (high - low)) * plotH;
  const coordinates = shown.map((p, i) => x(p.atMs).toFixed(1) + ',' + y(ys[i]).toFixed(1));
  const baseline = (PAD.top + plotH).toFixed(1);
  const area = 'M' + x(xs[0]).toFixed(1) + ',' + baseline + ' L' + coordinates.join(' L') + ' L' + x(xs[xs.length - 1]).toFixed(1) + ',' + baseline + ' Z';
  const last = shown[shown.length - 1];
  const asset = quoteAsset ? ' ' + quoteAsset : '';

  return svg(
    'svg',
    {
      viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT,
      class: 'equity',
      role: 'img',
      'aria-label': 'equity curve, ' + shown.length + ' points, last ' + decimal(last.equity) + asset,
    },
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: PAD.top + plotH }),
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top + plotH, x2: PAD.left + plotW, y2: PAD.top + plotH }),
    svg('path', { class: 'area', d: area }),
    svg('polyline', { class: 'line', points: coordinates.join(' '), fill: 'none' }),
    svg('circle', { class: 'dot', cx: x(last.atMs).toFixed(1), cy: y(Number(last.equity)).toFixed(1), r: 3 }),
    svg('text', { class: 'label', x: PAD.left - 6, y: y(Number(highPoint.equity)) + 4, 'text-anchor': 'end' }, decimal(highPoint.equity)),
    lowPoint.equity === highPoint.equity
      ? null
      : svg('text', { class: 'label', x: PAD.left - 6, y: y(Number(lowPoint.equity)) + 4, 'text-anchor': 'end' }, decimal(lowPoint.equity)),
    svg('text', { class: 'label', x: PAD.left, y: HEIGHT - 8, 'text-anchor': 'start' }, clock(x0)),
    svg('text', { class: 'label', x: PAD.left + plotW, y: HEIGHT - 8, 'text-anchor': 'end' }, clock(x1)),
    svg('title', {}, 'equity from ' + timestamp(x0) + ' to ' + timestamp(x1)),
  );
}

/** At most {@code max} points: every k-th one, always keeping the last. */
function thin(points, max) {
  if (points.length <= max) {
    return points;
  }
  const step = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % step === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) {
    kept.push(points[points.length - 1]);
  }
  return kept;
}
