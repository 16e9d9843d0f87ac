package dev.ioengine.cli;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.spi.FileSystemProvider;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code io-engine bench --compare[=ROUNDS]}: the same job on every available io-engine engine, on java.nio
 * channels and on fio's {@code io_uring} and {@code libaio} engines (when {@code fio} is on the PATH), on one shared
 * file, ROUNDS times with the order reversed every other round (so drift in the machine does not favour whoever
 * runs first). Prints the mean of each contender's rounds and its IOPS as a ratio to fio io_uring (else fio libaio,
 * else the first contender) and as a ratio to the JDK's AsynchronousFileChannel ({@code jdk-async}).
 *
 * <p>The contenders ({@code --contenders=ID,...} chooses some, in its order; default every available one):
 * {@code io_uring}, {@code aio}, {@code threads}: io-engine's engine API ({@link BenchJob}); {@code jdk-async}: the
 * JDK's {@link AsynchronousFileChannel} on its default thread pool, {@code iodepth} operations in flight;
 * {@code jdk-filechannel}: the JDK's {@link FileChannel}, positional IO from {@code iodepth} platform threads;
 * {@code io-engine-async}, {@code io-engine-filechannel}: the same two drivers ({@link ChannelLoad}) on io-engine's
 * channels opened through an {@link IoEngineFileSystemProvider} wrapping the JDK's default provider (under
 * {@code ioengine.fileChannels=engine}, so buffered file channels too are io-engine's), engine auto (or the
 * engine named as in {@code io-engine-async:aio}; these are run only when asked for);
 * {@code jdk-filechannel-vthreads}, {@code io-engine-filechannel-vthreads} (by default only with
 * {@code --vthreads=N}): positional IO on one shared FileChannel from N virtual threads, with the peak number of
 * busy carrier threads ({@link CarrierSampler});
 * {@code fio-io_uring}, {@code fio-libaio}. Channels are opened READ, plus WRITE when the job writes (plus
 * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} under {@code --direct}). Before the rounds a regular file is laid
 * out to {@code --size} if it is new or shorter (random bytes, 1 MiB writes), so that no contender pays for it; a
 * block device never is ({@link BenchTarget}). When fio is wanted but not on the PATH its rows say so
 * ("not run: ...") and the run goes on without them.
 *
 * <p><b>Fairness</b>: every contender that runs in Java runs each round in a fresh JVM of its own
 * ({@link ChildJvm}, the hidden command {@value #CHILD_COMMAND}, {@link #runChild}), which warms it up untimed and
 * prints its {@link Run} as JSON: no earlier contender's engines, threads, compiled code or garbage are alive while
 * it is measured, and its CPU time is its own. The parent only lays out the file, starts the children and fio (each
 * writing into files, stopped when it overruns its time by the grace period), and prints the table.
 *
 * <p>fio is run as {@code fio --name=io-engine-compare --ioengine=E --direct=0|1 --rw=... --bs=N --iodepth=N
 * --size=N --runtime=Nms --time_based --filename=F --output-format=json --lat_percentiles=1
 * --percentile_list=... --randrepeat=0|1} (plus {@code --ramp_time}, {@code --norandommap}, and {@code --readonly}
 * for a read job) and its JSON read with {@link JsonReader}, every field it needs required. Latency is submit-to-completion on both sides
 * (fio's {@code lat_ns}); p99, and each point of the percentile list, is the larger of the read and the write
 * figure for mixed jobs; CPU per IO is process CPU time (fio: the job's usr+sys) over IOs.
 *
 * <p>Output: a text table (default), Markdown ({@code --output-format=markdown}) or JSON; {@code --plot=FILE.svg}
 * also draws it ({@link Plot}, from the JSON). JSON ({@code --output-format=json}), schema
 * {@code io-engine-compare/1} (later fields were added without changing the name; readers ignore what they do
 * not know):
 * <pre>
 * {"schema": "io-engine-compare/1", "date": s, "host_cores": n, "rounds": n, "baseline": s|null,
 *  "job": {"rw": s, "rwmixread": n, "bs": n, "iodepth": n, "size": n, "runtime_ns": n, "direct": b,
 *          "vthreads": n},                    // vthreads: 0 unless a vthreads contender ran
 *  "jdk_async_baseline": s|null,
 *  "contenders": [{"id": s, "name": s, "tool": "io-engine"|"jdk"|"io-engine-provider"|"fio", "engine": s,
 *                  "iops_ratio": x|null, "iops_ratio_jdk_async": x|null, "mean": RUN, "runs": [RUN...]}],
 *  "skipped": [{"name": s, "reason": s}]}      // contenders that could not run here (fio not installed)
 * RUN = {"iops": x, "mib_per_s": x, "lat_mean_ns": x, "lat_p99_ns": x, "cpu_ns_per_io": x, "error": s|null,
 *        "lat_percentiles_ns": [{"percentile": x, "ns": x}...]|null,   // at LatencyPercentiles.POINTS
 *        "carriers_peak": n|null, "carriers_live_peak": n|null}       // vthreads contenders only
 * </pre>
 * {@code date} is ISO-8601 UTC; in {@code mean}, percentiles are averaged over the rounds and carriers are the
 * largest of the rounds' peaks. Exit status 1 if any run failed (or the plot could not be written).
 */
final class Compare {
    static final String SCHEMA = "io-engine-compare/1";
    private static final String[] FIO_ENGINES = {"io_uring", "libaio"};
    static final String JDK_ASYNC = "jdk-async";
    static final String JDK_VTHREADS = "jdk-filechannel-vthreads";
    static final String IO_ENGINE_VTHREADS = "io-engine-filechannel-vthreads";
    /** The ids {@code --contenders} takes, in the default order. */
    static final List<String> CONTENDER_IDS = List.of("io_uring", "aio", "threads", JDK_ASYNC, "jdk-filechannel",
            "io-engine-async", "io-engine-filechannel", JDK_VTHREADS, IO_ENGINE_VTHREADS, "fio-io_uring",
            "fio-libaio");
    /** The provider contenders, with the driver of each (also named {@code ID:ENGINE}). */
    private static final Map<String, Driver> PROVIDER_IDS = Map.of("io-engine-async", Driver.PROVIDER_ASYNC,
            "io-engine-filechannel", Driver.PROVIDER_FILECHANNEL, IO_ENGINE_VTHREADS,
            Driver.PROVIDER_FILECHANNEL_VTHREADS);
    private static final long LAYOUT_CHUNK = 1 << 20;
    /** One provider per engine kind for the process: a provider's engine lives as long as the provider. */
    private static final Map<EngineKind, IoEngineFileSystemProvider> PROVIDERS = new EnumMap<>(EngineKind.class);

    /**
     * One run's figures, or its error.
     *
     * @param latencyPercentiles the latency in nanoseconds at each of {@link LatencyPercentiles#POINTS}, or null
     * @param carriers the most virtual-thread carriers busy at once ({@link CarrierSampler}), or -1 when the
     *     contender does not run on virtual threads
     * @param liveCarriers the most carrier threads alive at once (idle ones included), or -1
     * @param threadsWithIo the virtual threads that completed at least one operation during the pass (fewer
     *     than {@code --vthreads} when some never got a carrier), or -1
     */
    record Run(double iops, double mibPerSecond, double meanLatencyNanos, double p99LatencyNanos,
            double cpuNanosPerIo, String error, double[] latencyPercentiles, int carriers, int liveCarriers,
            long threadsWithIo) {
        /** Without percentiles or carriers. */
        Run(double iops, double mibPerSecond, double meanLatencyNanos, double p99LatencyNanos, double cpuNanosPerIo,
                String error) {
            this(iops, mibPerSecond, meanLatencyNanos, p99LatencyNanos, cpuNanosPerIo, error, null, -1, -1, -1);
        }

        static Run failed(String error) {
            return new Run(0, 0, 0, 0, 0, error);
        }

        Run withVirtualThreads(int busy, int live, long withIo) {
            return new Run(iops, mibPerSecond, meanLatencyNanos, p99LatencyNanos, cpuNanosPerIo, error,
                    latencyPercentiles, busy, live, withIo);
        }
    }

    /** A contender that could not run here, with the reason (fio not on the PATH), shown as a row. */
    record Skipped(String name, String reason) {
    }

    /** How a contender runs the job. */
    enum Driver {
        /** io-engine's engine API, through {@link BenchJob}. */
        ENGINE("io-engine"),
        /** The JDK's AsynchronousFileChannel. */
        JDK_ASYNC("jdk"),
        /** The JDK's FileChannel from platform threads. */
        JDK_FILECHANNEL("jdk"),
        /** AsynchronousFileChannel through io-engine's provider. */
        PROVIDER_ASYNC("io-engine-provider"),
        /** FileChannel through io-engine's provider. */
        PROVIDER_FILECHANNEL("io-engine-provider"),
        /** The JDK's FileChannel from {@code --vthreads} virtual threads. */
        JDK_FILECHANNEL_VTHREADS("jdk"),
        /** FileChannel through io-engine's provider from {@code --vthreads} virtual threads. */
        PROVIDER_FILECHANNEL_VTHREADS("io-engine-provider"),
        /** fio. */
        FIO("fio");

        private final String tool;

        Driver(String tool) {
            this.tool = tool;
        }

        boolean async() {
            return this == JDK_ASYNC || this == PROVIDER_ASYNC;
        }

        boolean throughProvider() {
            return this == PROVIDER_ASYNC || this == PROVIDER_FILECHANNEL
                    || this == PROVIDER_FILECHANNEL_VTHREADS;
        }

        boolean virtualThreads() {
            return this == JDK_FILECHANNEL_VTHREADS || this == PROVIDER_FILECHANNEL_VTHREADS;
        }
    }

    /**
     * One contender.
     *
     * @param id its {@code --contenders} id
     * @param name its name in the table
     * @param engine the io-engine engine (the provider's for the provider drivers), or null
     * @param fioEngine fio's {@code --ioengine}, or null
     * @param driver how it runs
     */
    record Contender(String id, String name, EngineKind engine, String fioEngine, Driver driver) {
        /** io-engine on {@code engine}, or fio with {@code fioEngine}. */
        Contender(String name, EngineKind engine, String fioEngine) {
            this(engine != null ? engine.id() : "fio-" + fioEngine, name, engine, fioEngine,
                    engine != null ? Driver.ENGINE : Driver.FIO);
        }

        String tool() {
            return driver.tool;
        }

        String engineName() {
            return fioEngine != null ? fioEngine : engine != null ? engine.id() : "jdk";
        }
    }

    /** The most a contender's untimed warm-up pass runs without {@code --ramp_time} (see {@link #runChild}). */
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long a child JVM or fio may take beyond its warm-up and runtime before it is stopped. */
    static final long DEFAULT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private final BenchOptions options;
    private final BenchTarget target;
    private final PrintStream err;
    private final String fioExecutable;
    private long graceNanos = DEFAULT_GRACE_NANOS;
    private volatile boolean cancelled;
    private volatile BenchJob currentJob;
    private volatile Process currentProcess;
    private volatile ChannelLoad currentLoad;
    private final TemporaryBenchFile temporaryFile = new TemporaryBenchFile();

    Compare(BenchOptions options, BenchTarget target, PrintStream err) {
        this(options, target, err, "fio");
    }

    /** With another fio executable (tests: one that is not there, or one that hangs). */
    Compare(BenchOptions options, BenchTarget target, PrintStream err, String fioExecutable) {
        this.options = target == null ? options : target.adjust(options);
        this.target = target;
        this.err = err;
        this.fioExecutable = fioExecutable;
    }

    /** How long a child JVM or fio may overrun its time before it is stopped (tests shorten it). */
    Compare graceNanos(long nanos) {
        this.graceNanos = nanos;
        return this;
    }

    /** Stops the comparison (Ctrl-C): the current run stops early and no other starts. */
    void cancel() {
        cancelled = true;
        BenchJob job = currentJob;
        if (job != null) {
            job.cancel();
        }
        Process process = currentProcess;
        if (process != null) {
            process.destroy();
        }
        ChannelLoad load = currentLoad;
        if (load != null) {
            load.cancel();
        }
    }

    /** Removes the temporary file if it still exists (the Ctrl-C hook calls this as a last resort). */
    void deleteTemporaryFile() {
        temporaryFile.delete();
    }

    /**
     * Every contender on this machine: available engines, the channels, then fio's when fio runs; the
     * virtual-thread contenders are left out.
     */
    static List<Contender> contenders(boolean fioPresent) {
        return contenders(fioPresent, false);
    }

    /** As {@link #contenders(boolean)}, with the virtual-thread contenders after the other channels if asked. */
    static List<Contender> contenders(boolean fioPresent, boolean virtualThreads) {
        List<Contender> list = new ArrayList<>();
        for (EngineKind kind : new EngineKind[] {EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS}) {
            if (EngineAvailability.probe(kind).available()) {
                list.add(new Contender("io-engine " + kind.id(), kind, null));
            }
        }
        list.add(new Contender(JDK_ASYNC, JDK_ASYNC, null, null, Driver.JDK_ASYNC));
        list.add(new Contender("jdk-filechannel", "jdk-filechannel", null, null, Driver.JDK_FILECHANNEL));
        list.add(new Contender("io-engine-async", "io-engine-async", EngineKind.AUTO, null, Driver.PROVIDER_ASYNC));
        list.add(new Contender("io-engine-filechannel", "io-engine-filechannel", EngineKind.AUTO, null,
                Driver.PROVIDER_FILECHANNEL));
        if (virtualThreads) {
            list.add(new Contender(JDK_VTHREADS, JDK_VTHREADS, null, null, Driver.JDK_FILECHANNEL_VTHREADS));
            list.add(new Contender(IO_ENGINE_VTHREADS, IO_ENGINE_VTHREADS, EngineKind.AUTO, null,
                    Driver.PROVIDER_FILECHANNEL_VTHREADS));
        }
        if (fioPresent) {
            for (String e : FIO_ENGINES) {
                list.add(new Contender("fio " + e, null, e));
            }
        }
        return list;
    }

    /**
     * True for an id {@code --contenders} takes: one of {@link #CONTENDER_IDS}, or {@code io-engine-async:ENGINE} /
     * {@code io-engine-filechannel:ENGINE} with an engine id (io-engine's channels on that engine).
     */
    static boolean isContenderId(String id) {
        return CONTENDER_IDS.contains(id) || providerContender(id) != null;
    }

    /**
     * The provider contender {@code io-engine-async:ENGINE}, {@code io-engine-filechannel:ENGINE} or
     * {@code io-engine-filechannel-vthreads:ENGINE}, or null.
     */
    private static Contender providerContender(String id) {
        int colon = id.indexOf(':');
        if (colon < 0 || !PROVIDER_IDS.containsKey(id.substring(0, colon))) {
            return null;
        }
        EngineKind kind;
        try {
            kind = EngineKind.parse(id.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String canonical = id.substring(0, colon) + ":" + kind.id();
        return new Contender(canonical, canonical, kind, null, PROVIDER_IDS.get(id.substring(0, colon)));
    }

    /**
     * The contenders {@code wanted} names (ids, in its order), of those available; all available if empty. A
     * provider contender on a named engine is available when that engine is.
     */
    static List<Contender> select(List<Contender> available, List<String> wanted) {
        if (wanted.isEmpty()) {
            return available;
        }
        List<Contender> list = new ArrayList<>();
        for (String id : wanted) {
            Contender onEngine = providerContender(id);
            if (onEngine != null) {
                if (onEngine.engine() == EngineKind.AUTO
                        || EngineAvailability.probe(onEngine.engine()).available()) {
                    list.add(onEngine);
                }
                continue;
            }
            available.stream().filter(c -> c.id().equals(id)).findFirst().ifPresent(list::add);
        }
        return list;
    }

    /** Runs the comparison and prints the table; returns the exit status. */
    int run(PrintStream out) throws InterruptedException {
        List<String> wanted = options.contenders();
        boolean wantsFio = wanted.isEmpty() || wanted.stream().anyMatch(id -> id.startsWith("fio-"));
        boolean fio = wantsFio && fioPresent();
        List<Skipped> skipped = new ArrayList<>();
        if (wantsFio && !fio) {
            err.println("io-engine bench --compare: fio is not on the PATH; leaving out fio");
            for (String e : FIO_ENGINES) {
                if (wanted.isEmpty() || wanted.contains("fio-" + e)) {
                    skipped.add(new Skipped("fio " + e, "fio is not on the PATH (install fio for the reference "
                            + "rows)"));
                }
            }
        }
        List<Contender> available = contenders(fio, options.vthreads() > 0 || !wanted.isEmpty());
        List<Contender> contenders = select(available, wanted);
        for (String id : wanted) {
            if (select(available, List.of(id)).isEmpty() && !id.startsWith("fio-")) {
                err.println("io-engine bench --compare: contender " + id + " is not available here; leaving it out");
            }
        }
        if (contenders.isEmpty()) {
            err.println("io-engine bench --compare: no contender to run");
            return 1;
        }
        List<List<Run>> runs = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            runs.add(new ArrayList<>());
        }
        Path file = options.filename();
        try {
            if (target.kind() == BenchTarget.Kind.TEMPORARY) {
                file = temporaryFile.create(target.path());
            }
            if (target.layoutNeeded(options)) {
                layOut(file, options.size());
            }
            for (int round = 0; round < options.compareRounds() && !cancelled; round++) {
                for (int k = 0; k < contenders.size() && !cancelled; k++) {
                    int i = round % 2 == 0 ? k : contenders.size() - 1 - k;
                    Contender c = contenders.get(i);
                    err.printf("io-engine bench --compare: round %d/%d: %s%n", round + 1, options.compareRounds(),
                            c.name());
                    Run run = c.driver() == Driver.FIO ? runFio(c.fioEngine(), file, options)
                            : runInChildJvm(c, file, options);
                    if (!cancelled) {
                        runs.get(i).add(run);
                    }
                }
            }
        } catch (IOException e) {
            err.println("io-engine bench --compare: " + FailureMessage.of(e));
            return 1;
        } finally {
            deleteTemporaryFile();
        }
        if (cancelled) {
            err.println("io-engine bench --compare: interrupted; the table has the rounds that finished");
        }
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        switch (options.outputFormat()) {
            case JSON, JSON_PLUS -> out.println(toJson(contenders, runs, skipped, date));
            case MARKDOWN -> printMarkdown(out, contenders, runs, skipped, date);
            case NORMAL -> printTable(out, contenders, runs, skipped);
        }
        out.flush();
        boolean plotted = true;
        if (options.plotFile() != null) {
            try {
                Plot.write(JsonReader.parse(toJson(contenders, runs, skipped, date)), options.plotFile(), err);
            } catch (IOException e) {
                err.println("io-engine bench --compare: cannot write the plot: " + FailureMessage.of(e));
                plotted = false;
            }
        }
        boolean anyFailed = runs.stream().flatMap(List::stream).anyMatch(r -> r.error() != null);
        return anyFailed || !plotted ? 1 : 0;
    }

    /**
     * Runs contender {@code c} in a fresh JVM ({@link ChildJvm}: {@code io-engine compare-run --contender=ID
     * JOB...}, read back from its JSON), so that no other contender's engines, threads or garbage are alive while
     * it is measured. Null if the comparison was cancelled meanwhile.
     */
    private Run runInChildJvm(Contender c, Path file, BenchOptions job) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(CHILD_COMMAND, "--contender=" + c.id()));
        args.addAll(job.compareRunArgs(file));
        long limit = warmUpNanos(job) + job.runtimeNanos() + graceNanos;
        ProcessResult r = runProcess(ChildJvm.command(args), limit, "the child JVM");
        if (r == null) {
            return null;
        }
        if (r.failure() != null) {
            return Run.failed(r.failure());
        }
        try {
            return readRun(JsonReader.parse(r.stdout().strip()), "the child JVM's result");
        } catch (IllegalArgumentException e) {
            return Run.failed("the child JVM exited with status " + r.status() + (r.lastErrorLine().isEmpty()
                    ? " and no result" : ": " + r.lastErrorLine()));
        }
    }

    /** The hidden command a child JVM runs: {@code io-engine compare-run --contender=ID [bench options]}. */
    static final String CHILD_COMMAND = "compare-run";

    /** How long a contender warms up untimed in its JVM: {@code --ramp_time}, else up to 2 s. */
    private static long warmUpNanos(BenchOptions job) {
        return job.rampNanos() > 0 ? job.rampNanos() : Math.min(WARM_UP_NANOS, job.runtimeNanos());
    }

    /**
     * {@code io-engine compare-run --contender=ID [bench options]}, in a child JVM: warms the contender up untimed
     * ({@code --ramp_time}, else up to 2 s: the measured pass compares compiled code, not the JIT compiler's
     * first pass), runs the measured pass, and prints its {@link Run} as JSON on stdout. Exit status 0 when the
     * run was done (its error, if any, is in the JSON), 2 for bad arguments.
     */
    static int runChild(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        String id = null;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--contender=")) {
                id = a.substring("--contender=".length());
            } else {
                rest.add(a);
            }
        }
        BenchOptions options;
        BenchTarget target;
        try {
            options = BenchOptions.parse(rest);
            target = BenchTarget.inspect(options);
        } catch (UsageException | BenchTarget.TargetException e) {
            err.println("io-engine " + CHILD_COMMAND + ": " + e.getMessage());
            return UsageException.EXIT_STATUS;
        }
        Contender contender = id == null ? null : childContender(id);
        if (contender == null) {
            err.println("io-engine " + CHILD_COMMAND + ": needs --contender=ID of an in-JVM contender, not " + id);
            return UsageException.EXIT_STATUS;
        }
        Compare warm = new Compare(options.forWarmUp(warmUpNanos(options)), target, err);
        Compare measured = new Compare(options.forWarmUp(options.runtimeNanos()), target, err);
        return Main.withInterruptHook("io-engine-compare-run-interrupt", () -> {
            warm.cancel();
            measured.cancel();
        }, () -> { }, () -> {
            warm.runHere(contender, options.filename());
            Run run = measured.runHere(contender, options.filename());
            JsonWriter json = new JsonWriter();
            writeRun(json, run);
            out.println(json);
            return 0;
        });
    }

    /** The in-JVM contender {@code id} names, or null. */
    private static Contender childContender(String id) {
        Contender onEngine = providerContender(id);
        if (onEngine != null) {
            return onEngine;
        }
        return contenders(false, true).stream().filter(c -> c.id().equals(id) && c.driver() != Driver.FIO)
                .findFirst().orElse(null);
    }

    /** Runs {@code c} in this JVM. */
    private Run runHere(Contender c, Path file) throws InterruptedException {
        return c.driver() == Driver.ENGINE ? runEngine(c.engine(), file) : runChannel(c, file);
    }

    private Run runEngine(EngineKind kind, Path file) throws InterruptedException {
        BenchOptions run = options.forCompareRun(kind, file, options.size());
        BenchJob job = new BenchJob(run, target);
        currentJob = job;
        if (cancelled) {
            job.cancel();
        }
        try {
            BenchResult r = job.run(null);
            if (r.error() != null) {
                return Run.failed(r.error());
            }
            return toRun(r.timed(), r.cpu());
        } finally {
            currentJob = null;
        }
    }

    /** What a child process did: its output, or why it gave none. */
    private record ProcessResult(int status, String stdout, String lastErrorLine, String failure) {
    }

    /**
     * Runs {@code command} with its output in temporary files (so that a process that hangs cannot hang the tool
     * on a pipe), waits at most {@code limitNanos}, and stops it after that. Null if the comparison was cancelled
     * meanwhile (the process is stopped).
     */
    private ProcessResult runProcess(List<String> command, long limitNanos, String what) throws InterruptedException {
        Path stdout = null;
        Path stderr = null;
        Process p = null;
        try {
            stdout = Files.createTempFile("io-engine-compare-", ".out");
            stderr = Files.createTempFile("io-engine-compare-", ".err");
            p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            currentProcess = p;
            if (cancelled) {
                p.destroy();
            }
            boolean finished = p.waitFor(limitNanos, TimeUnit.NANOSECONDS);
            if (cancelled) {
                stop(p);
                return null;
            }
            if (!finished) {
                stop(p);
                return new ProcessResult(-1, "", "", what + " did not finish within "
                        + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s; stopped it");
            }
            String lastError = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
            return new ProcessResult(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), lastError,
                    null);
        } catch (IOException e) {
            return new ProcessResult(-1, "", "", "cannot run " + what + ": " + FailureMessage.of(e));
        } finally {
            currentProcess = null;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Asks {@code p} to stop (SIGTERM: its own Ctrl-C handling runs), then kills it if it does not. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file of ours; nothing else to do.
            }
        }
    }

    /** A run's figures from its timed pass and the process CPU time it took. */
    static Run toRun(LoadGenerator.PassResult t, CpuTime cpu) {
        double[] percentiles = LatencyPercentiles.of(t.readLatency(), t.writeLatency());
        double seconds = t.elapsedNanos() / 1e9;
        long ios = t.ios();
        double p99 = Math.max(p99(t.readLatency().getTotalCount(), t.readLatency()),
                p99(t.writeLatency().getTotalCount(), t.writeLatency()));
        double sum = t.readLatency().getMean() * t.reads() + t.writeLatency().getMean() * t.writes();
        return new Run(ios / seconds, (t.readBytes() + t.writeBytes()) / seconds / (1 << 20),
                ios == 0 ? 0 : sum / ios, p99, ios == 0 ? 0 : (double) cpu.totalNanos() / ios, null, percentiles,
                -1, -1, -1);
    }

    /**
     * Writes random bytes up to {@code size} (the file is new, temporary or shorter), so that no contender lays it
     * out. {@link BenchTarget} never asks this of a block device.
     */
    private void layOut(Path file, long size) throws IOException {
        err.println("io-engine bench --compare: laying out " + Sizes.humanBytes(size) + " in " + file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(LAYOUT_CHUNK, size));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (chunk.remaining() >= Long.BYTES) {
                chunk.putLong(random.nextLong());
            }
            for (long at = 0; at < size && !cancelled; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), size - at));
                while (chunk.hasRemaining()) {
                    at += channel.write(chunk, at);
                }
            }
        }
    }

    /** READ, plus WRITE when the job writes (a read job never opens the file for writing), plus DIRECT. */
    private Set<OpenOption> openOptions() {
        Set<OpenOption> set = new HashSet<>(Set.of(StandardOpenOption.READ));
        if (options.rw().writes()) {
            set.add(StandardOpenOption.WRITE);
        }
        if (options.direct()) {
            set.add(directOption());
        }
        return set;
    }

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: the package is in module
     * {@code jdk.unsupported}, which this module does not read.
     */
    private static OpenOption directOption() {
        try {
            for (Object constant : Class.forName("com.sun.nio.file.ExtendedOpenOption").getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("DIRECT")) {
                    return (OpenOption) constant;
                }
            }
        } catch (ClassNotFoundException e) {
            // Reported below.
        }
        throw new IllegalStateException("com.sun.nio.file.ExtendedOpenOption.DIRECT is not available in this JDK "
                + "(module jdk.unsupported): --direct needs it for the channel contenders");
    }

    /** Runs a channel contender: the JDK's channels, or io-engine's through its provider. */
    private Run runChannel(Contender c, Path file) throws InterruptedException {
        ChannelLoad load = new ChannelLoad(options);
        CarrierSampler carriers = c.driver().virtualThreads() ? new CarrierSampler() : null;
        currentLoad = load;
        if (cancelled) {
            load.cancel();
        }
        try {
            FileSystemProvider provider = c.driver().throughProvider()
                    ? ioEngineProvider(c.engine(), file) : FileSystems.getDefault().provider();
            Path path = provider.getPath(file.toAbsolutePath().toUri());
            LoadGenerator.PassResult t;
            CpuTime cpuBefore;
            CpuTime cpu;
            if (c.driver().async()) {
                try (AsynchronousFileChannel channel = openAsync(provider, path)) {
                    cpuBefore = CpuTime.now();
                    t = load.runAsync(channel);
                    cpu = CpuTime.now().minus(cpuBefore);
                }
            } else if (carriers != null) {
                try (FileChannel channel = provider.newFileChannel(path, openOptions())) {
                    cpuBefore = CpuTime.now();
                    t = load.runVirtual(channel, options.virtualThreads(), carriers);
                    cpu = CpuTime.now().minus(cpuBefore);
                }
            } else {
                try (FileChannel channel = provider.newFileChannel(path, openOptions())) {
                    cpuBefore = CpuTime.now();
                    t = load.runPositional(channel);
                    cpu = CpuTime.now().minus(cpuBefore);
                }
            }
            if (t.failure() != null) {
                return Run.failed("run pass failed: " + describe(t.failure()));
            }
            Run run = toRun(t, cpu);
            return carriers == null ? run
                    : run.withVirtualThreads(carriers.busyPeak(), carriers.livePeak(), load.threadsThatDidIo());
        } catch (IOException | RuntimeException e) {
            return Run.failed(describe(e));
        } finally {
            currentLoad = null;
        }
    }

    /** An AsynchronousFileChannel with the default executor. */
    private AsynchronousFileChannel openAsync(FileSystemProvider provider, Path path) throws IOException {
        return provider.newAsynchronousFileChannel(path, openOptions(), null);
    }

    private String describe(Throwable t) {
        String message = FailureMessage.of(t);
        if (options.direct() && message.contains("Invalid argument")) {
            message += " (O_DIRECT needs --bs aligned to the device's logical block size and a file system that "
                    + "supports it)";
        }
        return message;
    }

    /**
     * The io-engine provider for {@code kind}, made on first use: {@code ioengine.engine} is set to {@code kind} and
     * {@code ioengine.fileChannels} to {@code engine} (its file channels are io-engine's whatever the job's options;
     * as shipped, the drop-in gives buffered blocking channels the JDK's own) just around its first channel open,
     * which opens its engine and reads both, then put back, as the TCK's provider does.
     */
    private static synchronized IoEngineFileSystemProvider ioEngineProvider(EngineKind kind, Path file)
            throws IOException {
        IoEngineFileSystemProvider provider = PROVIDERS.get(kind);
        if (provider != null) {
            return provider;
        }
        provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        String previousEngine = System.setProperty("ioengine.engine", kind.id());
        String previousFileChannels = System.setProperty("ioengine.fileChannels", "engine");
        try (FileChannel first = provider.newFileChannel(provider.getPath(file.toAbsolutePath().toUri()),
                Set.of(StandardOpenOption.READ))) {
            first.size();
        } finally {
            restoreProperty("ioengine.engine", previousEngine);
            restoreProperty("ioengine.fileChannels", previousFileChannels);
        }
        PROVIDERS.put(kind, provider);
        return provider;
    }

    private static void restoreProperty(String name, String previous) {
        if (previous == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, previous);
        }
    }

    private static double p99(long count, org.HdrHistogram.Histogram h) {
        return count == 0 ? 0 : h.getValueAtPercentile(99);
    }

    /** The fio command line for this job (time based, as every contender runs). */
    List<String> fioCommand(String fioEngine, Path file) {
        return fioCommand(fioEngine, file, options);
    }

    private List<String> fioCommand(String fioEngine, Path file, BenchOptions job) {
        List<String> cmd = new ArrayList<>(List.of(fioExecutable, "--name=io-engine-compare", "--ioengine=" + fioEngine,
                "--direct=" + (job.direct() ? 1 : 0), "--rw=" + job.rw().id(),
                "--bs=" + job.blockSize(), "--iodepth=" + job.iodepth(), "--size=" + job.size(),
                "--runtime=" + Math.max(1, job.runtimeNanos() / 1_000_000) + "ms", "--time_based",
                "--filename=" + file.toString().replace(":", "\\:"), "--output-format=json",
                "--lat_percentiles=1", "--percentile_list=" + LatencyPercentiles.fioPercentileList(),
                "--randrepeat=" + (job.randrepeat() ? 1 : 0)));
        if (job.rw().mixed()) {
            cmd.add("--rwmixread=" + job.rwmixread());
        }
        if (job.rampNanos() > 0) {
            cmd.add("--ramp_time=" + Math.max(1, job.rampNanos() / 1_000_000) + "ms");
        }
        if (job.fsyncEvery() > 0) {
            cmd.add("--fsync=" + job.fsyncEvery());
        }
        if (!job.randommap()) {
            cmd.add("--norandommap");
        }
        if (!job.rw().writes()) {
            // fio's own guard: a read job must not write, whatever fio would otherwise decide (layout).
            cmd.add("--readonly");
        }
        return cmd;
    }

    /**
     * Runs fio on the job, its output in a file, stopped when it overruns its time by the grace period. Null if
     * the comparison was cancelled meanwhile.
     */
    private Run runFio(String fioEngine, Path file, BenchOptions job) throws InterruptedException {
        long limit = job.rampNanos() + job.runtimeNanos() + graceNanos;
        ProcessResult r = runProcess(fioCommand(fioEngine, file, job), limit, "fio");
        if (r == null) {
            return null;
        }
        if (r.failure() != null) {
            return Run.failed(r.failure());
        }
        String output = r.stdout();
        if (r.status() != 0 || output.indexOf('{') < 0) {
            String why = output.lines().filter(l -> l.startsWith("fio")).findFirst()
                    .orElse(r.lastErrorLine().isEmpty() ? output.strip() : r.lastErrorLine());
            return Run.failed("fio exited with status " + r.status() + (why.isEmpty() ? "" : ": " + why));
        }
        try {
            return parseFio(output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1));
        } catch (IllegalArgumentException e) {
            return Run.failed("cannot read fio's output: " + e.getMessage());
        }
    }

    /**
     * Reads the figures of fio's first job from its JSON output.
     *
     * @throws IllegalArgumentException naming the first field that is missing (a fio this tool does not know)
     */
    static Run parseFio(String json) {
        Object root = JsonReader.parse(json);
        String what = "fio's JSON";
        double readIos = JsonReader.requiredNumber(root, what, "jobs", 0, "read", "total_ios");
        double writeIos = JsonReader.requiredNumber(root, what, "jobs", 0, "write", "total_ios");
        double ios = readIos + writeIos;
        double readMean = JsonReader.requiredNumber(root, what, "jobs", 0, "read", "lat_ns", "mean");
        double writeMean = JsonReader.requiredNumber(root, what, "jobs", 0, "write", "lat_ns", "mean");
        double mean = ios == 0 ? 0 : (readMean * readIos + writeMean * writeIos) / ios;
        double p99 = Math.max(fioP99(root, "read", readIos), fioP99(root, "write", writeIos));
        double runtimeNanos = JsonReader.requiredNumber(root, what, "jobs", 0, "job_runtime") * 1e6;
        double cpuNanos = (JsonReader.requiredNumber(root, what, "jobs", 0, "usr_cpu")
                + JsonReader.requiredNumber(root, what, "jobs", 0, "sys_cpu")) / 100 * runtimeNanos;
        double[] percentiles = LatencyPercentiles.max(
                LatencyPercentiles.fromFio(JsonReader.object(JsonReader.required(root, what, "jobs", 0, "read",
                        "lat_ns")), readIos),
                LatencyPercentiles.fromFio(JsonReader.object(JsonReader.required(root, what, "jobs", 0, "write",
                        "lat_ns")), writeIos));
        double iops = JsonReader.requiredNumber(root, what, "jobs", 0, "read", "iops")
                + JsonReader.requiredNumber(root, what, "jobs", 0, "write", "iops");
        double bytesPerSecond = JsonReader.requiredNumber(root, what, "jobs", 0, "read", "bw_bytes")
                + JsonReader.requiredNumber(root, what, "jobs", 0, "write", "bw_bytes");
        return new Run(iops, bytesPerSecond / (1 << 20), mean, p99, ios == 0 ? 0 : cpuNanos / ios, null,
                percentiles, -1, -1, -1);
    }

    /** A direction's p99 from fio's JSON; required when that direction did IO. */
    private static double fioP99(Object root, String direction, double ios) {
        return ios == 0 ? 0 : JsonReader.requiredNumber(root, "fio's JSON", "jobs", 0, direction, "lat_ns",
                "percentile", "99.000000");
    }

    private boolean fioPresent() {
        try {
            Process p = new ProcessBuilder(fioExecutable, "--version").redirectErrorStream(true)
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

    /**
     * The mean of the successful runs, or the first error if none succeeded. Percentiles are averaged point by
     * point over the runs that have them; carriers are the largest of the runs' peaks.
     */
    static Run mean(List<Run> runs) {
        List<Run> ok = runs.stream().filter(r -> r.error() == null).toList();
        if (ok.isEmpty()) {
            return runs.isEmpty() ? Run.failed("not run") : runs.getFirst();
        }
        List<double[]> curves = ok.stream().map(Run::latencyPercentiles).filter(Objects::nonNull).toList();
        double[] percentiles = null;
        if (!curves.isEmpty()) {
            percentiles = new double[curves.getFirst().length];
            for (double[] curve : curves) {
                for (int i = 0; i < percentiles.length; i++) {
                    percentiles[i] += curve[i] / curves.size();
                }
            }
        }
        return new Run(ok.stream().mapToDouble(Run::iops).average().orElse(0),
                ok.stream().mapToDouble(Run::mibPerSecond).average().orElse(0),
                ok.stream().mapToDouble(Run::meanLatencyNanos).average().orElse(0),
                ok.stream().mapToDouble(Run::p99LatencyNanos).average().orElse(0),
                ok.stream().mapToDouble(Run::cpuNanosPerIo).average().orElse(0), null, percentiles,
                ok.stream().mapToInt(Run::carriers).max().orElse(-1),
                ok.stream().mapToInt(Run::liveCarriers).max().orElse(-1),
                ok.stream().mapToLong(Run::threadsWithIo).min().orElse(-1));
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

    /** The index of the successful {@code jdk-async} contender, or -1. */
    static int jdkAsyncBaseline(List<Contender> contenders, List<List<Run>> runs) {
        for (int i = 0; i < contenders.size(); i++) {
            if (contenders.get(i).driver() == Driver.JDK_ASYNC && mean(runs.get(i)).error() == null) {
                return i;
            }
        }
        return -1;
    }

    private static String ratio(double iops, double baseIops) {
        return baseIops > 0 ? String.format(Locale.ROOT, "%.2fx", iops / baseIops) : "-";
    }

    /** The job, as the first line of the table; the virtual threads when a vthreads contender runs. */
    private String jobLine(List<Contender> contenders) {
        return String.format(Locale.ROOT, "rw=%s, bs=%s, iodepth=%d, size=%s, runtime=%.3gs, direct=%d%s", options.rw(),
                Sizes.humanBytes(options.blockSize()), options.iodepth(), Sizes.humanBytes(options.size()),
                options.runtimeNanos() / 1e9, options.direct() ? 1 : 0,
                anyVirtualThreads(contenders) ? ", vthreads=" + options.virtualThreads() : "");
    }

    private static boolean anyVirtualThreads(List<Contender> contenders) {
        return contenders.stream().anyMatch(c -> c.driver().virtualThreads());
    }

    /** The IOPS range over a contender's successful rounds: "70123-81562". */
    private static String spread(List<Run> runs) {
        List<Run> ok = runs.stream().filter(r -> r.error() == null).toList();
        return String.format(Locale.ROOT, "%.0f-%.0f", ok.stream().mapToDouble(Run::iops).min().orElse(0),
                ok.stream().mapToDouble(Run::iops).max().orElse(0));
    }

    private static String carriers(Run m) {
        return m.carriers() < 0 ? "" : Integer.toString(m.carriers());
    }

    private void printTable(PrintStream out, List<Contender> contenders, List<List<Run>> runs,
            List<Skipped> skipped) {
        out.printf(Locale.ROOT, "compare: %s; mean of %d round(s), alternating order%n", jobLine(contenders),
                options.compareRounds());
        int base = baseline(contenders, runs);
        int jdkBase = jdkAsyncBaseline(contenders, runs);
        String ratioHeader = base < 0 ? "ratio" : "vs " + contenders.get(base).name();
        String jdkHeader = "vs " + JDK_ASYNC;
        int ratioWidth = Math.max(ratioHeader.length(), 6);
        int jdkWidth = jdkHeader.length();
        boolean carrierColumn = anyVirtualThreads(contenders);
        String carriersFormat = carrierColumn ? "  %8s" : "%s";
        String nameColumn = "%-" + Math.max(21, Stream.concat(contenders.stream().map(Contender::name),
                skipped.stream().map(Skipped::name)).mapToInt(String::length).max().orElse(0)) + "s";
        out.println(String.format(Locale.ROOT, "  " + nameColumn + " %10s %9s %11s %11s %10s  %-" + ratioWidth
                + "s  %-" + jdkWidth + "s" + carriersFormat + "%s", "contender", "IOPS", "MiB/s", "lat mean",
                "lat p99", "CPU/IO", ratioHeader, jdkHeader, carrierColumn ? "carriers" : "",
                options.compareRounds() > 1 ? "  IOPS min-max" : "").stripTrailing());
        double baseIops = base < 0 ? 0 : mean(runs.get(base)).iops();
        double jdkIops = jdkBase < 0 ? 0 : mean(runs.get(jdkBase)).iops();
        for (int i = 0; i < contenders.size(); i++) {
            Run m = mean(runs.get(i));
            if (m.error() != null) {
                out.printf("  " + nameColumn + " failed: %s%n", contenders.get(i).name(), m.error());
                continue;
            }
            out.println(String.format(Locale.ROOT, "  " + nameColumn + " %10.0f %9.1f %8.1f us %8.1f us %7.2f us  %-"
                    + ratioWidth + "s  %-" + jdkWidth + "s" + carriersFormat + "%s", contenders.get(i).name(),
                    m.iops(), m.mibPerSecond(), m.meanLatencyNanos() / 1e3, m.p99LatencyNanos() / 1e3,
                    m.cpuNanosPerIo() / 1e3, ratio(m.iops(), baseIops), ratio(m.iops(), jdkIops),
                    carrierColumn ? carriers(m) : "",
                    options.compareRounds() > 1 ? "  " + spread(runs.get(i)) : "").stripTrailing());
        }
        for (Skipped s : skipped) {
            out.printf("  " + nameColumn + " not run: %s%n", s.name(), s.reason());
        }
        for (int i = 0; i < contenders.size(); i++) {
            for (Run r : runs.get(i)) {
                if (r.error() != null) {
                    out.printf("  %s: a run failed: %s%n", contenders.get(i).name(), r.error());
                    break;
                }
            }
        }
        if (carrierColumn) {
            out.println("  carriers: the most virtual-thread carrier threads busy at once (sampled every "
                    + CarrierSampler.PERIOD_MILLIS + " ms); this machine has "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            out.println("  " + VTHREADS_LATENCY_NOTE);
            for (String line : starvedThreads(contenders, runs)) {
                out.println("  " + line);
            }
        }
    }

    /** The table as Markdown (GitHub's pipe tables). */
    private void printMarkdown(PrintStream out, List<Contender> contenders, List<List<Run>> runs,
            List<Skipped> skipped, String date) {
        int base = baseline(contenders, runs);
        int jdkBase = jdkAsyncBaseline(contenders, runs);
        boolean carrierColumn = anyVirtualThreads(contenders);
        boolean spreadColumn = options.compareRounds() > 1;
        out.printf(Locale.ROOT, "**bench --compare**: %s; mean of %d round(s), alternating order; %s, %d cores%n%n",
                markdownCell(jobLine(contenders)), options.compareRounds(), date,
                Runtime.getRuntime().availableProcessors());
        List<String> header = new ArrayList<>(List.of("contender", "IOPS", "MiB/s", "lat mean (µs)", "lat p99 (µs)",
                "CPU/IO (µs)", base < 0 ? "ratio" : "vs " + contenders.get(base).name(), "vs " + JDK_ASYNC));
        if (carrierColumn) {
            header.add("carriers");
        }
        if (spreadColumn) {
            header.add("IOPS min-max");
        }
        out.println("| " + String.join(" | ", header.stream().map(Compare::markdownCell).toList()) + " |");
        out.println("|:--" + "|--:".repeat(header.size() - 1) + "|");
        double baseIops = base < 0 ? 0 : mean(runs.get(base)).iops();
        double jdkIops = jdkBase < 0 ? 0 : mean(runs.get(jdkBase)).iops();
        for (int i = 0; i < contenders.size(); i++) {
            Run m = mean(runs.get(i));
            List<String> row = new ArrayList<>();
            row.add(contenders.get(i).name());
            if (m.error() != null) {
                row.add("failed: " + m.error());
                while (row.size() < header.size()) {
                    row.add("");
                }
            } else {
                row.addAll(List.of(String.format(Locale.ROOT, "%.0f", m.iops()),
                        String.format(Locale.ROOT, "%.1f", m.mibPerSecond()),
                        String.format(Locale.ROOT, "%.1f", m.meanLatencyNanos() / 1e3),
                        String.format(Locale.ROOT, "%.1f", m.p99LatencyNanos() / 1e3),
                        String.format(Locale.ROOT, "%.2f", m.cpuNanosPerIo() / 1e3), ratio(m.iops(), baseIops),
                        ratio(m.iops(), jdkIops)));
                if (carrierColumn) {
                    row.add(carriers(m));
                }
                if (spreadColumn) {
                    row.add(spread(runs.get(i)));
                }
            }
            out.println("| " + String.join(" | ", row.stream().map(Compare::markdownCell).toList()) + " |");
        }
        for (Skipped s : skipped) {
            List<String> row = new ArrayList<>(List.of(s.name(), "not run: " + s.reason()));
            while (row.size() < header.size()) {
                row.add("");
            }
            out.println("| " + String.join(" | ", row.stream().map(Compare::markdownCell).toList()) + " |");
        }
        if (carrierColumn) {
            out.printf("%ncarriers: the most virtual-thread carrier threads busy at once (sampled every %d ms). %s%n",
                    CarrierSampler.PERIOD_MILLIS, VTHREADS_LATENCY_NOTE);
            for (String line : starvedThreads(contenders, runs)) {
                out.println();
                out.println(line);
            }
        }
    }

    /** What the latency of the vthreads rows includes. */
    static final String VTHREADS_LATENCY_NOTE = "vthreads latency runs from when the virtual thread was ready to "
            + "issue the operation (the pass's start for its first), so it includes the wait for a carrier";

    /** A line per vthreads contender in which some virtual threads never did IO (never got a carrier). */
    private List<String> starvedThreads(List<Contender> contenders, List<List<Run>> runs) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            Run m = mean(runs.get(i));
            if (contenders.get(i).driver().virtualThreads() && m.error() == null && m.threadsWithIo() >= 0
                    && m.threadsWithIo() < options.virtualThreads()) {
                lines.add(contenders.get(i).name() + ": only " + m.threadsWithIo() + " of "
                        + options.virtualThreads() + " virtual threads did any IO during the pass (the others "
                        + "waited for a carrier throughout, and their wait is in no figure)");
            }
        }
        return lines;
    }

    /** A Markdown table cell: pipes escaped, line breaks made spaces. */
    static String markdownCell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ").strip();
    }

    private String toJson(List<Contender> contenders, List<List<Run>> runs, List<Skipped> skipped, String date) {
        int base = baseline(contenders, runs);
        double baseIops = base < 0 ? 0 : mean(runs.get(base)).iops();
        int jdkBase = jdkAsyncBaseline(contenders, runs);
        double jdkIops = jdkBase < 0 ? 0 : mean(runs.get(jdkBase)).iops();
        JsonWriter json = new JsonWriter().beginObject();
        json.field("schema", SCHEMA);
        json.field("date", date);
        json.field("host_cores", Runtime.getRuntime().availableProcessors());
        json.field("rounds", options.compareRounds());
        json.field("baseline", base < 0 ? null : contenders.get(base).name());
        json.field("jdk_async_baseline", jdkBase < 0 ? null : contenders.get(jdkBase).name());
        json.name("job").beginObject()
                .field("rw", options.rw().id())
                .field("rwmixread", options.rwmixread())
                .field("bs", options.blockSize())
                .field("iodepth", options.iodepth())
                .field("size", options.size())
                .field("runtime_ns", options.runtimeNanos())
                .field("direct", options.direct())
                .field("vthreads", anyVirtualThreads(contenders) ? options.virtualThreads() : 0)
                .endObject();
        json.name("contenders").beginArray();
        for (int i = 0; i < contenders.size(); i++) {
            Contender c = contenders.get(i);
            Run m = mean(runs.get(i));
            json.beginObject()
                    .field("id", c.id())
                    .field("name", c.name())
                    .field("tool", c.tool())
                    .field("engine", c.engineName());
            json.name("iops_ratio");
            ratioValue(json, m, baseIops);
            json.name("iops_ratio_jdk_async");
            ratioValue(json, m, jdkIops);
            json.name("mean");
            writeRun(json, m);
            json.name("runs").beginArray();
            for (Run r : runs.get(i)) {
                writeRun(json, r);
            }
            json.endArray().endObject();
        }
        json.endArray();
        json.name("skipped").beginArray();
        for (Skipped s : skipped) {
            json.beginObject().field("name", s.name()).field("reason", s.reason()).endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }

    private static void ratioValue(JsonWriter json, Run m, double baseIops) {
        if (baseIops > 0 && m.error() == null) {
            json.value(m.iops() / baseIops);
        } else {
            json.value((String) null);
        }
    }

    /**
     * Reads back what {@link #writeRun} wrote (a child JVM's result).
     *
     * @throws IllegalArgumentException naming the first field missing
     */
    static Run readRun(Object json, String what) {
        Map<String, Object> run = JsonReader.object(json);
        if (run.get("error") instanceof String error) {
            return Run.failed(error);
        }
        double[][] curve = LatencyPercentiles.read(run.get("lat_percentiles_ns"));
        int carriers = run.get("carriers_peak") instanceof Double d ? d.intValue() : -1;
        int live = run.get("carriers_live_peak") instanceof Double d ? d.intValue() : -1;
        long withIo = run.get("vthreads_with_io") instanceof Double d ? d.longValue() : -1;
        return new Run(JsonReader.requiredNumber(json, what, "iops"), JsonReader.requiredNumber(json, what, "mib_per_s"),
                JsonReader.requiredNumber(json, what, "lat_mean_ns"), JsonReader.requiredNumber(json, what, "lat_p99_ns"),
                JsonReader.requiredNumber(json, what, "cpu_ns_per_io"), null, curve == null ? null : curve[1],
                carriers, live, withIo);
    }

    private static void writeRun(JsonWriter json, Run r) {
        json.beginObject()
                .field("iops", r.iops())
                .field("mib_per_s", r.mibPerSecond())
                .field("lat_mean_ns", r.meanLatencyNanos())
                .field("lat_p99_ns", r.p99LatencyNanos())
                .field("cpu_ns_per_io", r.cpuNanosPerIo())
                .field("error", r.error());
        json.name("lat_percentiles_ns");
        LatencyPercentiles.write(json, r.latencyPercentiles());
        json.name("carriers_peak");
        if (r.carriers() < 0) {
            json.value((String) null);
        } else {
            json.value(r.carriers());
        }
        json.name("carriers_live_peak");
        if (r.liveCarriers() < 0) {
            json.value((String) null);
        } else {
            json.value(r.liveCarriers());
        }
        json.name("vthreads_with_io");
        if (r.threadsWithIo() < 0) {
            json.value((String) null);
        } else {
            json.value(r.threadsWithIo());
        }
        json.endObject();
    }
}
