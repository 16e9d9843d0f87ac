package dev.ioengine.badinput;

import static dev.ioengine.badinput.DifferentialCase.returning;
import static dev.ioengine.badinput.DifferentialCase.throwing;
import static dev.ioengine.badinput.Side.await;
import static dev.ioengine.badinput.Side.buffer;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.channels.Preallocation;
import dev.ioengine.fs.ProvidersByEngine;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to FileChannel, AsynchronousFileChannel and their open options, each run on the JDK's default
 * provider and on io-engine's provider over each engine: io-engine must do what the JDK does (the same exception
 * type, or the same return value).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelBadInputTest {
    private static final ProvidersByEngine PROVIDERS = new ProvidersByEngine(ChannelBadInputTest::warmUp);

    @TempDir
    Path tmp;

    /** A JDK-foreign option, as a caller's own OpenOption would be. */
    enum UnknownOption implements OpenOption { BOGUS }

    static Stream<DifferentialCase> fileChannelCases() {
        return Stream.of(
                throwing("FileChannel.read(ByteBuffer)", "null buffer", NullPointerException.class,
                        s -> s.rw().read((ByteBuffer) null)),
                throwing("FileChannel.read(ByteBuffer, long)", "null buffer", NullPointerException.class,
                        s -> s.rw().read(null, 0)),
                throwing("FileChannel.write(ByteBuffer)", "null buffer", NullPointerException.class,
                        s -> s.rw().write((ByteBuffer) null)),
                throwing("FileChannel.write(ByteBuffer, long)", "null buffer", NullPointerException.class,
                        s -> s.rw().write(null, 0)),
                throwing("FileChannel.read(ByteBuffer, long)", "negative position", IllegalArgumentException.class,
                        s -> s.rw().read(buffer(8), -1)),
                throwing("FileChannel.write(ByteBuffer, long)", "negative position", IllegalArgumentException.class,
                        s -> s.rw().write(buffer(8), -1)),
                throwing("FileChannel.read(ByteBuffer)", "read-only buffer", IllegalArgumentException.class,
                        s -> s.rw().read(buffer(8).asReadOnlyBuffer())),
                throwing("FileChannel.read(ByteBuffer, long)", "read-only direct buffer",
                        IllegalArgumentException.class,
                        s -> s.rw().read(ByteBuffer.allocateDirect(8).asReadOnlyBuffer(), 0)),
                throwing("FileChannel.read(ByteBuffer[])", "null array", NullPointerException.class,
                        s -> s.rw().read((ByteBuffer[]) null)),
                throwing("FileChannel.read(ByteBuffer[])", "null element", NullPointerException.class,
                        s -> s.rw().read(new ByteBuffer[] {buffer(4), null})),
                throwing("FileChannel.write(ByteBuffer[])", "null element", NullPointerException.class,
                        s -> s.rw().write(new ByteBuffer[] {buffer(4), null})),
                throwing("FileChannel.read(ByteBuffer[], int, int)", "negative offset",
                        IndexOutOfBoundsException.class, s -> s.rw().read(new ByteBuffer[] {buffer(4)}, -1, 1)),
                throwing("FileChannel.read(ByteBuffer[], int, int)", "offset + length > array length",
                        IndexOutOfBoundsException.class, s -> s.rw().read(new ByteBuffer[] {buffer(4)}, 0, 2)),
                throwing("FileChannel.write(ByteBuffer[], int, int)", "negative length",
                        IndexOutOfBoundsException.class, s -> s.rw().write(new ByteBuffer[] {buffer(4)}, 0, -1)),
                throwing("FileChannel.read(ByteBuffer[])", "a read-only element", IllegalArgumentException.class,
                        s -> s.rw().read(new ByteBuffer[] {buffer(4), buffer(4).asReadOnlyBuffer()})),
                throwing("FileChannel.position(long)", "negative", IllegalArgumentException.class,
                        s -> s.rw().position(-1)),
                throwing("FileChannel.truncate(long)", "negative", IllegalArgumentException.class,
                        s -> s.rw().truncate(-1)),
                throwing("FileChannel.transferTo", "negative position", IllegalArgumentException.class,
                        s -> s.rw().transferTo(-1, 10, s.channel(WRITE))),
                throwing("FileChannel.transferTo", "negative count", IllegalArgumentException.class,
                        s -> s.rw().transferTo(0, -1, s.channel(WRITE))),
                throwing("FileChannel.transferTo", "null target", NullPointerException.class,
                        s -> s.rw().transferTo(0, 10, null)),
                throwing("FileChannel.transferFrom", "negative position", IllegalArgumentException.class,
                        s -> s.rw().transferFrom(s.ro(), -1, 10)),
                throwing("FileChannel.transferFrom", "null source", NullPointerException.class,
                        s -> s.rw().transferFrom(null, 0, 10)),
                throwing("FileChannel.map", "null mode", NullPointerException.class,
                        s -> s.rw().map(null, 0, 10)),
                throwing("FileChannel.map", "negative position", IllegalArgumentException.class,
                        s -> s.rw().map(MapMode.READ_ONLY, -1, 10)),
                throwing("FileChannel.map", "negative size", IllegalArgumentException.class,
                        s -> s.rw().map(MapMode.READ_ONLY, 0, -1)),
                throwing("FileChannel.map", "position + size > Long.MAX_VALUE", IllegalArgumentException.class,
                        s -> s.rw().map(MapMode.READ_ONLY, Long.MAX_VALUE - 5, 10)),
                throwing("FileChannel.map(mode, pos, size, Arena)", "null arena", NullPointerException.class,
                        s -> s.rw().map(MapMode.READ_ONLY, 0, 10, null)),
                throwing("FileChannel.map(mode, pos, size, Arena)", "closed arena", IllegalStateException.class,
                        s -> {
                            Arena arena = Arena.ofConfined();
                            arena.close();
                            return s.rw().map(MapMode.READ_ONLY, 0, 10, arena);
                        }),
                throwing("FileChannel.map", "READ_WRITE on a read-only channel", NonWritableChannelException.class,
                        s -> s.ro().map(MapMode.READ_WRITE, 0, 10)),
                throwing("FileChannel.map", "READ_ONLY on a write-only channel", NonReadableChannelException.class,
                        s -> s.wo().map(MapMode.READ_ONLY, 0, 10)),
                throwing("FileChannel.map", "PRIVATE on a write-only channel", NonReadableChannelException.class,
                        s -> s.wo().map(MapMode.PRIVATE, 0, 10)),
                throwing("FileChannel.lock(long, long, boolean)", "negative position", IllegalArgumentException.class,
                        s -> s.rw().lock(-1, 10, false)),
                throwing("FileChannel.tryLock(long, long, boolean)", "negative size", IllegalArgumentException.class,
                        s -> s.rw().tryLock(0, -1, false)),
                throwing("FileChannel.lock(long, long, boolean)", "position + size > Long.MAX_VALUE",
                        IllegalArgumentException.class, s -> s.rw().lock(Long.MAX_VALUE, 10, false)),
                throwing("FileChannel.lock(long, long, boolean)", "shared on a write-only channel",
                        NonReadableChannelException.class, s -> s.wo().lock(0, 10, true)),
                throwing("FileChannel.tryLock(long, long, boolean)", "exclusive on a read-only channel",
                        NonWritableChannelException.class, s -> s.ro().tryLock(0, 10, false)),
                throwing("FileChannel.read(ByteBuffer)", "write-only channel", NonReadableChannelException.class,
                        s -> s.wo().read(buffer(8))),
                throwing("FileChannel.read(ByteBuffer, long)", "write-only channel", NonReadableChannelException.class,
                        s -> s.wo().read(buffer(8), 0)),
                throwing("FileChannel.write(ByteBuffer)", "read-only channel", NonWritableChannelException.class,
                        s -> s.ro().write(buffer(8))),
                throwing("FileChannel.write(ByteBuffer, long)", "read-only channel", NonWritableChannelException.class,
                        s -> s.ro().write(buffer(8), 0)),
                throwing("FileChannel.truncate(long)", "read-only channel", NonWritableChannelException.class,
                        s -> s.ro().truncate(0)),
                throwing("FileChannel.transferTo", "write-only source", NonReadableChannelException.class,
                        s -> s.wo().transferTo(0, 10, s.channel(WRITE))),
                throwing("FileChannel.transferFrom", "read-only target", NonWritableChannelException.class,
                        s -> s.ro().transferFrom(s.ro(), 0, 10)),
                throwing("FileChannel.read(ByteBuffer)", "closed channel", ClosedChannelException.class,
                        s -> s.closed().read(buffer(8))),
                throwing("FileChannel.read(ByteBuffer, long)", "closed channel", ClosedChannelException.class,
                        s -> s.closed().read(buffer(8), 0)),
                throwing("FileChannel.write(ByteBuffer, long)", "closed channel", ClosedChannelException.class,
                        s -> s.closed().write(buffer(8), 0)),
                throwing("FileChannel.position()", "closed channel", ClosedChannelException.class,
                        s -> s.closed().position()),
                throwing("FileChannel.size()", "closed channel", ClosedChannelException.class,
                        s -> s.closed().size()),
                throwing("FileChannel.truncate(long)", "closed channel", ClosedChannelException.class,
                        s -> s.closed().truncate(0)),
                throwing("FileChannel.force(boolean)", "closed channel", ClosedChannelException.class,
                        s -> {
                            s.closed().force(true);
                            return null;
                        }),
                throwing("FileChannel.map", "closed channel", ClosedChannelException.class,
                        s -> s.closed().map(MapMode.READ_ONLY, 0, 10)),
                throwing("FileChannel.lock()", "closed channel", ClosedChannelException.class,
                        s -> s.closed().lock()),
                throwing("FileChannel.transferTo", "closed channel", ClosedChannelException.class,
                        s -> s.closed().transferTo(0, 10, s.channel(WRITE))),
                returning("FileChannel.read(ByteBuffer)", "zero-length buffer", s -> s.rw().read(buffer(0))),
                returning("FileChannel.read(ByteBuffer, long)", "zero-length buffer past EOF",
                        s -> s.rw().read(buffer(0), 1000)),
                returning("FileChannel.write(ByteBuffer, long)", "zero-length buffer past EOF",
                        s -> s.rw().write(buffer(0), 1000) + " size " + s.rw().size()),
                returning("FileChannel.read(ByteBuffer[], int, int)", "zero buffers",
                        s -> s.rw().read(new ByteBuffer[] {buffer(4)}, 1, 0)),
                returning("FileChannel.transferTo", "position past EOF", s -> s.rw().transferTo(1000, 10,
                        s.channel(WRITE))),
                returning("FileChannel.truncate(long)", "larger than the file (no change)",
                        s -> s.rw().truncate(1000).size()));
    }

    static Stream<DifferentialCase> asynchronousChannelCases() {
        CompletionHandler<Integer, Object> ignore = new CompletionHandler<>() {
            @Override
            public void completed(Integer result, Object attachment) {}

            @Override
            public void failed(Throwable exc, Object attachment) {}
        };
        return Stream.of(
                throwing("AsynchronousFileChannel.read(ByteBuffer, long)", "null buffer", NullPointerException.class,
                        s -> s.asyncRw().read(null, 0)),
                throwing("AsynchronousFileChannel.write(ByteBuffer, long)", "null buffer", NullPointerException.class,
                        s -> s.asyncRw().write(null, 0)),
                throwing("AsynchronousFileChannel.read(ByteBuffer, long, A, handler)", "null handler",
                        NullPointerException.class, s -> {
                            s.asyncRw().read(buffer(8), 0, null, null);
                            return null;
                        }),
                throwing("AsynchronousFileChannel.write(ByteBuffer, long, A, handler)", "null handler",
                        NullPointerException.class, s -> {
                            s.asyncRw().write(buffer(8), 0, null, null);
                            return null;
                        }),
                throwing("AsynchronousFileChannel.read(ByteBuffer, long)", "negative position",
                        IllegalArgumentException.class, s -> s.asyncRw().read(buffer(8), -1)),
                throwing("AsynchronousFileChannel.write(ByteBuffer, long, A, handler)", "negative position",
                        IllegalArgumentException.class, s -> {
                            s.asyncRw().write(buffer(8), -1, null, ignore);
                            return null;
                        }),
                throwing("AsynchronousFileChannel.read(ByteBuffer, long)", "read-only buffer",
                        IllegalArgumentException.class, s -> s.asyncRw().read(buffer(8).asReadOnlyBuffer(), 0)),
                throwing("AsynchronousFileChannel.read(ByteBuffer, long)", "write-only channel",
                        NonReadableChannelException.class, s -> s.async(WRITE).read(buffer(8), 0)),
                throwing("AsynchronousFileChannel.write(ByteBuffer, long)", "read-only channel",
                        NonWritableChannelException.class, s -> s.async(READ).write(buffer(8), 0)),
                throwing("AsynchronousFileChannel.truncate(long)", "negative", IllegalArgumentException.class,
                        s -> s.asyncRw().truncate(-1)),
                throwing("AsynchronousFileChannel.truncate(long)", "read-only channel",
                        NonWritableChannelException.class, s -> s.async(READ).truncate(0)),
                throwing("AsynchronousFileChannel.lock(long, long, boolean)", "negative position",
                        IllegalArgumentException.class, s -> s.asyncRw().lock(-1, 10, false)),
                throwing("AsynchronousFileChannel.tryLock(long, long, boolean)", "position + size > Long.MAX_VALUE",
                        IllegalArgumentException.class, s -> s.asyncRw().tryLock(Long.MAX_VALUE, 10, false)),
                throwing("AsynchronousFileChannel.lock(long, long, boolean)", "shared on a write-only channel",
                        NonReadableChannelException.class, s -> s.async(WRITE).lock(0, 10, true)),
                throwing("AsynchronousFileChannel.tryLock(long, long, boolean)", "exclusive on a read-only channel",
                        NonWritableChannelException.class, s -> s.async(READ).tryLock(0, 10, false)),
                throwing("AsynchronousFileChannel.read(ByteBuffer, long)", "closed channel (future fails)",
                        ClosedChannelException.class, s -> await(s.asyncClosed().read(buffer(8), 0))),
                throwing("AsynchronousFileChannel.write(ByteBuffer, long)", "closed channel (future fails)",
                        ClosedChannelException.class, s -> await(s.asyncClosed().write(buffer(8), 0))),
                throwing("AsynchronousFileChannel.size()", "closed channel", ClosedChannelException.class,
                        s -> s.asyncClosed().size()),
                // the JDK throws its subclass AsynchronousCloseException here: the spec's type is the reference
                DifferentialCase.perSpec("AsynchronousFileChannel.truncate(long)", "closed channel",
                        ClosedChannelException.class, s -> s.asyncClosed().truncate(0)),
                throwing("AsynchronousFileChannel.force(boolean)", "closed channel", ClosedChannelException.class,
                        s -> {
                            s.asyncClosed().force(false);
                            return null;
                        }),
                throwing("AsynchronousFileChannel.tryLock()", "closed channel", ClosedChannelException.class,
                        s -> s.asyncClosed().tryLock()),
                throwing("AsynchronousFileChannel.lock()", "closed channel (future fails)",
                        ClosedChannelException.class, s -> await(s.asyncClosed().lock())),
                returning("AsynchronousFileChannel.read(ByteBuffer, long)", "zero-length buffer",
                        s -> await(s.asyncRw().read(buffer(0), 0))),
                returning("AsynchronousFileChannel.read(ByteBuffer, long)", "zero-length buffer past EOF",
                        s -> await(s.asyncRw().read(buffer(0), 5000))),
                returning("AsynchronousFileChannel.write(ByteBuffer, long)", "zero-length buffer past EOF",
                        s -> await(s.asyncRw().write(buffer(0), 5000)) + " size " + s.asyncRw().size()),
                throwing("AsynchronousFileChannel.write(ByteBuffer, long)", "zero-length buffer, closed channel",
                        ClosedChannelException.class, s -> await(s.asyncClosed().write(buffer(0), 0))));
    }

    static Stream<DifferentialCase> openOptionCases() {
        return Stream.of(
                throwing("FileChannel.open", "APPEND + READ", IllegalArgumentException.class,
                        s -> s.channel(APPEND, READ)),
                throwing("FileChannel.open", "APPEND + TRUNCATE_EXISTING", IllegalArgumentException.class,
                        s -> s.channel(APPEND, TRUNCATE_EXISTING)),
                throwing("FileChannel.open", "unknown OpenOption", UnsupportedOperationException.class,
                        s -> s.channel(READ, UnknownOption.BOGUS)),
                throwing("FileChannel.open", "null option set", NullPointerException.class,
                        s -> s.track(FileChannel.open(s.data(), (Set<OpenOption>) null))),
                throwing("FileChannel.open", "null in option array", NullPointerException.class,
                        s -> s.channel(READ, null)),
                throwing("FileChannel.open", "null path", NullPointerException.class,
                        s -> s.track(s.provider().newFileChannel(null, Set.of(READ)))),
                throwing("FileChannel.open", "CREATE_NEW on an existing file", FileAlreadyExistsException.class,
                        s -> s.channel(WRITE, CREATE_NEW)),
                throwing("FileChannel.open", "a missing file without CREATE", NoSuchFileException.class,
                        s -> s.track(FileChannel.open(s.missing(), READ))),
                throwing("FileChannel.open", "a directory for WRITE", FileSystemException.class,
                        s -> s.track(FileChannel.open(s.dir(), WRITE))),
                // the JDK throws a bare IOException; io-engine its subclass FileSystemException naming the file
                DifferentialCase.perSpec("FileChannel.open", "NOFOLLOW_LINKS on a symbolic link", IOException.class,
                        s -> {
                    Path link = Files.createSymbolicLink(s.dir().resolve("link"), s.data());
                    return s.track(FileChannel.open(link, READ, LinkOption.NOFOLLOW_LINKS));
                }),
                returning("FileChannel.open", "CREATE + CREATE_NEW on a missing file (CREATE_NEW wins)",
                        s -> s.track(FileChannel.open(s.missing(), WRITE, CREATE, CREATE_NEW)).size()),
                returning("FileChannel.open", "empty options (READ by default)",
                        s -> s.track(FileChannel.open(s.data())).read(buffer(4))),
                throwing("FileChannel.open", "foreign Path to this provider", ProviderMismatchException.class,
                        s -> s.track(s.provider().newFileChannel(s.foreign(), Set.of(READ)))),
                throwing("AsynchronousFileChannel.open", "APPEND", UnsupportedOperationException.class,
                        s -> s.async(WRITE, APPEND)),
                throwing("AsynchronousFileChannel.open", "unknown OpenOption", UnsupportedOperationException.class,
                        s -> s.async(READ, UnknownOption.BOGUS)),
                throwing("AsynchronousFileChannel.open", "null option set", NullPointerException.class,
                        s -> s.track(AsynchronousFileChannel.open(s.data(), (Set<OpenOption>) null, null))),
                throwing("AsynchronousFileChannel.open", "a missing file without CREATE", NoSuchFileException.class,
                        s -> s.track(AsynchronousFileChannel.open(s.missing(), READ))),
                throwing("AsynchronousFileChannel.open", "foreign Path to this provider",
                        ProviderMismatchException.class,
                        s -> s.track(s.provider().newAsynchronousFileChannel(s.foreign(), Set.of(READ), null))),
                throwing("Files.newByteChannel", "APPEND + READ", IllegalArgumentException.class,
                        s -> s.track(Files.newByteChannel(s.data(), APPEND, READ))),
                throwing("Files.newInputStream", "WRITE", UnsupportedOperationException.class,
                        s -> s.track(Files.newInputStream(s.data(), WRITE))),
                throwing("Files.newOutputStream", "READ", IllegalArgumentException.class,
                        s -> s.track(Files.newOutputStream(s.data(), READ))),
                throwing("Files.newOutputStream", "unknown OpenOption", UnsupportedOperationException.class,
                        s -> s.track(Files.newOutputStream(s.data(), UnknownOption.BOGUS))));
    }

    /** Preallocation: io-engine's channels fallocate; the JDK's are grown by a write. Both must reject alike. */
    static Stream<DifferentialCase> preallocationCases() {
        return Stream.of(
                throwing("Preallocation.preallocate", "null channel", NullPointerException.class, s -> {
                    Preallocation.preallocate(null, 0, 10);
                    return null;
                }),
                throwing("Preallocation.preallocate", "negative position", IllegalArgumentException.class, s -> {
                    Preallocation.preallocate(s.rw(), -1, 10);
                    return null;
                }),
                throwing("Preallocation.preallocate", "zero length", IllegalArgumentException.class, s -> {
                    Preallocation.preallocate(s.rw(), 0, 0);
                    return null;
                }),
                throwing("Preallocation.preallocate", "position + length > Long.MAX_VALUE",
                        IllegalArgumentException.class, s -> {
                            Preallocation.preallocate(s.rw(), Long.MAX_VALUE, 10);
                            return null;
                        }),
                throwing("Preallocation.preallocate", "closed FileChannel", ClosedChannelException.class, s -> {
                    Preallocation.preallocate(s.closed(), 0, 4096);
                    return null;
                }),
                throwing("Preallocation.preallocate", "closed AsynchronousFileChannel", ClosedChannelException.class,
                        s -> {
                            Preallocation.preallocate(s.asyncClosed(), 0, 4096);
                            return null;
                        }),
                throwing("Preallocation.preallocate", "read-only FileChannel", NonWritableChannelException.class,
                        s -> {
                            Preallocation.preallocate(s.ro(), 0, 4096);
                            return null;
                        }),
                throwing("Preallocation.preallocate", "read-only AsynchronousFileChannel",
                        NonWritableChannelException.class, s -> {
                            Preallocation.preallocate(s.async(READ), 0, 4096);
                            return null;
                        }),
                throwing("Preallocation.preallocate", "not a file channel", IllegalArgumentException.class, s -> {
                    Preallocation.preallocate(java.nio.channels.Channels.newChannel(
                            new java.io.ByteArrayInputStream(new byte[1])), 0, 10);
                    return null;
                }),
                returning("Preallocation.preallocate", "within the file (no change)", s -> {
                    FileChannel c = s.rw();
                    Preallocation.preallocate(c, 0, 10);
                    return c.size();
                }));
    }

    /** O_DIRECT (ExtendedOpenOption.DIRECT): misaligned positions, lengths and buffers, as the JDK checks them. */
    static Stream<DifferentialCase> directCases() {
        OpenOption direct = ExtendedOpenOptions.DIRECT;
        return Stream.of(
                throwing("FileChannel.read(ByteBuffer, long) O_DIRECT", "misaligned position", IOException.class,
                        s -> s.channel(READ, direct).read(aligned(4096), 100)),
                throwing("FileChannel.read(ByteBuffer, long) O_DIRECT", "misaligned length", IOException.class,
                        s -> s.channel(READ, direct).read(aligned(4096).limit(100), 0)),
                throwing("FileChannel.read(ByteBuffer, long) O_DIRECT", "misaligned buffer address",
                        IOException.class, s -> s.channel(READ, direct).read(aligned(8192).position(1).limit(4097), 0)),
                throwing("FileChannel.write(ByteBuffer, long) O_DIRECT", "misaligned position", IOException.class,
                        s -> s.channel(WRITE, direct).write(aligned(4096), 100)),
                throwing("FileChannel.write(ByteBuffer, long) O_DIRECT", "misaligned length", IOException.class,
                        s -> s.channel(WRITE, direct).write(aligned(4096).limit(512 + 1), 0)),
                returning("FileChannel.read(ByteBuffer, long) O_DIRECT", "zero-length buffer",
                        s -> s.channel(READ, direct).read(aligned(4096).limit(0), 0)));
    }

    private static ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + 4096).alignedSlice(4096).limit(size);
    }

    static Stream<Arguments> cases() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)
                .filter(k -> EngineAvailability.probe(k).available())
                .flatMap(kind -> Stream.of(fileChannelCases(), asynchronousChannelCases(), openOptionCases(),
                                preallocationCases(), directCases())
                        .flatMap(s -> s)
                        .map(row -> Arguments.of(kind, row)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void ioEngineDoesWhatTheJdkDoes(EngineKind kind, DifferentialCase row) throws IOException {
        checkAgainstTheJdk(row, engineFileSystem(kind), tmp);
    }

    static void checkAgainstTheJdk(DifferentialCase row, FileSystem engineFileSystem, Path tmp) throws IOException {
        DifferentialCase.Outcome jdk;
        DifferentialCase.Outcome engine;
        try (Side jdkSide = new Side("jdk", FileSystems.getDefault(), Files.createDirectory(tmp.resolve("jdk")))) {
            jdk = row.outcome(jdkSide);
        }
        try (Side engineSide = new Side("io-engine", engineFileSystem,
                Files.createDirectory(tmp.resolve("io-engine")))) {
            engine = row.outcome(engineSide);
        }
        if (row.expected() == null) {
            assertThat(jdk.thrown()).as("the JDK's reference for %s: JDK %s, io-engine %s", row, jdk.describe(),
                    engine.describe()).isNull();
            assertThat(engine.describe()).as("%s", row).isEqualTo(jdk.describe());
        } else {
            assertThat(jdk.thrown()).as("the JDK's reference for %s: JDK %s, io-engine %s", row, jdk.describe(),
                    engine.describe()).isInstanceOf(row.expected());
            if (row.specOnly()) {
                assertThat(engine.thrown()).as("%s: JDK %s, io-engine %s", row, jdk.describe(), engine.describe())
                        .isInstanceOf(row.expected());
            } else {
                assertThat(engine.thrownType()).as("%s: JDK %s, io-engine %s", row, jdk.describe(),
                        engine.describe()).isEqualTo(jdk.thrownType());
            }
        }
    }

    /**
     * The file system of a provider of this class's own running on {@code kind}, shared with
     * {@link ProviderBadInputTest}. It opens its engine on its first channel; {@link #closeEngines()}, after each of
     * the two classes, closes it.
     */
    static FileSystem engineFileSystem(EngineKind kind) throws IOException {
        return PROVIDERS.fileSystem(kind);
    }

    /** Closes the engines of the providers {@link #engineFileSystem} made; the next use makes new ones. */
    @AfterAll
    static void closeEngines() throws InterruptedException {
        PROVIDERS.closeAll();
    }

    /** A platform thread's FileChannel calls need no engine; an asynchronous channel opens it. */
    private static void warmUp(FileSystem fileSystem) throws IOException {
        Path warm = Files.createTempFile("badinput-warm", ".bin");
        try (FileChannel c = FileChannel.open(fileSystem.getPath(warm.toString()), READ)) {
            c.size();
            AsynchronousFileChannel.open(fileSystem.getPath(warm.toString()), READ).close();
        } finally {
            Files.delete(warm);
        }
    }

    // ---- transfers past the largest file offset: found by this table, fixed; the JDK's IOException --------

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void fileChannelReadAtLongMaxValueFailsWithTheJdksIOException(EngineKind kind) throws IOException {
        checkAgainstTheJdk(throwing("FileChannel.read(ByteBuffer, long)", "position Long.MAX_VALUE",
                IOException.class, s -> s.rw().read(buffer(8), Long.MAX_VALUE)), engineFileSystem(kind), tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void fileChannelReadPastLongMaxValueFailsWithTheJdksIOException(EngineKind kind) throws IOException {
        checkAgainstTheJdk(throwing("FileChannel.read(ByteBuffer, long)", "position + length > Long.MAX_VALUE",
                IOException.class, s -> s.rw().read(buffer(64), Long.MAX_VALUE - 10)), engineFileSystem(kind), tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void fileChannelRelativeReadAtPositionLongMaxValueFailsWithTheJdksIOException(EngineKind kind)
            throws IOException {
        checkAgainstTheJdk(throwing("FileChannel.position(Long.MAX_VALUE).read(ByteBuffer)", "relative read",
                IOException.class, s -> s.rw().position(Long.MAX_VALUE).read(buffer(8))), engineFileSystem(kind), tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void fileChannelWritePastLongMaxValueFailsWithTheJdksIOException(EngineKind kind) throws IOException {
        checkAgainstTheJdk(throwing("FileChannel.write(ByteBuffer, long)", "position + length > Long.MAX_VALUE",
                IOException.class, s -> s.rw().write(buffer(64), Long.MAX_VALUE - 10)), engineFileSystem(kind), tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void asynchronousReadPastLongMaxValueFailsWithTheJdksIOException(EngineKind kind) throws IOException {
        checkAgainstTheJdk(throwing("AsynchronousFileChannel.read(ByteBuffer, long)",
                "position + length > Long.MAX_VALUE", IOException.class,
                s -> await(s.asyncRw().read(buffer(64), Long.MAX_VALUE - 10))), engineFileSystem(kind), tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void asynchronousWritePastLongMaxValueFailsWithTheJdksIOException(EngineKind kind) throws IOException {
        checkAgainstTheJdk(throwing("AsynchronousFileChannel.write(ByteBuffer, long)",
                "position + length > Long.MAX_VALUE", IOException.class,
                s -> await(s.asyncRw().write(buffer(64), Long.MAX_VALUE - 10))), engineFileSystem(kind), tmp);
    }

    static Stream<EngineKind> engines() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)
                .filter(k -> EngineAvailability.probe(k).available());
    }

    static Set<OpenOption> options(OpenOption... options) {
        return new HashSet<>(java.util.Arrays.asList(options));
    }
}
