package dev.ioengine.jmh;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-operation cost of io-engine's {@link AsynchronousFileChannel}: one 4 KiB page-cache read into a direct
 * buffer, {@code read(dst, position, attachment, handler)} with one reused {@link CompletionHandler}, awaited by
 * the benchmark thread (parked until the handler unparks it). Run with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is the bytes the channel layer and the engine allocate per read (the benchmark's own waiting allocates none).
 * The handler runs where the channel delivers it (the channel's default handler pool). {@link #nowait} picks
 * the road: served at once from the page cache, or through the engine.
 *
 * <pre>./build bench AsyncChannelHandler -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AsyncChannelHandlerBenchmark {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 4096;

    @Param({"io_uring", "aio", "threads"})
    public String engine;

    /**
     * {@code true}: the read is served at once from the page cache ({@code IoEngine.tryNow}); {@code false}: the
     * engine's {@code nowait} is off, so every read goes through the engine's queue and threads.
     */
    @Param({"true", "false"})
    public boolean nowait;

    private IoEngine io;
    private Path file;
    private AsynchronousFileChannel channel;
    private ByteBuffer buffer;
    private final Waiter waiter = new Waiter();
    private int next;

    /** The reused handler: records the result and wakes the benchmark thread; allocates nothing. */
    static final class Waiter implements CompletionHandler<Integer, Object> {
        volatile Thread caller;
        volatile boolean done;
        volatile int bytes;
        volatile Throwable failure;

        @Override
        public void completed(Integer result, Object attachment) {
            bytes = result;
            done = true;
            LockSupport.unpark(caller);
        }

        @Override
        public void failed(Throwable exc, Object attachment) {
            failure = exc;
            done = true;
            LockSupport.unpark(caller);
        }

        int await() {
            while (!done) {
                LockSupport.park(this);
            }
            if (failure != null) {
                throw new IllegalStateException("read failed", failure);
            }
            return bytes;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        EngineKind kind = EngineKind.parse(engine);
        if (!EngineAvailability.probe(kind).available()) {
            throw new IllegalStateException(kind + " unavailable: " + EngineAvailability.probe(kind).reason());
        }
        io = IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(64).nowait(nowait).build());
        file = Files.createTempFile("io-engine-jmh", ".dat");
        Files.write(file, new byte[BLOCK * BLOCKS]);
        channel = EngineChannels.newAsynchronousFileChannel(io, file, Set.of(StandardOpenOption.READ), null);
        buffer = ByteBuffer.allocateDirect(BLOCK);
        waiter.caller = Thread.currentThread();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        io.close();
        Files.deleteIfExists(file);
    }

    private long nextPosition() {
        next = (next + 7919) & (BLOCKS - 1);
        return (long) next * BLOCK;
    }

    @Benchmark
    public int readOneWithHandler() {
        buffer.clear();
        waiter.done = false;
        waiter.failure = null;
        channel.read(buffer, nextPosition(), null, waiter);
        return waiter.await();
    }
}
