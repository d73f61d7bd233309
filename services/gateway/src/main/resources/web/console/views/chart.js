// A uPlot line chart over time that fills the width of its box (and follows it when the window is resized), with
// a legend that shows the values under the cursor while hovering and the latest values otherwise. x values are
// seconds since the epoch (uPlot's time scale); y values may be null (a gap in the line).
import uPlot from '/vendor/uplot/uPlot.esm.js';

export function timeChart(box, { title, height = 200, series, unit = '' }) {
  const format = (v) => (v == null ? '–' : `${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10}${unit}`);
  let data = [[], ...series.map(() => [])];
  const latest = (i) => {
    const values = data[i];
    for (let k = values.length - 1; k >= 0; k--) if (values[k] != null) return values[k];
    return null;
  };
  const plot = new uPlot({
    title,
    width: Math.max(200, box.clientWidth || 600),
    height,
    scales: { x: { time: true } },
    // Whole seconds and up: a short history would otherwise be labelled in half seconds.
    axes: [{ space: 70, incrs: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] }, { size: 56 }],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: 'time', value: (u, v) => new Date((v ?? data[0][data[0].length - 1] ?? Date.now() / 1000) * 1000)
        .toLocaleTimeString() },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.stroke,
        width: 2,
        spanGaps: false,
        value: (u, v, sidx, idx) => format(idx == null ? latest(i + 1) : v),
      })),
    ],
  }, data, box);
  const resize = new ResizeObserver(() => {
    const width = box.clientWidth;
    if (width > 0 && Math.abs(width - plot.width) > 1) plot.setSize({ width, height });
  });
  resize.observe(box);
  return {
    plot,
    setData(next) {
      data = next;
      plot.setData(next);
      if (plot.cursor.idx == null) plot.setLegend({ idx: null }); // not hovering: the latest values
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
