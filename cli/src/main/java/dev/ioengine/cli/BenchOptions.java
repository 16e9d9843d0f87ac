package dev.ioengine.cli;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngineConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code io-engine bench}, spelled and meant as fio spells and means them
 * ({@code --rw=randread --bs=4k --iodepth=32 --numjobs=2 --ramp_time=2}), parsed and checked. {@code --name=value}
 * and {@code --name value} are both accepted; flags also take fio's {@code =1} / {@code =0}. fio options this tool
 * does not take are refused by name ({@link #FIO_OPTIONS_REFUSED}), with the reason where there is one.
 *
 * @param engine the engine asked for
 * @param fioEngine fio's {@code --ioengine} value when it named one of fio's synchronous engines that this tool
 *     maps onto {@code threads} ({@code sync}, {@code psync}, {@code posixaio}), else null
 * @param rw the access pattern
 * @param rwmixread the percentage of reads in {@link Rw#RANDRW} and {@link Rw#RW}
 * @param blockSize bytes per request
 * @param iodepth requests kept in flight per job
 * @param size bytes of the file used, a multiple of the block size
 * @param sizeGiven {@code --size} was given (a block device otherwise uses its whole size, as fio does)
 * @param ioSize {@code --io_size}: bytes each job transfers before it ends (without {@code --time_based});
 *     0 for {@code size}
 * @param timeBased {@code --time_based}: run for {@code runtime} whatever the bytes done
 * @param runtimeNanos how long the measured phase runs at most ({@code --runtime})
 * @param runtimeGiven {@code --runtime} was given
 * @param rampNanos {@code --ramp_time}: how long the jobs run before measuring starts
 * @param numjobs {@code --numjobs}: jobs running the same workload in parallel on the file
 * @param groupReporting {@code --group_reporting}: report the jobs only as one group
 * @param fsyncEvery {@code --fsync=N}: an fsync after every N writes of a job; 0 for none
 * @param randrepeat {@code --randrepeat}: the random offsets are the same from run to run (fio's default)
 * @param randommap false with {@code --norandommap}: random offsets may repeat before every block was visited
 * @param readonly {@code --readonly}: refuse any job that writes
 * @param direct open with {@code O_DIRECT}
 * @param verify write checksummed blocks and check every read
 * @param filename the file, or null for a temporary file
 * @param outputFormat {@code --output-format=normal|json|json+|markdown} ({@code --json}, {@code --markdown})
 * @param jobName fio's {@code --name}, shown in the report
 * @param compareRounds {@code --compare=N}: run the job on every available engine and on fio, N rounds
 *     alternating; 0 without {@code --compare}
 * @param contenders {@code --contenders=A,B,...}: the ids ({@link Compare#isContenderId}) to compare, in the
 *     order given; empty for every available one
 * @param plotFile {@code --plot=FILE.svg}: where to draw the result's charts ({@link SvgPlot}), or null
 * @param vthreads {@code --vthreads=N}: the virtual threads of the {@code *-filechannel-vthreads} contenders
 *     (which {@code --compare} then runs by default); 0 without it
 * @param helpRequested {@code --help} was given (the other fields are then defaults)
 */
record BenchOptions(EngineKind engine, String fioEngine, Rw rw, int rwmixread, int blockSize, int iodepth, long size,
        boolean sizeGiven, long ioSize, boolean timeBased, long runtimeNanos, boolean runtimeGiven, long rampNanos,
        int numjobs, boolean groupReporting, int fsyncEvery, boolean randrepeat, boolean randommap,
        boolean readonly, boolean direct, boolean verify, Path filename, OutputFormat outputFormat, String jobName,
        int compareRounds, List<String> contenders, Path plotFile, int vthreads, boolean helpRequested) {

    static final int DEFAULT_BLOCK_SIZE = 4096;
    static final int DEFAULT_IODEPTH = 32;
    static final long DEFAULT_SIZE = 1L << 30;
    static final long DEFAULT_RUNTIME_NANOS = 10_000_000_000L;
    /** The largest block: one buffer per request, each a Java-addressable segment. */
    static final int MAX_BLOCK_SIZE = 1 << 30;
    static final int MAX_COMPARE_ROUNDS = 100;
    static final int MAX_VTHREADS = 1_000_000;
    static final int MAX_NUMJOBS = 1024;
    /** The virtual threads of a {@code *-filechannel-vthreads} contender named without {@code --vthreads}. */
    static final int DEFAULT_VTHREADS = 10_000;

    /**
     * fio options this tool refuses, with why (README "fio options not taken"). Anything else unknown is an
     * "unknown option".
     */
    static final List<String> FIO_OPTIONS_REFUSED = List.of("directory", "nrfiles", "filesize", "filename_format",
            "offset", "offset_increment", "number_ios", "loops", "bsrange", "bssplit", "blockalign", "zonemode",
            "zonesize", "rate", "rate_iops", "rate_min", "thinktime", "startdelay", "stonewall", "new_group",
            "exitall", "fdatasync", "end_fsync", "fsync_on_close", "sync", "invalidate", "buffered", "fallocate",
            "pre_read", "fill_device", "unlink", "verify_pattern", "do_verify", "verify_only", "verify_backlog",
            "buffer_pattern", "buffer_compress_percentage", "refill_buffers", "scramble_buffers", "zero_buffers",
            "random_distribution", "random_generator", "percentile_list", "lat_percentiles", "clat_percentiles",
            "write_bw_log", "write_lat_log", "write_iops_log", "log_avg_msec", "status-interval", "minimal",
            "output", "cpus_allowed", "iodepth_batch_submit", "iodepth_batch_complete", "iodepth_low", "fixedbufs",
            "registerfiles", "sqthread_poll", "hipri", "thread", "unified_rw_reporting", "trim_percentage");

    /** Options that take a value (so that {@code --name value} reads the next argument). */
    private static final Set<String> VALUE_OPTIONS = Set.of("engine", "ioengine", "rw", "readwrite", "rwmixread",
            "rwmixwrite", "bs", "blocksize", "iodepth", "size", "io_size", "runtime", "ramp_time", "numjobs",
            "fsync", "filename", "output-format", "name", "contenders", "plot", "vthreads");

    /** {@code --output-format}. */
    enum OutputFormat {
        NORMAL, JSON, JSON_PLUS, MARKDOWN
    }

    /** fio's {@code --rw} values that io-engine supports. */
    enum Rw {
        READ("read", true, false, false),
        WRITE("write", false, true, false),
        RANDREAD("randread", true, false, true),
        RANDWRITE("randwrite", false, true, true),
        RW("rw", true, true, false),
        RANDRW("randrw", true, true, true);

        private final String id;
        private final boolean reads;
        private final boolean writes;
        private final boolean random;

        Rw(String id, boolean reads, boolean writes, boolean random) {
            this.id = id;
            this.reads = reads;
            this.writes = writes;
            this.random = random;
        }

        String id() {
            return id;
        }

        /** True if the pattern issues reads (and so verifies them under {@code --verify}). */
        boolean reads() {
            return reads;
        }

        boolean writes() {
            return writes;
        }

        /** True for a mix of reads and writes ({@code --rwmixread} applies). */
        boolean mixed() {
            return reads && writes;
        }

        boolean random() {
            return random;
        }

        static Rw parse(String text) throws UsageException {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("readwrite")) {
                return RW;
            }
            for (Rw rw : values()) {
                if (rw.id.equals(t)) {
                    return rw;
                }
            }
            if (t.contains("trim")) {
                throw new UsageException("--rw=" + text + " is not supported: io-engine does not issue trims "
                        + "(expected read, write, randread, randwrite, rw/readwrite or randrw)");
            }
            throw new UsageException("bad --rw '" + text
                    + "': expected read, write, randread, randwrite, rw/readwrite or randrw");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** The defaults: {@code --engine=auto --rw=read --bs=4k --iodepth=32 --size=1g}. */
    static BenchOptions defaults() {
        try {
            return new Parser().build(false);
        } catch (UsageException e) {
            throw new AssertionError("the defaults are valid", e);
        }
    }

    /** These options with another {@link #runtimeNanos()} and no ramp (a warm-up pass). */
    BenchOptions forWarmUp(long nanos) {
        return new BenchOptions(engine, fioEngine, rw, rwmixread, blockSize, iodepth, size, sizeGiven, ioSize, true,
                nanos, true, 0, numjobs, groupReporting, fsyncEvery, randrepeat, randommap, readonly, direct,
                verify, filename, outputFormat, jobName, compareRounds, contenders, plotFile, vthreads,
                helpRequested);
    }

    /** A copy for one run of {@code --compare}: another engine, the shared file, time based, not comparing. */
    BenchOptions forCompareRun(EngineKind kind, Path file, long fileSize) {
        return new BenchOptions(kind, null, rw, rwmixread, blockSize, iodepth, fileSize, true, 0, true,
                runtimeNanos, true, rampNanos, 1, false, fsyncEvery, randrepeat, randommap, readonly, direct,
                false, file, outputFormat, jobName, 0, List.of(), null, vthreads, false);
    }

    /** With {@code size} as the file's size (a block device's, when {@code --size} was not given). */
    BenchOptions withSize(long bytes) {
        long rounded = bytes - bytes % blockSize;
        return new BenchOptions(engine, fioEngine, rw, rwmixread, blockSize, iodepth, rounded, sizeGiven, ioSize,
                timeBased, runtimeNanos, runtimeGiven, rampNanos, numjobs, groupReporting, fsyncEvery, randrepeat,
                randommap, readonly, direct, verify, filename, outputFormat, jobName, compareRounds, contenders,
                plotFile, vthreads, helpRequested);
    }

    /**
     * The options of one {@code --compare} run, as arguments {@link #parse} reads back: what a contender in a
     * child JVM needs to run the same job.
     */
    List<String> compareRunArgs(Path file) {
        List<String> args = new ArrayList<>(List.of("--rw=" + rw.id(), "--rwmixread=" + rwmixread,
                "--bs=" + blockSize, "--iodepth=" + iodepth, "--size=" + size, "--time_based",
                "--runtime=" + runtimeNanos + "ns", "--ramp_time=" + rampNanos + "ns",
                "--randrepeat=" + (randrepeat ? 1 : 0), "--direct=" + (direct ? 1 : 0), "--filename=" + file));
        if (!randommap) {
            args.add("--norandommap");
        }
        if (vthreads > 0) {
            args.add("--vthreads=" + vthreads);
        }
        return args;
    }

    /** {@code --output-format=json} or {@code json+}. */
    boolean jsonOutput() {
        return outputFormat == OutputFormat.JSON || outputFormat == OutputFormat.JSON_PLUS;
    }

    /** True if the job writes: its pattern writes, or {@code --verify} lays out checksummed blocks. */
    boolean writes() {
        return rw.writes();
    }

    /** The virtual threads of a {@code *-filechannel-vthreads} contender: {@code --vthreads}, or the default. */
    int virtualThreads() {
        return vthreads > 0 ? vthreads : DEFAULT_VTHREADS;
    }

    /** The number of blocks in the file. */
    long blocks() {
        return size / blockSize;
    }

    /** Bytes each job transfers before it ends, or {@code Long.MAX_VALUE} when it runs for the runtime. */
    long bytesPerJob() {
        if (timeBased) {
            return Long.MAX_VALUE;
        }
        return ioSize > 0 ? ioSize : size;
    }

    /**
     * Parses the arguments after {@code bench}.
     *
     * @throws UsageException with a one-line message for an unknown option, a missing or malformed value, or an
     *     impossible combination
     */
    static BenchOptions parse(List<String> args) throws UsageException {
        Parser p = new Parser();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (options start with --; see --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            if (name.equals("help") || name.equals("h")) {
                return new Parser().build(true);
            }
            if (VALUE_OPTIONS.contains(name) && inline == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException("--" + name + " needs a value (--" + name + "=VALUE)");
                }
                inline = args.get(++i);
            }
            p.option(arg, name, inline);
        }
        return p.build(false);
    }

    /** The options as they are read, then checked together by {@link #build}. */
    private static final class Parser {
        EngineKind engine = EngineKind.AUTO;
        String fioEngine;
        Rw rw = Rw.READ;
        int rwmixread = 50;
        long blockSize = DEFAULT_BLOCK_SIZE;
        long iodepth = DEFAULT_IODEPTH;
        long size = DEFAULT_SIZE;
        boolean sizeGiven;
        long ioSize;
        boolean timeBased;
        long runtime = DEFAULT_RUNTIME_NANOS;
        boolean runtimeGiven;
        long ramp;
        int numjobs = 1;
        boolean groupReporting;
        int fsyncEvery;
        boolean randrepeat = true;
        boolean randommap = true;
        boolean readonly;
        boolean direct;
        boolean verify;
        Path filename;
        OutputFormat format = OutputFormat.NORMAL;
        Path plotFile;
        int vthreads;
        String jobName = "io-engine";
        int compareRounds;
        List<String> contenders = List.of();

        void option(String arg, String name, String value) throws UsageException {
            switch (name) {
                case "json" -> format = flag(name, value) ? OutputFormat.JSON : OutputFormat.NORMAL;
                case "markdown" -> format = flag(name, value) ? OutputFormat.MARKDOWN : OutputFormat.NORMAL;
                case "direct" -> direct = flag(name, value);
                case "verify" -> verify = verifyFlag(value);
                case "time_based" -> timeBased = flag(name, value);
                case "group_reporting" -> groupReporting = flag(name, value);
                case "randrepeat" -> randrepeat = flag(name, value);
                case "norandommap" -> randommap = !flag(name, value);
                case "readonly" -> readonly = flag(name, value);
                case "gtod_reduce" -> flag(name, value);
                case "compare" -> compareRounds = value == null ? 1
                        : (int) parseRange(name, value, 1, MAX_COMPARE_ROUNDS);
                case "engine" -> engine = parseEngine(value);
                case "ioengine" -> ioengine(value);
                case "rw", "readwrite" -> rw = Rw.parse(value);
                case "rwmixread" -> rwmixread = (int) parseRange(name, value, 0, 100);
                case "rwmixwrite" -> rwmixread = 100 - (int) parseRange(name, value, 0, 100);
                case "bs", "blocksize" -> blockSize = Sizes.parseBytes("--bs", value);
                case "iodepth" -> iodepth = parseRange(name, value, 1, IoEngineConfig.MAX_QUEUE_DEPTH);
                case "size" -> {
                    size = Sizes.parseBytes("--size", value);
                    sizeGiven = true;
                }
                case "io_size" -> ioSize = Sizes.parseBytes("--io_size", value);
                case "runtime" -> {
                    runtime = Sizes.parseDurationNanos("--runtime", value);
                    runtimeGiven = true;
                }
                case "ramp_time" -> ramp = Sizes.parseDurationNanos("--ramp_time", value);
                case "numjobs" -> numjobs = (int) parseRange(name, value, 1, MAX_NUMJOBS);
                case "fsync" -> fsyncEvery = (int) parseRange(name, value, 0, Integer.MAX_VALUE);
                case "filename" -> filename = parsePath(name, value);
                case "output-format" -> format = parseOutputFormat(value);
                case "plot" -> plotFile = parsePath(name, value);
                case "vthreads" -> vthreads = (int) parseRange(name, value, 1, MAX_VTHREADS);
                case "name" -> jobName = value;
                case "contenders" -> contenders = parseContenders(value);
                default -> throw FIO_OPTIONS_REFUSED.contains(name)
                        ? new UsageException("fio's --" + name + " is not supported by io-engine bench (README: "
                                + "\"fio options not taken\")")
                        : new UsageException("unknown option '" + arg + "' (see io-engine bench --help)");
            }
        }

        /**
         * fio's {@code --ioengine}: io_uring and libaio are io-engine's engines; fio's synchronous engines run on
         * io-engine's thread pool ({@code pread}/{@code pwrite} on pool threads, as glibc's POSIX AIO does);
         * the rest are refused.
         */
        private void ioengine(String value) throws UsageException {
            String v = value.trim().toLowerCase(Locale.ROOT);
            switch (v) {
                case "sync", "psync", "posixaio" -> {
                    engine = EngineKind.THREADS;
                    fioEngine = v;
                }
                case "io_uring", "libaio" -> engine = parseEngine(v);
                default -> {
                    try {
                        engine = EngineKind.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--ioengine=" + value + " is not supported: io-engine runs "
                                + "io_uring, libaio (its aio engine), and sync, psync and posixaio on its threads "
                                + "engine");
                    }
                }
            }
        }

        BenchOptions build(boolean help) throws UsageException {
            if (help) {
                return new BenchOptions(engine, fioEngine, rw, rwmixread, (int) blockSize, (int) iodepth, size,
                        false, 0, false, runtime, false, 0, 1, false, 0, true, true, false, false, false, null,
                        format, jobName, 0, List.of(), null, 0, true);
            }
            if (blockSize <= 0) {
                throw new UsageException("--bs must be positive");
            }
            if (blockSize > MAX_BLOCK_SIZE) {
                throw new UsageException("--bs must be at most 1g, not " + Sizes.humanBytes(blockSize));
            }
            if (direct && blockSize % 512 != 0) {
                throw new UsageException("--direct needs --bs to be a multiple of 512 (the smallest logical block "
                        + "size; many devices need 4k), not " + blockSize);
            }
            if (verify && blockSize < BlockVerifier.HEADER_BYTES) {
                throw new UsageException("--verify needs --bs of at least " + BlockVerifier.HEADER_BYTES
                        + " bytes (the checksummed block header), not " + blockSize);
            }
            if (size < blockSize) {
                throw new UsageException("--size (" + size + ") must be at least --bs (" + blockSize + ")");
            }
            if (runtime <= 0) {
                throw new UsageException("--runtime must be positive");
            }
            if (ioSize != 0 && ioSize < blockSize) {
                throw new UsageException("--io_size (" + ioSize + ") must be at least --bs (" + blockSize + ")");
            }
            if (readonly && (rw.writes() || verify)) {
                throw new UsageException("--readonly refuses a job that writes (--rw=" + rw
                        + (verify ? ", --verify lays out checksummed blocks" : "") + ")");
            }
            if (iodepth * numjobs > IoEngineConfig.MAX_QUEUE_DEPTH) {
                throw new UsageException("--iodepth times --numjobs must be at most "
                        + IoEngineConfig.MAX_QUEUE_DEPTH + " (one engine serves the jobs), not "
                        + iodepth * numjobs);
            }
            if (!contenders.isEmpty() && compareRounds == 0) {
                compareRounds = 1;
            }
            if (vthreads > 0 && compareRounds == 0) {
                compareRounds = 1;
            }
            if (compareRounds > 0 && verify) {
                throw new UsageException("--compare measures speed and does not combine with --verify");
            }
            if (compareRounds > 0 && numjobs > 1) {
                throw new UsageException("--compare runs one job per contender; --numjobs is for a plain bench");
            }
            if (compareRounds > 0 && fsyncEvery > 0) {
                throw new UsageException("--compare does not take --fsync (the channel contenders have no fsync "
                        + "pattern); --fsync is for a plain bench");
            }
            if (compareRounds > 0 && ioSize != 0) {
                throw new UsageException("--compare runs every contender for --runtime (time based); --io_size "
                        + "is for a plain bench");
            }
            if (format == OutputFormat.MARKDOWN && compareRounds == 0) {
                throw new UsageException("--output-format=markdown is for --compare's table (plain bench: normal, "
                        + "json or json+)");
            }
            if (compareRounds > 0) {
                timeBased = true;
            }
            size -= size % blockSize;
            return new BenchOptions(engine, fioEngine, rw, rwmixread, (int) blockSize, (int) iodepth, size,
                    sizeGiven, ioSize, timeBased, runtime, runtimeGiven, ramp, numjobs, groupReporting, fsyncEvery,
                    randrepeat, randommap, readonly, direct, verify, filename, format, jobName, compareRounds,
                    contenders, plotFile, vthreads, false);
        }
    }

    private static List<String> parseContenders(String value) throws UsageException {
        List<String> ids = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String id = part.trim().toLowerCase(Locale.ROOT);
            if (!Compare.isContenderId(id)) {
                throw new UsageException("unknown contender '" + part.trim() + "' in --contenders: expected some of "
                        + String.join(",", Compare.CONTENDER_IDS) + " (io-engine-async and io-engine-filechannel "
                        + "also as io-engine-async:ENGINE, ENGINE io_uring, aio, threads or auto)");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private static EngineKind parseEngine(String value) throws UsageException {
        try {
            return EngineKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad --engine '" + value + "': expected io_uring, aio, threads or auto");
        }
    }

    private static long parseRange(String name, String value, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("bad --" + name + " '" + value + "': expected a whole number");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], not " + n);
        }
        return n;
    }

    private static boolean flag(String name, String inline) throws UsageException {
        if (inline == null) {
            return true;
        }
        return switch (inline.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new UsageException("bad --" + name + "='" + inline + "': expected 1 or 0");
        };
    }

    private static boolean verifyFlag(String inline) throws UsageException {
        if (inline == null) {
            return true;
        }
        return switch (inline.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on", "crc32c", "crc32c-intel" -> true;
            case "0", "false", "no", "off", "none" -> false;
            default -> throw new UsageException("unsupported --verify='" + inline
                    + "': io-engine verifies with crc32c (--verify, --verify=crc32c or --verify=0)");
        };
    }

    static Path parsePath(String name, String value) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException("--" + name + " must not be empty");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("bad --" + name + " '" + value + "': " + e.getReason());
        }
    }

    private static OutputFormat parseOutputFormat(String value) throws UsageException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "normal" -> OutputFormat.NORMAL;
            case "json" -> OutputFormat.JSON;
            case "json+" -> OutputFormat.JSON_PLUS;
            case "markdown", "md" -> OutputFormat.MARKDOWN;
            default -> throw new UsageException("bad --output-format '" + value
                    + "': expected normal, json, json+ or markdown (fio's terse is not supported)");
        };
    }

    /** The text of {@code io-engine bench --help}. */
    static String help() {
        return """
                usage: io-engine bench [OPTIONS]
                A fio-style load generator over the io-engine engine API: keeps --iodepth requests in flight per
                job on one file, then prints IOPS, bandwidth, latency percentiles, CPU per IO and the engine's
                batching. Options use fio's names and meanings; --name=value or --name value.

                  --engine=KIND        io_uring, aio, threads or auto (default auto)
                  --ioengine=NAME      fio's: io_uring, libaio (the aio engine); sync, psync and posixaio run on
                                       the threads engine (pread/pwrite on a thread pool); others are refused
                  --rw=PATTERN         read, write, randread, randwrite, rw (or readwrite) or randrw
                                       (default read)
                  --rwmixread=PCT      percentage of reads for rw and randrw (default 50; --rwmixwrite too)
                  --bs=SIZE            block size per request (default 4k; k/m/g/t/p are powers of 1024)
                  --iodepth=N          requests kept in flight per job (default 32)
                  --numjobs=N          N jobs run the workload in parallel on the file, each with --iodepth in
                                       flight (one engine serves them); reported per job and as a group
                  --group_reporting    report the jobs only as one group
                  --size=SIZE          bytes of the file used (default 1g, a block device's size when it is the
                                       --filename; rounded down to a multiple of --bs)
                  --io_size=SIZE       bytes each job transfers before it ends (default --size)
                  --runtime=TIME       the most the measured phase runs (seconds; ns, us, ms, s, m, h suffixes);
                                       without it a job runs until it has moved --io_size bytes, as in fio
                  --time_based         run for --runtime (default 10 s) whatever the bytes transferred
                  --ramp_time=TIME     run this long before measuring; its IO is left out of every figure
                  --fsync=N            an fsync after every N writes of a job (0: none, the default)
                  --randrepeat=1|0     the same random offsets every run (default 1, as fio)
                  --norandommap        random offsets may repeat; by default every block is visited once
                                       before any is visited again, as fio's random map does
                  --direct[=1|0]       open with O_DIRECT (buffers are 4096-aligned)
                  --filename=PATH      the file or block device; default: a temporary file in java.io.tmpdir,
                                       laid out before the run and removed after it (also on Ctrl-C)
                  --readonly           refuse any job that would write
                  --verify[=crc32c|0]  write checksummed blocks (offset, generation, CRC32C) and check every read,
                                       then read back the whole file; exit status 1 on any mismatch
                  --output-format=F    normal (default), json, json+ (json with every latency bucket) or, with
                                       --compare, markdown; --json and --markdown are short for these
                  --plot=FILE.svg      also draw the result as an SVG: latency by percentile (one line per
                                       contender) and IOPS per contender; 'io-engine plot --from=RESULT.json
                                       --out=FILE.svg' draws a saved --output-format=json result
                  --name=NAME          a name for the job, shown in the report
                  --compare[=ROUNDS]   run the job on every available engine, on the JDK's and io-engine's
                                       channels and on fio (io_uring, libaio; without fio on the PATH its rows
                                       say 'not run'), ROUNDS times alternating (default 1), each in-JVM
                                       contender in a fresh JVM of its own; print a table of means with
                                       ratios to fio io_uring and to the JDK's AsynchronousFileChannel;
                                       --engine is then ignored and runs are time based
                  --contenders=LIST    with --compare (implies it): the contenders, comma-separated, from
                                       io_uring, aio, threads (io-engine's engine API), jdk-async,
                                       jdk-filechannel (the JDK's channels), io-engine-async,
                                       io-engine-async-engine-thread, io-engine-filechannel (the same channels
                                       through io-engine's FileSystemProvider, engine auto;
                                       io-engine-async:aio and the like pick its engine), fio-io_uring,
                                       fio-libaio, jdk-filechannel-vthreads, io-engine-filechannel-vthreads
                                       (default: all available; the vthreads ones only with --vthreads)
                  --vthreads=N         with --compare (implies it): add jdk-filechannel-vthreads and
                                       io-engine-filechannel-vthreads: N virtual threads each doing positional
                                       IO on one shared FileChannel, and report the most carrier threads busy
                                       at once (column 'carriers'); N defaults to 10000 when they are named in
                                       --contenders without --vthreads
                  --help               this text
                Accepted for fio command lines and without effect: --gtod_reduce (latency is always measured).

                A regular file is laid out (written in full, as fio does) when it is new, too small, or --verify is
                on. A block device is never laid out, and is written only by a job that writes (--rw=write,
                randwrite, rw, randrw); --verify on a read job of a block device is refused, as it would write.
                Progress goes to stderr once a second. Exit status: 0 success, 1 failure (the reason on one line),
                2 bad options.
                """;
    }
}
