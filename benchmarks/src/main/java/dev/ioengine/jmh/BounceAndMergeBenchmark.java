package dev.ioengine.jmh;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import dev.ioengine.channels.EngineChannels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two per-operation costs of their own, on page-cache reads through the engine (its {@code nowait} off, so no
 * read is served at once):
 * <ul>
 *   <li>{@link #fileChannelRead}: one 4 KiB {@code FileChannel.read(dst, position)}, into a heap buffer (copied
 *       through a pooled bounce buffer) or a direct one: the difference is the bounce's cost;
 *   <li>{@link #contiguousBatch}: 32 contiguous 4 KiB reads submitted together and awaited, with merging off
 *       ({@code mergeLimit} 0) or on (128 KiB): the difference is what merging saves, or costs.
 * </ul>
 * Run with {@code -prof gc} for the allocation per operation.
 *
 * <pre>./build bench BounceAndMerge -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BounceAndMergeBenchmark {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 4096;
    private static final int BATCH = 32;

    /** An engine with {@code nowait} off (every read goes through it) over a file of zeros. */
    abstract static class EngineState {
        IoEngine io;
        Path file;
        int next;

        void open(String engine, int mergeLimit) throws IOException {
            EngineKind kind = EngineKind.parse(engine);
            if (!EngineAvailability.probe(kind).available()) {
                throw new IllegalStateException(kind + " unavailable: " + EngineAvailability.probe(kind).reason());
            }
            io = IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(64).mergeLimit(mergeLimit)
                    .nowait(false).build());
            file = Files.createTempFile("io-engine-jmh", ".dat");
            Files.write(file, new byte[BLOCK * BLOCKS]);
        }

        void close() throws IOException {
            io.close();
            Files.deleteIfExists(file);
        }
    }

    @State(Scope.Thread)
    public static class BounceState extends EngineState {
        @Param({"io_uring", "aio", "threads"})
        public String engine;

        /** {@code heap} or {@code direct}: the buffer read into. */
        @Param({"heap", "direct"})
        public String buffer;

        FileChannel channel;
        ByteBuffer dst;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open(engine, 0);
            channel = EngineChannels.newFileChannel(io, file, Set.of(StandardOpenOption.READ));
            dst = buffer.equals("heap") ? ByteBuffer.allocate(BLOCK) : ByteBuffer.allocateDirect(BLOCK);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            channel.close();
            close();
        }
    }

    @State(Scope.Thread)
    public static class MergeState extends EngineState {
        @Param({"io_uring", "aio", "threads"})
        public String engine;

        /** The engine's {@code mergeLimit}: 0 (off) or 128 KiB. */
        @Param({"0", "131072"})
        public int mergeLimit;

        Arena arena;
        IoFile fd;
        final IoRequest[] requests = new IoRequest[BATCH];
        final MemorySegment[] segments = new MemorySegment[BATCH];

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open(engine, mergeLimit);
            arena = Arena.ofShared();
            fd = IoFile.open(file, StandardOpenOption.READ);
            for (int i = 0; i < BATCH; i++) {
                segments[i] = AlignedBuffers.allocate(arena, BLOCK, BLOCK);
                requests[i] = new IoRequest();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fd.close();
            close();
            arena.close();
        }
    }

    @Benchmark
    public int fileChannelRead(BounceState s) throws IOException {
        s.next = (s.next + 7919) & (BLOCKS - 1);
        s.dst.clear();
        return s.channel.read(s.dst, (long) s.next * BLOCK);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long contiguousBatch(MergeState s) throws Exception {
        s.next = (s.next + BATCH) & (BLOCKS - 1);
        for (int i = 0; i < BATCH; i++) {
            s.io.submit(s.requests[i].prepareRead(s.fd, (long) (s.next + i) * BLOCK, s.segments[i]));
        }
        long total = 0;
        for (int i = 0; i < BATCH; i++) {
            s.requests[i].await();
            total += s.requests[i].result();
        }
        return total;
    }
}
