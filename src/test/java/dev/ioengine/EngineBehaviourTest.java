package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every engine must do beyond plain reads and writes: sync, space, errors, EOF, short IO, close. */
class EngineBehaviourTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final RawFiles raw = new RawFiles();

    static java.util.stream.Stream<EngineKind> engines() {
        return Engines.all();
    }

    private int open(String name, int flags) {
        return raw.open(dir.resolve(name), flags);
    }

    private IoEngine engine(EngineKind kind) throws Exception {
        return Engines.open(kind, IoEngineConfig.builder().queueDepth(32).name("behaviour"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void fsyncFdatasyncAndFallocateSucceedAndFallocateGrowsTheFile(EngineKind kind) throws Exception {
        int fd = open("sync", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            MemorySegment data = raw.arena().allocateFrom("some bytes");
            assertThat(engine.execute(RawRequests.write(fd, 0, data))).isEqualTo(data.byteSize());
            assertThat(engine.execute(RawRequests.fsync(fd))).isZero();
            assertThat(engine.execute(RawRequests.fdatasync(fd))).isZero();

            assertThat(engine.execute(RawRequests.fallocate(fd, 0, 0, 1 << 20))).isZero();
            assertThat(LibC.size(fd)).isEqualTo(1 << 20);
            assertThat(engine.execute(RawRequests.fallocate(fd, LibC.FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20)))
                    .isZero();
            assertThat(LibC.size(fd)).as("KEEP_SIZE leaves the size").isEqualTo(1 << 20);
            // Past 4 GiB: the length and offset are full 64-bit values all the way down.
            assertThat(engine.execute(RawRequests.fallocate(fd, LibC.FALLOC_FL_KEEP_SIZE, 5L << 30, 4096)))
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aBadFileDescriptorFailsWithEbadf(EngineKind kind) throws Exception {
        int fd = open("closed", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            // Closed after the engine opened, so the number cannot have been reused by the engine's own fds.
            raw.closeLast();
            IoRequest r = RawRequests.read(fd, 0, raw.arena().allocate(16));
            assertThatThrownBy(() -> engine.execute(r)).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("EBADF");
            assertThat(r.errno()).isEqualTo(Errno.EBADF);
            assertThat(engine.stats().failed()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void writingToAReadOnlyDescriptorFailsWithEbadf(EngineKind kind) throws Exception {
        open("ro", LibC.O_RDWR | LibC.O_CREAT);
        int ro = open("ro", LibC.O_RDONLY);
        try (IoEngine engine = engine(kind)) {
            IoRequest r = RawRequests.write(ro, 0, raw.arena().allocate(16));
            engine.submit(r);
            r.await();
            assertThat(r.errno()).isEqualTo(Errno.EBADF);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void misalignedDirectIoFailsWithEinval(EngineKind kind) throws Exception {
        int fd = open("direct", LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT);
        try (IoEngine engine = engine(kind)) {
            MemorySegment aligned = AlignedBuffers.allocate(raw.arena(), 8192, 4096);
            assertThat(engine.execute(RawRequests.write(fd, 0, aligned))).isEqualTo(8192);
            IoRequest misaligned = RawRequests.read(fd, 0, aligned.asSlice(1, 4096));
            engine.submit(misaligned);
            misaligned.await();
            assertThat(misaligned.errno()).isEqualTo(Errno.EINVAL);
            assertThatThrownBy(() -> AlignedBuffers.checkDirectIo(aligned.asSlice(1, 4096), 0, 4096, 4096))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aligned to 4096");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void readsPastTheEndAreEofAndShortReadsCanBeContinued(EngineKind kind) throws Exception {
        int fd = open("eof", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            MemorySegment content = raw.arena().allocate(1000);
            for (int i = 0; i < 1000; i++) {
                content.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            engine.execute(RawRequests.write(fd, 0, content));

            IoRequest past = RawRequests.read(fd, 5000, raw.arena().allocate(100));
            assertThat(engine.execute(past)).isZero();
            assertThat(past.isEof()).isTrue();

            MemorySegment into = raw.arena().allocate(600);
            IoRequest shortRead = RawRequests.read(fd, 700, into);
            assertThat(engine.execute(shortRead)).isEqualTo(300);
            assertThat(shortRead.isShort()).isTrue();
            assertThat(shortRead.remaining()).isEqualTo(300);
            assertThat(into.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 700);

            // Extend the file, then continue the short read where it stopped.
            engine.execute(RawRequests.write(fd, 1000, content.asSlice(0, 300)));
            shortRead.prepareRemainder();
            assertThat(shortRead.position()).isEqualTo(1000);
            assertThat(shortRead.length()).isEqualTo(300);
            assertThat(engine.execute(shortRead)).isEqualTo(300);
            assertThat(into.get(ValueLayout.JAVA_BYTE, 300)).isEqualTo((byte) 0);
            assertThat(into.get(ValueLayout.JAVA_BYTE, 599)).isEqualTo((byte) 299);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void vectoredReadsContinueAcrossBufferBoundaries(EngineKind kind) throws Exception {
        int fd = open("vector", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            MemorySegment a = raw.arena().allocateFrom("0123456789", java.nio.charset.StandardCharsets.US_ASCII);
            MemorySegment b = raw.arena().allocateFrom("abcdef", java.nio.charset.StandardCharsets.US_ASCII);
            // allocateFrom adds a terminating NUL: write 10 + 6 bytes without them.
            assertThat(engine.execute(RawRequests.writev(fd, 0, a.asSlice(0, 10), b.asSlice(0, 6)))).isEqualTo(16);

            MemorySegment x = raw.arena().allocate(4);
            MemorySegment y = raw.arena().allocate(8);
            MemorySegment z = raw.arena().allocate(8);
            IoRequest r = RawRequests.readv(fd, 6, x, y, z);
            assertThat(engine.execute(r)).isEqualTo(10);
            assertThat(text(x)).isEqualTo("6789");
            assertThat(text(y.asSlice(0, 6))).isEqualTo("abcdef");
            r.prepareRemainder();
            assertThat(r.position()).isEqualTo(16);
            assertThat(r.segments()).hasSize(2);
            assertThat(r.segments()[0].byteSize()).isEqualTo(2);
            assertThat(r.length()).isEqualTo(10);
        }
    }

    private static String text(MemorySegment s) {
        return new String(s.toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void directByteBuffersAreAccepted(EngineKind kind) throws Exception {
        int fd = open("bb", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            ByteBuffer out = ByteBuffer.allocateDirect(64).put("hello, engine".getBytes()).flip();
            assertThat(engine.execute(RawRequests.write(fd, 0, out))).isEqualTo(13);
            assertThat(out.position()).as("the engine does not move buffer positions").isZero();
            ByteBuffer in = ByteBuffer.allocateDirect(13);
            assertThat(engine.execute(RawRequests.read(fd, 0, in))).isEqualTo(13);
            byte[] got = new byte[13];
            in.get(got);
            assertThat(new String(got)).isEqualTo("hello, engine");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeWithThousandsInFlightCompletesEveryRequestAndLeaksNothing(EngineKind kind) throws Exception {
        Engines.assumeAvailable(kind);
        long fdsBefore = Engines.openFds();
        int fd = open("close", LibC.O_RDWR | LibC.O_CREAT);
        assertThat(LibC.ftruncate(fd, 16 << 20)).isZero();
        int requests = 5000;
        AtomicInteger callbacks = new AtomicInteger();
        List<IoRequest> all = new ArrayList<>();
        IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(64)
                .maxInFlight(requests).name("closing").build());
        MemorySegment buffers = raw.arena().allocate(requests * 4096L);
        for (int i = 0; i < requests; i++) {
            IoRequest r = i % 2 == 0
                    ? RawRequests.read(fd, (i % 4096) * 4096L, buffers.asSlice(i * 4096L, 4096))
                    : RawRequests.write(fd, (i % 4096) * 4096L, buffers.asSlice(i * 4096L, 4096));
            r.callback(x -> callbacks.incrementAndGet());
            all.add(r);
            engine.submit(r);
        }
        engine.close();
        assertThat(all).allSatisfy(r -> {
            assertThat(r.isDone()).as("done after close: " + r).isTrue();
            assertThat(r.isSuccess()).as(r.toString()).isTrue();
        });
        assertThat(callbacks.get()).isEqualTo(requests);
        assertThat(engine.stats().completed()).isEqualTo(requests);
        assertThatThrownBy(() -> engine.submit(RawRequests.fsync(fd))).isInstanceOf(IllegalStateException.class);
        raw.closeLast();
        assertThat(Engines.openFds()).isEqualTo(fdsBefore);
        assertThat(Engines.threadsNamed("closing-")).as(Engines.describeThreads("closing-")).isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeFromACallbackDoesNotDeadlock(EngineKind kind) throws Exception {
        int fd = open("selfclose", LibC.O_RDWR | LibC.O_CREAT);
        IoEngine engine = engine(kind);
        CountDownLatch called = new CountDownLatch(1);
        IoRequest r = RawRequests.fsync(fd).callback(x -> {
            engine.close();
            called.countDown();
        });
        engine.submit(r);
        assertThat(called.await(30, TimeUnit.SECONDS)).isTrue();
        engine.close(); // waits for the close the callback began
        assertThat(engine.isOpen()).isFalse();
        assertThat(Engines.threadsNamed("behaviour-")).as(Engines.describeThreads("behaviour-")).isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void statsCountWhatHappened(EngineKind kind) throws Exception {
        int fd = open("stats", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            MemorySegment b = raw.arena().allocate(512);
            for (int i = 0; i < 10; i++) {
                engine.execute(RawRequests.write(fd, i * 512L, b));
            }
            EngineStats s = engine.stats();
            assertThat(s.submitted()).isEqualTo(10);
            assertThat(s.completed()).isEqualTo(10);
            assertThat(s.inFlight()).isZero();
            assertThat(s.batches()).isBetween(1L, 10L);
            assertThat(s.latency().count()).isEqualTo(10);
            assertThat(s.latency().percentileNanos(50)).isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void filesWrittenThroughTheEngineReadBackThroughJava(EngineKind kind) throws Exception {
        int fd = open("java", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = engine(kind)) {
            engine.execute(RawRequests.write(fd, 3, raw.arena().allocateFrom("xyz")));
        }
        assertThat(Files.readAllBytes(dir.resolve("java"))).containsExactly(0, 0, 0, 'x', 'y', 'z', 0);
    }
}
