package dev.ioengine.faults;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.channels.EngineChannels;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.linux.Errno;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 item 8, "fsync errors must stick": once a channel has seen a write-back error (a failed force, or a write
 * that failed with EIO or ENOSPC), every later force on it throws with that error as its cause, although the
 * kernel, having dropped the dirty pages, would now report success. On every engine, for both channel kinds, with
 * the calls made on a platform thread (the channel's own system calls) and on a virtual one (the engine's).
 */
@Timeout(60)
class StickySyncErrorTest {
    @TempDir
    Path dir;

    private String engineName;

    @AfterEach
    void noEngineThreadLeft() {
        if (engineName != null) {
            assertThat(Engines.threadsNamed(engineName + "-")).as(Engines.describeThreads(engineName + "-")).isZero();
        }
    }

    /** Fails the next {@code failures} calls of {@code ops} with {@code errno}, by either road; then lets all pass. */
    private static final class FailNext implements FaultInjector {
        private final Set<IoOp> ops;
        private final int errno;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger injected = new AtomicInteger();

        FailNext(int errno, IoOp... ops) {
            this.ops = Set.of(ops);
            this.errno = errno;
        }

        @Override
        public int onSubmitBatch(int count) {
            return count;
        }

        @Override
        public long onComplete(IoRequest request, long kernelResult) {
            return onCallerThreadCall(request.op(), kernelResult);
        }

        @Override
        public long onCallerThreadCall(IoOp op, long kernelResult) {
            if (ops.contains(op) && kernelResult >= 0 && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                injected.incrementAndGet();
                return -errno;
            }
            return kernelResult;
        }
    }

    private IoEngine engine(EngineKind kind, FaultInjector injector) throws Exception {
        engineName = FaultEngines.uniqueName(kind);
        return FaultEngines.open(kind, IoEngineConfig.builder().name(engineName).queueDepth(32).workerThreads(2),
                injector);
    }

    private static void everyLaterForceThrows(ForceCall force, String cause) {
        for (boolean metaData : new boolean[] {false, true, false}) {
            assertThatThrownBy(() -> force.force(metaData)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("write-back error").cause().hasMessageContaining(cause);
        }
    }

    private interface ForceCall {
        void force(boolean metaData) throws Exception;
    }

    @ParameterizedTest(name = "{0}, virtual thread: {1}")
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void aFailedForceOfAFileChannelSticks(EngineKind kind, boolean virtual) throws Exception {
        FailNext faults = new FailNext(Errno.EIO, IoOp.FDATASYNC, IoOp.FSYNC);
        try (IoEngine engine = engine(kind, faults);
                FileChannel ch = EngineChannels.newFileChannel(engine, dir.resolve("f"), Set.of(READ, WRITE, CREATE))) {
            FaultEngines.onThread(virtual, () -> {
                ch.write(ByteBuffer.wrap(new byte[4096]), 0);
                ch.force(false);
                faults.failures.set(1);
                ch.write(ByteBuffer.wrap(new byte[4096]), 4096);
                assertThatThrownBy(() -> ch.force(false)).isInstanceOf(FileSystemException.class)
                        .hasMessageContaining("EIO");
                everyLaterForceThrows(ch::force, "EIO");
                assertThat(ch.isOpen()).isTrue();
            });
        }
        assertThat(faults.injected.get()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}, virtual thread: {1}")
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void aWriteThatFailedWithEnospcMakesEveryLaterForceOfAFileChannelThrow(EngineKind kind, boolean virtual)
            throws Exception {
        FailNext faults = new FailNext(Errno.ENOSPC, IoOp.WRITE, IoOp.WRITEV);
        try (IoEngine engine = engine(kind, faults);
                FileChannel ch = EngineChannels.newFileChannel(engine, dir.resolve("f"), Set.of(READ, WRITE, CREATE))) {
            FaultEngines.onThread(virtual, () -> {
                ch.force(true);
                faults.failures.set(1);
                assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(new byte[4096]), 0))
                        .isInstanceOf(FileSystemException.class).hasMessageContaining("ENOSPC");
                assertThat(ch.write(ByteBuffer.wrap(new byte[4096]), 0)).isEqualTo(4096);
                everyLaterForceThrows(ch::force, "ENOSPC");
            });
        }
        assertThat(faults.injected.get()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}, virtual thread: {1}")
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void aFailedForceOfAnAsynchronousFileChannelSticks(EngineKind kind, boolean virtual) throws Exception {
        FailNext faults = new FailNext(Errno.EIO, IoOp.FDATASYNC, IoOp.FSYNC);
        try (IoEngine engine = engine(kind, faults);
                AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, dir.resolve("f"),
                        Set.of(READ, WRITE, CREATE), null)) {
            FaultEngines.onThread(virtual, () -> {
                ch.write(ByteBuffer.wrap(new byte[4096]), 0).get(30, TimeUnit.SECONDS);
                ch.force(true);
                faults.failures.set(1);
                assertThatThrownBy(() -> ch.force(true)).isInstanceOf(FileSystemException.class)
                        .hasMessageContaining("EIO");
                everyLaterForceThrows(ch::force, "EIO");
            });
        }
        assertThat(faults.injected.get()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}, virtual thread: {1}")
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void anAsynchronousWriteThatFailedWithEioMakesEveryLaterForceThrow(EngineKind kind, boolean virtual)
            throws Exception {
        FailNext faults = new FailNext(Errno.EIO, IoOp.WRITE, IoOp.WRITEV);
        try (IoEngine engine = engine(kind, faults);
                AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, dir.resolve("f"),
                        Set.of(READ, WRITE, CREATE), null)) {
            FaultEngines.onThread(virtual, () -> {
                faults.failures.set(1);
                assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(new byte[4096]), 0).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("EIO");
                assertThat(ch.write(ByteBuffer.wrap(new byte[4096]), 0).get(30, TimeUnit.SECONDS)).isEqualTo(4096);
                everyLaterForceThrows(ch::force, "EIO");
            });
        }
        assertThat(faults.injected.get()).isEqualTo(1);
    }
}
