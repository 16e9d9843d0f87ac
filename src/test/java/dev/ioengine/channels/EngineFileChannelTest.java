package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineKind;
import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.IoEngine;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EngineFileChannelTest extends EngineTestSupport {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FileChannel open(IoEngine engine, Path path, OpenOption... options) throws IOException {
        return EngineChannels.newFileChannel(engine, path, Set.of(options));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- opening ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void refusesTheOptionCombinationsTheJdkRefuses(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> open(engine, file, READ, APPEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("READ + APPEND not allowed");
        assertThatThrownBy(() -> open(engine, file, APPEND, TRUNCATE_EXISTING))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("APPEND + TRUNCATE_EXISTING not allowed");
        OpenOption unknown = new OpenOption() {
            @Override
            public String toString() {
                return "UNKNOWN";
            }
        };
        assertThatThrownBy(() -> open(engine, file, unknown)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("UNKNOWN not supported");
        assertThatThrownBy(() -> FileChannel.open(file, Set.of(unknown)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> EngineChannels.newFileChannel(engine, file,
                new java.util.HashSet<>(Arrays.asList(READ, null)))).isInstanceOf(NullPointerException.class);
        FileAttribute<String> owner = new FileAttribute<>() {
            @Override
            public String name() {
                return "posix:owner";
            }

            @Override
            public String value() {
                return "root";
            }
        };
        assertThatThrownBy(() -> EngineChannels.newFileChannel(engine, dir.resolve("g"), Set.of(WRITE, CREATE), owner))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("'posix:owner' not supported as initial attribute");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void mapsOpenErrorsAsTheJdkDoes(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> open(engine, missing, READ)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> open(engine, file, WRITE, CREATE_NEW)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> FileChannel.open(file, WRITE, CREATE_NEW)).isInstanceOf(FileAlreadyExistsException.class);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> open(engine, sub, WRITE)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("EISDIR");
        assertThatThrownBy(() -> FileChannel.open(sub, WRITE)).isInstanceOf(FileSystemException.class);
        try (FileChannel ours = open(engine, sub, READ); FileChannel jdk = FileChannel.open(sub, READ)) {
            assertThatThrownBy(() -> ours.read(ByteBuffer.allocate(1))).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> jdk.read(ByteBuffer.allocate(1))).isInstanceOf(IOException.class);
            assertThat(ours.isOpen()).isTrue();
        }
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThatThrownBy(() -> open(engine, link, READ, LinkOption.NOFOLLOW_LINKS))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("NOFOLLOW_LINKS");
        // The JDK throws a plain IOException with the same words; ours is a FileSystemException naming the path.
        assertThatThrownBy(() -> FileChannel.open(link, READ, LinkOption.NOFOLLOW_LINKS))
                .isInstanceOf(IOException.class).hasMessageContaining("NOFOLLOW_LINKS");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void createsWithPermissionsAndDeletesOnClose(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = dir.resolve("perm");
        try (FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(WRITE, CREATE_NEW),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            assertThat(ch.write(ByteBuffer.wrap(new byte[] {1}))).isEqualTo(1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Path temp = dir.resolve("temp");
        try (FileChannel ch = open(engine, temp, WRITE, READ, CREATE_NEW, DELETE_ON_CLOSE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(ch.read(ByteBuffer.allocate(3), 0)).isEqualTo(3);
        }
        assertThat(temp).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void readsWhatTheJdkReads(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        byte[] data = bytes(100_000, 1);
        Path file = Files.write(dir.resolve("f"), data);
        try (FileChannel ours = open(engine, file, READ); FileChannel jdk = FileChannel.open(file, READ)) {
            for (ByteBuffer[] pair : new ByteBuffer[][] {
                    {ByteBuffer.allocate(4096), ByteBuffer.allocate(4096)},
                    {ByteBuffer.allocateDirect(4096), ByteBuffer.allocateDirect(4096)},
                    {Arena.ofAuto().allocate(4096).asByteBuffer(), Arena.ofAuto().allocate(4096).asByteBuffer()}}) {
                pair[0].position(10).limit(3000);
                pair[1].position(10).limit(3000);
                assertThat(ours.read(pair[0])).isEqualTo(jdk.read(pair[1]));
                assertThat(pair[0].position()).isEqualTo(pair[1].position()).isEqualTo(3000);
                assertThat(ours.position()).isEqualTo(jdk.position());
                assertThat(pair[0].flip().position(10)).isEqualTo(pair[1].flip().position(10));
            }
            ByteBuffer a = ByteBuffer.allocate(200_000);
            ByteBuffer b = ByteBuffer.allocate(200_000);
            assertThat(ours.read(a, 50)).isEqualTo(jdk.read(b, 50)).isEqualTo(100_000 - 50);
            assertThat(a.flip()).isEqualTo(b.flip());
            assertThat(ours.read(ByteBuffer.allocate(10), 100_000)).isEqualTo(jdk.read(ByteBuffer.allocate(10), 100_000))
                    .isEqualTo(-1);
            assertThat(ours.read(ByteBuffer.allocate(10), 500_000)).isEqualTo(-1);
            assertThat(ours.read(ByteBuffer.allocate(0), 0)).isEqualTo(jdk.read(ByteBuffer.allocate(0), 0)).isZero();
            ours.position(99_990);
            jdk.position(99_990);
            ByteBuffer c = ByteBuffer.allocate(100);
            assertThat(ours.read(c)).isEqualTo(jdk.read(ByteBuffer.allocate(100))).isEqualTo(10);
            assertThat(ours.read(c)).isEqualTo(jdk.read(ByteBuffer.allocate(100))).isEqualTo(-1);
            assertThat(ours.position()).isEqualTo(jdk.position()).isEqualTo(100_000);
            assertThat(ours.size()).isEqualTo(jdk.size()).isEqualTo(100_000);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void scattersAndGathersAsTheJdkDoes(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = dir.resolve("f");
        try (FileChannel ch = open(engine, file, READ, WRITE, CREATE)) {
            ByteBuffer[] srcs = {ByteBuffer.wrap("abc".getBytes()), ByteBuffer.allocateDirect(0),
                    ByteBuffer.allocateDirect(4).put("defg".getBytes()).flip(), ByteBuffer.wrap("hij".getBytes())};
            assertThat(ch.write(srcs, 0, 3)).isEqualTo(7);
            assertThat(srcs[0].remaining()).isZero();
            assertThat(srcs[2].remaining()).isZero();
            assertThat(srcs[3].remaining()).isEqualTo(3);
            assertThat(ch.write(srcs)).isEqualTo(3);
            assertThat(ch.position()).isEqualTo(10);
            ch.position(1);
            ByteBuffer[] dsts = {ByteBuffer.allocate(2), ByteBuffer.allocateDirect(3), ByteBuffer.allocate(10)};
            assertThat(ch.read(dsts)).isEqualTo(9);
            assertThat(dsts[0].position()).isEqualTo(2);
            assertThat(dsts[1].position()).isEqualTo(3);
            assertThat(dsts[2].position()).isEqualTo(4);
            assertThat(new String(dsts[0].array(), 0, 2) + StandardCharsets.US_ASCII.decode(dsts[1].flip())
                    + new String(dsts[2].array(), 0, 4)).isEqualTo("bcdefghij");
            assertThat(ch.read(dsts)).isEqualTo(-1);
            assertThatThrownBy(() -> ch.read(dsts, 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(1).asReadOnlyBuffer()}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void writesLikeTheJdkIncludingLargeHeapBuffers(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        byte[] data = bytes(20 << 20, 2);
        Path ours = dir.resolve("ours");
        Path jdks = dir.resolve("jdk");
        try (FileChannel a = open(engine, ours, WRITE, CREATE); FileChannel b = FileChannel.open(jdks, WRITE, CREATE)) {
            ByteBuffer x = ByteBuffer.wrap(data);
            ByteBuffer y = ByteBuffer.wrap(data);
            assertThat(a.write(x)).isEqualTo(b.write(y)).isEqualTo(data.length);
            assertThat(x.position()).isEqualTo(y.position());
            assertThat(a.position()).isEqualTo(b.position());
            ByteBuffer direct = ByteBuffer.allocateDirect(5).put(new byte[] {9, 9, 9, 9, 9}).flip();
            assertThat(a.write(direct, 30 << 20)).isEqualTo(b.write(direct.duplicate().rewind(), 30 << 20)).isEqualTo(5);
            assertThat(a.write(ByteBuffer.allocate(0))).isZero();
            assertThat(a.size()).isEqualTo(b.size());
        }
        assertThat(Files.mismatch(ours, jdks)).isEqualTo(-1);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void throwsTheJdksExceptions(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "hello");
        try (FileChannel readOnly = open(engine, file, READ); FileChannel writeOnly = open(engine, file, WRITE)) {
            assertThatThrownBy(() -> readOnly.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> readOnly.write(ByteBuffer.allocate(1), 0)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> readOnly.truncate(0)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> readOnly.lock()).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> writeOnly.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> writeOnly.read(ByteBuffer.allocate(1), 0)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> writeOnly.lock(0, 1, true)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> readOnly.read(ByteBuffer.allocate(1).asReadOnlyBuffer()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Read-only buffer");
            assertThatThrownBy(() -> readOnly.read(ByteBuffer.allocate(1), -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Negative position");
            assertThatThrownBy(() -> writeOnly.write(ByteBuffer.allocate(1), -1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> readOnly.position(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writeOnly.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> readOnly.read((ByteBuffer) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> readOnly.transferTo(-1, 1, writeOnly)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> readOnly.transferTo(0, 1, readOnly)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> writeOnly.transferFrom(writeOnly, 0, 1)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> readOnly.map(FileChannel.MapMode.READ_WRITE, 0, 1))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> writeOnly.map(FileChannel.MapMode.READ_ONLY, 0, 1))
                    .isInstanceOf(NonReadableChannelException.class);
        }
        FileChannel closed = open(engine, file, READ, WRITE);
        closed.close();
        closed.close();
        assertThat(closed.isOpen()).isFalse();
        assertThatThrownBy(() -> closed.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.read(ByteBuffer.allocate(1), 0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(closed::position).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.position(1)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(closed::size).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.truncate(0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.force(true)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(closed::lock).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(closed::tryLock).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.map(FileChannel.MapMode.READ_ONLY, 0, 1)).isInstanceOf(ClosedChannelException.class);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void truncatesAndClampsThePositionAsTheJdkDoes(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), bytes(100, 3));
        Path copy = Files.write(dir.resolve("g"), bytes(100, 3));
        try (FileChannel ours = open(engine, file, READ, WRITE); FileChannel jdk = FileChannel.open(copy, READ, WRITE)) {
            for (FileChannel ch : new FileChannel[] {ours, jdk}) {
                ch.position(80);
                ch.truncate(200);
                assertThat(ch.size()).isEqualTo(100);
                assertThat(ch.position()).isEqualTo(80);
                ch.truncate(50);
                assertThat(ch.size()).isEqualTo(50);
                assertThat(ch.position()).isEqualTo(50);
                ch.position(10);
                ch.truncate(20);
                assertThat(ch.position()).isEqualTo(10);
                ch.force(true);
                ch.force(false);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appendsAtTheEndAndReportsTheEndAsPosition(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "12345");
        try (FileChannel ch = open(engine, file, APPEND)) {
            ch.position(0);
            assertThat(ch.write(ByteBuffer.wrap("ab".getBytes()))).isEqualTo(2);
            assertThat(ch.position()).isEqualTo(7);
            assertThat(ch.write(ByteBuffer.allocateDirect(1).put((byte) 'c').flip())).isEqualTo(1);
            assertThat(ch.position()).isEqualTo(8);
        }
        assertThat(Files.readString(file)).isEqualTo("12345abc");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transfersBothWays(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        byte[] data = bytes(300_000, 4);
        Path source = Files.write(dir.resolve("s"), data);
        Path target = dir.resolve("t");
        try (FileChannel in = open(engine, source, READ); FileChannel out = open(engine, target, WRITE, CREATE)) {
            assertThat(in.transferTo(1000, 1_000_000, out)).isEqualTo(299_000);
            assertThat(in.transferTo(400_000, 10, out)).isZero();
            assertThat(out.position()).isEqualTo(299_000);
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(Arrays.copyOfRange(data, 1000, 300_000));
        Path back = dir.resolve("b");
        try (FileChannel in = FileChannel.open(source, READ); FileChannel out = open(engine, back, WRITE, READ, CREATE)) {
            assertThat(out.transferFrom(in, 10, 200_000)).isEqualTo(200_000);
            assertThat(out.position()).isZero();
            assertThat(out.size()).isEqualTo(200_010);
        }
        assertThat(Arrays.copyOfRange(Files.readAllBytes(back), 10, 200_010)).isEqualTo(Arrays.copyOf(data, 200_000));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void mapsThroughTheJdk(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "mapped!");
        try (FileChannel ch = open(engine, file, READ, WRITE, DELETE_ON_CLOSE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 10);
            assertThat(ch.size()).isEqualTo(10);
            assertThat(m.get(0)).isEqualTo((byte) 'm');
            m.put(0, (byte) 'M');
            ByteBuffer b = ByteBuffer.allocate(7);
            ch.read(b, 0);
            assertThat(new String(b.array())).isEqualTo("Mapped!");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = ch.map(FileChannel.MapMode.READ_ONLY, 0, 7, arena);
                assertThat(s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 'a');
            }
        }
    }

    // ---- O_DIRECT --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void directIoNeedsAlignmentAndSaysSo(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = dir.resolve("direct");
        OpenOption direct = ExtendedOpenOptions.DIRECT;
        int block = (int) Files.getFileStore(dir).getBlockSize();
        try (FileChannel ch = open(engine, file, READ, WRITE, CREATE, direct)) {
            ByteBuffer aligned = ByteBuffer.allocateDirect(block * 3).alignedSlice(block);
            aligned.limit(block);
            assertThat(ch.write(aligned, 0)).isEqualTo(block);
            ByteBuffer heap = ByteBuffer.allocate(block);
            assertThat(ch.write(heap, block)).isEqualTo(block);
            assertThat(ch.read(ByteBuffer.allocate(2 * block), 0)).isEqualTo(2 * block);
            // The JDK's exception and messages (sun.nio.ch.IOUtil), raised before the kernel sees the request.
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(block), 1)).isExactlyInstanceOf(IOException.class)
                    .hasMessage("Channel position (1) is not a multiple of the block size (" + block + ")");
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(block - 1), 0))
                    .isExactlyInstanceOf(IOException.class).hasMessage("Number of remaining bytes (" + (block - 1)
                            + ") is not a multiple of the block size (" + block + ")");
            ByteBuffer misaligned = ByteBuffer.allocateDirect(block * 3).alignedSlice(block).position(1).slice()
                    .limit(block);
            assertThatThrownBy(() -> ch.read(misaligned, 0)).isExactlyInstanceOf(IOException.class)
                    .hasMessage("Current position of the bytebuffer (0) is not a multiple of the block size ("
                            + block + "): alignment offset = 1");
            ByteBuffer misalignedAndShort = ByteBuffer.allocateDirect(block * 3).alignedSlice(block).position(1);
            assertThatThrownBy(() -> ch.read(misalignedAndShort, 0)).as("the position is checked first, as the JDK's")
                    .isExactlyInstanceOf(IOException.class)
                    .hasMessage("Current position of the bytebuffer (1) is not a multiple of the block size ("
                            + block + "): alignment offset = 1");
            ch.position(3);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(block))).isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("Channel position (3)");
        }
    }

    // ---- interrupts and asynchronous close -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void anInterruptedThreadClosesTheChannel(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "data");
        try (FileChannel ch = open(engine, file, READ)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(4))).isInstanceOf(ClosedByInterruptException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(ch.isOpen()).isFalse();
        }
    }

    /** One channel operation, for comparing interrupt behaviour with the JDK. */
    private interface ChannelCall {
        void call(FileChannel ch) throws Exception;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void everyBlockingOperationHonoursAPendingInterruptAsTheJdkDoes(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "data");
        ChannelCall[] calls = {
            ch -> ch.read(ByteBuffer.allocate(1)),
            ch -> ch.read(ByteBuffer.allocate(1), 0),
            ch -> ch.write(ByteBuffer.allocate(1)),
            ch -> ch.write(ByteBuffer.allocate(1), 0),
            ch -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(1)}),
            FileChannel::position,
            ch -> ch.position(1),
            FileChannel::size,
            ch -> ch.truncate(1),
            ch -> ch.force(true),
            FileChannel::lock,
        };
        for (int i = 0; i < calls.length; i++) {
            ChannelCall call = calls[i];
            // lock() turns it into FileLockInterruptionException, as its spec says.
            Class<?> expected = i == calls.length - 1 ? java.nio.channels.FileLockInterruptionException.class
                    : ClosedByInterruptException.class;
            for (boolean ours : new boolean[] {true, false}) {
                FileChannel ch = ours ? open(engine, file, READ, WRITE) : FileChannel.open(file, READ, WRITE);
                Thread.currentThread().interrupt();
                try {
                    assertThatThrownBy(() -> call.call(ch)).isExactlyInstanceOf(expected);
                    assertThat(Thread.currentThread().isInterrupted()).isTrue();
                } finally {
                    Thread.interrupted();
                }
                assertThat(ch.isOpen()).isFalse();
            }
        }
        for (boolean ours : new boolean[] {true, false}) {
            try (FileChannel ch = ours ? open(engine, file, READ, WRITE) : FileChannel.open(file, READ, WRITE)) {
                Thread.currentThread().interrupt();
                try {
                    // tryLock does not block, in the JDK as here: the interrupt does not close the channel.
                    assertThat(ch.tryLock()).isNotNull();
                } finally {
                    Thread.interrupted();
                }
                assertThat(ch.isOpen()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void theUninterruptibleChannelIgnoresInterrupts(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "data");
        try (FileChannel ch = EngineChannels.newUninterruptibleFileChannel(engine, file, Set.of(READ))) {
            Thread.currentThread().interrupt();
            try {
                ByteBuffer b = ByteBuffer.allocate(4);
                assertThat(ch.read(b)).isEqualTo(4);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                assertThat(ch.isOpen()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void interruptWhileTheRequestIsInTheKernelAbandonsItSafely(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(open(kind));
        Path file = Files.write(dir.resolve("f"), bytes(8192, 5));
        long fdsBefore = openFds();
        FileChannel ch = open(engine, file, READ);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        ByteBuffer heap = ByteBuffer.allocate(8192);
        // A virtual thread: a platform thread's read is a system call of its own, never the engine's.
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                ch.read(heap);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        engine.awaitHeld(1);
        // As the JDK's: the interrupting thread closes the channel, and the close waits for the kernel.
        Thread interrupter = Thread.ofPlatform().start(reader::interrupt);
        interrupter.join(200);
        assertThat(interrupter.isAlive()).isTrue();
        assertThat(ch.isOpen()).isFalse();
        assertThat(openFds()).isEqualTo(fdsBefore + 1); // the descriptor waits for the request
        engine.releaseAll();
        assertTimeoutPreemptively(BOUND, () -> interrupter.join());
        assertThat(openFds()).isEqualTo(fdsBefore);
        assertTimeoutPreemptively(BOUND, () -> reader.join());
        assertThat(thrown.get()).isInstanceOf(ClosedByInterruptException.class);
        assertThat(heap.position()).isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeFromAnotherThreadEndsAWaitingHeapWrite(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(open(kind));
        Path file = dir.resolve("f");
        FileChannel ch = open(engine, file, WRITE, CREATE);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                ch.write(ByteBuffer.allocate(100));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        engine.awaitHeld(1);
        Thread closer = Closer.closeOnAnotherThread(ch);
        // The writer's wait ends at once; the close waits until the kernel is done with the write.
        assertTimeoutPreemptively(BOUND, () -> writer.join());
        assertThat(thrown.get()).isInstanceOf(AsynchronousCloseException.class)
                .isNotInstanceOf(ClosedByInterruptException.class);
        closer.join(200);
        assertThat(closer.isAlive()).isTrue();
        engine.releaseAll();
        assertTimeoutPreemptively(BOUND, () -> closer.join());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aWriteFromTheCallersOwnMemoryOutlastsCloseAndInterrupt(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(open(kind));
        Path file = dir.resolve("f");
        FileChannel ch = open(engine, file, WRITE, CREATE);
        AtomicReference<Object> outcome = new AtomicReference<>();
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        // A virtual thread: a platform thread's write is a system call of its own, never the engine's.
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(ch.write(direct));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        engine.awaitHeld(1);
        Thread interrupter = Thread.ofPlatform().start(writer::interrupt);
        // The kernel still owns the caller's buffer: the writer waits for it, as the JDK's pwrite would, and so
        // does the interrupter's close of the channel.
        writer.join(200);
        assertThat(writer.isAlive()).isTrue();
        assertThat(interrupter.isAlive()).isTrue();
        assertThat(ch.isOpen()).isFalse();
        engine.releaseAll();
        assertTimeoutPreemptively(BOUND, () -> writer.join());
        assertTimeoutPreemptively(BOUND, () -> interrupter.join());
        assertThat(outcome.get()).isInstanceOf(ClosedByInterruptException.class);
        assertThat(direct.position()).isEqualTo(100);
        assertThat(Files.size(file)).isEqualTo(100);
    }

    // ---- locks -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void locksOverlapWithinTheJvmAndAreReleasedOnClose(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        try (FileChannel a = open(engine, file, READ, WRITE); FileChannel b = open(engine, file, READ, WRITE)) {
            FileLock whole = a.lock();
            assertThat(whole.isValid()).isTrue();
            assertThat(whole.size()).isEqualTo(Long.MAX_VALUE);
            assertThat(whole.channel()).isSameAs(a);
            assertThatThrownBy(() -> b.tryLock(0, 1, false)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> a.lock(5, 1, false)).isInstanceOf(OverlappingFileLockException.class);
            whole.release();
            assertThat(whole.isValid()).isFalse();
            FileLock first = b.tryLock(0, 5, true);
            FileLock second = a.lock(5, 5, false);
            assertThat(first.isShared()).isTrue();
            assertThat(second.isShared()).isFalse();
            assertThatThrownBy(() -> a.lock(-1, 1, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.lock(1, -1, false)).isInstanceOf(IllegalArgumentException.class);
            a.close();
            assertThat(second.isValid()).isFalse();
            assertThatThrownBy(second::release).isInstanceOf(ClosedChannelException.class);
            FileLock again = b.tryLock(5, 5, false);
            assertThat(again).isNotNull();
            assertThat(first.isValid()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void lockWaitsForAnotherProcessAndEndsOnCloseOrInterrupt(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        Process holder = lockInAnotherProcess(file);
        try {
            try (FileChannel ch = open(engine, file, READ, WRITE)) {
                assertThat(ch.tryLock()).isNull();
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                CountDownLatch started = new CountDownLatch(1);
                Thread waiter = Thread.ofVirtual().start(() -> {
                    started.countDown();
                    try {
                        ch.lock();
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                });
                started.await();
                Thread.sleep(100);
                ch.close();
                assertTimeoutPreemptively(BOUND, () -> waiter.join());
                assertThat(thrown.get()).isInstanceOf(AsynchronousCloseException.class);
            }
            try (FileChannel ch = open(engine, file, READ, WRITE)) {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread waiter = Thread.ofPlatform().start(() -> {
                    try {
                        ch.lock(0, 1, false);
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                });
                Thread.sleep(100);
                waiter.interrupt();
                assertTimeoutPreemptively(BOUND, () -> waiter.join());
                assertThat(thrown.get()).isInstanceOf(java.nio.channels.FileLockInterruptionException.class);
                assertThat(ch.isOpen()).isFalse();
            }
            holder.getOutputStream().close();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (FileChannel ch = open(engine, file, READ, WRITE)) {
                FileLock lock = assertTimeoutPreemptively(BOUND, () -> ch.lock());
                assertThat(lock.isValid()).isTrue();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    // ---- virtual threads, descriptors ------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void thousandsOfVirtualThreadsReadWithoutPinningCarriers(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        byte[] data = bytes(1 << 20, 6);
        Path file = Files.write(dir.resolve("f"), data);
        int threads = 3000;
        try (FileChannel ch = open(engine, file, READ);
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?>[] futures = new Future<?>[threads];
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures[i] = executor.submit(() -> {
                    int offset = (index * 4096) % data.length;
                    ByteBuffer b = index % 2 == 0 ? ByteBuffer.allocate(4096) : ByteBuffer.allocateDirect(4096);
                    assertThat(ch.read(b, offset)).isEqualTo(4096);
                    b.flip();
                    byte[] got = new byte[4096];
                    b.get(got);
                    assertThat(got).isEqualTo(Arrays.copyOfRange(data, offset, offset + 4096));
                    return null;
                });
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (Future<?> f : futures) {
                    f.get();
                }
            });
        }
        long carriers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ForkJoinPool-") && t.getName().contains("-worker-")).count();
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        assertThat(carriers).isLessThanOrEqualTo(Math.max(parallelism, Runtime.getRuntime().availableProcessors()));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closingReleasesTheDescriptor(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "x");
        long before = openFds();
        for (int i = 0; i < 50; i++) {
            try (FileChannel ch = open(engine, file, READ, WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1}), i);
                ch.read(ByteBuffer.allocate(1), 0);
                ch.force(true);
                ch.tryLock().release();
            }
        }
        assertThat(openFds()).isEqualTo(before);
    }

    // ---- preallocation ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void preallocatesThroughFallocate(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        Path file = dir.resolve("p");
        try (FileChannel ch = open(engine, file, WRITE, CREATE)) {
            assertThat(ch).isInstanceOf(Preallocatable.class);
            ((Preallocatable) ch).preallocate(0, 1 << 20, true);
            assertThat(ch.size()).isZero();
            Preallocation.preallocate(ch, 0, 1 << 20);
            assertThat(ch.size()).isEqualTo(1 << 20);
            Preallocation.preallocate(ch, 0, 10);
            assertThat(ch.size()).isEqualTo(1 << 20);
            assertThatThrownBy(() -> Preallocation.preallocate(ch, -1, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Preallocation.preallocate(ch, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
        try (FileChannel ch = open(engine, file, READ)) {
            assertThatThrownBy(() -> Preallocation.preallocate(ch, 0, 10)).isInstanceOf(NonWritableChannelException.class);
        }
        try (FileChannel jdk = FileChannel.open(file, WRITE)) {
            Preallocation.preallocate(jdk, 1 << 20, 5);
            assertThat(jdk.size()).isEqualTo((1 << 20) + 5);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void readsFromTheEngineAsFilesWould(EngineKind kind) throws IOException {
        IoEngine engine = open(kind);
        byte[] data = bytes(70_000, 7);
        Path file = Files.write(dir.resolve("f"), data);
        try (FileChannel ch = EngineChannels.newUninterruptibleFileChannel(engine, file, Set.of(StandardOpenOption.READ));
                var in = java.nio.channels.Channels.newInputStream(ch)) {
            Thread.currentThread().interrupt();
            try {
                assertThat(in.readAllBytes()).isEqualTo(data);
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
        }
    }
}
