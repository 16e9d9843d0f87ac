package dev.ioengine.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;

/**
 * The fixed percentiles at which {@code bench} reports a latency distribution (JSON {@code lat_percentiles_ns},
 * the plot's curve): evenly spaced on the "nines" scale from 90 on ({@code -log10(1 - p/100)}: 90 is 1, 99 is 2,
 * 99.9 is 3, 99.99 is 4), with 0 (the minimum), 25, 50 and 75 below. fio is asked for the same points with
 * {@code --percentile_list} (which takes up to 20 points in (0, 100]: 0 is its {@code min}).
 *
 * <p>A job that reads and writes has one value per point: the larger of the read and write percentile, the rule
 * of the compare table's p99 column.
 */
final class LatencyPercentiles {
    /** The points, ascending. */
    static final List<Double> POINTS = List.of(0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 97.0, 98.0, 99.0, 99.5, 99.7,
            99.8, 99.9, 99.95, 99.97, 99.98, 99.99);
    /** The largest number of nines plotted: 99.99. */
    static final double MAX_NINES = 4;

    private LatencyPercentiles() {
    }

    /** {@code -log10(1 - p/100)}, clamped to [0, {@link #MAX_NINES}]. */
    static double nines(double percentile) {
        if (!(percentile > 0)) {
            return 0;
        }
        if (percentile >= 100) {
            return MAX_NINES;
        }
        double n = -Math.log10(1 - percentile / 100);
        return Double.isFinite(n) ? Math.min(MAX_NINES, Math.max(0, n)) : MAX_NINES;
    }

    /**
     * The latency at each point, in nanoseconds, over the non-empty of {@code read} and {@code write} (the larger
     * of the two at each point); null if both are empty.
     */
    static double[] of(Histogram read, Histogram write) {
        boolean hasRead = read != null && read.getTotalCount() > 0;
        boolean hasWrite = write != null && write.getTotalCount() > 0;
        if (!hasRead && !hasWrite) {
            return null;
        }
        double[] values = new double[POINTS.size()];
        for (int i = 0; i < values.length; i++) {
            double p = POINTS.get(i);
            values[i] = Math.max(hasRead ? at(read, p) : 0, hasWrite ? at(write, p) : 0);
        }
        return values;
    }

    private static double at(Histogram h, double percentile) {
        return percentile == 0 ? h.getMinValue() : h.getValueAtPercentile(percentile);
    }

    /** fio's {@code --percentile_list} value for the points above 0. */
    static String fioPercentileList() {
        StringJoiner list = new StringJoiner(":");
        for (double p : POINTS) {
            if (p > 0) {
                list.add(trim(p));
            }
        }
        return list.toString();
    }

    /**
     * The points from one direction of fio's JSON ({@code lat_ns} with {@code min} and the {@code percentile}
     * map keyed {@code "99.900000"}); null if that direction did no IO or fio gave no percentiles. A point fio
     * left out is 0.
     */
    static double[] fromFio(Map<String, Object> latNs, double ios) {
        if (ios <= 0 || !(latNs.get("percentile") instanceof Map<?, ?> map)) {
            return null;
        }
        double[] values = new double[POINTS.size()];
        for (int i = 0; i < values.length; i++) {
            double p = POINTS.get(i);
            Object v = p == 0 ? latNs.get("min") : map.get(String.format(Locale.ROOT, "%f", p));
            values[i] = v instanceof Double d && Double.isFinite(d) ? d : 0;
        }
        return values;
    }

    /** The larger of {@code a} and {@code b} at each point; either may be null. */
    static double[] max(double[] a, double[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        double[] values = new double[a.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(a[i], b[i]);
        }
        return values;
    }

    /** A point's label: 99.9, 50, 0. */
    static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    /** Writes {@code values} as {@code [{"percentile": p, "ns": v}, ...]}, or null. */
    static void write(JsonWriter json, double[] values) {
        if (values == null) {
            json.value((String) null);
            return;
        }
        json.beginArray();
        for (int i = 0; i < values.length; i++) {
            json.beginObject().field("percentile", POINTS.get(i)).field("ns", values[i]).endObject();
        }
        json.endArray();
    }

    /**
     * Reads what {@link #write} wrote, as two parallel arrays (percentiles, nanoseconds); null if absent or not
     * a list. Entries without both numbers are skipped.
     */
    static double[][] read(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        double[] percentiles = new double[list.size()];
        double[] nanos = new double[list.size()];
        int n = 0;
        for (Object o : list) {
            if (o instanceof Map<?, ?> m && m.get("percentile") instanceof Double p
                    && m.get("ns") instanceof Double v) {
                percentiles[n] = p;
                nanos[n] = v;
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(percentiles, n), Arrays.copyOf(nanos, n)};
    }
}
