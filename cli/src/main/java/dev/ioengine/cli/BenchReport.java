package dev.ioengine.cli;

import dev.ioengine.EngineStats;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Prints a {@link BenchResult}, as fio-like text or as JSON.
 *
 * <h2>JSON schema {@code io-engine-bench/1}</h2>
 * Every key is always present (numbers are 0 and objects empty of data when a pass did not run). Times are
 * nanoseconds; bandwidth is bytes per second and MiB per second (fio's {@code BW=...MiB/s}).
 * <pre>
 * {
 *   "schema": "io-engine-bench/1",
 *   "date": s,                       // when the report was written, ISO-8601 UTC (2026-11-24T05:10:33Z)
 *   "host_cores": n,                 // Runtime.availableProcessors()
 *   "job": {"name": s, "engine_requested": "auto|io_uring|aio|threads", "engine": s|null, "rw": s,
 *           "ioengine": s|null,      // fio's --ioengine when it was sync, psync or posixaio (run on threads)
 *           "rwmixread": n, "bs": n, "iodepth": n, "numjobs": n, "group_reporting": b, "size": n,
 *           "io_size": n, "time_based": b, "runtime_ns": n, "ramp_time_ns": n, "fsync": n, "randrepeat": b,
 *           "norandommap": b, "direct": b, "verify": b, "filename": s, "temporary_file": b},
 *   "elapsed_ns": n,                 // the measured phase (after --ramp_time), to the last completion
 *   "cancelled": b,                  // stopped early by Ctrl-C
 *   "read":  DIRECTION, "write": DIRECTION, "sync": DIRECTION, "total": DIRECTION,   // all jobs together
 *   "jobs": [{"job": n, "elapsed_ns": n, "read": DIRECTION, "write": DIRECTION, "sync": DIRECTION,
 *             "total": DIRECTION}...],      // each job, when --numjobs > 1 without --group_reporting
 *   "cpu": {"user_ns": n, "system_ns": n, "usr_percent": x, "sys_percent": x, "ns_per_io": x},
 *   "engine_stats": {"submitted": n, "completed": n, "failed": n, "batches": n, "batched_requests": n,
 *                    "mean_batch": x, "max_batch": n, "merged": n},
 *   "layout": {"done": b, "elapsed_ns": n, "bytes": n},
 *   "verify": {"enabled": b, "blocks_checked": n, "mismatches": n,
 *              "first_mismatches": [{"phase": "layout|run|verify", "block": n, "offset": n, "reason": s}]},
 *   "error": s|null,
 *   "exit_status": 0|1
 * }
 * DIRECTION = {"ios": n, "bytes": n, "iops": x, "bw_bytes_per_s": x, "bw_mib_per_s": x,
 *              "lat_ns": {"min": n, "mean": x, "p50": n, "p90": n, "p99": n, "p99_9": n, "max": n},
 *              "lat_percentiles_ns": [{"percentile": x, "ns": x}...] | null,  // null without IOs
 *              "lat_bins_ns": [{"ns": n, "count": n}...]}   // json+ only: every non-empty bucket
 * </pre>
 * {@code lat_percentiles_ns} holds the latency at each of {@link LatencyPercentiles#POINTS} (0 is the minimum);
 * {@code io-engine plot} draws from it.
 * Latency is submit-to-completion per request, from HdrHistogram (3 significant digits). CPU time is the whole
 * process's (all JVM threads) during the timed pass; {@code ns_per_io} divides it by the IOs completed.
 * {@code engine_stats} cover the timed pass, except {@code max_batch}, which covers the whole job.
 */
final class BenchReport {
    static final String SCHEMA = "io-engine-bench/1";

    private BenchReport() {
    }

    /** A direction's figures over a pass. */
    private record Direction(long ios, long bytes, double iops, double bytesPerSecond, Histogram latency) {
        static Direction of(long ios, long bytes, long elapsedNanos, Histogram latency) {
            double seconds = elapsedNanos / 1e9;
            return new Direction(ios, bytes, seconds > 0 ? ios / seconds : 0, seconds > 0 ? bytes / seconds : 0,
                    latency);
        }

        double mibPerSecond() {
            return bytesPerSecond / (1 << 20);
        }
    }

    private static Direction read(LoadGenerator.PassResult p) {
        return p == null ? Direction.of(0, 0, 0, new Histogram(3))
                : Direction.of(p.reads(), p.readBytes(), p.elapsedNanos(), p.readLatency());
    }

    private static Direction write(LoadGenerator.PassResult p) {
        return p == null ? Direction.of(0, 0, 0, new Histogram(3))
                : Direction.of(p.writes(), p.writeBytes(), p.elapsedNanos(), p.writeLatency());
    }

    private static Direction sync(LoadGenerator.PassResult p) {
        return p == null ? Direction.of(0, 0, 0, new Histogram(3))
                : Direction.of(p.syncs(), 0, p.elapsedNanos(), p.syncLatency());
    }

    private static Direction total(LoadGenerator.PassResult p) {
        Histogram both = new Histogram(3);
        if (p == null) {
            return Direction.of(0, 0, 0, both);
        }
        both.add(p.readLatency());
        both.add(p.writeLatency());
        return Direction.of(p.ios(), p.readBytes() + p.writeBytes(), p.elapsedNanos(), both);
    }

    // ---- text --------------------------------------------------------------------------------------------------

    /** The fio-like text report. */
    static void printText(BenchResult r, PrintStream out) {
        BenchOptions o = r.options();
        out.printf(Locale.ROOT, "%s: (%s)%n", o.jobName(), jobLine(o));
        out.printf("  engine: %s%s%n", r.engine() == null ? "(none opened)" : r.engine(),
                o.fioEngine() != null ? " (fio's --ioengine=" + o.fioEngine() + ")"
                        : o.engine() == r.engine() ? "" : " (asked for " + o.engine() + ")");
        if (r.file() != null) {
            out.printf("  file: %s%s%n", r.file(), r.temporaryFile() ? " (temporary, removed)" : "");
        }
        if (r.layout() != null) {
            LoadGenerator.PassResult l = r.layout();
            out.printf(Locale.ROOT, "  layout: %s in %.2f s (%.1f MiB/s)%n", Sizes.humanBytes(l.writeBytes()),
                    l.elapsedNanos() / 1e9, mibPerSecond(l.writeBytes(), l.elapsedNanos()));
        }
        LoadGenerator.PassResult t = r.timed();
        if (t != null) {
            if (t.cancelled()) {
                out.println("  (stopped early by an interrupt)");
            }
            if (!o.groupReporting()) {
                for (int j = 0; j < t.jobs().size(); j++) {
                    out.printf("  job %d:%n", j);
                    printPass(out, "    ", o, t.jobs().get(j));
                }
            }
            if (!t.jobs().isEmpty()) {
                out.printf("  all %d jobs:%n", t.jobs().size());
            }
            printPass(out, t.jobs().isEmpty() ? "  " : "    ", o, t);
            CpuTime cpu = r.cpu();
            long ios = t.ios();
            out.printf(Locale.ROOT, "  cpu: usr=%.2f%%, sys=%.2f%%, %.2f usec CPU per IO (process CPU time / IOs)%n",
                    percent(cpu.userNanos(), t.elapsedNanos()), percent(cpu.systemNanos(), t.elapsedNanos()),
                    ios == 0 ? 0.0 : cpu.totalNanos() / 1e3 / ios);
        }
        EngineStats s = r.engineStats();
        if (s != null) {
            out.printf(Locale.ROOT, "  engine stats: %d requests in %d batches (mean batch %.2f, max %d), "
                    + "merged %d, failed %d%n", s.submitted(), s.batches(), s.meanBatchSize(), s.maxBatch(),
                    s.merged(), s.failed());
        }
        if (o.verify()) {
            out.printf("  verify: %d blocks checked, %d mismatches%n", r.blocksVerified(), r.mismatches());
            for (VerifyState.Mismatch m : r.firstMismatches()) {
                out.println("    MISMATCH " + m);
            }
            if (r.mismatches() > r.firstMismatches().size()) {
                out.printf("    ... and %d more%n", r.mismatches() - r.firstMismatches().size());
            }
        }
        if (r.error() != null) {
            out.println("  error: " + r.error());
        }
    }

    /** A pass's (or a job's) directions: read and write when the pattern has them, sync under --fsync. */
    private static void printPass(PrintStream out, String indent, BenchOptions o, LoadGenerator.PassResult t) {
        if (t.reads() > 0 || o.rw().reads()) {
            printDirection(out, indent, "read", read(t), t.elapsedNanos());
        }
        if (t.writes() > 0 || o.rw().writes()) {
            printDirection(out, indent, "write", write(t), t.elapsedNanos());
        }
        if (t.syncs() > 0 || o.fsyncEvery() > 0) {
            Histogram h = t.syncLatency();
            out.printf(Locale.ROOT, "%ssync: %d fsyncs%n", indent, t.syncs());
            printLatency(out, indent, h);
        }
    }

    /** "rw=randread, bs=4 KiB, iodepth=32, numjobs=2, size=1 GiB, runtime=10s, direct=1, verify=0". */
    private static String jobLine(BenchOptions o) {
        StringBuilder line = new StringBuilder("rw=" + o.rw());
        if (o.rw().mixed()) {
            line.append(", rwmixread=").append(o.rwmixread());
        }
        line.append(", bs=").append(Sizes.humanBytes(o.blockSize())).append(", iodepth=").append(o.iodepth());
        if (o.numjobs() > 1) {
            line.append(", numjobs=").append(o.numjobs());
        }
        line.append(", size=").append(Sizes.humanBytes(o.size()));
        if (o.ioSize() > 0) {
            line.append(", io_size=").append(Sizes.humanBytes(o.ioSize()));
        }
        if (o.timeBased() || o.runtimeGiven()) {
            line.append(String.format(Locale.ROOT, ", runtime=%.3gs", o.runtimeNanos() / 1e9));
        }
        if (o.rampNanos() > 0) {
            line.append(String.format(Locale.ROOT, ", ramp_time=%.3gs", o.rampNanos() / 1e9));
        }
        if (o.fsyncEvery() > 0) {
            line.append(", fsync=").append(o.fsyncEvery());
        }
        if (o.rw().random() && !o.randommap()) {
            line.append(", norandommap");
        }
        return line.append(", direct=").append(o.direct() ? 1 : 0).append(", verify=")
                .append(o.verify() ? "crc32c" : "0").toString();
    }

    private static void printDirection(PrintStream out, String indent, String name, Direction d,
            long elapsedNanos) {
        out.printf(Locale.ROOT, "%s%s: IOPS=%s, BW=%.1fMiB/s (%.1fMB/s)(%s/%dmsec)%n", indent, name,
                fioCount(d.iops()), d.mibPerSecond(), d.bytesPerSecond() / 1e6,
                Sizes.humanBytes(d.bytes()).replace(" ", ""), elapsedNanos / 1_000_000);
        printLatency(out, indent, d.latency());
    }

    private static void printLatency(PrintStream out, String indent, Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        out.printf(Locale.ROOT, "%s  lat (usec): min=%.1f, avg=%.1f, p50=%.1f, p90=%.1f, p99=%.1f, p99.9=%.1f, "
                + "max=%.1f%n", indent, h.getMinValue() / 1e3, h.getMean() / 1e3, p(h, 50) / 1e3, p(h, 90) / 1e3,
                p(h, 99) / 1e3, p(h, 99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    /** fio's short counts: 987, 12.3k, 123k, 1.23M. */
    private static String fioCount(double value) {
        if (value < 10_000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value < 1_000_000) {
            return String.format(Locale.ROOT, value < 100_000 ? "%.1fk" : "%.0fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fM", value / 1e6);
    }

    private static long p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    private static double percent(long cpuNanos, long elapsedNanos) {
        return elapsedNanos == 0 ? 0 : 100.0 * cpuNanos / elapsedNanos;
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return nanos == 0 ? 0 : bytes / (nanos / 1e9) / (1 << 20);
    }

    // ---- JSON --------------------------------------------------------------------------------------------------

    /** The JSON report; see the class comment for the schema. */
    static String toJson(BenchResult r) {
        BenchOptions o = r.options();
        JsonWriter json = new JsonWriter().beginObject();
        json.field("schema", SCHEMA);
        json.field("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        json.field("host_cores", Runtime.getRuntime().availableProcessors());
        json.name("job").beginObject()
                .field("name", o.jobName())
                .field("engine_requested", o.engine().id())
                .field("engine", r.engine() == null ? null : r.engine().id())
                .field("rw", o.rw().id())
                .field("ioengine", o.fioEngine())
                .field("rwmixread", o.rwmixread())
                .field("bs", o.blockSize())
                .field("iodepth", o.iodepth())
                .field("numjobs", o.numjobs())
                .field("group_reporting", o.groupReporting())
                .field("size", o.size())
                .field("io_size", o.ioSize())
                .field("time_based", o.timeBased())
                .field("runtime_ns", o.runtimeNanos())
                .field("ramp_time_ns", o.rampNanos())
                .field("fsync", o.fsyncEvery())
                .field("randrepeat", o.randrepeat())
                .field("norandommap", !o.randommap())
                .field("direct", o.direct())
                .field("verify", o.verify())
                .field("filename", r.file() == null ? null : r.file().toString())
                .field("temporary_file", r.temporaryFile())
                .endObject();
        LoadGenerator.PassResult t = r.timed();
        long elapsed = t == null ? 0 : t.elapsedNanos();
        json.field("elapsed_ns", elapsed);
        json.field("cancelled", r.cancelled());
        boolean plus = o.outputFormat() == BenchOptions.OutputFormat.JSON_PLUS;
        writeDirections(json, t, plus);
        json.name("jobs").beginArray();
        if (t != null && !o.groupReporting()) {
            for (int j = 0; j < t.jobs().size(); j++) {
                LoadGenerator.PassResult job = t.jobs().get(j);
                json.beginObject().field("job", j).field("elapsed_ns", job.elapsedNanos());
                writeDirections(json, job, plus);
                json.endObject();
            }
        }
        json.endArray();
        CpuTime cpu = r.cpu();
        long ios = t == null ? 0 : t.ios();
        json.name("cpu").beginObject()
                .field("user_ns", cpu.userNanos())
                .field("system_ns", cpu.systemNanos())
                .field("usr_percent", percent(cpu.userNanos(), elapsed))
                .field("sys_percent", percent(cpu.systemNanos(), elapsed))
                .field("ns_per_io", ios == 0 ? 0.0 : (double) cpu.totalNanos() / ios)
                .endObject();
        EngineStats s = r.engineStats();
        json.name("engine_stats").beginObject()
                .field("submitted", s == null ? 0 : s.submitted())
                .field("completed", s == null ? 0 : s.completed())
                .field("failed", s == null ? 0 : s.failed())
                .field("batches", s == null ? 0 : s.batches())
                .field("batched_requests", s == null ? 0 : s.batchedRequests())
                .field("mean_batch", s == null ? 0.0 : s.meanBatchSize())
                .field("max_batch", s == null ? 0 : s.maxBatch())
                .field("merged", s == null ? 0 : s.merged())
                .endObject();
        LoadGenerator.PassResult l = r.layout();
        json.name("layout").beginObject()
                .field("done", l != null)
                .field("elapsed_ns", l == null ? 0 : l.elapsedNanos())
                .field("bytes", l == null ? 0 : l.writeBytes())
                .endObject();
        json.name("verify").beginObject()
                .field("enabled", o.verify())
                .field("blocks_checked", r.blocksVerified())
                .field("mismatches", r.mismatches());
        json.name("first_mismatches").beginArray();
        for (VerifyState.Mismatch m : r.firstMismatches()) {
            json.beginObject()
                    .field("phase", m.phase())
                    .field("block", m.block())
                    .field("offset", m.offset())
                    .field("reason", m.reason())
                    .endObject();
        }
        json.endArray().endObject();
        json.field("error", r.error());
        json.field("exit_status", r.exitStatus());
        return json.endObject().toString();
    }

    private static void writeDirections(JsonWriter json, LoadGenerator.PassResult p, boolean plus) {
        writeDirection(json, "read", read(p), plus);
        writeDirection(json, "write", write(p), plus);
        writeDirection(json, "sync", sync(p), plus);
        writeDirection(json, "total", total(p), plus);
    }

    private static void writeDirection(JsonWriter json, String name, Direction d, boolean plus) {
        Histogram h = d.latency();
        boolean empty = h.getTotalCount() == 0;
        json.name(name).beginObject()
                .field("ios", d.ios())
                .field("bytes", d.bytes())
                .field("iops", d.iops())
                .field("bw_bytes_per_s", d.bytesPerSecond())
                .field("bw_mib_per_s", d.mibPerSecond());
        json.name("lat_ns").beginObject()
                .field("min", empty ? 0 : h.getMinValue())
                .field("mean", empty ? 0.0 : h.getMean())
                .field("p50", p(h, 50))
                .field("p90", p(h, 90))
                .field("p99", p(h, 99))
                .field("p99_9", p(h, 99.9))
                .field("max", empty ? 0 : h.getMaxValue())
                .endObject();
        json.name("lat_percentiles_ns");
        LatencyPercentiles.write(json, LatencyPercentiles.of(h, null));
        if (plus) {
            // fio's json+ adds every latency bucket; these are HdrHistogram's (3 significant digits).
            json.name("lat_bins_ns").beginArray();
            for (HistogramIterationValue v : h.recordedValues()) {
                json.beginObject().field("ns", h.highestEquivalentValue(v.getValueIteratedTo()))
                        .field("count", v.getCountAtValueIteratedTo()).endObject();
            }
            json.endArray();
        }
        json.endObject();
    }
}
