// The deploys stream as progress bars. This stream uses `payload: envelope`: each event's data is the whole
// CloudEvent, with the deploy's fields under `data` (eventData unwraps it) and its id in `subject`.
import { element, eventData } from './dom.js';

const STAGES = ['build', 'test', 'package', 'rollout'];
const KEPT = 12; // deploys shown; older ones drop off

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
      const node = element('div', { class: 'deploy', 'data-deploy': id, 'data-status': 'running' }, title, bar, label);
      board.prepend(node);
      c = { node, bar, label, title };
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
        c.title.textContent = `${d.deployId} · ${d.service} ${d.version}`;
      } else if (type === 'deploy.progress') {
        const stage = Math.max(0, STAGES.indexOf(d.stage));
        c.bar.value = Math.round((stage * 100 + d.percent) / STAGES.length); // overall, all four stages
        c.label.textContent = `${d.stage} ${d.percent}%`;
      } else if (type === 'deploy.finished') {
        if (d.status === 'succeeded') c.bar.value = 100;
        c.node.dataset.status = d.status;
        c.label.textContent = `${d.status} in ${(d.durationMs / 1000).toFixed(1)} s`;
      }
    },
    dispose() {},
  };
}
