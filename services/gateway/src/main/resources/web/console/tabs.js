// One subscription shared by every tab: ?stream=<name>&types=<a,b> (defaults: the metrics stream).
import { eventsView } from './views/events.js';

const query = new URLSearchParams(location.search);
const stream = query.get('stream') ?? 'metrics';
const types = (query.get('types') ?? (query.has('stream') ? '' : 'metrics.sample')).split(',').filter(Boolean);
const table = eventsView(document.getElementById('events'), { knownSchemas: new Set(), showSchema: () => {} });
document.getElementById('subscription').textContent =
  `/streams/${stream}${types.length ? `?types=${types.join(',')}` : ''}`;
document.getElementById('another').href = location.href;

function showStatus({ state, tabs, lastEventId }) {
  const box = document.getElementById('connection');
  box.dataset.state = state;
  box.querySelector('.state').textContent = state;
  box.querySelector('.tabs').textContent = String(tabs);
  showLastId(lastEventId);
}

/** The whole id: its changing part may be anywhere (a multi-partition id keeps its end while one partition moves). */
function showLastId(lastEventId) {
  const id = document.querySelector('#connection .last-id');
  id.textContent = lastEventId || '–';
  id.title = lastEventId ?? '';
}

if (typeof SharedWorker === 'function') {
  const worker = new SharedWorker('/console/shared-worker.js', { name: 'streamgate-shared', type: 'module' });
  worker.port.onmessage = ({ data }) => {
    if (data.kind === 'event') {
      table.onEvent(data.type, data.data, data.id);
      showLastId(data.id); // the worker sends its status only when the connection's state changes
    }
    if (data.kind === 'status') showStatus(data);
  };
  worker.port.postMessage({ op: 'join', stream, types });
  // Tell the worker when this tab goes (closed, or kept in the back/forward cache), so the last tab to leave closes
  // the connection; a tab brought back from that cache joins again.
  addEventListener('pagehide', () => worker.port.postMessage({ op: 'leave' }));
  addEventListener('pageshow', (e) => e.persisted && worker.port.postMessage({ op: 'join', stream, types }));
  document.getElementById('mode').textContent = 'Mode: shared through a SharedWorker.';
} else {
  // No SharedWorker (Chrome on Android): this tab holds its own connection.
  const source = new EventSource(`/streams/${encodeURIComponent(stream)}?types=${encodeURIComponent(types.join(','))}`);
  const relay = (e) => {
    table.onEvent(e.type, e.data, e.lastEventId);
    showLastId(e.lastEventId);
  };
  source.onmessage = relay;
  types.forEach((type) => source.addEventListener(type, relay));
  source.onopen = () => showStatus({ state: 'open', tabs: 1, lastEventId: '' });
  document.getElementById('mode').textContent = 'Mode: this browser has no SharedWorker; one connection per tab.';
}
