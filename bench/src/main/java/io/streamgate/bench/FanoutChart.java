package io.streamgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The fan-out PNG: two panels sharing the connections axis, end-to-end latency p50/p99/p999 (ms) above and
 * delivered events/s (with the expected rate, published rate x connections, for reference) below.
 * Rendered headless with JFreeChart.
 */
final class FanoutChart {
    /** One step's figures; latency fields are NaN when the step had no samples. */
    record Point(int connections, double p50, double p99, double p999, double delivered, double expected) {
        static Point of(ObjectNode step) {
            JsonNode l = step.get("latencyMs");
            return new Point(step.get("connections").asInt(), ms(l, "p50"), ms(l, "p99"), ms(l, "p999"),
                    step.get("deliveredEventsPerSec").asDouble(), step.get("expectedEventsPerSec").asDouble());
        }

        private static double ms(JsonNode latency, String field) {
            return latency.has(field) ? latency.get(field).asDouble() : Double.NaN;
        }
    }

    private static final Color[] LATENCY_COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xd62728)};
    private static final Color[] THROUGHPUT_COLORS = {new Color(0x2ca02c), Color.GRAY};

    private FanoutChart() {
    }

    static void write(List<Point> points, Path file, String title) throws IOException {
        XYSeries p50 = new XYSeries("p50", true, true);
        XYSeries p99 = new XYSeries("p99", true, true);
        XYSeries p999 = new XYSeries("p99.9", true, true);
        XYSeries delivered = new XYSeries("delivered events/s", true, true);
        XYSeries expected = new XYSeries("expected (published x connections)", true, true);
        for (Point p : points) {
            addIfNumber(p50, p.connections(), p.p50());
            addIfNumber(p99, p.connections(), p.p99());
            addIfNumber(p999, p.connections(), p.p999());
            delivered.add(p.connections(), p.delivered());
            expected.add(p.connections(), p.expected());
        }
        XYSeriesCollection latency = new XYSeriesCollection();
        latency.addSeries(p50);
        latency.addSeries(p99);
        latency.addSeries(p999);
        XYSeriesCollection throughput = new XYSeriesCollection();
        throughput.addSeries(delivered);
        throughput.addSeries(expected);

        NumberAxis connections = new NumberAxis("connections");
        connections.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(connections);
        plot.setGap(12);
        plot.add(panel(latency, "end-to-end latency (ms)", LATENCY_COLORS, false), 1);
        plot.add(panel(throughput, "delivered events/s", THROUGHPUT_COLORS, true), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 800);
    }

    private static XYPlot panel(XYSeriesCollection data, String label, Color[] colors, boolean dashedSecond) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, colors[i]);
        }
        if (dashedSecond) {
            renderer.setSeriesStroke(1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static void addIfNumber(XYSeries series, int x, double y) {
        if (!Double.isNaN(y)) {
            series.add(x, y);
        }
    }
}
