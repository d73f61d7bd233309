// The live event table: every event of the subscription with its id, newest first, bounded.
import { element } from './dom.js';

const KEPT = 500; // rows; older ones are dropped so a busy stream cannot grow the page without bound
const PREVIEW = 160; // characters of data shown before "more"

export function eventsView(root, { knownSchemas, showSchema }) {
  const body = element('tbody');
  const count = element('span', { class: 'count' }, '0 events');
  root.replaceChildren(
    element('h2', {}, 'Events ', count),
    element('table', { class: 'events' },
      element('thead', {}, element('tr', {}, ...['#', 'received', 'type', 'id', 'data'].map((h) => element('th', {}, h)))),
      body));
  let n = 0;

  return {
    onEvent(type, data, id) {
      n++;
      count.textContent = `${n} events`;
      const typeCell = knownSchemas.has(type)
        ? element('a', { href: `/schemas/${encodeURIComponent(type)}`, title: 'JSON Schema of this type' }, type)
        : element('span', { class: type.startsWith('streamgate.') ? 'control' : '' }, type);
      if (knownSchemas.has(type)) {
        typeCell.addEventListener('click', (e) => {
          e.preventDefault();
          showSchema(type);
        });
      }
      const dataCell = element('td', { class: 'data' }, data.length > PREVIEW ? `${data.slice(0, PREVIEW)}…` : data);
      if (data.length > PREVIEW) {
        dataCell.title = 'click to show all';
        dataCell.addEventListener('click', () => { dataCell.textContent = data; }, { once: true });
      }
      body.prepend(element('tr', { 'data-type': type, 'data-id': id },
        element('td', {}, String(n)),
        element('td', {}, new Date().toLocaleTimeString()),
        element('td', {}, typeCell),
        // The end of an id differs from event to event (its start names the stream and topics).
        element('td', { class: 'id', title: id }, id ? `…${id.slice(-10)}` : ''),
        dataCell));
      while (body.children.length > KEPT) body.lastElementChild.remove();
    },
    dispose() {},
  };
}
