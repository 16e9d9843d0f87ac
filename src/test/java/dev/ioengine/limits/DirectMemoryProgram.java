package dev.ioengine.limits;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link DirectMemoryExhaustionTest} with {@code -XX:MaxDirectMemorySize=8m}: for each engine, opens
 * channels through a provider on it and an engine, then holds every byte of direct memory there is and tries
 * heap-buffer transfers (which io-engine copies through direct bounce buffers), transfers from direct buffers and
 * memory allocated before, the engine API, an engine open and an aligned direct allocation; the JDK's own
 * {@code FileChannel} tries the large heap transfers too, for comparison. Then it lets the memory go and checks that
 * the same channels and engine work and hold the right bytes.
 *
 * <p>Arguments: the report file, the directory to work in, and the {@code MaxDirectMemorySize} in bytes.
 */
public final class DirectMemoryProgram {
    /** Larger than the bounce pool's largest pooled size, so it cannot come from the pool. */
    static final int LARGE = 2 << 20;
    static final int SMALL = 4096;
    static final int BASE = 64 << 10;

    private DirectMemoryProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Outcomes outcomes = new Outcomes();
        int fdsAtStart = Outcomes.openFds();
        List<Target> targets = new ArrayList<>();
        try {
            for (EngineKind kind : List.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)) {
                EngineAvailability availability = EngineAvailability.probe(kind);
                if (availability.available()) {
                    targets.add(Target.open(kind, work));
                } else {
                    outcomes.put(kind.id() + ".unavailable", availability.reason());
                }
            }
            try (FileChannel jdk = FileChannel.open(work.resolve("jdk.bin"), CREATE, READ, WRITE)) {
                for (Target t : targets) {
                    t.channel.write(ByteBuffer.wrap(pattern(BASE, 1)), 0);
                    outcomes.put(t.k + ".engineOpen", t.engine.kind());
                    exercise(outcomes, t.k + ".before", t, 2);
                }
                jdk.write(ByteBuffer.wrap(pattern(BASE, 1)), 0);

                List<ByteBuffer> hog = new ArrayList<>();
                long held = exhaust(hog, Long.parseLong(args[2]));
                outcomes.put("pressure.heldBytes", held);
                for (Target t : targets) {
                    exercise(outcomes, t.k + ".pressure", t, 3);
                    outcomes.attempt(t.k + ".pressure.engine.write",
                            () -> t.engine.execute(RawRequests.write(t.fd, 0, t.segment)));
                    outcomes.attempt(t.k + ".pressure.engine.read",
                            () -> t.engine.execute(RawRequests.read(t.fd, 0, t.segment)));
                    outcomes.attempt(t.k + ".pressure.engineOpen", () -> openAndClose(t.kind));
                }
                outcomes.attempt("pressure.alignedAllocateDirect",
                        () -> AlignedBuffers.allocateDirect(1 << 20, 4096).capacity());
                outcomes.attempt("jdk.pressure.write.large", () -> jdk.write(ByteBuffer.wrap(pattern(LARGE, 3)), 1 << 20));
                outcomes.attempt("jdk.pressure.read.large", () -> jdk.read(ByteBuffer.allocate(LARGE), 0));
                hog.clear();
                release(held);

                for (Target t : targets) {
                    outcomes.attempt(t.k + ".after.contentOfPressureWrite",
                            () -> which(read(t.channel, 1 << 20), 2, 3));
                    outcomes.attempt(t.k + ".after.contentOfPressureAsyncWrite",
                            () -> which(read(t.channel, 4 << 20), 2, 3));
                    exercise(outcomes, t.k + ".after", t, 4);
                    outcomes.attempt(t.k + ".after.verify", () -> verify(t.channel, t.async, 4));
                    outcomes.attempt(t.k + ".after.engine.write",
                            () -> t.engine.execute(RawRequests.write(t.fd, 0, t.segment)));
                    outcomes.attempt(t.k + ".after.engine.read",
                            () -> t.engine.execute(RawRequests.read(t.fd, 0, t.segment)));
                    outcomes.attempt(t.k + ".after.engineOpen", () -> openAndClose(t.kind));
                }
            }
        } finally {
            for (Target t : targets) {
                t.close();
            }
        }
        outcomes.put("fds.start", fdsAtStart);
        outcomes.put("fds.end", Outcomes.openFds());
        outcomes.put("fds.list", Outcomes.describeFds());
        outcomes.write(report);
    }

    /** One engine's side: channels through a provider on it, an engine of its own, and a descriptor for that. */
    private record Target(EngineKind kind, String k, IoEngineFileSystemProvider provider, FileChannel channel,
            AsynchronousFileChannel async, IoEngine engine, Arena arena, MemorySegment segment, ByteBuffer direct,
            int fd) {
        static Target open(EngineKind kind, Path work) throws IOException {
            String k = kind.id();
            IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
            FileSystem fs = provider.getFileSystem(URI.create("file:///"));
            Path file = fs.getPath(work.resolve(k + ".bin").toString());
            String previous = System.getProperty("ioengine.engine");
            System.setProperty("ioengine.engine", k);
            FileChannel channel;
            AsynchronousFileChannel async;
            try {
                channel = FileChannel.open(file, CREATE, READ, WRITE);
                async = AsynchronousFileChannel.open(file, READ, WRITE);
            } finally {
                restore(previous);
            }
            IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("limits-" + k).build());
            Arena arena = Arena.ofShared();
            int fd = LibC.open(work.resolve(k + "-engine.bin").toString(), LibC.O_RDWR | LibC.O_CREAT, 0600);
            return new Target(kind, k, provider, channel, async, engine, arena,
                    AlignedBuffers.allocate(arena, SMALL, 4096), ByteBuffer.allocateDirect(SMALL), fd);
        }

        void close() throws Exception {
            LibC.close(fd);
            channel.close();
            async.close();
            engine.close();
            arena.close();
            closeProviderEngine(provider);
        }
    }

    /**
     * Heap transfers large (a fresh bounce buffer) and small (one the pool may hold), and a transfer from a direct
     * buffer allocated earlier, through both channels; {@code seed} makes the bytes of this round.
     */
    private static void exercise(Outcomes o, String prefix, Target t, int seed) {
        FileChannel channel = t.channel;
        AsynchronousFileChannel async = t.async;
        ByteBuffer direct = t.direct;
        o.attempt(prefix + ".write.large", () -> channel.write(ByteBuffer.wrap(pattern(LARGE, seed)), 1 << 20));
        o.attempt(prefix + ".read.large", () -> channel.read(ByteBuffer.allocate(LARGE), 1 << 20));
        o.attempt(prefix + ".write.small", () -> channel.write(ByteBuffer.wrap(pattern(SMALL, seed)), 0));
        o.attempt(prefix + ".read.small", () -> channel.read(ByteBuffer.allocate(SMALL), 0));
        o.attempt(prefix + ".write.direct", () -> channel.write(direct.clear(), BASE - SMALL));
        o.attempt(prefix + ".read.direct", () -> channel.read(direct.clear(), 0));
        o.attempt(prefix + ".async.write.large",
                () -> async.write(ByteBuffer.wrap(pattern(LARGE, seed)), 4 << 20).get(10, TimeUnit.SECONDS));
        o.attempt(prefix + ".async.read.large",
                () -> async.read(ByteBuffer.allocate(LARGE), 0).get(10, TimeUnit.SECONDS));
        o.attempt(prefix + ".async.read.direct", () -> async.read(direct.clear(), 0).get(10, TimeUnit.SECONDS));
    }

    /** After the pressure: the last round's large writes are in the file, through both channels. */
    private static String verify(FileChannel channel, AsynchronousFileChannel async, int seed) throws Exception {
        ByteBuffer back = ByteBuffer.allocate(LARGE);
        while (back.hasRemaining() && channel.read(back, (1 << 20) + back.position()) > 0) {
            continue;
        }
        if (!Arrays.equals(back.array(), pattern(LARGE, seed))) {
            throw new AssertionError("FileChannel: the bytes read back differ from the bytes written");
        }
        ByteBuffer asyncBack = ByteBuffer.allocate(LARGE);
        while (asyncBack.hasRemaining()
                && async.read(asyncBack, (4L << 20) + asyncBack.position()).get(10, TimeUnit.SECONDS) > 0) {
            continue;
        }
        if (!Arrays.equals(asyncBack.array(), pattern(LARGE, seed))) {
            throw new AssertionError("AsynchronousFileChannel: the bytes read back differ from the bytes written");
        }
        return "verified";
    }

    private static byte[] read(FileChannel channel, long position) throws IOException {
        ByteBuffer back = ByteBuffer.allocate(LARGE);
        while (back.hasRemaining() && channel.read(back, position + back.position()) > 0) {
            continue;
        }
        return back.array();
    }

    /**
     * Which round's bytes a region holds: {@code before} (a failed write left it alone), {@code tried} (the write
     * went through), or neither (torn: an exception was thrown, and yet some bytes changed).
     */
    private static String which(byte[] bytes, int before, int tried) {
        if (Arrays.equals(bytes, pattern(LARGE, before))) {
            return "unchanged";
        }
        return Arrays.equals(bytes, pattern(LARGE, tried)) ? "written" : "torn";
    }

    /**
     * Allocates direct buffers until {@code limit} bytes are held, or none more fits (each failed reservation costs
     * the JDK half a second of collecting and waiting, so the sizes are worked out rather than tried); returns the
     * bytes held.
     */
    static long exhaust(List<ByteBuffer> hog, long limit) throws InterruptedException {
        System.gc();
        Thread.sleep(100);
        long held = 0;
        int size = 1 << 20;
        int collections = 0;
        while (size >= 64) {
            long free = limit - DirectPool.used();
            if (free < 64) {
                if (++collections > 3) {
                    break;
                }
                System.gc();
                Thread.sleep(50);
                continue;
            }
            int next = (int) Math.min(size, free);
            try {
                hog.add(ByteBuffer.allocateDirect(next));
                held += next;
            } catch (OutOfMemoryError full) {
                size >>= 2;
            }
        }
        return held;
    }

    /** Waits (at most 10 s) until the garbage collector has given back the held direct memory. */
    static void release(long held) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            System.gc();
            try {
                ByteBuffer.allocateDirect((int) Math.min(held / 2, 4 << 20));
                return;
            } catch (OutOfMemoryError stillHeld) {
                Thread.sleep(50);
            }
        }
    }

    private static String openAndClose(EngineKind kind) throws IOException {
        try (IoEngine e = IoEngine.open(IoEngineConfig.builder().engine(kind).name("limits-extra").build())) {
            return e.kind().id();
        }
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed * 17 + (i >>> 12));
        }
        return b;
    }

    static void restore(String previousEngine) {
        if (previousEngine == null) {
            System.clearProperty("ioengine.engine");
        } else {
            System.setProperty("ioengine.engine", previousEngine);
        }
    }

    /** Closes a provider's engine through its test-only {@code ProviderEngine.close()} (the provider never does). */
    static void closeProviderEngine(IoEngineFileSystemProvider provider) throws ReflectiveOperationException {
        var engineAccessor = IoEngineFileSystemProvider.class.getDeclaredMethod("engine");
        engineAccessor.setAccessible(true);
        Object providerEngine = engineAccessor.invoke(provider);
        var close = providerEngine.getClass().getDeclaredMethod("close");
        close.setAccessible(true);
        close.invoke(providerEngine);
    }

}
