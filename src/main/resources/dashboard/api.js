// The control API as the dashboard uses it: the key from session storage in an Authorization
// header on every call (never in a URL), JSON in and out, errors as typed exceptions, and the
// Server-Sent Events of /api/v1/events read with fetch (EventSource cannot send a header).

const KEY_NAME = 'pekko-trader.api-key';
const PREFIX = '/api/v1';
const TIMEOUT_MS = 10_000;

/** The API key of this browser tab: sessionStorage only, gone when the tab closes. */
export const apiKey = {
  get() {
    return sessionStorage.getItem(KEY_NAME);
  },
  set(key) {
    sessionStorage.setItem(KEY_NAME, key);
  },
  clear() {
    sessionStorage.removeItem(KEY_NAME);
  },
};

/** The engine refused the key (401), or there is none yet. */
export class Unauthorized extends Error {}

/** Any other answer than 2xx: the status and the engine's error code, message and field. */
export class ApiError extends Error {
  constructor(status, code, message, field, retryAfterS = 0) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    /** Seconds the engine asked to wait (Retry-After of a 429), else 0. */
    this.retryAfterS = retryAfterS;
  }

  /** Short text for a panel: "HTTP 404 not_found". */
  describe() {
    return this.status === 0 ? this.message : 'HTTP ' + this.status + (this.code ? ' ' + this.code : '') + (this.message ? ': ' + this.message : '');
  }
}

/** Calls {@code method path} with an optional JSON body; resolves to the parsed answer. */
export async function call(method, path, body) {
  const key = apiKey.get();
  if (!key) {
    throw new Unauthorized('no API key entered');
  }
  const headers = { Authorization: 'Bearer ' + key, Accept: 'application/json' };
  const init = { method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(PREFIX + path, init);
  } catch (failure) {
    throw new ApiError(0, 'unreachable', 'the engine does not answer (' + failure.name + ')', null);
  }
  let json = null;
  try {
    json = await response.json();
  } catch (notJson) {
    json = null;
  }
  const error = json && typeof json.error === 'object' && json.error !== null ? json.error : {};
  if (response.status === 401) {
    throw new Unauthorized(typeof error.message === 'string' ? error.message : 'unauthorized');
  }
  if (!response.ok) {
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') || '0', 10);
    throw new ApiError(response.status, error.code || null, error.message || response.statusText || '', error.field || null,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0);
  }
  return json;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);

/**
 * Reads /api/v1/events for as long as {@code stop()} is not called, reconnecting with exponential
 * backoff and jitter; {@code onEvent(type, data)} gets each event, {@code onState(text, live)} the
 * connection's state. A 401 stops reconnecting until {@code restart()}.
 */
export function followEvents(onEvent, onState) {
  let stopped = false;
  let controller = null;
  let failures = 0;
  let wake = null;

  const sleep = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function loop() {
    while (!stopped) {
      const key = apiKey.get();
      if (!key) {
        onState('live events: waiting for the key', false);
        await sleep(60_000);
        continue;
      }
      controller = new AbortController();
      let status = 0;
      try {
        const response = await fetch(PREFIX + '/events', {
          headers: { Authorization: 'Bearer ' + key, Accept: 'text/event-stream' },
          cache: 'no-store',
          credentials: 'omit',
          signal: controller.signal,
        });
        status = response.status;
        if (response.ok && response.body) {
          onState('live events: subscribing', false);
          failures = 0;
          // "connected" once the engine says the subscription is in place: from then on no event is missed
          await readEvents(response.body, (type, data) =>
            type === 'subscribed' ? onState('live events: connected', true) : onEvent(type, data),
          );
        }
      } catch (failure) {
        // the stream broke or was aborted; reconnect below
      }
      if (stopped) {
        return;
      }
      failures++;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
      if (status === 401) {
        onState('live events: key refused', false);
        await sleep(60_000);
      } else if (status === 0 || status === 200) {
        onState('live events: reconnecting', false);
        await sleep(delay);
      } else {
        onState('live events: unavailable (HTTP ' + status + '), polling', false);
        await sleep(delay);
      }
    }
  }

  loop();
  return {
    stop() {
      stopped = true;
      controller?.abort();
      wake?.();
    },
    /** Reconnects now (after a new key). */
    restart() {
      failures = 0;
      controller?.abort();
      wake?.();
    },
  };
}

/** Feeds a byte stream of text/event-stream through {@link SseParser}. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    parser.push(value);
  }
}

/**
 * The text/event-stream format (WHATWG HTML, "Server-sent events"): lines ending in CR, LF or
 * CRLF; "event:" names the type, "data:" lines are joined with LF, ":" starts a comment, a blank
 * line dispatches. The data is parsed as JSON; an event whose data is not JSON is passed as text.
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.type = '';
    this.data = [];
  }

  push(chunk) {
    this.buffer += chunk;
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) {
        break;
      }
      // a CR at the very end may be the first half of CRLF: wait for the next chunk
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) {
        break;
      }
      const line = this.buffer.slice(0, end);
      const newline = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + newline);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.type = value;
    } else if (field === 'data') {
      this.data.push(value);
    }
  }

  dispatch() {
    if (this.data.length > 0) {
      const text = this.data.join('\n');
      let data;
      try {
        data = JSON.parse(text);
      } catch (notJson) {
        data = text;
      }
      this.onEvent(this.type || 'message', data);
    }
    this.type = '';
    this.data = [];
  }
}
