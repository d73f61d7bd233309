// The deploys stream as progress bars. This stream uses `payload: envelope`: each event's data is the whole
// CloudEvent, with the deploy's fields under `data` (eventData unwraps it) and its id in `subject`.
//
// Only deploy.started names the service and version; deploy.progress and deploy.finished carry the deploy id alone.
// A view joined after a deploy started looks its deploy.started up in the log: the stream is keyed by deploy id, so
// key=<id>&from=earliest&types=deploy.started&until=deploy.started is a finite stream of that one event.
import { element, eventData } from './dom.js';

const STAGES = ['build', 'test', 'package', 'rollout'];
const KEPT = 12; // deploys shown; older ones drop off
const LOOKUP_MS = 10_000; // a deploy.started not found by then is gone from the log (retention)

export function deploysView(root) {
  const board = element('div', { class: 'deploys' });
  root.replaceChildren(element('h2', {}, 'Deploys'), board);
  const cards = new Map();

  const card = (id) => {
    let c = cards.get(id);
    if (!c) {
      const bar = element('progress', { max: '100', value: '0' });
      const label = element('span', { class: 'stage' }, 'waiting');
      const title = element('b', {}, id);
      const service = element('span', { class: 'service' });
      const node = element('div', { class: 'deploy', 'data-deploy': id, 'data-status': 'running' },
        element('div', { class: 'deploy-name' }, title, service), bar, label);
      board.prepend(node);
      c = { node, bar, label, title, service, named: false };
      cards.set(id, c);
      while (cards.size > KEPT) {
        const [oldest] = cards.keys();
        cards.get(oldest).node.remove();
        cards.delete(oldest);
      }
    }
    return c;
  };

  return {
    onEvent(type, text) {
      const d = eventData(text);
      if (!d?.deployId) return;
      const c = card(d.deployId);
      if (type === 'deploy.started') {
        name(c, d);
      } else if (!c.named && !c.lookup) {
        c.lookup = lookUpStart(d.deployId, (started) => name(c, started), () => {
          if (!c.named) c.service.textContent = 'service unknown: its deploy.started is no longer in the log';
        });
      }
      if (type === 'deploy.progress') {
        const stage = Math.max(0, STAGES.indexOf(d.stage));
        c.bar.value = Math.round((stage * 100 + d.percent) / STAGES.length); // overall, all four stages
        c.label.textContent = `${d.stage} ${d.percent}%`;
      } else if (type === 'deploy.finished') {
        if (d.status === 'succeeded') c.bar.value = 100;
        c.node.dataset.status = d.status;
        c.label.textContent = `${d.status} in ${(d.durationMs / 1000).toFixed(1)} s`;
      }
    },
    dispose() {
      cards.forEach((c) => c.lookup?.close());
    },
  };
}

function name(c, started) {
  c.named = true;
  c.lookup?.close();
  c.title.textContent = `${started.deployId} · ${started.service} ${started.version}`;
  c.service.textContent = '';
  c.node.dataset.service = started.service;
}

/** Finds a deploy's deploy.started in the log; calls found(data) or, after LOOKUP_MS without it, missing(). */
function lookUpStart(deployId, found, missing) {
  const query = new URLSearchParams({ key: deployId, from: 'earliest', types: 'deploy.started',
    until: 'deploy.started' });
  const source = new EventSource(`/streams/deploys?${query}`);
  const timer = setTimeout(() => { source.close(); missing(); }, LOOKUP_MS);
  const close = () => { clearTimeout(timer); source.close(); };
  source.addEventListener('deploy.started', (e) => {
    close();
    const d = eventData(e.data);
    if (d?.service) found(d); else missing();
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) { close(); missing(); }
  };
  return { close };
}
