// The metrics stream as a live dashboard: metrics.sample {heapUsedBytes, processCpuLoad, threadCount, ...} drawn
// with uPlot (served from this jar's WebJar: no CDN, works offline). The charts share the panel's width and put time
// on the x axis; their legends show the values under the cursor, and the latest ones otherwise.
//
// A sample carries no timestamp, only its host's uptimeMs: its time is the host's start plus that uptime. The start
// is estimated as the earliest of (arrival - uptime) over the host's samples — exact for a sample that arrives as it
// is taken, and a replayed burst (from=earliest) cannot pull it later than that — so replayed samples are spread
// over the time they were taken, not drawn at the instant they arrived.
import { element, eventData } from './dom.js';
import { timeChart } from './chart.js';

const WINDOW = 300; // samples kept per chart (five minutes at one per second)
const MB = 1024 * 1024;

const CHARTS = [
  {
    title: 'CPU load (%)',
    series: [
      { label: 'process', stroke: '#e4572e', value: (s) => percent(s.processCpuLoad) },
      { label: 'system', stroke: '#17bebb', value: (s) => percent(s.systemCpuLoad) },
    ],
  },
  {
    title: 'Memory (MB)',
    series: [
      { label: 'heap used', stroke: '#4f6d7a', value: (s) => s.heapUsedBytes / MB },
      { label: 'non-heap used', stroke: '#f3a712', value: (s) => s.nonHeapUsedBytes / MB },
    ],
  },
  {
    title: 'Threads and load average',
    series: [
      { label: 'threads', stroke: '#6a4c93', value: (s) => s.threadCount },
      { label: 'load avg (1 min)', stroke: '#76b041', value: (s) => (s.loadAverage >= 0 ? s.loadAverage : null) },
    ],
  },
];

export function metricsView(root) {
  const tiles = element('div', { class: 'tiles' });
  const grid = element('div', { class: 'charts' });
  root.replaceChildren(element('h2', {}, 'Metrics'), tiles, grid);
  let n = 0;
  const samples = []; // {host, uptimeMs, values: [[...], ...]} in arrival order
  const starts = new Map(); // host -> estimated start (ms since the epoch)
  const plots = CHARTS.map((chart) => {
    const box = element('figure', { class: 'chart', 'data-chart': chart.title });
    grid.append(box);
    return { chart, view: timeChart(box, { title: chart.title, height: 220, series: chart.series }) };
  });

  return {
    onEvent(type, text) {
      if (type !== 'metrics.sample') return;
      const sample = eventData(text);
      if (!sample) return;
      n++;
      const arrival = Date.now();
      const estimate = arrival - sample.uptimeMs;
      const known = starts.get(sample.host);
      // A later start by more than a minute is a restarted host, not a better estimate.
      if (known === undefined || estimate < known || estimate - known > 60_000) starts.set(sample.host, estimate);
      samples.push({ host: sample.host, uptimeMs: sample.uptimeMs,
        values: CHARTS.map((chart) => chart.series.map((s) => s.value(sample))) });
      if (samples.length > WINDOW) samples.shift();
      const xs = samples.map((s) => (starts.get(s.host) + s.uptimeMs) / 1000);
      const order = xs.map((x, i) => i).sort((a, b) => xs[a] - xs[b]); // uPlot needs ascending x
      plots.forEach(({ chart, view }, c) => view.setData([order.map((i) => xs[i]),
        ...chart.series.map((s, k) => order.map((i) => samples[i].values[c][k]))]));
      root.dataset.samples = String(n);
      tiles.replaceChildren(
        tile('host', sample.host),
        tile('uptime', `${Math.round(sample.uptimeMs / 1000)} s`),
        tile('GC', `${sample.gcCount} runs, ${sample.gcTimeMs} ms`),
        tile('heap max', sample.heapMaxBytes > 0 ? `${Math.round(sample.heapMaxBytes / MB)} MB` : 'unbounded'));
    },
    dispose() {
      plots.forEach(({ view }) => view.destroy());
    },
  };
}

function percent(load) {
  return load >= 0 ? load * 100 : null; // -1: the platform does not report it
}

function tile(label, value) {
  return element('div', { class: 'tile' }, element('span', {}, label), element('b', {}, String(value)));
}
