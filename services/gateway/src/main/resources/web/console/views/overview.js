// The landing page: the gateway's own figures, live, from GET /console/overview (text/event-stream, one JSON
// snapshot per second). Summary tiles, a throughput chart over time, and a row per stream with its subscribers,
// events in and deliveries per second (with a sparkline of the last minutes), consumer lag and last event. The
// overview is an operator endpoint, guarded as /metrics is: when it is refused, the view says why and the rest of
// the console (the streams, the subscribe form, the demo views) keeps working.
import { element } from './dom.js';
import { timeChart } from './chart.js';

const HISTORY = 300; // snapshots kept for the chart and sparklines: five minutes at one a second
const SPARK = 60; // points per sparkline: the last minute
const MB = 1024 * 1024;

export function overviewView(root, { onOpen }) {
  const tiles = element('div', { class: 'summary' });
  const chartBox = element('div', { class: 'throughput' });
  const rows = element('tbody');
  const status = element('p', { class: 'overview-status' }, 'connecting to /console/overview…');
  root.replaceChildren(
    element('div', { class: 'overview-head' }, element('h2', {}, 'Overview'), status),
    tiles,
    chartBox,
    element('table', { class: 'streams-table' },
      element('thead', {}, element('tr', {}, ...['stream', 'status', 'subscribers', 'events in /s',
        'deliveries /s', 'lag', 'last event'].map((h) => element('th', {}, h)))),
      rows));
  const times = [];
  const totalIn = [];
  const totalOut = [];
  const perStream = new Map(); // name -> {in: [], out: []}
  const chart = timeChart(chartBox, {
    title: 'Throughput, all streams (events per second)',
    height: 180,
    series: [{ label: 'events in', stroke: '#2f6fde' }, { label: 'deliveries', stroke: '#1f9d55' }],
  });
  let lastSnapshot = null;
  const ticker = setInterval(() => lastSnapshot && renderRows(lastSnapshot), 1000); // "3 s ago" keeps moving

  const source = new EventSource('/console/overview');
  let opened = false;
  source.onopen = () => {
    opened = true;
    root.dataset.state = 'open';
  };
  source.addEventListener('overview', (e) => {
    const snapshot = JSON.parse(e.data);
    lastSnapshot = snapshot;
    record(snapshot);
    renderTiles(snapshot.gateway);
    renderRows(snapshot);
    chart.setData([times, totalIn, totalOut]);
    status.textContent = `live · updated ${new Date(snapshot.time).toLocaleTimeString()}`;
    root.dataset.snapshots = String(Number(root.dataset.snapshots ?? 0) + 1);
  });
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED) {
      status.textContent = 'reconnecting…';
      root.dataset.state = 'connecting';
      return;
    }
    root.dataset.state = 'refused';
    if (!opened) explain().then((why) => refused(why));
  };

  function record(snapshot) {
    times.push(Date.parse(snapshot.time) / 1000);
    totalIn.push(snapshot.gateway.eventsInPerSecond);
    totalOut.push(snapshot.gateway.deliveriesPerSecond);
    for (const s of snapshot.streams) {
      let h = perStream.get(s.name);
      if (!h) perStream.set(s.name, h = { in: [], out: [] });
      h.in.push(s.eventsInPerSecond);
      h.out.push(s.deliveriesPerSecond);
      if (h.in.length > SPARK) { h.in.shift(); h.out.shift(); }
    }
    if (times.length > HISTORY) { times.shift(); totalIn.shift(); totalOut.shift(); }
  }

  function renderTiles(g) {
    const heap = `${mb(g.heapUsedBytes)} MB`;
    tiles.replaceChildren(
      tile('Kafka', g.kafka, g.kafka === 'UP' ? 'ok' : 'bad'),
      tile('tails', g.draining ? 'DRAINING' : g.tails, g.draining ? 'warn' : g.tails === 'WARM' ? 'ok' : 'warn'),
      tile('subscribers', String(g.subscribers)),
      tile('events in /s', rate(g.eventsInPerSecond)),
      tile('deliveries /s', rate(g.deliveriesPerSecond)),
      tile('heap', heap, undefined, g.heapMaxBytes > 0 ? `of ${mb(g.heapMaxBytes)} MB` : 'unbounded'),
      tile('CPU', g.cpu == null ? '–' : `${Math.round(g.cpu * 100)} %`),
      tile('uptime', duration(g.uptimeMs)));
  }

  function renderRows(snapshot) {
    const now = Date.now();
    rows.replaceChildren(...snapshot.streams.map((s) => {
      const h = perStream.get(s.name) ?? { in: [], out: [] };
      const open = element('button', { type: 'button', class: 'link', title: `subscribe to ${s.name}` }, s.name);
      open.addEventListener('click', () => onOpen(s.name));
      const last = s.lastEvent;
      return element('tr', { 'data-stream': s.name, 'data-status': s.status },
        element('td', { class: 'name' }, open, element('small', {}, s.topics.join(', '))),
        element('td', {}, element('span', { class: `badge-status status-${s.status.toLowerCase()}` },
          s.status.replace('_', ' ').toLowerCase())),
        element('td', { class: 'num subscribers' }, String(s.subscribers)),
        element('td', { class: 'num events-in' }, rate(s.eventsInPerSecond), sparkline(h.in, '#2f6fde')),
        element('td', { class: 'num deliveries' }, rate(s.deliveriesPerSecond), sparkline(h.out, '#1f9d55')),
        element('td', { class: `num lag${s.lag > 0 ? ' behind' : ''}` }, s.lag == null ? '–' : String(s.lag)),
        element('td', { class: 'last', title: last ? new Date(last.time).toLocaleString() : '' },
          last ? element('code', {}, last.type ?? '(no type)') : '–',
          last ? element('small', {}, ago(now - Date.parse(last.time))) : ''));
    }));
  }

  function refused(why) {
    status.textContent = '';
    tiles.replaceChildren();
    chartBox.hidden = true;
    rows.replaceChildren(element('tr', {}, element('td', { colspan: '7', class: 'refused' },
      element('b', {}, 'The live overview is not available to you. '),
      why ?? 'The server refused GET /console/overview.',
      element('br'),
      'It is an operator endpoint, guarded as /metrics is (streamgate.management.access). ',
      'The streams on the left can still be subscribed to.')));
  }

  return {
    dispose() {
      clearInterval(ticker);
      source.close();
      chart.destroy();
    },
  };
}

