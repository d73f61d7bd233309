// A SharedWorker that holds ONE EventSource per subscription for every tab of this origin that asks for it, and
// relays its events to them. Over HTTP/1.1 a browser opens at most six connections per origin, shared by all its
// tabs: with one EventSource per tab, the seventh tab's streams (and its fetches) would wait. See docs/browser.md.

const subscriptions = new Map(); // url -> {url, source, ports, state, reconnects, lastEventId}

onconnect = (connectEvent) => {
  const port = connectEvent.ports[0];
  port.onmessage = ({ data }) => {
    if (data.op === 'join') join(port, data.stream, data.types ?? []);
    if (data.op === 'leave') leave(port);
  };
};

function join(port, stream, types) {
  leave(port);
  const query = types.length ? `?types=${encodeURIComponent(types.join(','))}` : '';
  const url = `/streams/${encodeURIComponent(stream)}${query}`;
  let subscription = subscriptions.get(url);
  if (!subscription) {
    subscription = open(url, types);
    subscriptions.set(url, subscription);
  }
  subscription.ports.add(port);
  port.subscription = subscription;
  broadcastStatus(subscription);
}

/** A tab left (it says so on pagehide): the last one to leave closes the connection. */
function leave(port) {
  const subscription = port.subscription;
  if (!subscription) return;
  port.subscription = null;
  subscription.ports.delete(port);
  if (subscription.ports.size === 0) {
    subscription.source.close();
    subscriptions.delete(subscription.url);
  } else {
    broadcastStatus(subscription);
  }
}

function open(url, types) {
  const subscription = { url, ports: new Set(), state: 'connecting', reconnects: 0, lastEventId: '' };
  const source = new EventSource(url);
  let opened = false;
  source.onopen = () => {
    if (opened) subscription.reconnects++;
    opened = true;
    subscription.state = 'open';
    broadcastStatus(subscription);
  };
  source.onerror = () => {
    subscription.state = source.readyState === EventSource.CLOSED ? 'closed' : 'connecting';
    broadcastStatus(subscription);
  };
  const relay = (event) => {
    subscription.lastEventId = event.lastEventId;
    for (const port of subscription.ports) {
      port.postMessage({ kind: 'event', type: event.type, data: event.data, id: event.lastEventId });
    }
  };
  source.onmessage = relay;
  // EventSource dispatches a named event only to listeners for its name: listen for the types the tab asked for.
  for (const type of types) source.addEventListener(type, relay);
  subscription.source = source;
  return subscription;
}

function broadcastStatus(subscription) {
  const { state, reconnects, lastEventId, ports } = subscription;
  for (const port of ports) port.postMessage({ kind: 'status', state, reconnects, lastEventId, tabs: ports.size });
}
