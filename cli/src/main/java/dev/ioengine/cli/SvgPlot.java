package dev.ioengine.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a bench result as one SVG (plain text, no library): a title naming the job, then (a) latency by
 * percentile, one line per contender, x on the "nines" scale (0, 90, 99, 99.9, 99.99: {@link LatencyPercentiles#nines})
 * and y on a log scale, with a legend; and (b) a horizontal bar per contender for its IOPS, with a note at the
 * bar's end (the ratio to the baseline, carrier threads). Every coordinate written is finite: a contender with no
 * latency figures has no line (the legend says so), one with an error has no bar (the error is written instead).
 * Text is escaped for XML, and characters XML 1.0 does not allow are dropped.
 */
final class SvgPlot {
    /**
     * One contender.
     *
     * @param name its name, in the legend and beside its bar
     * @param iops its IOPS (0 or not finite: no bar)
     * @param note written after the IOPS at the bar's end ("1.00x fio io_uring"), or empty
     * @param percentiles the latency curve's percentiles, ascending, parallel to {@code latencyNanos}; may be null
     * @param latencyNanos the latency at each percentile in nanoseconds (points that are not positive and finite
     *     are left out); may be null
     * @param error why it has no figures ("failed: ...", "not run: ..."), written where its bar would be; or null
     */
    record Series(String name, double iops, String note, double[] percentiles, double[] latencyNanos,
            String error) {
    }

    /**
     * A chart.
     *
     * @param title the first line: the job
     * @param subtitle the second line: when, where, how many rounds
     * @param series the contenders, in table order
     * @param footnote a line under the bars (what a note means), or empty
     */
    record Chart(String title, String subtitle, List<Series> series, String footnote) {
    }

    /** Tableau's 10 colours, then a few more: one per contender, the same in both panels. */
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22"};
    private static final int WIDTH = 1000;
    private static final int LAT_TOP = 110;
    private static final int LAT_LEFT = 90;
    private static final int LAT_WIDTH = 600;
    private static final int LAT_HEIGHT = 330;
    private static final int LEGEND_LEFT = 720;
    private static final int BAR_NAME_RIGHT = 250;
    private static final int BAR_LEFT = 260;
    private static final int BAR_MAX_WIDTH = 400;
    private static final int BAR_ROW = 26;
    private static final int BAR_HEIGHT = 18;
    private static final String[] NINES_LABELS = {"0", "90", "99", "99.9", "99.99"};

    private SvgPlot() {
    }

    /** The colour of the {@code index}-th contender. */
    static String colour(int index) {
        return COLOURS[index % COLOURS.length];
    }

    /** The SVG document. */
    static String render(Chart chart) {
        List<Series> series = chart.series();
        int legendHeight = 24 + 20 * series.size();
        int latBottom = LAT_TOP + Math.max(LAT_HEIGHT, legendHeight);
        int barTitle = latBottom + 80;
        int barTop = barTitle + 22;
        int barBottom = barTop + BAR_ROW * Math.max(1, series.size());
        int height = barBottom + (chart.footnote().isEmpty() ? 60 : 84);
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");
        text(svg, 20, 30, "start", "font-size=\"16\" font-weight=\"bold\"", chart.title());
        text(svg, 20, 52, "start", "fill=\"#555555\"", chart.subtitle());
        latencyPanel(svg, series);
        barPanel(svg, series, barTitle, barTop);
        if (!chart.footnote().isEmpty()) {
            text(svg, 20, barBottom + 66, "start", "fill=\"#555555\"", chart.footnote());
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    // ---- (a) latency by percentile --------------------------------------------------------------------------

    private static void latencyPanel(StringBuilder svg, List<Series> series) {
        text(svg, LAT_LEFT, LAT_TOP - 24, "start", "font-size=\"14\" font-weight=\"bold\"",
                "Latency by percentile (submit to completion; lower is better)");
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Series s : series) {
            for (double v : usable(s)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        boolean any = hi > 0;
        int decadeLo = any ? (int) Math.floor(Math.log10(lo)) : 3;
        int decadeHi = any ? (int) Math.ceil(Math.log10(hi)) : 7;
        if (decadeHi <= decadeLo) {
            decadeHi = decadeLo + 1;
        }
        int bottom = LAT_TOP + LAT_HEIGHT;
        svg.append("<g class=\"latency-axes\">\n");
        for (int d = decadeLo; d <= decadeHi; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (d == decadeHi && m > 1) {
                    break;
                }
                double y = latencyY(v, decadeLo, decadeHi);
                boolean major = m == 1;
                line(svg, LAT_LEFT, y, LAT_LEFT + LAT_WIDTH, y, major ? "#cccccc" : "#eeeeee");
                if (major || decadeHi - decadeLo <= 3) {
                    text(svg, LAT_LEFT - 6, y + 4, "end", major ? "" : "fill=\"#777777\"", duration(v));
                }
            }
        }
        for (int n = 0; n <= LatencyPercentiles.MAX_NINES; n++) {
            double x = ninesX(n);
            line(svg, x, LAT_TOP, x, bottom, "#cccccc");
            text(svg, x, bottom + 18, "middle", "", NINES_LABELS[n]);
        }
        line(svg, LAT_LEFT, LAT_TOP, LAT_LEFT, bottom, "#333333");
        line(svg, LAT_LEFT, bottom, LAT_LEFT + LAT_WIDTH, bottom, "#333333");
        text(svg, LAT_LEFT + LAT_WIDTH / 2.0, bottom + 40, "middle", "",
                "percentile (nines scale: 90, 99, 99.9, 99.99 evenly spaced)");
        double midY = LAT_TOP + LAT_HEIGHT / 2.0;
        svg.append("<text x=\"").append(num(LAT_LEFT - 62)).append("\" y=\"").append(num(midY))
                .append("\" text-anchor=\"middle\" transform=\"rotate(-90 ").append(num(LAT_LEFT - 62)).append(' ')
                .append(num(midY)).append(")\">latency (log scale)</text>\n");
        if (!any) {
            text(svg, LAT_LEFT + LAT_WIDTH / 2.0, midY, "middle", "fill=\"#777777\"", "no latency figures");
        }
        svg.append("</g>\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            List<double[]> points = points(s);
            if (points.isEmpty()) {
                continue;
            }
            StringBuilder d = new StringBuilder();
            for (double[] p : points) {
                d.append(d.isEmpty() ? "M" : " L").append(num(ninesX(LatencyPercentiles.nines(p[0])))).append(' ')
                        .append(num(latencyY(p[1], decadeLo, decadeHi)));
            }
            svg.append("<path class=\"latency-line\" d=\"").append(d).append("\" fill=\"none\" stroke=\"")
                    .append(colour(i)).append("\" stroke-width=\"2\" stroke-linejoin=\"round\"><title>")
                    .append(escape(s.name())).append("</title></path>\n");
        }
        legend(svg, series);
    }

    private static void legend(StringBuilder svg, List<Series> series) {
        svg.append("<g class=\"legend\">\n");
        text(svg, LEGEND_LEFT, LAT_TOP + 4, "start", "font-weight=\"bold\"", "contender");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double y = LAT_TOP + 24 + 20 * i;
            svg.append("<line x1=\"").append(LEGEND_LEFT).append("\" y1=\"").append(num(y - 4)).append("\" x2=\"")
                    .append(LEGEND_LEFT + 24).append("\" y2=\"").append(num(y - 4)).append("\" stroke=\"")
                    .append(colour(i)).append("\" stroke-width=\"3\"/>\n");
            String label = s.name() + (points(s).isEmpty() ? " (no latency figures)" : "");
            text(svg, LEGEND_LEFT + 30, y, "start", "", label);
        }
        svg.append("</g>\n");
    }

    /** The curve's (percentile, latency) points that can be drawn: both finite, latency positive. */
    private static List<double[]> points(Series s) {
        List<double[]> points = new ArrayList<>();
        if (s.percentiles() == null || s.latencyNanos() == null) {
            return points;
        }
        int n = Math.min(s.percentiles().length, s.latencyNanos().length);
        for (int i = 0; i < n; i++) {
            double p = s.percentiles()[i];
            double v = s.latencyNanos()[i];
            if (Double.isFinite(p) && p >= 0 && p <= 100 && Double.isFinite(v) && v > 0) {
                points.add(new double[] {p, v});
            }
        }
        return points;
    }

    private static double[] usable(Series s) {
        return points(s).stream().mapToDouble(p -> p[1]).toArray();
    }

    private static double ninesX(double nines) {
        return LAT_LEFT + LAT_WIDTH * nines / LatencyPercentiles.MAX_NINES;
    }

    private static double latencyY(double nanos, int decadeLo, int decadeHi) {
        double f = (Math.log10(nanos) - decadeLo) / (decadeHi - decadeLo);
        return LAT_TOP + LAT_HEIGHT * (1 - Math.min(1, Math.max(0, f)));
    }

    /** 1 µs, 20 µs, 500 µs, 1 ms, 2 s. */
    static String duration(double nanos) {
        if (nanos < 1e3) {
            return trimNumber(nanos) + " ns";
        }
        if (nanos < 1e6) {
            return trimNumber(nanos / 1e3) + " µs";
        }
        if (nanos < 1e9) {
            return trimNumber(nanos / 1e6) + " ms";
        }
        return trimNumber(nanos / 1e9) + " s";
    }

    private static String trimNumber(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < 1e-9 ? Long.toString((long) r) : String.format(Locale.ROOT, "%.1f", v);
    }

    // ---- (b) IOPS bars ---------------------------------------------------------------------------------------

    private static void barPanel(StringBuilder svg, List<Series> series, int titleY, int top) {
        text(svg, 20, titleY, "start", "font-size=\"14\" font-weight=\"bold\"",
                "IOPS per contender (higher is better)");
        double max = 0;
        for (Series s : series) {
            max = Math.max(max, iops(s));
        }
        double tick = niceTick(max);
        double scaleMax = max > 0 ? Math.ceil(max / tick) * tick : 1;
        int bottom = top + BAR_ROW * Math.max(1, series.size());
        svg.append("<g class=\"iops-axes\">\n");
        for (double v = 0; v <= scaleMax + tick / 2; v += tick) {
            double x = BAR_LEFT + BAR_MAX_WIDTH * v / scaleMax;
            line(svg, x, top - 4, x, bottom, v == 0 ? "#333333" : "#e5e5e5");
            text(svg, x, bottom + 16, "middle", "", count(v));
        }
        text(svg, BAR_LEFT + BAR_MAX_WIDTH / 2.0, bottom + 38, "middle", "", "IOPS");
        svg.append("</g>\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double rowTop = top + BAR_ROW * i;
            double textY = rowTop + BAR_HEIGHT / 2.0 + 4;
            text(svg, BAR_NAME_RIGHT, textY, "end", "", s.name());
            double iops = iops(s);
            if (s.error() != null || iops <= 0) {
                text(svg, BAR_LEFT + 6, textY, "start", "fill=\"#aa0000\"",
                        s.error() != null ? shorten(s.error(), 90) : "no IO");
                continue;
            }
            double w = BAR_MAX_WIDTH * iops / scaleMax;
            svg.append("<rect class=\"iops-bar\" x=\"").append(BAR_LEFT).append("\" y=\"").append(num(rowTop))
                    .append("\" width=\"").append(num(w)).append("\" height=\"").append(BAR_HEIGHT)
                    .append("\" fill=\"").append(colour(i)).append("\"><title>").append(escape(s.name()))
                    .append("</title></rect>\n");
            String label = count(iops) + " IOPS" + (s.note() == null || s.note().isEmpty() ? "" : " · " + s.note());
            text(svg, BAR_LEFT + w + 6, textY, "start", "", label);
        }
    }

    private static double iops(Series s) {
        return Double.isFinite(s.iops()) && s.iops() > 0 ? s.iops() : 0;
    }

    /** A tick step of 1, 2 or 5 times a power of ten giving about 5 ticks up to {@code max}. */
    static double niceTick(double max) {
        if (!(max > 0) || !Double.isFinite(max)) {
            return 1;
        }
        double raw = max / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** 81,562 or 120k or 1.2M: whole numbers with separators below a million. */
    private static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    // ---- SVG text --------------------------------------------------------------------------------------------

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String stroke) {
        svg.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"1\"/>\n");
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String text) {
        svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append('"');
        if (!attributes.isEmpty()) {
            svg.append(' ').append(attributes);
        }
        svg.append('>').append(escape(text)).append("</text>\n");
    }

    /** A coordinate: one decimal, never NaN or infinite (0 then: the callers never pass such, this is a guard). */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String shorten(String s, int max) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }

    /**
     * {@code s} as XML character data or attribute value: {@code & < > " '} escaped, line breaks and tabs made
     * spaces, other characters XML 1.0 does not allow (other C0 controls, lone surrogates, U+FFFE/U+FFFF)
     * dropped.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n', '\r', '\t' -> out.append(' ');
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
