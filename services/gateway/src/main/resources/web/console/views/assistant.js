// The assistant stream: each reply rendered token by token (assistant.token {replyId, index, token}), closed by
// assistant.done. "Replay" follows one reply with key=<replyId>&until=assistant.done: a finite stream that ends
// after the reply, and that EventSource does not reconnect into the next one. It starts from the id of the event
// before the reply's first token: reply ids may repeat in a log (the demo producer restarts at reply-0001).
import { element, eventData } from './dom.js';

const KEPT = 8; // replies shown

export function assistantView(root) {
  const replies = element('div', { class: 'replies' });
  root.replaceChildren(element('h2', {}, 'Assistant'), replies);
  const bubbles = new Map();
  let previousId = ''; // the id of the last event seen: where a reply that starts now can be replayed from

  const bubble = (replyId, startId) => {
    let b = bubbles.get(replyId);
    if (!b) {
      const text = element('p', { class: 'reply-text' });
      const footer = element('footer', {}, element('span', {}, replyId));
      const node = element('article', { class: 'reply', 'data-reply': replyId, 'data-done': 'false' }, text, footer);
      replies.prepend(node);
      b = { node, text, footer, tokens: [], startId };
      bubbles.set(replyId, b);
      while (bubbles.size > KEPT) {
        const [oldest] = bubbles.keys();
        bubbles.get(oldest).node.remove();
        bubbles.delete(oldest);
      }
    }
    return b;
  };

  return {
    onEvent(type, text, id) {
      const before = previousId;
      previousId = id;
      const d = eventData(text);
      if (!d?.replyId) return;
      // Seen from its first token, a reply can be replayed from the event before it; otherwise from the start.
      const b = bubble(d.replyId, type === 'assistant.token' && d.index === 0 ? before : '');
      if (type === 'assistant.token') {
        b.tokens[d.index] = d.token; // by index: a joined-late view shows the gap rather than a wrong text
        b.text.textContent = Array.from(b.tokens, (t) => t ?? '…').join('');
      } else if (type === 'assistant.done') {
        b.node.dataset.done = 'true';
        const replay = element('button', { type: 'button' }, 'replay (until=assistant.done)');
        replay.addEventListener('click', () => replayReply(b, d.replyId));
        b.footer.append(element('span', {}, ` · ${d.tokens} tokens · ${d.finishReason}`), replay);
      }
    },
    dispose() {},
  };
}

/** Replays one reply from the log as a finite stream: it ends after assistant.done, then EventSource gets 204. */
function replayReply(b, replyId) {
  const out = element('p', { class: 'reply-text replay' });
  b.node.append(out);
  const query = new URLSearchParams({ key: replyId, until: 'assistant.done' });
  if (b.startId) query.set('lastEventId', b.startId);
  else query.set('from', 'earliest');
  const source = new EventSource(`/streams/assistant?${query}`);
  const tokens = [];
  source.addEventListener('assistant.token', (e) => {
    const d = eventData(e.data);
    tokens[d.index] = d.token;
    out.textContent = tokens.join('');
  });
  source.addEventListener('streamgate.end', () => {
    out.append(element('small', {}, ' — replayed; the stream ended with streamgate.end'));
    source.close();
  });
}
