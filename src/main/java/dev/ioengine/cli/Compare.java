package dev.ioengine.cli;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code io-engine bench --compare[=ROUNDS]}: the same job on every available io-engine engine and on fio's
 * {@code io_uring} and {@code libaio} engines (when {@code fio} is on the PATH), on one shared file, ROUNDS times
 * with the order reversed every other round (so drift in the machine does not favour whoever runs first). Prints
 * the mean of each contender's rounds and its IOPS as a ratio to fio io_uring (else fio libaio, else the first
 * contender).
 *
 * <p>fio is run as {@code fio --name=io-engine-compare --ioengine=E --direct=0|1 --rw=... --bs=N --iodepth=N
 * --size=N --runtime=Nms --time_based --filename=F --output-format=json --lat_percentiles=1} and its JSON read
 * with {@link JsonReader}. Latency is submit-to-completion on both sides (fio's {@code lat_ns}); p99 is the larger
 * of the read and write p99 for mixed jobs; CPU per IO is process CPU time (fio: the job's usr+sys) over IOs.
 *
 * <p>JSON output ({@code --output-format=json}), schema {@code io-engine-compare/1}:
 * <pre>
 * {"schema": "io-engine-compare/1", "rounds": n, "baseline": s|null,
 *  "job": {"rw": s, "rwmixread": n, "bs": n, "iodepth": n, "size": n, "runtime_ns": n, "direct": b},
 *  "contenders": [{"name": s, "tool": "io-engine"|"fio", "engine": s, "iops_ratio": x|null,
 *                  "mean": RUN, "runs": [RUN...]}]}
 * RUN = {"iops": x, "mib_per_s": x, "lat_mean_ns": x, "lat_p99_ns": x, "cpu_ns_per_io": x, "error": s|null}
 * </pre>
 * Exit status 1 if any run failed.
 */
final class Compare {
    static final String SCHEMA = "io-engine-compare/1";
    private static final String[] FIO_ENGINES = {"io_uring", "libaio"};

    /** One run's figures, or its error. */
    record Run(double iops, double mibPerSecond, double meanLatencyNanos, double p99LatencyNanos,
            double cpuNanosPerIo, String error) {
        static Run failed(String error) {
            return new Run(0, 0, 0, 0, 0, error);
        }
    }

    /** io-engine on {@code engine}, or fio with {@code fioEngine}. */
    record Contender(String name, EngineKind engine, String fioEngine) {
        String tool() {
            return engine != null ? "io-engine" : "fio";
        }
    }

    private final BenchOptions options;
    private final PrintStream err;
    private volatile boolean cancelled;
    private volatile BenchJob currentJob;
    private volatile Process currentFio;
    private volatile Path temporaryFile;

    Compare(BenchOptions options, PrintStream err) {
        this.options = options;
        this.err = err;
    }

    /** Stops the comparison (Ctrl-C): the current run stops early and no other starts. */
    void cancel() {
        cancelled = true;
        BenchJob job = currentJob;
        if (job != null) {
            job.cancel();
        }
        Process fio = currentFio;
        if (fio != null) {
            fio.destroy();
        }
    }

    void deleteTemporaryFile() {
        Path file = temporaryFile;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Best effort from a shutdown hook.
            }
        }
    }

    /** The contenders on this machine: available engines, then fio's when fio runs. */
    static List<Contender> contenders(boolean fioPresent) {
        List<Contender> list = new ArrayList<>();
        for (EngineKind kind : new EngineKind[] {EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS}) {
            if (EngineAvailability.probe(kind).available()) {
                list.add(new Contender("io-engine " + kind.id(), kind, null));
            }
        }
        if (fioPresent) {
            for (String e : FIO_ENGINES) {
                list.add(new Contender("fio " + e, null, e));
            }
        }
        return list;
    }

    /** Runs the comparison and prints the table; returns the exit status. */
    int run(PrintStream out) throws InterruptedException {
        boolean fio = fioPresent();
        if (!fio) {
            err.println("io-engine bench --compare: fio is not on the PATH; comparing io-engine's engines only");
        }
        List<Contender> contenders = contenders(fio);
        List<List<Run>> runs = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            runs.add(new ArrayList<>());
        }
        Path file = options.filename();
        try {
            if (file == null) {
                Path dir = Path.of(System.getProperty("java.io.tmpdir"));
                Files.createDirectories(dir);
                file = Files.createTempFile(dir, "io-engine-bench-", ".dat");
                temporaryFile = file;
            }
            for (int round = 0; round < options.compareRounds() && !cancelled; round++) {
                for (int k = 0; k < contenders.size() && !cancelled; k++) {
                    int i = round % 2 == 0 ? k : contenders.size() - 1 - k;
                    Contender c = contenders.get(i);
                    err.printf("io-engine bench --compare: round %d/%d: %s%n", round + 1, options.compareRounds(),
                            c.name());
                    runs.get(i).add(c.engine() != null ? runEngine(c.engine(), file) : runFio(c.fioEngine(), file));
                }
            }
        } catch (IOException e) {
            err.println("io-engine bench --compare: " + e.getMessage());
            return 1;
        } finally {
            deleteTemporaryFile();
        }
        if (options.jsonOutput()) {
            out.println(toJson(contenders, runs));
        } else {
            printTable(out, contenders, runs);
        }
        boolean anyFailed = runs.stream().flatMap(List::stream).anyMatch(r -> r.error() != null);
        return anyFailed ? 1 : 0;
    }

    private Run runEngine(EngineKind kind, Path file) throws InterruptedException {
        BenchJob job = new BenchJob(options.forCompareRun(kind, file));
        currentJob = job;
        if (cancelled) {
            job.cancel();
        }
        try {
            BenchResult r = job.run(null);
            if (r.error() != null) {
                return Run.failed(r.error());
            }
            LoadGenerator.PassResult t = r.timed();
            double seconds = t.elapsedNanos() / 1e9;
            long ios = t.ios();
            double p99 = Math.max(p99(t.readLatency().getTotalCount(), t.readLatency()),
                    p99(t.writeLatency().getTotalCount(), t.writeLatency()));
            double sum = t.readLatency().getMean() * t.reads() + t.writeLatency().getMean() * t.writes();
            return new Run(ios / seconds, (t.readBytes() + t.writeBytes()) / seconds / (1 << 20),
                    ios == 0 ? 0 : sum / ios, p99, ios == 0 ? 0 : (double) r.cpu().totalNanos() / ios, null);
        } finally {
            currentJob = null;
        }
    }

    private static double p99(long count, org.HdrHistogram.Histogram h) {
        return count == 0 ? 0 : h.getValueAtPercentile(99);
    }

    /** The fio command line for this job. */
    List<String> fioCommand(String fioEngine, Path file) {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=io-engine-compare", "--ioengine=" + fioEngine,
                "--direct=" + (options.direct() ? 1 : 0), "--rw=" + options.rw().id(),
                "--bs=" + options.blockSize(), "--iodepth=" + options.iodepth(), "--size=" + options.size(),
                "--runtime=" + Math.max(1, options.runtimeNanos() / 1_000_000) + "ms", "--time_based",
                "--filename=" + file.toString().replace(":", "\\:"), "--output-format=json",
                "--lat_percentiles=1"));
        if (options.rw() == BenchOptions.Rw.RANDRW) {
            cmd.add("--rwmixread=" + options.rwmixread());
        }
        return cmd;
    }

    private Run runFio(String fioEngine, Path file) throws InterruptedException {
        List<String> cmd = fioCommand(fioEngine, file);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Run.failed("cannot start fio: " + e.getMessage());
        }
        currentFio = p;
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long limit = TimeUnit.NANOSECONDS.toSeconds(options.runtimeNanos()) + 120;
            if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Run.failed("fio did not finish within " + limit + " s");
            }
            if (p.exitValue() != 0 || output.indexOf('{') < 0) {
                return Run.failed("fio exited with status " + p.exitValue() + ": "
                        + output.lines().filter(l -> l.startsWith("fio")).findFirst().orElse(output.strip()));
            }
            return parseFio(output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1));
        } catch (IOException | IllegalArgumentException e) {
            return Run.failed("reading fio's output: " + e.getMessage());
        } finally {
            currentFio = null;
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** Reads the figures of fio's first job from its JSON output. */
    static Run parseFio(String json) {
        Map<String, Object> root = JsonReader.object(JsonReader.parse(json));
        Map<String, Object> job = JsonReader.object(((List<?>) root.get("jobs")).getFirst());
        Map<String, Object> read = JsonReader.object(job.get("read"));
        Map<String, Object> write = JsonReader.object(job.get("write"));
        double readIos = number(read, "total_ios");
        double writeIos = number(write, "total_ios");
        double ios = readIos + writeIos;
        Map<String, Object> readLat = JsonReader.object(read.get("lat_ns"));
        Map<String, Object> writeLat = JsonReader.object(write.get("lat_ns"));
        double mean = ios == 0 ? 0 : (number(readLat, "mean") * readIos + number(writeLat, "mean") * writeIos) / ios;
        double p99 = Math.max(percentile99(readLat), percentile99(writeLat));
        double runtimeNanos = number(job, "job_runtime") * 1e6;
        double cpuNanos = (number(job, "usr_cpu") + number(job, "sys_cpu")) / 100 * runtimeNanos;
        return new Run(number(read, "iops") + number(write, "iops"),
                (number(read, "bw_bytes") + number(write, "bw_bytes")) / (1 << 20), mean, p99,
                ios == 0 ? 0 : cpuNanos / ios, null);
    }

    private static double percentile99(Map<String, Object> lat) {
        Object p = lat.get("percentile");
        if (p == null) {
            return 0;
        }
        return number(JsonReader.object(p), "99.000000");
    }

    private static double number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Double d ? d : 0;
    }

    private static boolean fioPresent() {
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- output ------------------------------------------------------------------------------------------------

    /** The mean of the successful runs, or the first error if none succeeded. */
    static Run mean(List<Run> runs) {
        List<Run> ok = runs.stream().filter(r -> r.error() == null).toList();
        if (ok.isEmpty()) {
            return runs.isEmpty() ? Run.failed("not run") : runs.getFirst();
        }
        return new Run(ok.stream().mapToDouble(Run::iops).average().orElse(0),
                ok.stream().mapToDouble(Run::mibPerSecond).average().orElse(0),
                ok.stream().mapToDouble(Run::meanLatencyNanos).average().orElse(0),
                ok.stream().mapToDouble(Run::p99LatencyNanos).average().orElse(0),
                ok.stream().mapToDouble(Run::cpuNanosPerIo).average().orElse(0), null);
    }

    /** The index of the contender ratios are taken against: fio io_uring, else fio libaio, else the first. */
    static int baseline(List<Contender> contenders, List<List<Run>> runs) {
        for (String e : FIO_ENGINES) {
            for (int i = 0; i < contenders.size(); i++) {
                if (e.equals(contenders.get(i).fioEngine()) && mean(runs.get(i)).error() == null) {
                    return i;
                }
            }
        }
        for (int i = 0; i < contenders.size(); i++) {
            if (mean(runs.get(i)).error() == null) {
                return i;
            }
        }
        return -1;
    }

    private void printTable(PrintStream out, List<Contender> contenders, List<List<Run>> runs) {
        out.printf(Locale.ROOT, "compare: rw=%s, bs=%s, iodepth=%d, size=%s, runtime=%.3gs, direct=%d; "
                + "mean of %d round(s), alternating order%n", options.rw(), Sizes.humanBytes(options.blockSize()),
                options.iodepth(), Sizes.humanBytes(options.size()), options.runtimeNanos() / 1e9,
                options.direct() ? 1 : 0, options.compareRounds());
        int base = baseline(contenders, runs);
        String ratioHeader = base < 0 ? "ratio" : "IOPS vs " + contenders.get(base).name();
        out.printf(Locale.ROOT, "  %-20s %10s %9s %11s %11s %10s  %s%s%n", "contender", "IOPS", "MiB/s",
                "lat mean", "lat p99", "CPU/IO", ratioHeader, options.compareRounds() > 1 ? "   IOPS min-max" : "");
        double baseIops = base < 0 ? 0 : mean(runs.get(base)).iops();
        for (int i = 0; i < contenders.size(); i++) {
            Run m = mean(runs.get(i));
            if (m.error() != null) {
                out.printf("  %-20s failed: %s%n", contenders.get(i).name(), m.error());
                continue;
            }
            String spread = "";
            if (options.compareRounds() > 1) {
                List<Run> ok = runs.get(i).stream().filter(r -> r.error() == null).toList();
                spread = String.format(Locale.ROOT, "   %.0f-%.0f", ok.stream().mapToDouble(Run::iops).min()
                        .orElse(0), ok.stream().mapToDouble(Run::iops).max().orElse(0));
            }
            out.printf(Locale.ROOT, "  %-20s %10.0f %9.1f %8.1f us %8.1f us %7.2f us  %s%s%n",
                    contenders.get(i).name(), m.iops(), m.mibPerSecond(), m.meanLatencyNanos() / 1e3,
                    m.p99LatencyNanos() / 1e3, m.cpuNanosPerIo() / 1e3,
                    baseIops > 0 ? String.format(Locale.ROOT, "%.2fx", m.iops() / baseIops) : "-", spread);
        }
        for (int i = 0; i < contenders.size(); i++) {
            for (Run r : runs.get(i)) {
                if (r.error() != null) {
                    out.printf("  %s: a run failed: %s%n", contenders.get(i).name(), r.error());
                    break;
                }
            }
        }
    }

    private String toJson(List<Contender> contenders, List<List<Run>> runs) {
        int base = baseline(contenders, runs);
        double baseIops = base < 0 ? 0 : mean(runs.get(base)).iops();
        JsonWriter json = new JsonWriter().beginObject();
        json.field("schema", SCHEMA);
        json.field("rounds", options.compareRounds());
        json.field("baseline", base < 0 ? null : contenders.get(base).name());
        json.name("job").beginObject()
                .field("rw", options.rw().id())
                .field("rwmixread", options.rwmixread())
                .field("bs", options.blockSize())
                .field("iodepth", options.iodepth())
                .field("size", options.size())
                .field("runtime_ns", options.runtimeNanos())
                .field("direct", options.direct())
                .endObject();
        json.name("contenders").beginArray();
        for (int i = 0; i < contenders.size(); i++) {
            Contender c = contenders.get(i);
            Run m = mean(runs.get(i));
            json.beginObject()
                    .field("name", c.name())
                    .field("tool", c.tool())
                    .field("engine", c.engine() != null ? c.engine().id() : c.fioEngine());
            json.name("iops_ratio");
            if (baseIops > 0 && m.error() == null) {
                json.value(m.iops() / baseIops);
            } else {
                json.value((String) null);
            }
            json.name("mean");
            writeRun(json, m);
            json.name("runs").beginArray();
            for (Run r : runs.get(i)) {
                writeRun(json, r);
            }
            json.endArray().endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }

    private static void writeRun(JsonWriter json, Run r) {
        json.beginObject()
                .field("iops", r.iops())
                .field("mib_per_s", r.mibPerSecond())
                .field("lat_mean_ns", r.meanLatencyNanos())
                .field("lat_p99_ns", r.p99LatencyNanos())
                .field("cpu_ns_per_io", r.cpuNanosPerIo())
                .field("error", r.error())
                .endObject();
    }
}
