// The notifications stream as a bell for one demo user. The stream is keyed by user id, so the view subscribes
// with key=<user>: the server filters, the browser only ever receives that user's notifications.
import { element, eventData } from './dom.js';

export const USERS = ['alice', 'bob', 'carol'];
const KEPT = 50; // notifications listed in the drop-down

export function notificationsView(root, { key, resubscribe }) {
  const names = USERS.includes(key) || !key ? USERS : [...USERS, key];
  const picker = element('select', { 'aria-label': 'user' },
    element('option', { value: '', selected: !key }, 'every user'),
    ...names.map((name) => element('option', { value: name, selected: name === key }, name)));
  picker.addEventListener('change', () => resubscribe({ key: picker.value }));
  const badge = element('span', { class: 'badge', 'data-unread': '0' }, '0');
  const bell = element('button', { type: 'button', class: 'bell', 'aria-label': 'notifications', 'aria-expanded': 'false' },
    element('img', { src: '/console/bell.svg', alt: '' }), badge);
  const list = element('ol', { class: 'notification-list', hidden: true });
  let unread = 0;
  const setUnread = (count) => {
    unread = count;
    badge.textContent = String(count);
    badge.dataset.unread = String(count);
  };
  bell.addEventListener('click', () => {
    const open = list.hidden;
    list.hidden = !open;
    bell.setAttribute('aria-expanded', String(open));
    if (open) setUnread(0); // opening the list reads them
  });
  root.replaceChildren(element('h2', {}, 'Notifications'),
    element('div', { class: 'bell-bar' }, element('label', {}, 'user ', picker), bell), list);

  return {
    onEvent(type, text) {
      if (type !== 'notification.created') return;
      const n = eventData(text);
      if (!n) return;
      list.prepend(element('li', { class: `severity-${n.severity}` },
        element('b', {}, n.title), element('span', {}, n.body), element('small', {}, `${n.severity} · ${n.id}`)));
      while (list.children.length > KEPT) list.lastElementChild.remove();
      if (list.hidden) setUnread(unread + 1);
    },
    dispose() {},
  };
}
