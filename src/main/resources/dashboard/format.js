// Display formats. Decimals arrive from the engine as exact strings; they are rounded for display
// with integer arithmetic on their digits (BigInt), never through a float.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
export const NONE = '—';

/** {@code value} rounded half-up to {@code places} decimals; anything that is not a decimal is shown as it is. */
export function decimal(value, places = 2) {
  if (value === null || value === undefined || value === '') {
    return NONE;
  }
  const text = String(value);
  const match = DECIMAL.exec(text);
  if (!match) {
    return text;
  }
  const [, sign, whole, fraction = ''] = match;
  const padded = (fraction + '0'.repeat(places + 1)).slice(0, places + 1);
  let scaled = BigInt(whole + padded);
  scaled = (scaled + 5n) / 10n;
  const digits = scaled.toString().padStart(places + 1, '0');
  const integer = places === 0 ? digits : digits.slice(0, -places);
  const decimals = places === 0 ? '' : '.' + digits.slice(-places);
  const negative = sign === '-' && /[1-9]/.test(digits);
  return (negative ? '-' : '') + group(integer) + decimals;
}

/** A fraction (an exact decimal string such as a drawdown of "0.0123") as a percentage: "1.23 %". */
export function percent(value, places = 2) {
  const match = DECIMAL.exec(String(value ?? ''));
  if (!match) {
    return decimal(value, places);
  }
  const [, sign, whole, fraction = ''] = match;
  const shifted = sign + whole + fraction.padEnd(2, '0').slice(0, 2) + (fraction.length > 2 ? '.' + fraction.slice(2) : '');
  return decimal(shifted.replace(/^(-?)0+(?=\d)/, '$1'), places) + ' %';
}

function group(integer) {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** {@code value} as it came (an exact quantity or price), or a dash. */
export function exact(value) {
  return value === null || value === undefined || value === '' ? NONE : String(value);
}

/** 'pos', 'neg' or 'zero' for a decimal string, to colour a PnL. */
export function signClass(value) {
  const match = DECIMAL.exec(String(value ?? ''));
  if (!match || !/[1-9]/.test(match[2] + (match[3] || ''))) {
    return 'zero';
  }
  return match[1] === '-' ? 'neg' : 'pos';
}

/** An age in milliseconds, short. */
export function age(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return NONE;
  }
  if (ms < 1000) {
    return ms + ' ms';
  }
  if (ms < 60_000) {
    return (ms / 1000).toFixed(1) + ' s';
  }
  return duration(ms);
}

/** A duration in milliseconds as h/min/s. */
export function duration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return NONE;
  }
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) {
    return h + ' h ' + String(m).padStart(2, '0') + ' min';
  }
  if (m > 0) {
    return m + ' min ' + String(s).padStart(2, '0') + ' s';
  }
  return s + ' s';
}

/** Epoch millis as UTC time of day, or a dash. */
export function clock(atMs) {
  if (typeof atMs !== 'number' || !Number.isFinite(atMs)) {
    return NONE;
  }
  return new Date(atMs).toISOString().slice(11, 19);
}

/** Epoch millis as an ISO-8601 UTC timestamp, or a dash. */
export function timestamp(atMs) {
  if (typeof atMs !== 'number' || !Number.isFinite(atMs)) {
    return NONE;
  }
  return new Date(atMs).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** Any value as short text (objects as JSON), cut at {@code max} characters. */
export function brief(value, max = 160) {
  if (value === null || value === undefined) {
    return NONE;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
