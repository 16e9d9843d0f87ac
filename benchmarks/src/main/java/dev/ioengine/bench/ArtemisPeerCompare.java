package dev.ioengine.bench;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.apache.activemq.artemis.nativo.jlibaio.LibaioContext;
import org.apache.activemq.artemis.nativo.jlibaio.LibaioFile;
import org.apache.activemq.artemis.nativo.jlibaio.SubmitInfo;

/**
 * io-engine's AIO engine next to Apache Artemis's native libaio wrapper ({@code activemq-artemis-native}, JNI),
 * the same job on the same file: 4 KiB random reads (and writes) at a queue depth of 32 with {@code O_DIRECT},
 * alternating between the two, {@code N} rounds, one table with IOPS, latency, CPU per IO and the ratio
 * io-engine / Artemis. Benchmark code only: Artemis is a dependency of the {@code jmh} Maven profile, never of the
 * library.
 *
 * <p>Both sides run the same loop: {@code iodepth} slots, each with its own aligned buffer, resubmitted from its
 * completion callback until the deadline, so that {@code iodepth} requests stay in flight.
 * <ul>
 *   <li><b>Artemis</b>: one {@link LibaioContext} (queue size {@code 2 * iodepth}, with its semaphore), one
 *       {@link LibaioFile} opened with {@code O_DIRECT}, and one thread in {@link LibaioContext#poll()}, as Artemis's
 *       journal runs it; {@link SubmitInfo#done()} runs on that thread and resubmits there. Artemis releases its
 *       semaphore permit only after {@code done()} returns, hence the queue size above {@code iodepth}.</li>
 *   <li><b>io-engine</b>: {@link IoEngine#open} with {@code engine=aio}, {@code queueDepth=iodepth},
 *       {@link CompletionMode#INLINE}; one reusable {@link IoRequest} per slot, resubmitted with
 *       {@link IoEngine#trySubmit} from its callback, on the engine's reaper thread.</li>
 * </ul>
 * Latency is submit to the start of the callback, in an HdrHistogram written by the callback thread only. CPU is
 * the process CPU time ({@link ProcessHandle.Info#totalCpuDuration()}, user + system of every thread, as
 * {@code getProcessCpuTime} would give: {@code java.management} is not readable from this module's test sources)
 * over the timed pass, divided by the IOs: the whole JVM, for both sides alike. Each measurement is preceded by a warm-up pass on the
 * same context / engine.
 *
 * <p>Run (see README, "Benchmarks"):
 * <pre>
 * BENCH_MAIN=dev.ioengine.bench.ArtemisPeerCompare \
 *     ./build bench --file=/var/tmp/ioe-bench-1g.dat --rw=randread,randwrite --rounds=3 --runtime=5
 * </pre>
 * The file must exist (for example the one {@code ./io-engine bench --size=1g} lays out); random writes
 * overwrite its blocks. Artemis's JNI library is loaded from its jar, extracted to a temporary file.
 */
public final class ArtemisPeerCompare {
    private static final long ALIGNMENT = 4096;

    private ArtemisPeerCompare() {
    }

