import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import com.sun.nio.file.ExtendedOpenOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One workload of scripts/jdk-parity.sh, run in a JVM of its own with whatever default file system provider the
 * JVM was started with (the JDK's, or io-engine's drop-in): plain JDK API calls, nothing io-engine specific. Prints
 * one number: operations per second (or, for {@code readString}, nothing: the script times the whole JVM).
 *
 * <pre>
 *   java JdkParity readString FILE
 *   java JdkParity readAllBytes DIR THREADS SECONDS   (2,000 files of 4 KiB, made if missing)
 *   java JdkParity writeForce FILE THREADS SECONDS    (each thread: 4 KiB positional write, then force(false))
 *   java JdkParity streamWrites FILE SECONDS          (8 KiB writes through Files.newOutputStream, buffered)
 *   java JdkParity randomReads FILE THREADS SECONDS   (4 KiB positional reads of a cached 64 MiB file)
 *   java JdkParity directReads FILE THREADS SECONDS   (the same with O_DIRECT: ExtendedOpenOption.DIRECT)
 * </pre>
 * THREADS is a number of platform threads, or {@code vN} for N virtual threads; with virtual threads the shared
 * channel of writeForce and randomReads is opened on a virtual thread too (the provider decides by the opener).
 * Each timed workload runs one warm-up period of the same length first.
 */
public final class JdkParity {
    private static final int FILES = 2000;
    private static final int SMALL = 4096;
    private static final long READ_FILE_SIZE = 64L << 20;
    private static final long STREAM_FILE_LIMIT = 256L << 20;

    private JdkParity() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "readString" -> Files.readString(Path.of(args[1]));
            case "readAllBytes" -> print(readAllBytes(Path.of(args[1]), args[2], seconds(args[3])));
            case "writeForce" -> print(writeForce(Path.of(args[1]), args[2], seconds(args[3])));
            case "streamWrites" -> print(streamWrites(Path.of(args[1]), seconds(args[2])));
            case "randomReads" -> print(randomReads(Path.of(args[1]), args[2], seconds(args[3]), false));
            case "directReads" -> print(randomReads(Path.of(args[1]), args[2], seconds(args[3]), true));
            default -> throw new IllegalArgumentException("unknown workload " + args[0]);
        }
    }

    private static long seconds(String s) {
        return (long) (Double.parseDouble(s) * 1e9);
    }

    private static void print(double opsPerSecond) {
        System.out.printf("%.1f%n", opsPerSecond);
    }

    /** Runs {@code body} for a warm-up period, then for a timed one: operations per second of the timed one. */
    private interface Body {
        long run(long untilNanos) throws Exception;
    }

    private static double timed(long nanos, Body body) throws Exception {
        body.run(System.nanoTime() + nanos);
        long start = System.nanoTime();
        long ops = body.run(start + nanos);
        return ops * 1e9 / (System.nanoTime() - start);
    }

    private static double readAllBytes(Path dir, String threads, long nanos) throws Exception {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        byte[] content = new byte[SMALL];
        for (int i = 0; i < FILES; i++) {
            Path f = dir.resolve("f" + i);
            if (!Files.exists(f)) {
                Files.write(f, content);
            }
            files.add(f);
        }
        return timed(nanos, until -> onThreads(threads, until, (t, ops) -> {
            if (Files.readAllBytes(files.get((int) ((t * 7919 + ops) % FILES))).length != SMALL) {
                throw new IllegalStateException();
            }
        }));
    }

    private static double writeForce(Path file, String threads, long nanos) throws Exception {
        try (FileChannel ch = openOn(threads, () -> FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            return timed(nanos, until -> onThreads(threads, until, (t, ops) -> {
                ByteBuffer b = ByteBuffer.allocate(SMALL);
                long at = ((long) t * 256 + ops % 256) * SMALL;
                ch.write(b, at);
                ch.force(false);
            }));
        }
    }

    private static double streamWrites(Path file, long nanos) throws Exception {
        byte[] chunk = new byte[8192];
        return timed(nanos, until -> {
            long ops = 0;
            while (System.nanoTime() < until) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 8192)) {
                    for (long written = 0; written < STREAM_FILE_LIMIT && System.nanoTime() < until;
                            written += chunk.length) {
                        out.write(chunk);
                        ops++;
                    }
                }
            }
            return ops;
        });
    }

    private static double randomReads(Path file, String threads, long nanos, boolean direct) throws Exception {
        if (!Files.exists(file) || Files.size(file) != READ_FILE_SIZE) {
            byte[] data = new byte[1 << 20];
            new Random(1).nextBytes(data);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long n = 0; n < READ_FILE_SIZE; n += data.length) {
                    out.write(data);
                }
            }
        }
        OpenOption[] options = direct ? new OpenOption[] {StandardOpenOption.READ, ExtendedOpenOption.DIRECT}
                : new OpenOption[] {StandardOpenOption.READ};
        try (FileChannel ch = openOn(threads, () -> FileChannel.open(file, options))) {
            long blocks = READ_FILE_SIZE / SMALL;
            if (!direct) {
                ByteBuffer warm = ByteBuffer.allocate(1 << 20);
                for (long at = 0; at < READ_FILE_SIZE; at += warm.capacity()) {
                    ch.read(warm.clear(), at);
                }
            }
            ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> direct
                    ? ByteBuffer.allocateDirect(2 * SMALL).alignedSlice(SMALL).slice(0, SMALL) : ByteBuffer.allocate(SMALL));
            ThreadLocal<Random> randoms = ThreadLocal.withInitial(Random::new);
            return timed(nanos, until -> onThreads(threads, until, (t, ops) -> {
                ByteBuffer b = buffers.get().clear();
                if (ch.read(b, randoms.get().nextLong(blocks) * SMALL) != SMALL) {
                    throw new IllegalStateException();
                }
            }));
        }
    }

    private interface Op {
        void run(int thread, long ops) throws Exception;
    }

    private interface Opener {
        FileChannel open() throws IOException;
    }

    /** Opens the shared channel on the kind of thread the workload runs on. */
    private static FileChannel openOn(String threads, Opener opener) throws Exception {
        if (!threads.startsWith("v")) {
            return opener.open();
        }
        FileChannel[] opened = new FileChannel[1];
        Exception[] failed = new Exception[1];
        Thread.ofVirtual().start(() -> {
            try {
                opened[0] = opener.open();
            } catch (IOException e) {
                failed[0] = e;
            }
        }).join();
        if (failed[0] != null) {
            throw failed[0];
        }
        return opened[0];
    }

    /**
     * Runs {@code op} on {@code spec} threads ({@code N} platform threads, {@code vN} virtual ones) until
     * {@code until}: the operations done in all.
     */
    private static long onThreads(String spec, long until, Op op) throws Exception {
        boolean virtual = spec.startsWith("v");
        int threads = Integer.parseInt(virtual ? spec.substring(1) : spec);
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
        LongAdder total = new LongAdder();
        AtomicBoolean failed = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            builder.start(() -> {
                long ops = 0;
                try {
                    while (System.nanoTime() < until && !failed.get()) {
                        op.run(id, ops);
                        ops++;
                    }
                } catch (Throwable e) {
                    failed.set(true);
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    total.add(ops);
                    done.countDown();
                }
            });
        }
        done.await();
        if (!failures.isEmpty()) {
            throw new IOException("a workload thread failed", failures.get(0));
        }
        return total.sum();
    }
}
