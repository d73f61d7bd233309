// One console subscription over either transport, reported the same way: every event, and a status
// {state: 'connecting'|'open'|'closed', reconnects, lastEventId, note}.
import { StreamgateSource } from '/client.js';

export const CONTROL_TYPES = ['streamgate.gap', 'streamgate.reconnect', 'streamgate.token-expiring', 'streamgate.end'];

/** The query (EventSource) or body (fetch) of a subscription; empty fields are left out. */
export function subscriptionParams({ key, types, from, since, until }) {
  const params = {};
  const keys = splitList(key);
  if (keys.length) params.key = keys;
  const typeList = splitList(types);
  if (typeList.length) params.types = typeList;
  if (since) params.since = since;
  else if (from && from !== 'latest') params.from = from;
  if (until) params.until = until;
  return params;
}

export function streamUrl(stream, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (name === 'types') query.set(name, value.join(','));
    else if (Array.isArray(value)) value.forEach((v) => query.append(name, v));
    else query.set(name, value);
  }
  const text = query.toString();
  return `/streams/${encodeURIComponent(stream)}${text ? `?${text}` : ''}`;
}

/**
 * @param knownTypes event types to listen for with EventSource, which dispatches a named event only to listeners
 *   registered for that name in advance (fetch sees every type)
 */
export function connect({ stream, params, transport, knownTypes, onEvent, onStatus }) {
  const status = { state: 'connecting', reconnects: 0, lastEventId: '', note: '' };
  const report = (changes) => {
    Object.assign(status, changes);
    onStatus({ ...status });
  };
  report({});
  const deliver = (event) => {
    report({ lastEventId: event.lastEventId });
    onEvent({ type: event.type, data: event.data, id: event.lastEventId });
  };

  if (transport === 'fetch') {
    const source = new StreamgateSource(`/streams/${encodeURIComponent(stream)}`, { params, onEvent: deliver });
    source.addEventListener('state', () => {
      const state = ['connecting', 'open', 'closed'][source.readyState];
      report({ state, reconnects: source.reconnects, lastEventId: source.lastEventId });
    });
    source.addEventListener('error', (e) => report({ note: describeError(e.detail) }));
    source.addEventListener('close', (e) => report({ state: 'closed', note: closeNote(e.detail.reason, status.note) }));
    return { close: () => source.close() };
  }

  const source = new EventSource(streamUrl(stream, params));
  let opened = false;
  source.onopen = () => {
    if (opened) status.reconnects++;
    opened = true;
    report({ state: 'open', note: '' });
  };
  source.onerror = () => {
    // CONNECTING: the browser reconnects by itself with Last-Event-ID. CLOSED: it gave up (an HTTP error, 204).
    if (source.readyState === EventSource.CLOSED) {
      report({ state: 'closed', note: status.note || 'the server refused the stream' });
      if (!opened) explainRefusal(source.url).then((note) => note && report({ note }));
    } else {
      report({ state: 'connecting', note: 'reconnecting…' });
    }
  };
  source.onmessage = deliver;
  const types = new Set([...knownTypes, ...(params.types ?? []), ...CONTROL_TYPES]);
  for (const type of types) {
    if (type !== 'message') source.addEventListener(type, deliver);
  }
  source.addEventListener('streamgate.end', () => {
    // The stream is finished: close now instead of letting EventSource reconnect only to be told 204.
    source.close();
    report({ state: 'closed', note: 'finished (until)' });
  });
  return { close: () => source.close() };
}

/** EventSource hides why a request failed; ask once with fetch, to show the problem's detail. */
async function explainRefusal(url) {
  const controller = new AbortController();
  try {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    if (response.status === 204) return 'no content (204): the stream is finished or disabled';
    if (response.ok) return null;
    const problem = await response.json().catch(() => null);
    return `HTTP ${response.status}${problem?.detail ? `: ${problem.detail}` : ''}`;
  } catch {
    return null;
  } finally {
    controller.abort(); // a 200 here is a stream: do not keep it open
  }
}

function splitList(text) {
  return (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function describeError(detail) {
  if (detail.status) return `HTTP ${detail.status}${detail.problem?.detail ? `: ${detail.problem.detail}` : ''}`;
  return detail.error ?? 'connection failed';
}

function closeNote(reason, previous) {
  switch (reason) {
    case 'end': return 'finished (until)';
    case 'no-content': return 'finished (204)';
    case 'closed by the application': return 'stopped';
    default: return previous || reason;
  }
}
