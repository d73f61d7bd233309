// Streamgate's browser client for fetch subscriptions: POST /streams/{name}/subscribe with an Authorization header,
// parsed as the WHATWG HTML standard parses text/event-stream, resumed exactly by event id, reconnected with backoff.
//
//   import { StreamgateSource } from '/client.js';
//   const source = new StreamgateSource('/streams/deploys', {
//     params: { key: ['deploy-0042'], until: 'deploy.finished' },   // the subscribe body: key, types, from, since, until
//     token: async ({ expiring }) => (await fetch('/my-token', { cache: 'no-store' })).text(),
//   });
//   source.addEventListener('deploy.progress', (e) => render(JSON.parse(e.data)));
//   source.addEventListener('close', (e) => console.log('finished:', e.detail.reason));
//
// It behaves like EventSource where EventSource is right, and differs where fetch allows better:
// - events are MessageEvents dispatched by type ('message' for events without one), with lastEventId;
// - after the stream closes it reconnects after the server's `retry:` delay, sending the last id as `lastEventId`;
// - failures back off exponentially with jitter; 5xx, 408, 429 and network errors are retried (Retry-After honoured);
// - 204 (stream finished or disabled) and every other 4xx, 401 and 403 included, close it for good;
// - streamgate.reconnect reconnects without delay; streamgate.token-expiring fetches a fresh token from the provider
//   and reconnects with it at once; streamgate.end (an until= subscription finished) closes it.

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 2;

/**
 * Incremental text/event-stream parser (WHATWG HTML §9.2.6). Feed it decoded text in chunks of any size; it calls
 * onEvent({type, data, lastEventId}) per dispatched event, onRetry(ms) per valid retry field, onComment(text) per
 * comment line.
 */
export class SseParser {
  #line = '';
  #data = '';
  #type = '';
  #started = false;
  #skipLF = false; // a chunk ended with CR: an LF opening the next chunk belongs to it
  lastEventId;

  constructor({ onEvent, onRetry = () => {}, onComment = () => {}, lastEventId = '' }) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.onComment = onComment;
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  feed(text) {
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // one leading BOM is ignored, a second is content
    }
    let start = 0;
    if (this.#skipLF && text.charCodeAt(0) === 10) start = 1;
    if (text.length > 0) this.#skipLF = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#processLine(this.#line + text.slice(start, i));
      this.#line = '';
      if (c === 13) {
        if (i + 1 === text.length) this.#skipLF = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#line += text.slice(start);
  }

  #processLine(line) {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58 /* : */) return this.onComment(line.slice(1));
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'event': this.#type = value; break;
      case 'data': this.#data += value + '\n'; break;
      case 'id': if (!value.includes('\0')) this.idBuffer = value; break;
      case 'retry': if (/^[0-9]+$/.test(value)) this.onRetry(Number.parseInt(value, 10)); break;
      default: // unknown fields are ignored
    }
  }

  #dispatch() {
    // The last event id moves even without data: an id-only frame sets where a reconnect resumes.
    this.lastEventId = this.idBuffer;
    if (this.#data === '') {
      this.#type = '';
      return;
    }
    const data = this.#data.slice(0, -1);
    const type = this.#type || 'message';
    this.#data = '';
    this.#type = '';
    this.onEvent({ type, data, lastEventId: this.lastEventId });
  }
}

/** A fetch subscription to one Streamgate stream. Dispatches MessageEvents by type, and open/error/close/state. */
export class StreamgateSource extends EventTarget {
  readyState = CONNECTING;
  lastEventId;
  /** Connections made after the first one. */
  reconnects = 0;
  onmessage = null;
  onopen = null;
  onerror = null;

  #url;
  #options;
  #retryMs;
  #failures = 0;
  #controller = null;
  #promptly = false;
  #expiring = null;
  #wake = null;
  #origin;

  /**
   * @param url the stream's URL, e.g. '/streams/deploys' (the client posts to url + '/subscribe')
   * @param options {params, lastEventId, token, credentials, headers, retry: {initialMs, maxMs}, fetch, onEvent}
   *   token: a string, or a function ({expiring, expiresAt}) => token (or a promise of one), called per connection;
   *   onEvent: called with every MessageEvent whatever its type (addEventListener needs the type in advance).
   */
  constructor(url, options = {}) {
    super();
    this.#url = String(url).replace(/\/$/, '') + '/subscribe';
    this.#origin = new URL(this.#url, globalThis.location?.href).origin;
    this.#options = options;
    this.lastEventId = options.lastEventId ?? '';
    this.#retryMs = options.retry?.initialMs ?? 1000;
    this.#run();
  }

  get url() {
    return this.#url;
  }

  /** Stops for good; no more events or reconnects. */
  close() {
    this.#finish('closed by the application');
  }

