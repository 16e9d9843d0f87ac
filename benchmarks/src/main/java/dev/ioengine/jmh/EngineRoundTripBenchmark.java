package dev.ioengine.jmh;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Per-operation cost of the engine itself: one 4 KiB page-cache read submitted and awaited (submit, kernel,
 * reap, complete, wake), and a batch of 32 submitted together then awaited. Run with {@code -prof gc} to see
 * the allocation per operation of the reusable-request path (the target is none).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EngineRoundTripBenchmark {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 4096;
    private static final int BATCH = 32;

    @Param({"io_uring", "aio", "threads"})
    public String engine;

    private IoEngine io;
    private Arena arena;
    private Path file;
    private IoFile fd;
    private final IoRequest[] requests = new IoRequest[BATCH];
    private MemorySegment[] buffers;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        EngineKind kind = EngineKind.parse(engine);
        if (!EngineAvailability.probe(kind).available()) {
            throw new IllegalStateException(kind + " unavailable: " + EngineAvailability.probe(kind).reason());
        }
        io = IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(64).build());
        arena = Arena.ofShared();
        file = Files.createTempFile("io-engine-jmh", ".dat");
        Files.write(file, new byte[BLOCK * BLOCKS]);
        fd = IoFile.open(file, StandardOpenOption.READ);
        buffers = new MemorySegment[BATCH];
        for (int i = 0; i < BATCH; i++) {
            buffers[i] = AlignedBuffers.allocate(arena, BLOCK, BLOCK);
            requests[i] = new IoRequest();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        io.close();
        fd.close();
        arena.close();
        Files.deleteIfExists(file);
    }

    private long nextPosition() {
        next = (next + 7919) & (BLOCKS - 1);
        return (long) next * BLOCK;
    }

    @Benchmark
    public long readOneAndWait() throws Exception {
        IoRequest r = requests[0].prepareRead(fd, nextPosition(), buffers[0]);
        io.submit(r);
        r.await();
        return r.result();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long readBatchAndWait() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            io.submit(requests[i].prepareRead(fd, nextPosition(), buffers[i]));
        }
        long total = 0;
        for (int i = 0; i < BATCH; i++) {
            requests[i].await();
            total += requests[i].result();
        }
        return total;
    }
}