    record Options(Path file, List<String> rws, int rounds, double runtimeSeconds, double warmupSeconds,
            int iodepth, int blockSize) {
        static Options parse(String[] args) {
            Path file = Path.of("/var/tmp/ioe-bench-1g.dat");
            List<String> rws = List.of("randread", "randwrite");
            int rounds = 3;
            double runtime = 5;
            double warmup = 1;
            int iodepth = 32;
            int bs = 4096;
            for (String arg : args) {
                String[] kv = arg.replaceFirst("^--", "").split("=", 2);
                String value = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "file" -> file = Path.of(value);
                    case "rw" -> rws = List.of(value.split(","));
                    case "rounds" -> rounds = Integer.parseInt(value);
                    case "runtime" -> runtime = Double.parseDouble(value);
                    case "warmup" -> warmup = Double.parseDouble(value);
                    case "iodepth" -> iodepth = Integer.parseInt(value);
                    case "bs" -> bs = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + "; options: --file= "
                            + "--rw=randread,randwrite --rounds= --runtime=SECONDS --warmup=SECONDS --iodepth= --bs=");
                }
            }
            for (String rw : rws) {
                if (!rw.equals("randread") && !rw.equals("randwrite")) {
                    throw new IllegalArgumentException("--rw takes randread and/or randwrite, not " + rw);
                }
            }
            if (bs % ALIGNMENT != 0) {
                throw new IllegalArgumentException("--bs must be a multiple of " + ALIGNMENT + " (O_DIRECT)");
            }
            return new Options(file, rws, rounds, runtime, warmup, iodepth, bs);
        }
    }

    /** One measured pass. */
    record Result(String contender, String rw, int round, long ios, long elapsedNanos, long cpuNanos,
            Histogram latency) {
        double iops() {
            return ios * 1e9 / elapsedNanos;
        }

        double cpuMicrosPerIo() {
            return cpuNanos / 1e3 / ios;
        }

        double meanMicros() {
            return latency.getMean() / 1e3;
        }

        double p99Micros() {
            return latency.getValueAtPercentile(99) / 1e3;
        }
    }

    /**
     * One timed pass of the slot loop: counts completions, records latency, and says whether a slot may go on.
     * Written by the callback thread only (both contenders deliver completions on one thread), read by the main
     * thread after {@link #awaitStopped}.
     */
    static final class Pass {
        final long deadline;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final CountDownLatch stopped;
        final AtomicReference<String> failure = new AtomicReference<>();
        long ios;
        long lastCompletion;

        Pass(long deadline, int slots) {
            this.deadline = deadline;
            this.stopped = new CountDownLatch(slots);
        }

        /** Records one completion; true if the slot should submit again. */
        boolean completed(long submittedAt) {
            long now = System.nanoTime();
            latency.recordValue(Math.min(now - submittedAt, latency.getHighestTrackableValue()));
            ios++;
            lastCompletion = now;
            if (now < deadline && failure.get() == null) {
                return true;
            }
            stopped.countDown();
            return false;
        }

        void failed(String why) {
            failure.compareAndSet(null, why);
            stopped.countDown();
        }

        void awaitStopped() throws InterruptedException {
            if (!stopped.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("requests still in flight 60 s after the deadline");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("IO failed: " + failure.get());
            }
        }
    }

    /** A contender: opened once per measurement, runs passes, closed. */
    interface Contender extends AutoCloseable {
        /** Starts every slot on {@code pass}; the slots stop themselves at its deadline. */
        void start(Pass pass) throws IOException;

        @Override
        void close() throws Exception;
    }

    static long randomPosition(long blocks, int blockSize) {
        return ThreadLocalRandom.current().nextLong(blocks) * blockSize;
    }

    // ---- Artemis ---------------------------------------------------------------------------------------------

    /** Loads Artemis's JNI library from its jar (lib/linux-x86_64), as its own loader would from java.library.path. */
    static void loadArtemisNative() throws IOException {
        String resource = "lib/linux-x86_64/libartemis-native-64.so";
        try (InputStream in = LibaioContext.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the classpath (activemq-artemis-native jar missing?)");
            }
            Path so = Files.createTempFile("libartemis-native-64", ".so");
            so.toFile().deleteOnExit();
            Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
            // Loaded by this class's loader, which also loaded LibaioContext: its native methods bind to it.
            System.load(so.toString());
        }
    }

    static final class ArtemisContender implements Contender {
        private final LibaioContext<ArtemisSlot> context;
        private final LibaioFile<ArtemisSlot> file;
        private final Thread poller;
        private final ArtemisSlot[] slots;

        ArtemisContender(Options o, boolean write) throws IOException {
            context = new LibaioContext<>(2 * o.iodepth(), true, false);
            file = context.openFile(o.file().toFile(), true);
            poller = Thread.ofPlatform().name("artemis-poller").daemon().start(context::poll);
            long blocks = Files.size(o.file()) / o.blockSize();
            slots = new ArtemisSlot[o.iodepth()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new ArtemisSlot(file, LibaioContext.newAlignedBuffer(o.blockSize(), (int) ALIGNMENT),
                        o.blockSize(), blocks, write);
            }
        }

        @Override
        public void start(Pass pass) throws IOException {
            for (ArtemisSlot s : slots) {
                s.pass = pass;
                s.submit();
            }
        }

        @Override
        public void close() throws Exception {
            context.close(); // wakes and ends the poll loop
            poller.join(TimeUnit.SECONDS.toMillis(30));
            file.close();
            for (ArtemisSlot s : slots) {
                LibaioContext.freeBuffer(s.buffer);
            }
        }
    }

    static final class ArtemisSlot implements SubmitInfo {
        final LibaioFile<ArtemisSlot> file;
        final ByteBuffer buffer;
        final int blockSize;
        final long blocks;
        final boolean write;
        /** Set by the main thread between passes, read by the callback thread. */
        volatile Pass pass;
        long submittedAt;

        ArtemisSlot(LibaioFile<ArtemisSlot> file, ByteBuffer buffer, int blockSize, long blocks, boolean write) {
            this.file = file;
            this.buffer = buffer;
            this.blockSize = blockSize;
            this.blocks = blocks;
            this.write = write;
            for (int i = 0; i < blockSize; i++) {
                buffer.put(i, (byte) ThreadLocalRandom.current().nextInt());
            }
        }

        void submit() {
            submittedAt = System.nanoTime();
            try {
                if (write) {
                    file.write(randomPosition(blocks, blockSize), blockSize, buffer, this);
                } else {
                    file.read(randomPosition(blocks, blockSize), blockSize, buffer, this);
                }
            } catch (IOException e) {
                pass.failed("Artemis submit: " + e);
            }
        }

        @Override
        public void done() {
            if (pass.completed(submittedAt)) {
                submit();
            }
        }

        @Override
        public void onError(int errno, String message) {
            pass.failed("Artemis errno " + errno + ": " + message);
        }
    }

    // ---- io-engine -------------------------------------------------------------------------------------------

    static final class IoEngineContender implements Contender {
        private final IoEngine engine;
        private final Arena arena = Arena.ofShared();
        private final IoFile fd;
        private final EngineSlot[] slots;

        IoEngineContender(Options o, boolean write) throws IOException {
            try {
                fd = IoFile.open(o.file(), StandardOpenOption.READ, StandardOpenOption.WRITE, extendedDirect());
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            engine = IoEngine.open(IoEngineConfig.builder().engine(EngineKind.AIO).queueDepth(o.iodepth())
                    .completionMode(CompletionMode.INLINE).name("peer-compare").build());
            long blocks = Files.size(o.file()) / o.blockSize();
            slots = new EngineSlot[o.iodepth()];
            for (int i = 0; i < slots.length; i++) {
                MemorySegment buffer = AlignedBuffers.allocate(arena, o.blockSize(), ALIGNMENT);
                for (long b = 0; b < buffer.byteSize(); b++) {
                    buffer.set(ValueLayout.JAVA_BYTE, b, (byte) ThreadLocalRandom.current().nextInt());
                }
                slots[i] = new EngineSlot(engine, fd, buffer, o.blockSize(), blocks, write);
            }
        }

        @Override
        public void start(Pass pass) {
            for (EngineSlot s : slots) {
                s.pass = pass;
                s.submit();
            }
        }

        @Override
        public void close() {
            engine.close();
            fd.close();
            arena.close();
        }
    }

    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, by name: the code is compiled without jdk.unsupported. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static OpenOption extendedDirect() {
        try {
            return (OpenOption) Enum.valueOf((Class) Class.forName("com.sun.nio.file.ExtendedOpenOption"), "DIRECT");
        } catch (ClassNotFoundException e) {
            throw new UnsupportedOperationException(e);
        }
    }

    static final class EngineSlot {
        final IoEngine engine;
        final IoFile fd;
        final MemorySegment buffer;
        final int blockSize;
        final long blocks;
        final boolean write;
        final IoRequest request = new IoRequest();
        /** Set by the main thread between passes, read by the callback thread. */
        volatile Pass pass;
        long submittedAt;

        EngineSlot(IoEngine engine, IoFile fd, MemorySegment buffer, int blockSize, long blocks, boolean write) {
            this.engine = engine;
            this.fd = fd;
            this.buffer = buffer;
            this.blockSize = blockSize;
            this.blocks = blocks;
            this.write = write;
            request.callback(this::done);
        }

        void submit() {
            long position = randomPosition(blocks, blockSize);
            if (write) {
                request.prepareWrite(fd, position, buffer);
            } else {
                request.prepareRead(fd, position, buffer);
            }
            submittedAt = System.nanoTime();
            if (!engine.trySubmit(request)) {
                pass.failed("io-engine full (never expected: one request per slot, queueDepth slots)");
            }
        }

        private void done(IoRequest r) {
            if (!r.isSuccess() || r.result() != blockSize) {
                pass.failed("io-engine: " + r);
                return;
            }
            if (pass.completed(submittedAt)) {
                submit();
            }
        }
    }

    // ---- driver ----------------------------------------------------------------------------------------------

    static Result measure(String name, String rw, int round, Options o) throws Exception {
        boolean write = rw.equals("randwrite");
        try (Contender c = name.equals("artemis") ? new ArtemisContender(o, write) : new IoEngineContender(o, write)) {
            if (o.warmupSeconds() > 0) {
                Pass warm = new Pass(System.nanoTime() + (long) (o.warmupSeconds() * 1e9), o.iodepth());
                c.start(warm);
                warm.awaitStopped();
            }
            long startCpu = processCpuNanos();
            long start = System.nanoTime();
            Pass pass = new Pass(start + (long) (o.runtimeSeconds() * 1e9), o.iodepth());
            c.start(pass);
            pass.awaitStopped();
            long cpu = processCpuNanos() - startCpu;
            return new Result(name, rw, round, pass.ios, pass.lastCompletion - start, cpu, pass.latency);
        }
    }

    /** The process's CPU time, user + system, all threads (from /proc/self/stat: 10 ms resolution). */
    static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (!Files.isRegularFile(o.file())) {
            System.err.println(o.file() + " does not exist: lay it out first, e.g. ./io-engine bench --size=1g "
                    + "--filename=" + o.file());
            System.exit(2);
        }
        loadArtemisNative();
        System.out.printf(Locale.ROOT, "peer compare: file=%s (%d MiB), bs=%d, iodepth=%d, O_DIRECT, runtime=%.1fs "
                + "(+%.1fs warm-up), %d round(s), order alternating%n", o.file(), Files.size(o.file()) >> 20,
                o.blockSize(), o.iodepth(), o.runtimeSeconds(), o.warmupSeconds(), o.rounds());
        List<Result> results = new ArrayList<>();
        for (String rw : o.rws()) {
            for (int round = 0; round < o.rounds(); round++) {
                List<String> order = round % 2 == 0 ? List.of("io-engine-aio", "artemis")
                        : List.of("artemis", "io-engine-aio");
                for (String name : order) {
                    Result r = measure(name, rw, round, o);
                    results.add(r);
                    System.out.printf(Locale.ROOT, "  %-9s round %d  %-14s %9.0f IOPS  lat mean %8.1f us  "
                            + "p99 %8.1f us  CPU/IO %6.2f us%n", rw, round, name, r.iops(), r.meanMicros(),
                            r.p99Micros(), r.cpuMicrosPerIo());
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-9s %-14s %9s %11s %11s %9s   %s%n", "rw", "contender", "IOPS",
                "lat mean", "lat p99", "CPU/IO", "io-engine / artemis: IOPS, CPU/IO, p99 (per round)");
        for (String rw : o.rws()) {
            List<Result> engine = results.stream().filter(r -> r.rw().equals(rw) && r.contender().equals("io-engine-aio"))
                    .toList();
            List<Result> artemis = results.stream().filter(r -> r.rw().equals(rw) && r.contender().equals("artemis"))
                    .toList();
            StringBuilder ratios = new StringBuilder();
            for (int i = 0; i < engine.size(); i++) {
                Result e = engine.get(i);
                Result a = artemis.get(i);
                ratios.append(String.format(Locale.ROOT, "%s[%.2fx %.2fx %.2fx]", i == 0 ? "" : " ", e.iops() / a.iops(),
                        e.cpuMicrosPerIo() / a.cpuMicrosPerIo(), e.p99Micros() / a.p99Micros()));
            }
            printMean(rw, "io-engine-aio", engine, ratios.toString());
            printMean(rw, "artemis", artemis, "");
            System.out.printf(Locale.ROOT, "  %-9s ratio io-engine/artemis (means): IOPS %.2fx, CPU/IO %.2fx, "
                    + "lat mean %.2fx, p99 %.2fx%n", rw, mean(engine, Result::iops) / mean(artemis, Result::iops),
                    mean(engine, Result::cpuMicrosPerIo) / mean(artemis, Result::cpuMicrosPerIo),
                    mean(engine, Result::meanMicros) / mean(artemis, Result::meanMicros),
                    mean(engine, Result::p99Micros) / mean(artemis, Result::p99Micros));
        }
    }

    private static void printMean(String rw, String name, List<Result> rs, String tail) {
        System.out.printf(Locale.ROOT, "  %-9s %-14s %9.0f %8.1f us %8.1f us %6.2f us   %s%n", rw, name,
                mean(rs, Result::iops), mean(rs, Result::meanMicros), mean(rs, Result::p99Micros),
                mean(rs, Result::cpuMicrosPerIo), tail);
    }

    private static double mean(List<Result> rs, ToDoubleFunction<Result> f) {
        return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
