package dev.ioengine.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.CompletionMode;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to the engine API: IoRequest factories and prepare*, prepareRemainder, IoEngineConfig (builder and
 * properties), AlignedBuffers, EngineKind.parse, and IoEngine.open / submit / trySubmit / execute / poll on every
 * engine this machine has. The JDK is silent here, so each must give a clear exception naming the argument.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineApiBadInputTest {
    private static final int FD = 0;
    private static final Arena SHARED = Arena.ofShared();
    private static final MemorySegment NATIVE = SHARED.allocate(64);
    private static final MemorySegment HEAP = MemorySegment.ofArray(new byte[64]);

    @AfterAll
    static void freeMemory() {
        SHARED.close();
    }

    static Stream<BadInputCase<Void>> staticCases() {
        return Stream.of(
                // IoRequest factories
                BadInputCase.<Void>of("RawRequests.read(fd, pos, MemorySegment)", "negative fd",
                        IllegalArgumentException.class, "file descriptor", f -> RawRequests.read(-1, 0, NATIVE)),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, MemorySegment)", "negative position",
                        IllegalArgumentException.class, "position must not be negative",
                        f -> RawRequests.read(FD, -1, NATIVE)),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, MemorySegment)", "position + length > Long.MAX_VALUE",
                        IllegalArgumentException.class, "overflows", f -> RawRequests.read(FD, Long.MAX_VALUE - 10, NATIVE)),
                BadInputCase.<Void>of("RawRequests.write(fd, pos, MemorySegment)", "position + length > Long.MAX_VALUE",
                        IllegalArgumentException.class, "overflows",
                        f -> RawRequests.write(FD, Long.MAX_VALUE - 63, NATIVE)),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, MemorySegment)", "null segment",
                        NullPointerException.class, "buffer", f -> RawRequests.read(FD, 0, (MemorySegment) null)),
                BadInputCase.<Void>of("RawRequests.write(fd, pos, MemorySegment)", "null segment",
                        NullPointerException.class, "buffer", f -> RawRequests.write(FD, 0, (MemorySegment) null)),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, MemorySegment)", "heap segment",
                        IllegalArgumentException.class, "native memory", f -> RawRequests.read(FD, 0, HEAP)),
                BadInputCase.<Void>of("RawRequests.write(fd, pos, MemorySegment)", "heap segment",
                        IllegalArgumentException.class, "native memory", f -> RawRequests.write(FD, 0, HEAP)),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, ByteBuffer)", "null buffer",
                        NullPointerException.class, "buffer", f -> RawRequests.read(FD, 0, (ByteBuffer) null)),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, ByteBuffer)", "heap buffer",
                        IllegalArgumentException.class, "direct", f -> RawRequests.read(FD, 0, ByteBuffer.allocate(8))),
                BadInputCase.<Void>of("RawRequests.write(fd, pos, ByteBuffer)", "heap buffer",
                        IllegalArgumentException.class, "direct", f -> RawRequests.write(FD, 0, ByteBuffer.allocate(8))),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, ByteBuffer)", "read-only direct buffer",
                        IllegalArgumentException.class, "read-only",
                        f -> RawRequests.read(FD, 0, ByteBuffer.allocateDirect(8).asReadOnlyBuffer())),
                BadInputCase.<Void>of("RawRequests.read(fd, pos, ByteBuffer)", "negative position",
                        IllegalArgumentException.class, "position", f -> RawRequests.read(FD, -5, ByteBuffer.allocateDirect(8))),
                BadInputCase.<Void>of("RawRequests.readv(fd, pos, MemorySegment...)", "null array",
                        NullPointerException.class, "buffers", f -> RawRequests.readv(FD, 0, (MemorySegment[]) null)),
                BadInputCase.<Void>of("RawRequests.readv(fd, pos, MemorySegment...)", "null element",
                        NullPointerException.class, "null", f -> RawRequests.readv(FD, 0, NATIVE, null)),
                BadInputCase.<Void>of("RawRequests.readv(fd, pos, MemorySegment...)", "heap element",
                        IllegalArgumentException.class, "native memory", f -> RawRequests.readv(FD, 0, NATIVE, HEAP)),
                BadInputCase.<Void>of("RawRequests.writev(fd, pos, MemorySegment...)", "more than IOV_MAX buffers",
                        IllegalArgumentException.class, "IOV_MAX",
                        f -> RawRequests.writev(FD, 0, new MemorySegment[IoRequest.MAX_IOVECS + 1])),
                BadInputCase.<Void>of("RawRequests.writev(fd, pos, MemorySegment...)", "position + total > Long.MAX_VALUE",
                        IllegalArgumentException.class, "overflows",
                        f -> RawRequests.writev(FD, Long.MAX_VALUE - 100, NATIVE, NATIVE)),
                BadInputCase.<Void>of("RawRequests.readv(fd, pos, MemorySegment...)", "negative fd",
                        IllegalArgumentException.class, "file descriptor", f -> RawRequests.readv(-3, 0, NATIVE)),
                BadInputCase.<Void>of("RawRequests.fsync(fd)", "negative fd",
                        IllegalArgumentException.class, "file descriptor", f -> RawRequests.fsync(-1)),
                BadInputCase.<Void>of("RawRequests.fdatasync(fd)", "negative fd",
                        IllegalArgumentException.class, "file descriptor", f -> RawRequests.fdatasync(-1)),
                BadInputCase.<Void>of("RawRequests.fallocate(fd, mode, pos, len)", "zero length",
                        IllegalArgumentException.class, "length", f -> RawRequests.fallocate(FD, 0, 0, 0)),
                BadInputCase.<Void>of("RawRequests.fallocate(fd, mode, pos, len)", "negative length",
                        IllegalArgumentException.class, "length", f -> RawRequests.fallocate(FD, 0, 0, -4096)),
                BadInputCase.<Void>of("RawRequests.fallocate(fd, mode, pos, len)", "negative position",
                        IllegalArgumentException.class, "position", f -> RawRequests.fallocate(FD, 0, -1, 4096)),
                BadInputCase.<Void>of("RawRequests.fallocate(fd, mode, pos, len)", "position + length > Long.MAX_VALUE",
                        IllegalArgumentException.class, "overflows",
                        f -> RawRequests.fallocate(FD, 0, Long.MAX_VALUE, 4096)),
                BadInputCase.<Void>of("IoRequest.prepareRemainder()", "never submitted",
                        IllegalStateException.class, "only a completed", f -> new IoRequest().prepareRemainder()),
                BadInputCase.<Void>of("IoRequest.prepareRemainder()", "prepared, not submitted",
                        IllegalStateException.class, "only a completed",
                        f -> RawRequests.read(FD, 0, NATIVE).prepareRemainder()),
                BadInputCase.<Void>of("RawRequests.prepareRead(IoRequest, fd, pos, MemorySegment)",
                        "negative fd on reuse",
                        IllegalArgumentException.class, "file descriptor",
                        f -> RawRequests.prepareRead(RawRequests.fsync(FD), -1, 0, NATIVE)),
                // IoEngineConfig.Builder
                BadInputCase.<Void>of("IoEngineConfig.Builder.queueDepth", "zero",
                        IllegalArgumentException.class, "queueDepth", f -> IoEngineConfig.builder().queueDepth(0)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.queueDepth", "above MAX_QUEUE_DEPTH",
                        IllegalArgumentException.class, "queueDepth",
                        f -> IoEngineConfig.builder().queueDepth(IoEngineConfig.MAX_QUEUE_DEPTH + 1)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.queueDepth", "negative",
                        IllegalArgumentException.class, "queueDepth", f -> IoEngineConfig.builder().queueDepth(-1)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.maxInFlight", "zero",
                        IllegalArgumentException.class, "maxInFlight", f -> IoEngineConfig.builder().maxInFlight(0)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.mergeLimit", "negative",
                        IllegalArgumentException.class, "mergeLimit", f -> IoEngineConfig.builder().mergeLimit(-1)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.workerThreads", "zero",
                        IllegalArgumentException.class, "workerThreads", f -> IoEngineConfig.builder().workerThreads(0)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.workerThreads", "above 4096",
                        IllegalArgumentException.class, "workerThreads",
                        f -> IoEngineConfig.builder().workerThreads(4097)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.name", "blank",
                        IllegalArgumentException.class, "blank", f -> IoEngineConfig.builder().name("  ")),
                BadInputCase.<Void>of("IoEngineConfig.Builder.name", "null",
                        NullPointerException.class, "", f -> IoEngineConfig.builder().name(null)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.engine", "null",
                        NullPointerException.class, "", f -> IoEngineConfig.builder().engine(null)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.completionMode", "null",
                        NullPointerException.class, "", f -> IoEngineConfig.builder().completionMode(null)),
                BadInputCase.<Void>of("IoEngineConfig.Builder.build", "EXECUTOR mode without an executor",
                        IllegalArgumentException.class, "completionExecutor",
                        f -> IoEngineConfig.builder().completionMode(CompletionMode.EXECUTOR).build()),
                // IoEngineConfig.fromProperties
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "null properties",
                        NullPointerException.class, "", f -> IoEngineConfig.fromProperties(null)),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.engine=bogus",
                        IllegalArgumentException.class, "bogus", f -> fromProperties("ioengine.engine", "bogus")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.engine= (empty)",
                        IllegalArgumentException.class, "engine", f -> fromProperties("ioengine.engine", "")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.queueDepth=abc",
                        IllegalArgumentException.class, "ioengine.queueDepth",
                        f -> fromProperties("ioengine.queueDepth", "abc")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.queueDepth=0",
                        IllegalArgumentException.class, "queueDepth", f -> fromProperties("ioengine.queueDepth", "0")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.queueDepth=99999999999 (overflow)",
                        IllegalArgumentException.class, "ioengine.queueDepth",
                        f -> fromProperties("ioengine.queueDepth", "99999999999")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.maxInFlight=-1",
                        IllegalArgumentException.class, "maxInFlight", f -> fromProperties("ioengine.maxInFlight", "-1")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.mergeLimit=1.5",
                        IllegalArgumentException.class, "ioengine.mergeLimit",
                        f -> fromProperties("ioengine.mergeLimit", "1.5")),
                BadInputCase.<Void>of("IoEngineConfig.fromProperties", "ioengine.threads=0",
                        IllegalArgumentException.class, "ioengine.threads=0", f -> fromProperties("ioengine.threads", "0")),
                // AlignedBuffers
                BadInputCase.<Void>of("AlignedBuffers.allocate", "negative size",
                        IllegalArgumentException.class, "size", f -> AlignedBuffers.allocate(SHARED, -1, 4096)),
                BadInputCase.<Void>of("AlignedBuffers.allocate", "alignment 0",
                        IllegalArgumentException.class, "power of two", f -> AlignedBuffers.allocate(SHARED, 8, 0)),
                BadInputCase.<Void>of("AlignedBuffers.allocate", "alignment 3",
                        IllegalArgumentException.class, "power of two", f -> AlignedBuffers.allocate(SHARED, 8, 3)),
                BadInputCase.<Void>of("AlignedBuffers.allocate", "negative alignment",
                        IllegalArgumentException.class, "power of two", f -> AlignedBuffers.allocate(SHARED, 8, -4096)),
                BadInputCase.<Void>of("AlignedBuffers.allocate", "null arena",
                        NullPointerException.class, "", f -> AlignedBuffers.allocate(null, 8, 8)),
                BadInputCase.<Void>of("AlignedBuffers.allocate", "closed arena",
                        IllegalStateException.class, "", f -> AlignedBuffers.allocate(closedArena(), 8, 8)),
                BadInputCase.<Void>of("AlignedBuffers.allocateDirect", "negative capacity",
                        IllegalArgumentException.class, "capacity", f -> AlignedBuffers.allocateDirect(-1, 4096)),
                BadInputCase.<Void>of("AlignedBuffers.allocateDirect", "alignment 6",
                        IllegalArgumentException.class, "power of two", f -> AlignedBuffers.allocateDirect(16, 6)),
                BadInputCase.<Void>of("AlignedBuffers.isAligned", "alignment 0",
                        IllegalArgumentException.class, "power of two", f -> AlignedBuffers.isAligned(4096, 0)),
                BadInputCase.<Void>of("AlignedBuffers.checkDirectIo", "misaligned address",
                        IllegalArgumentException.class, "address",
                        f -> AlignedBuffers.checkDirectIo(NATIVE.asSlice(1, 8), 0, 4096, 4096)),
                BadInputCase.<Void>of("AlignedBuffers.checkDirectIo", "misaligned position",
                        IllegalArgumentException.class, "position",
                        f -> AlignedBuffers.checkDirectIo(alignedSegment(), 512, 4096, 4096)),
                BadInputCase.<Void>of("AlignedBuffers.checkDirectIo", "misaligned length",
                        IllegalArgumentException.class, "length",
                        f -> AlignedBuffers.checkDirectIo(alignedSegment(), 0, 100, 4096)),
                // EngineKind.parse
                BadInputCase.<Void>of("EngineKind.parse", "null", NullPointerException.class, "",
                        f -> EngineKind.parse(null)),
                BadInputCase.<Void>of("EngineKind.parse", "empty", IllegalArgumentException.class, "unknown",
                        f -> EngineKind.parse("")),
                BadInputCase.<Void>of("EngineKind.parse", "unknown name", IllegalArgumentException.class,
                        "expected io_uring", f -> EngineKind.parse("epoll")),
                // IoEngine.open
                BadInputCase.<Void>of("IoEngine.open(IoEngineConfig)", "null config", NullPointerException.class, "",
                        f -> IoEngine.open(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staticCases")
    void staticEntryPointRejects(BadInputCase<Void> row) {
        row.check(null);
    }

    /** An open engine of one kind with a 100-byte file open read-write on {@code fd}. */
    record EngineFixture(IoEngine engine, int fd) {}

    static Stream<BadInputCase<EngineFixture>> engineCaseRows() {
        return Stream.of(
                BadInputCase.<EngineFixture>of("IoEngine.submit", "null request", NullPointerException.class, "",
                        f -> f.engine().submit(null)),
                BadInputCase.<EngineFixture>of("IoEngine.trySubmit", "null request", NullPointerException.class, "",
                        f -> f.engine().trySubmit(null)),
                BadInputCase.<EngineFixture>of("IoEngine.execute", "null request", NullPointerException.class, "",
                        f -> f.engine().execute(null)),
                BadInputCase.<EngineFixture>of("IoEngine.submit", "never prepared request",
                        IllegalArgumentException.class, "never prepared", f -> f.engine().submit(new IoRequest())),
                BadInputCase.<EngineFixture>of("IoEngine.trySubmit", "never prepared request",
                        IllegalArgumentException.class, "never prepared", f -> f.engine().trySubmit(new IoRequest())),
                BadInputCase.<EngineFixture>of("IoEngine.submit", "segment of a closed arena",
                        IllegalStateException.class, "arena is closed", f -> {
                            Arena arena = Arena.ofShared();
                            IoRequest r = RawRequests.read(f.fd(), 0, arena.allocate(16));
                            arena.close();
                            f.engine().submit(r);
                        }),
                BadInputCase.<EngineFixture>of("IoEngine.trySubmit", "segment of a closed arena",
                        IllegalStateException.class, "arena is closed", f -> {
                            Arena arena = Arena.ofConfined();
                            IoRequest r = RawRequests.write(f.fd(), 0, arena.allocate(16));
                            arena.close();
                            f.engine().trySubmit(r);
                        }),
                BadInputCase.<EngineFixture>of("IoEngine.submit", "readv with one segment of a closed arena",
                        IllegalStateException.class, "arena is closed", f -> {
                            Arena arena = Arena.ofShared();
                            IoRequest r = RawRequests.readv(f.fd(), 0, NATIVE, arena.allocate(16));
                            arena.close();
                            f.engine().submit(r);
                        }),
                BadInputCase.<EngineFixture>of("IoEngine.submit", "read into a read-only segment",
                        IllegalArgumentException.class, "read-only segment",
                        f -> f.engine().submit(RawRequests.read(f.fd(), 0, NATIVE.asReadOnly()))),
                BadInputCase.<EngineFixture>of("IoEngine.trySubmit", "readv with a read-only segment",
                        IllegalArgumentException.class, "read-only segment",
                        f -> f.engine().trySubmit(RawRequests.readv(f.fd(), 0, NATIVE, NATIVE.asReadOnly()))),
                BadInputCase.<EngineFixture>of("IoEngine.execute", "bad file descriptor (EBADF)",
                        IOException.class, "", f -> f.engine().execute(RawRequests.read(999_999, 0, NATIVE))),
                BadInputCase.<EngineFixture>of("IoEngine.poll()", "engine delivering INLINE",
                        IllegalStateException.class, "POLLED", f -> f.engine().poll()),
                BadInputCase.<EngineFixture>of("IoEngine.poll(timeout, unit)", "null unit, POLLED engine",
                        NullPointerException.class, "", f -> {
                            try (IoEngine polled = IoEngine.open(f.engine().config().toBuilder()
                                    .completionMode(CompletionMode.POLLED).build())) {
                                polled.poll(1, null);
                            }
                        }));
    }

    static Stream<Arguments> engineCases() {
        return engines().flatMap(kind -> engineCaseRows().map(row -> Arguments.of(kind, row)));
    }

    static Stream<EngineKind> engines() {
        return Stream.of(EngineKind.THREADS, EngineKind.IO_URING, EngineKind.AIO)
                .filter(k -> EngineAvailability.probe(k).available());
    }

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("badinput-engine", ".bin");
        Files.write(file, new byte[100]);
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("engineCases")
    void engineRejects(EngineKind kind, BadInputCase<EngineFixture> row) throws Exception {
        int fd = Guard.openFd(file, LibC.O_RDWR);
        try (IoEngine engine = open(kind)) {
            row.check(new EngineFixture(engine, fd));
        } finally {
            LibC.close(fd);
        }
    }

    static Stream<BadInputCase<IoEngine>> closedEngineRows() {
        return Stream.of(
                BadInputCase.<IoEngine>of("IoEngine.submit", "closed engine", IllegalStateException.class, "",
                        e -> e.submit(RawRequests.fsync(FD))),
                BadInputCase.<IoEngine>of("IoEngine.trySubmit", "closed engine", IllegalStateException.class, "",
                        e -> e.trySubmit(RawRequests.fsync(FD))),
                BadInputCase.<IoEngine>of("IoEngine.execute", "closed engine", IllegalStateException.class, "",
                        e -> e.execute(RawRequests.fsync(FD))));
    }

    static Stream<Arguments> closedEngineCases() {
        return engines().flatMap(kind -> closedEngineRows().map(row -> Arguments.of(kind, row)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("closedEngineCases")
    void closedEngineRejects(EngineKind kind, BadInputCase<IoEngine> row) throws Exception {
        IoEngine engine = open(kind);
        engine.close();
        row.check(engine);
        engine.close();
        assertThat(engine.isOpen()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void zeroLengthTransfersCompleteWithZero(EngineKind kind) throws Exception {
        int fd = Guard.openFd(file, LibC.O_RDWR);
        try (IoEngine engine = open(kind)) {
            assertThat(engine.execute(RawRequests.read(fd, 0, NATIVE.asSlice(0, 0)))).isZero();
            assertThat(engine.execute(RawRequests.write(fd, 50, NATIVE.asSlice(0, 0)))).isZero();
            assertThat(engine.execute(RawRequests.read(fd, 1 << 20, NATIVE.asSlice(0, 0)))).isZero();
            assertThat(engine.execute(RawRequests.readv(fd, 0))).isZero();
            assertThat(engine.execute(RawRequests.writev(fd, 0, NATIVE.asSlice(0, 0)))).isZero();
            assertThat(Files.size(file)).isEqualTo(100);
        } finally {
            LibC.close(fd);
        }
    }

    /** Reads into a slice of a bigger segment, near and past the end of the file: the guard bytes stay. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void readsNeverWriteOutsideTheSlice(EngineKind kind) throws Exception {
        Path data = Files.createTempFile("badinput-guard", ".bin");
        byte[] content = new byte[10_000];
        java.util.Arrays.fill(content, (byte) 0x11);
        Files.write(data, content);
        int fd = Guard.openFd(data, LibC.O_RDONLY);
        try (IoEngine engine = open(kind); Arena arena = Arena.ofConfined()) {
            MemorySegment whole = arena.allocate(3 * 4096);
            long[][] shapes = {{0, 4096}, {9_000, 4096}, {9_999, 4096}, {10_000, 4096}, {20_000, 4096},
                    {5, 1}, {0, 0}, {9_990, 7}};
            for (long[] shape : shapes) {
                whole.fill(Guard.PATTERN);
                MemorySegment slice = whole.asSlice(4096, shape[1]);
                long n = engine.execute(RawRequests.read(fd, shape[0], slice));
                assertThat(n).isEqualTo(Math.max(0, Math.min(shape[1], content.length - shape[0])));
                Guard.assertUntouched(whole, 4096, n, shape[1]);
                whole.fill(Guard.PATTERN);
                MemorySegment a = whole.asSlice(4096, shape[1] / 2);
                MemorySegment b = whole.asSlice(4096 + shape[1] / 2 + 16, shape[1] - shape[1] / 2);
                long v = engine.execute(RawRequests.readv(fd, shape[0], a, b));
                assertThat(v).isEqualTo(n);
                Guard.assertOutsideUntouched(whole, List.of(a, b));
            }
        } finally {
            LibC.close(fd);
            Files.deleteIfExists(data);
        }
    }

    private static IoEngine open(EngineKind kind) throws IOException {
        return IoEngine.open(IoEngineConfig.builder().engine(kind).name("badinput-" + kind.id()).build());
    }

    private static IoEngineConfig fromProperties(String key, String value) {
        Properties props = new Properties();
        props.setProperty(key, value);
        return IoEngineConfig.fromProperties(props);
    }

    private static Arena closedArena() {
        Arena arena = Arena.ofConfined();
        arena.close();
        return arena;
    }

    private static MemorySegment alignedSegment() {
        return AlignedBuffers.allocate(SHARED, 4096, 4096);
    }
}
