package dev.ioengine.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code io-engine plot --from=RESULT.json --out=FILE.svg}, and {@code bench --plot=FILE.svg}: turns a bench
 * result in the tool's JSON ({@code io-engine-compare/1} from {@code bench --compare}, or {@code io-engine-bench/1}
 * from a plain {@code bench}) into an {@link SvgPlot}. {@code bench --plot} goes through the same JSON, so a saved
 * result draws exactly as the live run did. A result written before the JSON carried
 * {@code lat_percentiles_ns} draws with an empty latency panel (and a note on stderr).
 */
final class Plot {
    private Plot() {
    }

    static String help() {
        return """
                usage: io-engine plot --from=RESULT.json --out=FILE.svg
                Draws a result saved with 'io-engine bench [--compare] --output-format=json > RESULT.json' as one
                SVG: latency by percentile (one line per contender; x: 0, 90, 99, 99.9, 99.99 on a nines scale,
                y: log scale) and IOPS per contender (with the ratio to fio io_uring at the bar's end).
                'io-engine bench --plot=FILE.svg ...' draws the run it has just done.
                """;
    }

    /** {@code io-engine plot ...}; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path from = null;
        Path to = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--help") || arg.equals("-h")) {
                    out.print(help());
                    return 0;
                }
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                if (!name.equals("--from") && !name.equals("--out")) {
                    throw new UsageException("unknown option '" + arg + "' (see io-engine plot --help)");
                }
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(name + " needs a value (" + name + "=FILE)");
                }
                Path path = BenchOptions.parsePath(name.substring(2), value);
                if (name.equals("--from")) {
                    from = path;
                } else {
                    to = path;
                }
            }
            if (from == null || to == null) {
                throw new UsageException("needs --from=RESULT.json and --out=FILE.svg");
            }
        } catch (UsageException e) {
            err.println("io-engine plot: " + e.getMessage());
            return UsageException.EXIT_STATUS;
        }
        String json;
        try {
            json = Files.readString(from, StandardCharsets.UTF_8);
            OutputFile.checkWritable(to);
        } catch (IOException e) {
            err.println("io-engine plot: " + FailureMessage.of(e));
            return 1;
        }
        try {
            write(JsonReader.parse(json.strip()), to, err);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("io-engine plot: " + from + ": " + FailureMessage.of(e));
            return 1;
        } catch (IOException e) {
            err.println("io-engine plot: " + FailureMessage.of(e));
            return 1;
        }
    }

    /**
     * Draws {@code result} (parsed JSON) into {@code file}, whose directory must exist (it is never created).
     *
     * @throws IllegalArgumentException if {@code result} is not a result of the tool's JSON
     * @throws IOException if the file cannot be written
     */
    static void write(Object result, Path file, PrintStream err) throws IOException {
        SvgPlot.Chart chart = chart(JsonReader.object(result));
        if (chart.series().stream().allMatch(s -> s.latencyNanos() == null)) {
            err.println("io-engine plot: note: the result has no latency percentiles (lat_percentiles_ns: written "
                    + "by an older io-engine?); the latency panel is empty");
        }
        Files.writeString(file, SvgPlot.render(chart), StandardCharsets.UTF_8);
        err.println("io-engine: plot written to " + file);
    }

    /**
     * The chart of a result.
     *
     * @throws IllegalArgumentException if it is neither {@code io-engine-compare/1} nor {@code io-engine-bench/1}
     */
    static SvgPlot.Chart chart(Map<String, Object> root) {
        Object schema = root.get("schema");
        if (Compare.SCHEMA.equals(schema)) {
            return compareChart(root);
        }
        if (BenchReport.SCHEMA.equals(schema)) {
            return benchChart(root);
        }
        throw new IllegalArgumentException("not an io-engine bench result: schema " + schema + " (expected "
                + Compare.SCHEMA + " or " + BenchReport.SCHEMA + ")");
    }

