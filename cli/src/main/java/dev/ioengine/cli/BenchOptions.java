package dev.ioengine.cli;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngineConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code io-engine bench}, spelled as fio spells them ({@code --rw=randread --bs=4k --iodepth=32}),
 * parsed and checked. {@code --name=value} and {@code --name value} are both accepted; the flags {@code --direct}
 * and {@code --verify} also take fio's {@code =1} / {@code =0}. fio's {@code --ioengine} is accepted for
 * {@code --engine} (with its names {@code libaio} and {@code psync}), and {@code --name} and {@code --time_based}
 * are accepted so that a fio command line can be reused (a run is always time based).
 *
 * @param engine the engine asked for
 * @param rw the access pattern
 * @param rwmixread the percentage of reads in {@link Rw#RANDRW}
 * @param blockSize bytes per request
 * @param iodepth requests kept in flight
 * @param size bytes of the file used, a multiple of the block size
 * @param runtimeNanos how long the timed phase runs
 * @param direct open with {@code O_DIRECT}
 * @param verify write checksummed blocks and check every read
 * @param filename the file, or null for a temporary file
 * @param outputFormat {@code --output-format=normal|json|markdown} ({@code --json}, {@code --markdown})
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
record BenchOptions(EngineKind engine, Rw rw, int rwmixread, int blockSize, int iodepth, long size,
        long runtimeNanos, boolean direct, boolean verify, Path filename, OutputFormat outputFormat, String jobName,
        int compareRounds, List<String> contenders, Path plotFile, int vthreads, boolean helpRequested) {

    static final int DEFAULT_BLOCK_SIZE = 4096;
    static final int DEFAULT_IODEPTH = 32;
    static final long DEFAULT_SIZE = 1L << 30;
    static final long DEFAULT_RUNTIME_NANOS = 10_000_000_000L;
    /** The largest block: one buffer per request, each a Java-addressable segment. */
    static final int MAX_BLOCK_SIZE = 1 << 30;
    static final int MAX_COMPARE_ROUNDS = 100;
    static final int MAX_VTHREADS = 1_000_000;
    /** The virtual threads of a {@code *-filechannel-vthreads} contender named without {@code --vthreads}. */
    static final int DEFAULT_VTHREADS = 10_000;

    /** These options with another {@link #runtimeNanos()}. */
    BenchOptions withRuntimeNanos(long nanos) {
        return new BenchOptions(engine, rw, rwmixread, blockSize, iodepth, size, nanos, direct, verify, filename,
                outputFormat, jobName, compareRounds, contenders, plotFile, vthreads, helpRequested);
    }

    /** {@code --output-format}. */
    enum OutputFormat {
        NORMAL, JSON, MARKDOWN
    }

    /** fio's {@code --rw} values that io-engine supports. */
    enum Rw {
        READ("read", true, false),
        WRITE("write", false, false),
        RANDREAD("randread", true, true),
        RANDWRITE("randwrite", false, true),
        RANDRW("randrw", true, true);

        private final String id;
        private final boolean reads;
        private final boolean random;

        Rw(String id, boolean reads, boolean random) {
            this.id = id;
            this.reads = reads;
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
            return this != READ && this != RANDREAD;
        }

        boolean random() {
            return random;
        }

        static Rw parse(String text) throws UsageException {
            for (Rw rw : values()) {
                if (rw.id.equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return rw;
                }
            }
            throw new UsageException(
                    "bad --rw '" + text + "': expected read, write, randread, randwrite or randrw");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** The defaults: {@code --engine=auto --rw=read --bs=4k --iodepth=32 --size=1g --runtime=10}. */
    static BenchOptions defaults() {
        return new BenchOptions(EngineKind.AUTO, Rw.READ, 50, DEFAULT_BLOCK_SIZE, DEFAULT_IODEPTH, DEFAULT_SIZE,
                DEFAULT_RUNTIME_NANOS, false, false, null, OutputFormat.NORMAL, "io-engine", 0, List.of(), null, 0,
                false);
    }

    /** A copy for one run of {@code --compare}: another engine and the shared file, not comparing. */
    BenchOptions forCompareRun(EngineKind kind, Path file) {
        return new BenchOptions(kind, rw, rwmixread, blockSize, iodepth, size, runtimeNanos, direct, verify,
                file, outputFormat, jobName, 0, List.of(), null, vthreads, false);
    }

    /** {@code --output-format=json}. */
    boolean jsonOutput() {
        return outputFormat == OutputFormat.JSON;
    }

    /** The virtual threads of a {@code *-filechannel-vthreads} contender: {@code --vthreads}, or the default. */
    int virtualThreads() {
        return vthreads > 0 ? vthreads : DEFAULT_VTHREADS;
    }

    /** The number of blocks in the file. */
    long blocks() {
        return size / blockSize;
    }

    /**
     * Parses the arguments after {@code bench}.
     *
     * @throws UsageException with a one-line message for an unknown option, a missing or malformed value, or an
     *     impossible combination
     */
    static BenchOptions parse(List<String> args) throws UsageException {
        EngineKind engine = EngineKind.AUTO;
        Rw rw = Rw.READ;
        int rwmixread = 50;
        long blockSize = DEFAULT_BLOCK_SIZE;
        long iodepth = DEFAULT_IODEPTH;
        long size = DEFAULT_SIZE;
        long runtime = DEFAULT_RUNTIME_NANOS;
        boolean direct = false;
        boolean verify = false;
        Path filename = null;
        OutputFormat format = OutputFormat.NORMAL;
        Path plotFile = null;
        int vthreads = 0;
        String jobName = "io-engine";
        int compareRounds = 0;
        List<String> contenders = List.of();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (options start with --; see --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            switch (name) {
                case "help", "h" -> {
                    return new BenchOptions(engine, rw, rwmixread, (int) blockSize, (int) iodepth, size, runtime,
                            direct, verify, filename, format, jobName, 0, List.of(), null, 0, true);
                }
                case "json" -> format = flag(name, inline) ? OutputFormat.JSON : OutputFormat.NORMAL;
                case "markdown" -> format = flag(name, inline) ? OutputFormat.MARKDOWN : OutputFormat.NORMAL;
                case "direct" -> direct = flag(name, inline);
                case "verify" -> verify = verifyFlag(inline);
                case "time_based" -> flag(name, inline);
                case "compare" -> compareRounds = inline == null ? 1
                        : (int) parseRange(name, inline, 1, MAX_COMPARE_ROUNDS);
                default -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")
                                || !isKnownValueOption(name)) {
                            throw isKnownValueOption(name)
                                    ? new UsageException("--" + name + " needs a value (--" + name + "=VALUE)")
                                    : unknown(arg);
                        }
                        value = args.get(++i);
                    }
                    switch (name) {
                        case "engine", "ioengine" -> engine = parseEngine(value);
                        case "rw", "readwrite" -> rw = Rw.parse(value);
                        case "rwmixread" -> rwmixread = (int) parseRange(name, value, 0, 100);
                        case "rwmixwrite" -> rwmixread = 100 - (int) parseRange(name, value, 0, 100);
                        case "bs", "blocksize" -> blockSize = Sizes.parseBytes("--bs", value);
                        case "iodepth" -> iodepth = parseRange(name, value, 1, IoEngineConfig.MAX_QUEUE_DEPTH);
                        case "size" -> size = Sizes.parseBytes("--size", value);
                        case "runtime" -> runtime = Sizes.parseDurationNanos("--runtime", value);
                        case "filename" -> filename = parsePath(name, value);
                        case "output-format" -> format = parseOutputFormat(value);
                        case "plot" -> plotFile = parsePath(name, value);
                        case "vthreads" -> vthreads = (int) parseRange(name, value, 1, MAX_VTHREADS);
                        case "name" -> jobName = value;
                        case "contenders" -> contenders = parseContenders(value);
                        default -> throw unknown(arg);
                    }
                }
            }
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
        if (!contenders.isEmpty() && compareRounds == 0) {
            compareRounds = 1;
        }
        if (vthreads > 0 && compareRounds == 0) {
            compareRounds = 1;
        }
        if (compareRounds > 0 && verify) {
            throw new UsageException("--compare measures speed and does not combine with --verify");
        }
        if (format == OutputFormat.MARKDOWN && compareRounds == 0) {
            throw new UsageException("--output-format=markdown is for --compare's table (plain bench: normal or "
                    + "json)");
        }
        size -= size % blockSize;
        return new BenchOptions(engine, rw, rwmixread, (int) blockSize, (int) iodepth, size, runtime, direct,
                verify, filename, format, jobName, compareRounds, contenders, plotFile, vthreads, false);
    }

    private static boolean isKnownValueOption(String name) {
        return switch (name) {
            case "engine", "ioengine", "rw", "readwrite", "rwmixread", "rwmixwrite", "bs", "blocksize", "iodepth",
                    "size", "runtime", "filename", "output-format", "name", "contenders", "plot", "vthreads" -> true;
            default -> false;
        };
    }

    private static UsageException unknown(String arg) {
        return new UsageException("unknown option '" + arg + "' (see io-engine bench --help)");
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
            case "markdown", "md" -> OutputFormat.MARKDOWN;
            default -> throw new UsageException("bad --output-format '" + value
                    + "': expected normal, json or markdown");
        };
    }

    /** The text of {@code io-engine bench --help}. */
    static String help() {
        return """
                usage: io-engine bench [OPTIONS]
                A fio-style load generator over the io-engine engine API: keeps --iodepth requests in flight on one
                file for --runtime seconds, then prints IOPS, bandwidth, latency percentiles, CPU per IO and the
                engine's batching. Options use fio's names; --name=value or --name value.

                  --engine=KIND        io_uring, aio, threads or auto (default auto; fio's --ioengine, libaio and
                                       psync are accepted too)
                  --rw=PATTERN         read, write, randread, randwrite or randrw (default read)
                  --rwmixread=PCT      percentage of reads for randrw (default 50; --rwmixwrite also accepted)
                  --bs=SIZE            block size per request (default 4k; k/m/g/t are powers of 1024)
                  --iodepth=N          requests kept in flight (default 32)
                  --size=SIZE          bytes of the file used (default 1g; rounded down to a multiple of --bs)
                  --runtime=SECONDS    length of the timed run (default 10; ms, s, m, h suffixes accepted)
                  --direct[=1|0]       open with O_DIRECT (buffers are 4096-aligned)
                  --filename=PATH      the file to use; default: a temporary file in java.io.tmpdir, laid out
                                       before the run and removed after it (also on Ctrl-C and on errors)
                  --verify[=crc32c|0]  write checksummed blocks (offset, generation, CRC32C) and check every read,
                                       then read back the whole file; exit status 1 on any mismatch
                  --output-format=F    normal (default), json (schema: see BenchReport and Compare) or, with
                                       --compare, markdown (the table as Markdown); --json and --markdown
                                       are short for these
                  --plot=FILE.svg      also draw the result as an SVG: latency by percentile (one line per
                                       contender) and IOPS per contender (with the ratio to fio io_uring);
                                       'io-engine plot --from=RESULT.json --out=FILE.svg' draws a saved
                                       --output-format=json result
                  --name=NAME          a name for the job, shown in the report
                  --compare[=ROUNDS]   run the job on every available engine, on the JDK's and io-engine's
                                       channels and on fio (io_uring, libaio; without fio on the PATH
                                       its rows say 'not run'), ROUNDS times alternating (default 1), and
                                       print a table of means with ratios to fio io_uring and to the JDK's
                                       AsynchronousFileChannel; --engine is then ignored
                  --contenders=LIST    with --compare (implies it): the contenders, comma-separated, from
                                       io_uring, aio, threads (io-engine's engine API), jdk-async,
                                       jdk-filechannel (the JDK's channels), io-engine-async,
                                       io-engine-filechannel (the same channels through io-engine's
                                       FileSystemProvider, engine auto; io-engine-async:aio and the like
                                       pick its engine), fio-io_uring, fio-libaio, jdk-filechannel-vthreads,
                                       io-engine-filechannel-vthreads (default: all available; the vthreads
                                       ones only with --vthreads)
                  --vthreads=N         with --compare (implies it): add jdk-filechannel-vthreads and
                                       io-engine-filechannel-vthreads: N virtual threads each doing positional
                                       IO on one shared FileChannel (one --bs buffer each), and report the
                                       most carrier threads busy at once (column 'carriers'); N defaults to
                                       10000 when they are named in --contenders without --vthreads
                  --time_based         accepted for fio compatibility: runs are always time based
                  --help               this text

                The file is laid out (written in full, as fio does) when it is new, too small, or --verify is on.
                Progress goes to stderr once a second. Exit status: 0 success, 1 IO error or verify mismatch,
                2 bad options.
                """;
    }
}
