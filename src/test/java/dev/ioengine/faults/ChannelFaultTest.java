package dev.ioengine.faults;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The channels on an engine with injected faults: a FileChannel's write writes everything through short
 * writes (as the JDK's does for regular files), its reads deliver the right bytes through short reads, an
 * AsynchronousFileChannel reports a short write's count exactly, and an injected EIO surfaces as an IOException
 * naming the file, with the channel still usable afterwards.
 */
@Timeout(60)
class ChannelFaultTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    @RegisterExtension
    final EngineLeakCheck leaks = new EngineLeakCheck();

    /** Shortens transfers of {@code shortened} to half of what the kernel moved, and fails them with EIO on demand. */
    private static final class ChannelFaults implements FaultInjector {
        private final IoOp shortened;
        final AtomicInteger eioToInject = new AtomicInteger();
        final AtomicLong shortInjected = new AtomicLong();
        final AtomicLong eioInjected = new AtomicLong();

        ChannelFaults(IoOp shortened) {
            this.shortened = shortened;
        }

        @Override
        public int onSubmitBatch(int count) {
            return count;
        }

        @Override
        public long onComplete(IoRequest request, long kernelResult) {
            return inject(request.op(), kernelResult);
        }

        @Override
        public long onCallerThreadCall(IoOp op, long kernelResult) {
            return inject(op, kernelResult);
        }

        private long inject(IoOp op, long kernelResult) {
            if (kernelResult > 0 && op.transfersData()
                    && eioToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                eioInjected.incrementAndGet();
                return -Errno.EIO;
            }
            if (kernelResult > 1 && (op == shortened || op == vectored(shortened))) {
                shortInjected.incrementAndGet();
                return kernelResult / 2;
            }
            return kernelResult;
        }
    }

    private static IoOp vectored(IoOp op) {
        return op == IoOp.READ ? IoOp.READV : op == IoOp.WRITE ? IoOp.WRITEV : op;
    }

    private IoEngine engine(EngineKind kind, FaultInjector injector) throws Exception {
        String name = leaks.uniqueName(kind);
        return FaultEngines.open(kind, IoEngineConfig.builder().name(name).queueDepth(32).workerThreads(2), injector);
    }

    private static byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void fileChannelWriteWritesEverythingThroughShortWrites(EngineKind kind, boolean virtual) throws Exception {
        ChannelFaults faults = new ChannelFaults(IoOp.WRITE);
        Path file = dir.resolve("short-writes");
        byte[] data = randomBytes(SIZE);
        try (IoEngine engine = engine(kind, faults);
                FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(WRITE, CREATE))) {
            FaultEngines.onThread(virtual, () -> {
                ByteBuffer heap = ByteBuffer.wrap(data);
                assertThat(ch.write(heap)).isEqualTo(SIZE);
                assertThat(heap.hasRemaining()).isFalse();
                assertThat(ch.position()).isEqualTo(SIZE);
                ByteBuffer direct = ByteBuffer.allocateDirect(SIZE).put(data).flip();
                assertThat(ch.write(direct, SIZE)).isEqualTo(SIZE);
                assertThat(direct.hasRemaining()).isFalse();
            });
        }
        assertThat(faults.shortInjected.get()).isPositive();
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSize(2 * SIZE);
        assertThat(Arrays.equals(onDisk, 0, SIZE, data, 0, SIZE)).isTrue();
        assertThat(Arrays.equals(onDisk, SIZE, 2 * SIZE, data, 0, SIZE)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void fileChannelReadsDeliverTheRightBytesThroughShortReads(EngineKind kind, boolean virtual) throws Exception {
        ChannelFaults faults = new ChannelFaults(IoOp.READ);
        Path file = dir.resolve("short-reads");
        byte[] data = randomBytes(SIZE);
        Files.write(file, data);
        try (IoEngine engine = engine(kind, faults);
                FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(READ))) {
            FaultEngines.onThread(virtual, () -> {
                ByteBuffer into = ByteBuffer.allocate(SIZE);
                int reads = 0;
                while (into.hasRemaining()) {
                    int n = ch.read(into);
                    assertThat(n).as("no end of file before the file's end").isPositive();
                    reads++;
                }
                assertThat(reads).as("short reads are reported, not hidden").isGreaterThan(1);
                assertThat(into.array()).isEqualTo(data);
                assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            });
        }
        assertThat(faults.shortInjected.get()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.faults.FaultEngines#enginesAndThreads")
    void eioSurfacesFromAFileChannelAsAnIOExceptionNamingTheFile(EngineKind kind, boolean virtual) throws Exception {
        ChannelFaults faults = new ChannelFaults(null);
        Path file = dir.resolve("eio");
        try (IoEngine engine = engine(kind, faults);
                FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(READ, WRITE, CREATE))) {
            FaultEngines.onThread(virtual, () -> eioThenSuccess(faults, ch, file));
        }
        assertThat(faults.eioInjected.get()).isEqualTo(2);
    }

    private static void eioThenSuccess(ChannelFaults faults, FileChannel ch, Path file) throws Exception {
        byte[] data = randomBytes(8192);
        faults.eioToInject.set(1);
        assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(data), 0)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("EIO");
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.write(ByteBuffer.wrap(data), 0)).isEqualTo(data.length);

        faults.eioToInject.set(1);
        ByteBuffer into = ByteBuffer.allocate(data.length);
        assertThatThrownBy(() -> ch.read(into, 0)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("EIO");
        assertThat(into.position()).as("a failed read moves nothing").isZero();
        assertThat(ch.read(into, 0)).isEqualTo(data.length);
        assertThat(into.array()).isEqualTo(data);
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.Engines#all")
    void asynchronousFileChannelReportsShortWritesExactlyAndEioNamingTheFile(EngineKind kind) throws Exception {
        ChannelFaults faults = new ChannelFaults(IoOp.WRITE);
        Path file = dir.resolve("async");
        byte[] data = randomBytes(64 * 1024);
        try (IoEngine engine = engine(kind, faults);
                AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file,
                        Set.of(READ, WRITE, CREATE), null)) {
            ByteBuffer src = ByteBuffer.wrap(data);
            int first = ch.write(src, 0).get(30, TimeUnit.SECONDS);
            assertThat(first).as("AsynchronousFileChannel.write may write fewer bytes, and says how many")
                    .isPositive().isLessThan(data.length);
            assertThat(src.position()).isEqualTo(first);
            while (src.hasRemaining()) {
                ch.write(src, src.position()).get(30, TimeUnit.SECONDS);
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(data);

            faults.eioToInject.set(1);
            assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(data), 0).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(FileSystemException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("EIO");
            assertThat(ch.isOpen()).isTrue();
        }
        assertThat(faults.shortInjected.get()).isPositive();
    }
}
