package dev.ioengine.badinput;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to {@link EngineChannels} (the JDK has no equivalent: clear exceptions are asked for), and reads
 * through the channels into buffers inside bigger ones: the bytes around them stay untouched, at any position and
 * limit, heap or direct, including short reads at end of file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelsApiBadInputTest {
    @TempDir
    Path tmp;

    /** An open engine and a 100-byte file. */
    record Fixture(IoEngine engine, Path file, Path dir) {}

    static Stream<BadInputCase<Fixture>> engineChannelsRows() {
        return Stream.of(
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "null engine", NullPointerException.class,
                        "", f -> EngineChannels.newFileChannel(null, f.file(), Set.of(READ)).close()),
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "null path", NullPointerException.class,
                        "", f -> EngineChannels.newFileChannel(f.engine(), null, Set.of(READ)).close()),
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "null options", NullPointerException.class,
                        "", f -> EngineChannels.newFileChannel(f.engine(), f.file(), null).close()),
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "APPEND + READ",
                        IllegalArgumentException.class, "",
                        f -> EngineChannels.newFileChannel(f.engine(), f.file(), Set.of(APPEND, READ)).close()),
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "unknown option",
                        UnsupportedOperationException.class, "",
                        f -> EngineChannels.newFileChannel(f.engine(), f.file(),
                                Set.of(READ, ChannelBadInputTest.UnknownOption.BOGUS)).close()),
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "missing file", NoSuchFileException.class,
                        "missing", f -> EngineChannels.newFileChannel(f.engine(), f.dir().resolve("missing"),
                                Set.of(READ)).close()),
                BadInputCase.<Fixture>of("EngineChannels.newFileChannel", "POLLED engine",
                        IllegalArgumentException.class, "INLINE", f -> {
                            try (IoEngine polled = IoEngine.open(f.engine().config().toBuilder()
                                    .completionMode(CompletionMode.POLLED).build())) {
                                EngineChannels.newFileChannel(polled, f.file(), Set.of(READ)).close();
                            }
                        }),
                BadInputCase.<Fixture>of("EngineChannels.newUninterruptibleFileChannel", "null path",
                        NullPointerException.class, "",
                        f -> EngineChannels.newUninterruptibleFileChannel(f.engine(), null, Set.of(READ)).close()),
                BadInputCase.<Fixture>of("EngineChannels.newAsynchronousFileChannel", "APPEND",
                        UnsupportedOperationException.class, "", f -> EngineChannels.newAsynchronousFileChannel(
                                f.engine(), f.file(), Set.of(WRITE, APPEND), null).close()),
                BadInputCase.<Fixture>of("EngineChannels.newAsynchronousFileChannel", "null engine",
                        NullPointerException.class, "", f -> EngineChannels.newAsynchronousFileChannel(
                                null, f.file(), Set.of(READ), null).close()),
                BadInputCase.<Fixture>of("EngineChannels.serves", "null path", NullPointerException.class, "",
                        f -> EngineChannels.serves(null, Set.of(READ))));
    }

    static Stream<Arguments> engineChannelsCases() {
        return EngineApiBadInputTest.engines().flatMap(k -> engineChannelsRows().map(row -> Arguments.of(k, row)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("engineChannelsCases")
    void engineChannelsRejects(EngineKind kind, BadInputCase<Fixture> row) throws IOException {
        Path file = tmp.resolve("data");
        Files.write(file, new byte[100]);
        try (IoEngine engine = open(kind)) {
            row.check(new Fixture(engine, file, tmp));
        }
    }

    /** Found by this table and fixed: the channel factories refuse a closed engine before opening the file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ioengine.badinput.EngineApiBadInputTest#engines")
    void aClosedEngineIsRefusedAtOpen(EngineKind kind) throws IOException {
        Path file = tmp.resolve("data");
        Files.write(file, new byte[100]);
        IoEngine engine = open(kind);
        engine.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (FileChannel channel = EngineChannels.newFileChannel(engine, file, Set.of(READ))) {
                channel.read(ByteBuffer.allocate(10), 0);
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed")
                .satisfies(t -> assertThat(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals("open")));
    }

    /** Every rejected open above releases what it opened: the descriptor count is back where it was. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ioengine.badinput.EngineApiBadInputTest#engines")
    void rejectedOpensLeakNoDescriptor(EngineKind kind) throws IOException {
        Path file = tmp.resolve("data");
        Files.write(file, new byte[100]);
        try (IoEngine engine = open(kind)) {
            long before = openDescriptors();
            for (int round = 0; round < 20; round++) {
                engineChannelsRows().forEach(row -> row.check(new Fixture(engine, file, tmp)));
            }
            assertThat(openDescriptors()).isEqualTo(before);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** How a read's buffer sits inside its backing buffer: offset, position, limit within the slice. */
    record Shape(String name, boolean direct, int sliceOffset, int sliceLength, int position, int limit,
            long filePosition) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int FILE_SIZE = 10_000;
    private static final int BACKING = 3 * 4096;

    static Stream<Shape> shapes() {
        return Stream.of(true, false).flatMap(direct -> Stream.of(
                new Shape("whole slice", direct, 4096, 4096, 0, 4096, 0),
                new Shape("position and limit set", direct, 4096, 4096, 100, 300, 17),
                new Shape("short read at EOF", direct, 4096, 4096, 0, 4096, FILE_SIZE - 10),
                new Shape("short read at EOF, position set", direct, 4096, 4096, 4000, 4096, FILE_SIZE - 3),
                new Shape("past EOF", direct, 4096, 4096, 0, 4096, FILE_SIZE + 5),
                new Shape("zero remaining", direct, 4096, 4096, 50, 50, 0),
                new Shape("one byte at an odd offset", direct, 4097, 1, 0, 1, 9_999),
                new Shape("nearly all the backing buffer, odd offset", direct, 1, BACKING - 2, 0, BACKING - 2, 0))
                .map(s -> direct ? s : new Shape(s.name() + " (heap)", false, s.sliceOffset(), s.sliceLength(),
                        s.position(), s.limit(), s.filePosition())));
    }

    static Stream<Arguments> guardCases() {
        return EngineApiBadInputTest.engines().flatMap(k -> shapes().map(s -> Arguments.of(k, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("guardCases")
    void channelReadsNeverWriteOutsideTheBuffer(EngineKind kind, Shape shape) throws Exception {
        Path file = tmp.resolve("data");
        byte[] content = new byte[FILE_SIZE];
        Arrays.fill(content, (byte) 0x11);
        Files.write(file, content);
        long expected = Math.max(0, Math.min(shape.limit() - shape.position(), FILE_SIZE - shape.filePosition()));
        try (IoEngine engine = open(kind);
                FileChannel channel = EngineChannels.newFileChannel(engine, file, Set.of(READ));
                AsynchronousFileChannel async = EngineChannels.newAsynchronousFileChannel(engine, file,
                        Set.<OpenOption>of(READ), null)) {
            for (String how : List.of("positional", "relative", "scattering", "asynchronous")) {
                ByteBuffer backing = shape.direct() ? ByteBuffer.allocateDirect(BACKING) : ByteBuffer.allocate(BACKING);
                Guard.fill(backing);
                ByteBuffer target = backing.slice(shape.sliceOffset(), shape.sliceLength())
                        .limit(shape.limit()).position(shape.position());
                int n = switch (how) {
                    case "positional" -> channel.read(target, shape.filePosition());
                    case "relative" -> channel.position(shape.filePosition()).read(target);
                    case "scattering" -> (int) channel.position(shape.filePosition())
                            .read(new ByteBuffer[] {target, ByteBuffer.allocate(0)});
                    default -> async.read(target, shape.filePosition()).get(10, TimeUnit.SECONDS);
                };
                boolean atOrPastEnd = shape.filePosition() >= FILE_SIZE && shape.limit() > shape.position();
                assertThat(n).as("%s read", how).isEqualTo(atOrPastEnd ? -1 : (int) expected);
                assertThat(target.position()).as("%s position", how).isEqualTo(shape.position() + (int) expected);
                assertThat(target.limit()).as("%s limit", how).isEqualTo(shape.limit());
                int from = shape.sliceOffset() + shape.position();
                Guard.assertOutsideUntouched(backing, from, from + (int) expected);
                for (int i = from; i < from + expected; i++) {
                    assertThat(backing.get(i)).as("%s byte %d", how, i).isEqualTo((byte) 0x11);
                }
            }
        }
    }

    private static IoEngine open(EngineKind kind) throws IOException {
        return IoEngine.open(IoEngineConfig.builder().engine(kind).name("badinput-" + kind.id()).build());
    }
}
