// The metrics stream as a live dashboard: metrics.sample {heapUsedBytes, processCpuLoad, threadCount, ...} drawn
// with uPlot (served from this jar's WebJar: no CDN, works offline).
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { element, eventData } from './dom.js';

const WINDOW = 120; // samples kept per chart (two minutes at one per second)
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
  const xs = [];
  const plots = CHARTS.map((chart) => {
    const box = element('figure', { class: 'chart', 'data-chart': chart.title });
    grid.append(box);
    const data = [xs, ...chart.series.map(() => [])];
    const plot = new uPlot({
      title: chart.title,
      width: 330,
      height: 190,
      // x is the sample's number in this view: replayed samples (from=earliest) arrive in one burst, so the time
      // they arrive would draw them all at one instant.
      scales: { x: { time: false } },
      axes: [{ label: 'sample' }, {}],
      series: [{ label: 'sample' }, ...chart.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
    }, data, box);
    return { chart, data, plot };
  });

  return {
    onEvent(type, text) {
      if (type !== 'metrics.sample') return;
      const sample = eventData(text);
      if (!sample) return;
      xs.push(++n);
      for (const { chart, data } of plots) {
        chart.series.forEach((s, i) => data[i + 1].push(s.value(sample)));
      }
      if (xs.length > WINDOW) {
        xs.shift();
        plots.forEach(({ data }) => data.slice(1).forEach((values) => values.shift()));
      }
      plots.forEach(({ plot, data }) => plot.setData(data));
      root.dataset.samples = String(n);
      tiles.replaceChildren(
        tile('host', sample.host),
        tile('uptime', `${Math.round(sample.uptimeMs / 1000)} s`),
        tile('GC', `${sample.gcCount} runs, ${sample.gcTimeMs} ms`),
        tile('heap max', sample.heapMaxBytes > 0 ? `${Math.round(sample.heapMaxBytes / MB)} MB` : 'unbounded'));
    },
    dispose() {
      plots.forEach(({ plot }) => plot.destroy());
    },
  };
}

function percent(load) {
  return load >= 0 ? load * 100 : null; // -1: the platform does not report it
}

function tile(label, value) {
  return element('div', { class: 'tile' }, element('span', {}, label), element('b', {}, String(value)));
}
