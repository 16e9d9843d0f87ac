package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link IoEngine#tryNow}: page-cache hits served on the caller's thread, everything else left to submit. */
class ImmediateServingTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @RegisterExtension
    final RawFiles raw = new RawFiles();

    static java.util.stream.Stream<EngineKind> engines() {
        return Engines.all();
    }

    private int open(Path file, int flags) {
        return raw.open(file, flags);
    }

    private static IoEngine engine(EngineKind kind, boolean nowait) throws Exception {
        return Engines.open(kind, IoEngineConfig.builder().queueDepth(32).nowait(nowait).name("immediate"));
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aCachedReadCompletesOnTheCallersThreadWithItsCallbackAndIsCounted(EngineKind kind) throws Exception {
        byte[] data = pattern(3 * BLOCK, 5);
        Path file = Files.write(dir.resolve("cached"), data); // written through the page cache: cached
        int fd = open(file, LibC.O_RDONLY);
        try (IoEngine engine = engine(kind, true)) {
            MemorySegment buffer = raw.arena().allocate(data.length);
            AtomicReference<Thread> calledOn = new AtomicReference<>();
            IoRequest read = RawRequests.read(fd, 0, buffer).callback(r -> calledOn.set(Thread.currentThread()));

            assertThat(engine.tryNow(read)).isTrue();

            assertThat(read.isDone()).isTrue();
            assertThat(read.result()).isEqualTo(data.length);
            assertThat(buffer.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(data);
            assertThat(calledOn.get()).isSameAs(Thread.currentThread());
            EngineStats stats = engine.stats();
            assertThat(stats.immediate()).isEqualTo(1);
            assertThat(stats.submitted()).isEqualTo(1);
            assertThat(stats.completed()).isEqualTo(1);
            assertThat(stats.inFlight()).isZero();
            // The request is reusable afterwards, as after any completion.
            assertThat(engine.execute(RawRequests.prepareRead(read, fd, BLOCK, buffer.asSlice(0, BLOCK)))).isEqualTo(BLOCK);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aVectoredCachedReadAtEndOfFileIsServedWithTheKernelsCounts(EngineKind kind) throws Exception {
        byte[] data = pattern(1000, 9);
        Path file = Files.write(dir.resolve("short"), data);
        int fd = open(file, LibC.O_RDONLY);
        try (IoEngine engine = engine(kind, true)) {
            MemorySegment a = raw.arena().allocate(600);
            MemorySegment b = raw.arena().allocate(600);
            IoRequest readv = RawRequests.readv(fd, 0, a, b);
            assertThat(engine.tryNow(readv)).isTrue();
            assertThat(readv.result()).as("short at end of file").isEqualTo(1000);
            assertThat(b.asSlice(0, 400).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(java.util.Arrays.copyOfRange(data, 600, 1000));
            IoRequest past = RawRequests.read(fd, 5000, a);
            assertThat(engine.tryNow(past)).isTrue();
            assertThat(past.result()).as("end of file").isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void anUncachedReadIsRefusedUntouchedAndThenSubmitsNormally(EngineKind kind) throws Exception {
        Path file = dir.resolve("uncached");
        byte[] data = pattern(4 * BLOCK, 3);
        // Written with O_DIRECT and never read through the page cache: no page of it is cached.
        int direct = open(file, LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT);
        MemorySegment aligned = raw.arena().allocate(data.length, BLOCK);
        aligned.copyFrom(MemorySegment.ofArray(data));
        try (IoEngine engine = engine(kind, true)) {
            assertThat(engine.execute(RawRequests.write(direct, 0, aligned))).isEqualTo(data.length);
            int fd = open(file, LibC.O_RDONLY);
            MemorySegment buffer = raw.arena().allocate(BLOCK);
            IoRequest read = RawRequests.read(fd, 2 * BLOCK, buffer);

            assertThat(engine.tryNow(read)).isFalse();

            assertThat(read.isDone()).isFalse();
            assertThat(engine.stats().immediate()).isZero();
            assertThat(engine.stats().submitted()).as("only the write").isEqualTo(1);
            assertThat(engine.execute(read)).isEqualTo(BLOCK);
            assertThat(buffer.toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(java.util.Arrays.copyOfRange(data, 2 * BLOCK, 3 * BLOCK));
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aWriteIsServedNowOrLeftUntouchedAndEitherWayLandsOnce(EngineKind kind) throws Exception {
        Path file = Files.write(dir.resolve("written"), new byte[BLOCK]);
        int fd = open(file, LibC.O_RDWR);
        byte[] data = pattern(BLOCK, 4);
        try (IoEngine engine = engine(kind, true)) {
            IoRequest write = RawRequests.write(fd, 0, raw.arena().allocateFrom(ValueLayout.JAVA_BYTE, data));
            boolean served = engine.tryNow(write);
            // ext4 cannot write through the page cache without waiting (EOPNOTSUPP), others can: either is right,
            // as long as a refused request was left untouched for the caller to submit.
            assertThat(write.isDone()).isEqualTo(served);
            assertThat(engine.stats().immediate()).isEqualTo(served ? 1 : 0);
            if (!served) {
                assertThat(engine.execute(write)).isEqualTo(BLOCK);
            }
            assertThat(write.result()).isEqualTo(BLOCK);
            assertThat(Files.readAllBytes(file)).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void switchedOffOrForOtherOperationsNothingIsServedNow(EngineKind kind) throws Exception {
        Path file = Files.write(dir.resolve("off"), pattern(BLOCK, 1));
        int fd = open(file, LibC.O_RDWR);
        try (IoEngine off = engine(kind, false); IoEngine on = engine(kind, true)) {
            IoRequest read = RawRequests.read(fd, 0, raw.arena().allocate(BLOCK));
            assertThat(off.tryNow(read)).isFalse();
            assertThat(read.isDone()).isFalse();
            assertThat(on.tryNow(RawRequests.fsync(fd))).as("fsync is never served on the caller's thread").isFalse();
            assertThat(on.tryNow(RawRequests.fallocate(fd, 0, 0, BLOCK))).isFalse();
            assertThat(off.stats().immediate() + on.stats().immediate()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void badRequestsAndAClosedEngineAreRefusedAsSubmitRefusesThem(EngineKind kind) throws Exception {
        Path file = Files.write(dir.resolve("bad"), pattern(BLOCK, 2));
        int fd = open(file, LibC.O_RDONLY);
        IoEngine engine = engine(kind, true);
        assertThatThrownBy(() -> engine.tryNow(new IoRequest())).isInstanceOf(IllegalArgumentException.class);
        IoRequest intoReadOnly = RawRequests.read(fd, 0, raw.arena().allocate(BLOCK).asReadOnly());
        assertThatThrownBy(() -> engine.tryNow(intoReadOnly)).isInstanceOf(IllegalArgumentException.class);
        MemorySegment freed;
        try (Arena confined = Arena.ofConfined()) {
            freed = confined.allocate(BLOCK);
        }
        IoRequest intoFreed = RawRequests.read(fd, 0, freed);
        assertThatThrownBy(() -> engine.tryNow(intoFreed)).isInstanceOf(IllegalStateException.class);
        engine.close();
        IoRequest afterClose = RawRequests.read(fd, 0, raw.arena().allocate(BLOCK));
        assertThatThrownBy(() -> engine.tryNow(afterClose)).isInstanceOf(IllegalStateException.class);
        assertThat(afterClose.isDone()).isFalse();
    }
}