  async #run() {
    while (this.readyState !== CLOSED) {
      let delay;
      try {
        delay = await this.#connectOnce();
      } catch (error) {
        if (this.readyState === CLOSED) return;
        delay = this.#backoff(null);
        this.#emitError({ error: String(error?.message ?? error), willRetry: true, delayMs: delay });
      }
      if (delay === null || this.readyState === CLOSED) return;
      this.#setState(CONNECTING);
      await this.#sleep(delay);
      this.reconnects++;
    }
  }

  /** One connection, until it ends. @return ms to wait before the next one, or null to stop. */
  async #connectOnce() {
    const controller = new AbortController();
    this.#controller = controller;
    const headers = { Accept: 'text/event-stream', 'Content-Type': 'application/json', ...this.#options.headers };
    const token = await this.#token();
    if (token) headers.Authorization = `Bearer ${token}`;
    const body = { ...this.#options.params };
    if (this.lastEventId) body.lastEventId = this.lastEventId;
    const fetchImpl = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    const response = await fetchImpl(this.#url, {
      method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store',
      credentials: this.#options.credentials ?? 'same-origin', signal: controller.signal,
    });
    if (response.status === 204) {
      this.#finish('no-content');
      return null;
    }
    if (!response.ok) return this.#refused(response);
    if (!/^text\/event-stream\b/i.test(response.headers.get('Content-Type') ?? '')) {
      this.#emitError({ status: response.status, error: 'not an event stream', willRetry: false });
      this.#finish('not-an-event-stream');
      return null;
    }
    this.#failures = 0;
    this.#promptly = false;
    this.#setState(OPEN);
    this.#emit(new Event('open'), this.onopen);
    await this.#read(response.body, controller);
    if (this.readyState === CLOSED) return null;
    // The server ended the stream (a new deploy, the connection's lifetime): reconnect as EventSource would.
    return this.#promptly ? 0 : this.#jitter(this.#retryMs);
  }

  async #read(body, controller) {
    const parser = new SseParser({
      lastEventId: this.lastEventId,
      onRetry: (ms) => { this.#retryMs = ms; },
      onEvent: (event) => this.#onEvent(event, controller),
    });
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true }); // the parser drops the BOM itself
    const reader = body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        this.lastEventId = parser.lastEventId; // id-only frames move it too
      }
    } catch (error) {
      if (controller.signal.aborted) return; // we cut it ourselves (fresh token, close)
      throw error;
    }
  }

  #onEvent({ type, data, lastEventId }, controller) {
    this.lastEventId = lastEventId;
    const message = new MessageEvent(type, { data, lastEventId, origin: this.#origin });
    this.#options.onEvent?.(message);
    this.#emit(message, type === 'message' ? this.onmessage : null);
    if (type === 'streamgate.reconnect') {
      this.#promptly = true; // the server closes next, with this event's id as the exact resume position
    } else if (type === 'streamgate.token-expiring') {
      // Reconnect now with a fresh token rather than be cut at expiry; the last id makes the switch exact.
      this.#expiring = safeJson(data)?.expiresAt ?? true;
      this.#promptly = true;
      controller.abort();
    } else if (type === 'streamgate.end') {
      this.#finish('end');
    }
  }

  /** A non-2xx answer: retried (5xx, 408, 429) or final (every other 4xx). */
  async #refused(response) {
    const problem = await response.json().catch(() => null);
    const status = response.status;
    const retryable = status >= 500 || status === 408 || status === 429;
    const delay = retryable ? this.#backoff(response.headers.get('Retry-After')) : null;
    this.#emitError({ status, problem, willRetry: retryable, delayMs: delay });
    if (!retryable) this.#finish(status === 401 || status === 403 ? 'unauthorized' : 'refused');
    return delay;
  }

  async #token() {
    const { token } = this.#options;
    if (typeof token !== 'function') return token ?? null;
    const expiring = this.#expiring;
    this.#expiring = null;
    return token({ expiring: expiring !== null, expiresAt: typeof expiring === 'string' ? expiring : undefined });
  }

  /** Exponential backoff from the server's retry delay, capped, with jitter; Retry-After (seconds) wins. */
  #backoff(retryAfter) {
    this.#failures++;
    const seconds = Number.parseInt(retryAfter ?? '', 10);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const max = this.#options.retry?.maxMs ?? 30_000;
    return this.#jitter(Math.min(max, this.#retryMs * 2 ** (this.#failures - 1)));
  }

  /** Between half and all of ms: clients cut off together must not all come back in the same instant. */
  #jitter(ms) {
    return Math.round(ms / 2 + Math.random() * (ms / 2));
  }

  #sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  #finish(reason) {
    if (this.readyState === CLOSED) return;
    this.#setState(CLOSED);
    this.#controller?.abort();
    this.#wake?.();
    this.dispatchEvent(new CustomEvent('close', { detail: { reason, lastEventId: this.lastEventId } }));
  }

  #setState(state) {
    if (this.readyState === state) return;
    this.readyState = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { readyState: state } }));
  }

  #emitError(detail) {
    this.#emit(new CustomEvent('error', { detail }), this.onerror);
  }

  #emit(event, handler) {
    this.dispatchEvent(event);
    if (typeof handler === 'function') handler.call(this, event);
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
