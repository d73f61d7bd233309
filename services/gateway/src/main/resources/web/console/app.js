// The console: lists the streams, subscribes with the form's filters over EventSource or fetch, and shows every
// event in a table plus, for the demo streams, a purpose-built view. The page's URL carries the form
// (/?stream=metrics&from=earliest&transport=fetch), so a subscription can be linked to and reloaded. Without a
// stream in the URL it opens on the overview: every stream's figures, live, from GET /console/overview.
import { connect, subscriptionParams } from './connection.js';
import { element } from './views/dom.js';
import { eventsView } from './views/events.js';
import { metricsView } from './views/metrics.js';
import { notificationsView } from './views/notifications.js';
import { deploysView } from './views/deploys.js';
import { assistantView } from './views/assistant.js';
import { overviewView } from './views/overview.js';

/** Purpose-built views of the demo streams, and the form fields they start with. */
const VIEWS = {
  metrics: { create: metricsView, defaults: {} },
  notifications: { create: notificationsView, defaults: { key: 'alice' } },
  deploys: { create: deploysView, defaults: {} },
  assistant: { create: assistantView, defaults: { types: 'assistant.token,assistant.done' } },
};
const FIELDS = ['stream', 'key', 'types', 'from', 'since', 'until', 'transport'];

const form = document.getElementById('subscribe');
const problem = document.getElementById('problem');
let knownSchemas = new Set();
let current = null; // {connection, views}
let overview = null; // the landing page's view while it is shown

async function start() {
  const [streams, schemas] = await Promise.all([getJson('/streams'), getJson('/schemas').catch(() => null)]);
  knownSchemas = new Set(schemas?.types?.map((t) => t.type) ?? []);
  renderStreams(streams);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    subscribe();
  });
  document.getElementById('stop').addEventListener('click', stop);
  const fromUrl = new URLSearchParams(location.search);
  if (fromUrl.has('stream')) {
    setForm(Object.fromEntries(fromUrl), true);
    subscribe();
  } else {
    showOverview();
  }
}

function showOverview() {
  const root = document.getElementById('overview');
  root.hidden = false;
  overview = overviewView(root, { onOpen: (stream) => openStream(stream) });
}

function hideOverview() {
  if (!overview) return;
  if (typeof overview === 'object') overview.dispose();
  overview = null;
  document.getElementById('overview').hidden = true;
}

function openStream(name) {
  setForm({ stream: name, ...VIEWS[name]?.defaults }, true);
  subscribe();
}

function renderStreams(streams) {
  const list = document.getElementById('streams');
  const select = form.elements.stream;
  select.replaceChildren(...streams.map((s) => element('option', { value: s.name }, s.name)));
  list.replaceChildren(...streams.map((s) => {
    const topics = s.topics.map((t) => `${t} (${s.partitions?.[t] ?? '?'})`).join(', ');
    const button = element('button', { type: 'button', 'data-stream': s.name },
      element('b', {}, s.name), element('span', {}, s.description ?? ''),
      element('small', {}, `${topics} · payload ${s.payload}`));
    button.addEventListener('click', () => openStream(s.name));
    return element('li', {}, button);
  }));
  if (!streams.length) list.replaceChildren(element('li', {}, 'No streams you may read.'));
}

function subscribe() {
  stop();
  const values = readForm();
  if (!values.stream) return;
  hideOverview();
  problem.textContent = '';
  history.replaceState(null, '', `/?${new URLSearchParams(Object.entries(values).filter(([, v]) => v))}`);
  const params = subscriptionParams(values);
  const viewRoot = document.getElementById('view');
  const purpose = VIEWS[values.stream];
  viewRoot.hidden = !purpose;
  viewRoot.dataset.view = purpose ? values.stream : '';
  const views = [eventsView(document.getElementById('events'), { knownSchemas, showSchema })];
  if (purpose) {
    views.unshift(purpose.create(viewRoot, { key: params.key?.[0], resubscribe: (changes) => {
      setForm(changes, false);
      subscribe();
    } }));
  }
  current = { values, params, views, status: null };
  current.connection = open(current, params);
}

function open(subscription, params) {
  return connect({
    stream: subscription.values.stream,
    params,
    transport: subscription.values.transport,
    knownTypes: knownSchemas,
    onEvent: ({ type, data, id }) => subscription.views.forEach((v) => v.onEvent(type, data, id)),
    onStatus: (status) => {
      subscription.status = status;
      renderStatus(status);
    },
  });
}

function stop() {
  if (!current) return;
  current.connection.close();
  current.views.forEach((v) => v.dispose());
  current = null;
  renderStatus({ state: 'closed', reconnects: 0, lastEventId: '', note: 'stopped' });
}

// A page kept in the back/forward cache must not hold its stream open: close it when the page is hidden, and resume
// from the last id when it is shown again, so that nothing sent meanwhile is missed.
addEventListener('pagehide', (e) => {
  if (e.persisted && current) current.connection.close();
  if (e.persisted && overview) {
    hideOverview();
    overview = 'hidden for the cache';
  }
});
addEventListener('pageshow', (e) => {
  if (e.persisted && overview === 'hidden for the cache') showOverview();
  if (!e.persisted || !current) return;
  const lastEventId = current.status?.lastEventId;
  current.connection = open(current, lastEventId ? { ...current.params, lastEventId } : current.params);
});

function renderStatus({ state, reconnects, lastEventId, note }) {
  const box = document.getElementById('connection');
  box.dataset.state = state;
  box.querySelector('.state').textContent = state;
  box.querySelector('.reconnects').textContent = String(reconnects);
  // The whole id, and when it came: the part that changes may be anywhere in it (a multi-partition id keeps its end
  // while one partition moves), so a shortened id could look stuck.
  const id = box.querySelector('.last-id');
  if (id.title !== lastEventId) {
    box.querySelector('.last-at').textContent = lastEventId ? new Date().toLocaleTimeString() : '';
  }
  id.textContent = lastEventId || '–';
  id.title = lastEventId;
  const noteBox = box.querySelector('.note');
  noteBox.textContent = note ?? '';
  noteBox.title = note ?? '';
  if (state === 'closed' && note?.startsWith('HTTP')) problem.textContent = note;
}

async function showSchema(type) {
  const dialog = document.getElementById('schema');
  dialog.querySelector('.title').textContent = type;
  dialog.querySelector('.body').textContent = JSON.stringify(await getJson(`/schemas/${encodeURIComponent(type)}`),
    null, 2);
  dialog.showModal();
}

function readForm() {
  const data = new FormData(form);
  return Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) ?? '').trim()]));
}

/** Sets fields; with clear, the others go back to empty (a new stream starts from a clean form). */
function setForm(values, clear) {
  for (const name of FIELDS) {
    if (!(name in values) && !clear) continue;
    const value = values[name] ?? '';
    if (name === 'from') form.elements.from.value = value === 'earliest' ? 'earliest' : 'latest';
    else if (name === 'stream' || name === 'transport') { if (value) form.elements[name].value = value; }
    else form.elements[name].value = value;
  }
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(`GET ${url} answered ${response.status}${body?.detail ? `: ${body.detail}` : ''}`);
  }
  return response.json();
}

start().catch((error) => {
  problem.textContent = `${error.message}. With authentication on, the console needs the streamgate_token cookie.`;
});
