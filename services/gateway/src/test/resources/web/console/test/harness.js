// Browser-test harness, served only from the test classpath (/console/test/…). It opens subscriptions the way an
// application would and records what the page sees in window.__events / window.__log for the tests to read.
import { StreamgateSource, SseParser } from '/client.js';

window.__events = [];
window.__log = [];

/** EventSource: named types through addEventListener, unnamed events through onmessage; never closes itself. */
window.openEventSource = (url, { types = [], withCredentials = false } = {}) => {
  const source = new EventSource(url, { withCredentials });
  window.__source = source;
  const record = (handler) => (e) => window.__events.push({ handler, type: e.type, data: e.data, id: e.lastEventId });
  source.onmessage = record('onmessage');
  for (const type of types) source.addEventListener(type, record('addEventListener'));
  source.onopen = () => window.__log.push('open');
  // readyState 0 after an error: the browser will reconnect; 2: it gave up for good.
  source.onerror = () => window.__log.push(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
};

/** The fetch client; fetch is the page's own unless a scripted one is given. */
window.openFetchSource = (url, options = {}) => {
  const source = new StreamgateSource(url, {
    ...options,
    onEvent: (e) => window.__events.push({ type: e.type, data: e.data, id: e.lastEventId }),
  });
  window.__source = source;
  source.addEventListener('open', () => window.__log.push('open'));
  source.addEventListener('error', (e) => window.__log.push(`error ${e.detail.status ?? e.detail.error}`));
  source.addEventListener('close', (e) => window.__log.push(`close ${e.detail.reason}`));
  return source;
};

/** Parses chunks with the client's parser: [{type, data, lastEventId}], the retries and the final last id. */
window.parseChunks = (chunks, lastEventId = '') => {
  const events = [];
  const retries = [];
  const parser = new SseParser({ lastEventId, onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms) });
  chunks.forEach((chunk) => parser.feed(chunk));
  return { events, retries, lastEventId: parser.lastEventId };
};

/**
 * A fetch that plays scripted answers, one per call, recording each request in window.__calls. A step is
 * {status, headers, problem}, {error} (a network failure), or {body, open} (a 200 event stream; open: never ends).
 * With no steps left it answers 204.
 */
window.scripted = (steps) => {
  const calls = [];
  window.__calls = calls;
  return async (url, init) => {
    calls.push({ url, headers: init.headers, body: JSON.parse(init.body), at: performance.now() });
    const step = steps.shift() ?? { status: 204 };
    if (step.error) throw new TypeError(step.error);
    const headers = new Headers(step.headers ?? {});
    if (step.body === undefined) {
      return new Response(step.problem ? JSON.stringify(step.problem) : null, { status: step.status, headers });
    }
    headers.set('Content-Type', 'text/event-stream');
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(step.body));
        if (!step.open) controller.close();
        else init.signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      },
    });
    return new Response(body, { status: 200, headers });
  };
};

window.__ready = true;