    private static SvgPlot.Chart compareChart(Map<String, Object> root) {
        Map<String, Object> job = JsonReader.object(root.get("job"));
        Object baseline = root.get("baseline");
        List<SvgPlot.Series> series = new ArrayList<>();
        for (Object o : list(root.get("contenders"))) {
            Map<String, Object> c = JsonReader.object(o);
            Map<String, Object> mean = JsonReader.object(c.get("mean"));
            String error = mean.get("error") instanceof String s ? "failed: " + s : null;
            List<String> notes = new ArrayList<>();
            if (c.get("iops_ratio") instanceof Double ratio && baseline instanceof String base) {
                notes.add(String.format(Locale.ROOT, "%.2fx %s", ratio, base));
            }
            if (mean.get("carriers_peak") instanceof Double carriers) {
                notes.add(String.format(Locale.ROOT, "%.0f carrier%s", carriers, carriers == 1 ? "" : "s"));
            }
            double[][] curve = LatencyPercentiles.read(mean.get("lat_percentiles_ns"));
            series.add(new SvgPlot.Series(string(c.get("name"), "?"), number(mean.get("iops")),
                    String.join(" · ", notes), curve == null ? null : curve[0], curve == null ? null : curve[1],
                    error));
        }
        for (Object o : list(root.get("skipped"))) {
            Map<String, Object> s = JsonReader.object(o);
            series.add(new SvgPlot.Series(string(s.get("name"), "?"), 0, "", null, null,
                    "not run: " + string(s.get("reason"), "?")));
        }
        long rounds = (long) number(root.get("rounds"));
        String subtitle = "io-engine bench --compare · " + when(root) + " · mean of " + rounds + " round"
                + (rounds == 1 ? "" : "s") + ", alternating order";
        if (number(job.get("vthreads")) > 0) {
            subtitle += String.format(Locale.ROOT, " · vthreads=%.0f", number(job.get("vthreads")));
        }
        boolean carriers = series.stream().anyMatch(s -> s.note().contains("carrier"));
        return new SvgPlot.Chart(jobText(job), subtitle, series, carriers ? "carriers: the most carrier threads of "
                + "the virtual-thread scheduler busy at once during the run (sampled every 20 ms)" : "");
    }

    private static SvgPlot.Chart benchChart(Map<String, Object> root) {
        Map<String, Object> job = JsonReader.object(root.get("job"));
        Map<String, Object> total = JsonReader.object(root.get("total"));
        double[][] read = directionCurve(root.get("read"));
        double[][] write = directionCurve(root.get("write"));
        double[] percentiles = read != null ? read[0] : write != null ? write[0] : null;
        double[] nanos = null;
        if (read != null && write != null && read[0].length == write[0].length) {
            nanos = LatencyPercentiles.max(read[1], write[1]);
        } else if (read != null || write != null) {
            nanos = read != null ? read[1] : write[1];
        }
        String error = root.get("error") instanceof String s ? "failed: " + s : null;
        String name = "io-engine " + string(job.get("engine"), string(job.get("engine_requested"), "?"));
        SvgPlot.Series series = new SvgPlot.Series(name, number(total.get("iops")), "", percentiles, nanos, error);
        return new SvgPlot.Chart(jobText(job), "io-engine bench · " + when(root), List.of(series), "");
    }

    /** A direction's curve, or null when it did no IO or has none. */
    private static double[][] directionCurve(Object direction) {
        if (!(direction instanceof Map<?, ?>)) {
            return null;
        }
        Map<String, Object> d = JsonReader.object(direction);
        if (number(d.get("ios")) <= 0) {
            return null;
        }
        double[][] curve = LatencyPercentiles.read(d.get("lat_percentiles_ns"));
        return curve == null || curve[0].length == 0 ? null : curve;
    }

    /** "randread, bs=4 KiB, iodepth=32, direct=1, size=1 GiB, runtime=5 s". */
    private static String jobText(Map<String, Object> job) {
        String rw = string(job.get("rw"), "?");
        if (rw.equals("randrw")) {
            rw += String.format(Locale.ROOT, " (%.0f%% reads)", number(job.get("rwmixread")));
        }
        return String.format(Locale.ROOT, "rw=%s, bs=%s, iodepth=%.0f, direct=%d, size=%s, runtime=%s", rw,
                Sizes.humanBytes((long) number(job.get("bs"))), number(job.get("iodepth")),
                Boolean.TRUE.equals(job.get("direct")) ? 1 : 0, Sizes.humanBytes((long) number(job.get("size"))),
                seconds(number(job.get("runtime_ns"))));
    }

    /** "2026-11-24 05:10 UTC · host: 2 cores", from the result's date and host_cores when it has them. */
    private static String when(Map<String, Object> root) {
        String date = root.get("date") instanceof String s ? s.replace('T', ' ').replaceFirst(":\\d\\d(\\.\\d+)?Z$",
                " UTC") : "date not recorded";
        String cores = root.get("host_cores") instanceof Double n
                ? String.format(Locale.ROOT, "host: %.0f core%s", n, n == 1 ? "" : "s") : "host cores not recorded";
        return date + " · " + cores;
    }

    private static String seconds(double nanos) {
        double s = nanos / 1e9;
        return (s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.3g", s)) + " s";
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static String string(Object value, String otherwise) {
        return value instanceof String s ? s : otherwise;
    }

    private static double number(Object value) {
        return value instanceof Double d && Double.isFinite(d) ? d : 0;
    }
}