/** EventSource hides why it was refused: ask once with fetch, for the problem's detail. */
async function explain() {
  const controller = new AbortController();
  try {
    const response = await fetch('/console/overview', { headers: { Accept: 'text/event-stream' },
      signal: controller.signal });
    if (response.ok) return null;
    const problem = await response.json().catch(() => null);
    return `HTTP ${response.status}${problem?.detail ? `: ${problem.detail}` : ''}.`;
  } catch {
    return null;
  } finally {
    controller.abort();
  }
}

function tile(label, value, tone, note) {
  return element('div', { class: 'tile', 'data-tile': label, 'data-tone': tone },
    element('span', {}, label), element('b', {}, value, note ? element('small', {}, ` ${note}`) : null));
}

/** A small SVG polyline of the values (nulls skipped), scaled to its own maximum. */
function sparkline(values, colour) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'spark');
  const width = Math.max(1, values.length - 1); // stretched over the points there are, until the minute is full
  svg.setAttribute('viewBox', `0 0 ${width} 20`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const max = Math.max(1, ...values.filter((v) => v != null));
  const points = values.map((v, i) => (v == null ? null : `${i},${(20 - (v / max) * 18 - 1).toFixed(1)}`))
    .filter(Boolean).join(' ');
  const line = document.createElementNS(NS, 'polyline');
  line.setAttribute('points', points);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', colour);
  line.setAttribute('stroke-width', '1.5');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(line);
  return svg;
}

function rate(value) {
  if (value == null) return '–';
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function mb(bytes) {
  return String(Math.round(bytes / MB));
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function ago(ms) {
  if (ms < 0) ms = 0;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}
