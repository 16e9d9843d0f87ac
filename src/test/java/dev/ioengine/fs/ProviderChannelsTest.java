package dev.ioengine.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.Engines;
import dev.ioengine.IoEngine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels and streams of the provider: they go to the engine, with the JDK's option and interrupt rules. */
class ProviderChannelsTest {
    @TempDir
    Path jdkDir;

    /** A provider of this test's own (built as the drop-in is), so that its engine's life is the test's. */
    private final IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(
            FileSystems.getDefault().provider());

    @AfterEach
    void closeEngine() {
        provider.engine().close();
        Thread.interrupted();
    }

    private Path dir() {
        return provider.getFileSystem(URI.create("file:///")).getPath(jdkDir.toString());
    }

    @Test
    void fileChannelRoundTrip() throws IOException {
        Path file = dir().resolve("channel");
        try (FileChannel channel = FileChannel.open(file, CREATE, READ, WRITE)) {
            assertThat(channel.write(ByteBuffer.wrap("hello engine".getBytes(UTF_8)), 0)).isEqualTo(12);
            ByteBuffer read = ByteBuffer.allocate(6);
            assertThat(channel.read(read, 6)).isEqualTo(6);
            assertThat(new String(read.array(), UTF_8)).isEqualTo("engine");
            channel.force(true);
            assertThat(channel.size()).isEqualTo(12);
        }
        assertThat(Files.readString(jdkDir.resolve("channel"))).isEqualTo("hello engine");
    }

    @Test
    void asynchronousFileChannelRoundTrip() throws Exception {
        Path file = dir().resolve("async");
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, CREATE, READ, WRITE)) {
            assertThat(channel.write(ByteBuffer.wrap("async!".getBytes(UTF_8)), 0).get(30, TimeUnit.SECONDS))
                    .isEqualTo(6);
            ByteBuffer read = ByteBuffer.allocate(6);
            assertThat(channel.read(read, 0).get(30, TimeUnit.SECONDS)).isEqualTo(6);
            assertThat(new String(read.array(), UTF_8)).isEqualTo("async!");
        }
    }

    @Test
    void filesHelpersWork() throws IOException {
        Path file = dir().resolve("lines.txt");
        Files.write(file, List.of("one", "two", "three"));
        assertThat(Files.readAllLines(file)).containsExactly("one", "two", "three");
        try (Stream<String> lines = Files.lines(file)) {
            assertThat(lines.count()).isEqualTo(3);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, APPEND)) {
            writer.write("four\n");
        }
        assertThat(Files.readString(file)).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(Files.size(file)).isEqualTo(19);
        Files.writeString(file, "x");
        assertThat(Files.readAllBytes(file)).containsExactly('x');
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            assertThat(channel).isInstanceOf(FileChannel.class);
            assertThat(channel.size()).isEqualTo(1);
        }
        assertThat(Files.mismatch(file, jdkDir.resolve("lines.txt"))).isEqualTo(-1);
    }

    /** Owner-only temporary files are the JDK's rule for the default file system only: the forked test checks it. */
    @Test
    void filesAreCreatedWithThePermissionsAsked() throws IOException {
        assertThat(Files.createTempFile(dir(), "engine", ".tmp")).isInstanceOf(IoEnginePath.class);
        Path made = Files.createFile(dir().resolve("made"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rw-r-----");
    }

    @Test
    void streamOptionsFollowTheJdk() throws IOException {
        Path file = dir().resolve("options");
        assertThatThrownBy(() -> Files.newInputStream(file, WRITE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Files.newInputStream(file, APPEND)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Files.newOutputStream(file, READ)).isInstanceOf(IllegalArgumentException.class);
        Files.writeString(file, "a long first content");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write('b');
        }
        assertThat(Files.readString(file)).isEqualTo("b");
        try (OutputStream out = Files.newOutputStream(file, APPEND)) {
            out.write('c');
        }
        assertThat(Files.readString(file)).isEqualTo("bc");
        assertThatThrownBy(() -> Files.newOutputStream(file, CREATE_NEW))
                .isInstanceOf(FileAlreadyExistsException.class);
        try (InputStream in = Files.newInputStream(file, READ)) {
            assertThat(in.readAllBytes()).containsExactly('b', 'c');
        }
        assertThatThrownBy(() -> Files.newInputStream(dir().resolve("absent")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void filesReadAndWriteHelpersIgnoreASetInterruptStatus() throws IOException {
        Path file = dir().resolve("interrupted");
        Files.writeString(file, "before");
        Thread.currentThread().interrupt();
        try {
            Files.writeString(file, "written while interrupted");
            assertThat(Files.readString(file)).isEqualTo("written while interrupted");
            assertThat(Files.readAllBytes(file)).hasSize(25);
            Files.write(file, new byte[] {1, 2, 3});
            try (InputStream in = Files.newInputStream(file)) {
                assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
            }
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt status is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void channelsKeepTheStandardInterruptSemantics() throws IOException {
        Path file = Files.writeString(dir().resolve("interruptible"), "data");
        try (FileChannel channel = FileChannel.open(file, READ);
                SeekableByteChannel byteChannel = Files.newByteChannel(file)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(4)))
                    .isInstanceOf(ClosedByInterruptException.class);
            assertThat(channel.isOpen()).isFalse();
            assertThat(Thread.interrupted()).isTrue();
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> byteChannel.read(ByteBuffer.allocate(4)))
                    .isInstanceOf(ClosedByInterruptException.class);
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    void directoriesOpenForAChannelAsInTheJdk() throws IOException {
        Path directory = Files.createDirectory(dir().resolve("d"));
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
            assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1))).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> Files.readAllBytes(directory)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> FileChannel.open(directory, WRITE)).isInstanceOf(IOException.class);
    }

    @Test
    void theEngineOpensOnlyWhenACallNeedsIt() throws Exception {
        Path sub = Files.createDirectory(dir().resolve("sub"));
        Files.exists(sub);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir())) {
            entries.forEach(Path::getFileName);
        }
        Files.getFileStore(sub);
        // Blocking IO on a platform thread is the thread's own system calls: no engine, no ring, no engine thread.
        Files.writeString(sub.resolve("f"), "x");
        assertThat(Files.readString(sub.resolve("f"))).isEqualTo("x");
        assertThat(Files.readAllBytes(sub.resolve("f"))).hasSize(1);
        try (FileChannel channel = FileChannel.open(sub.resolve("f"), READ, WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2}), 0);
            channel.write(new ByteBuffer[] {ByteBuffer.allocate(1), ByteBuffer.allocateDirect(1)});
            channel.read(ByteBuffer.allocateDirect(4), 0);
            channel.force(true);
            channel.force(false);
            channel.truncate(1);
        }
        assertThat(provider.engineStats()).isEmpty();
        assertThat(provider.engine().ifOpen()).isNull();
        // A virtual thread's call needs the engine: it submits and parks, its carrier free.
        onVirtualThread(() -> Files.writeString(sub.resolve("f"), "x"));
        assertThat(provider.engineStats()).isPresent();
        IoEngine engine = provider.engine().get();
        assertThat(engine.isOpen()).isTrue();
        assertThat(provider.engine().get()).isSameAs(engine);
    }

    @Test
    void aVirtualThreadsIoReachesTheEngine() throws Exception {
        Path file = dir().resolve("counted");
        try (FileChannel channel = FileChannel.open(file, CREATE, WRITE, READ)) {
            assumeFalse(channel.getClass().getName().startsWith("sun.nio.ch."),
                    "the engine-backed channels have not landed: EngineChannels still opens the JDK's");
            provider.engine().get();
            long before = provider.engineStats().orElseThrow().submitted();
            onVirtualThread(() -> {
                channel.write(ByteBuffer.wrap(new byte[4096]), 0);
                return channel.read(ByteBuffer.allocate(4096), 0);
            });
            EngineStats after = provider.engineStats().orElseThrow();
            assertThat(after.submitted()).isGreaterThanOrEqualTo(before + 2);
        }
    }

    @Test
    void theEngineIsTheOneTheIoengineEnginePropertyNames() throws IOException {
        String previous = System.getProperty("ioengine.engine");
        System.setProperty("ioengine.engine", "threads");
        try {
            Files.writeString(dir().resolve("threads"), "x");
            assertThat(provider.engine().get().kind()).isEqualTo(EngineKind.THREADS);
        } finally {
            restore("ioengine.engine", previous);
        }
    }

    @Test
    void aMalformedPropertyLeavesFileIoToTheJdksChannels() throws Exception {
        // The JDK reads its own files through the drop-in while it starts: a malformed property must not fail
        // them. The one line naming the property is checked in a JVM of its own (ConfigErrorForkedJvmTest).
        String previous = System.getProperty("ioengine.queueDepth");
        System.setProperty("ioengine.queueDepth", "many");
        try {
            // The engine opens (and reads its properties) when a call first needs it: a virtual thread's.
            onVirtualThread(() -> Files.writeString(dir().resolve("bad"), "x"));
            try (FileChannel channel = FileChannel.open(dir().resolve("bad"), READ)) {
                assertThat(channel.getClass().getName()).startsWith("sun.nio.ch.");
            }
            assertThat(provider.engineStats()).isEmpty();
        } finally {
            restore("ioengine.queueDepth", previous);
        }
        assertThat(Files.readString(dir().resolve("bad"))).isEqualTo("x");
    }

    /** Runs {@code call} on a virtual thread, where the engine channels' calls go through the engine. */
    static <T> T onVirtualThread(Callable<T> call) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                outcome.set(call.call());
            } catch (Throwable t) {
                outcome.set(t);
            }
        }).join();
        if (outcome.get() instanceof Exception e) {
            throw e;
        }
        if (outcome.get() instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome.get();
        return result;
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void nothingLeaksFileDescriptors() throws Exception {
        Path file = Files.writeString(dir().resolve("leak"), "content");
        provider.engine().get();
        long before = Engines.openFds();
        for (int i = 0; i < 50; i++) {
            try (FileChannel channel = FileChannel.open(file, READ)) {
                channel.read(ByteBuffer.allocate(7), 0);
            }
            try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, READ)) {
                channel.read(ByteBuffer.allocate(7), 0).get(30, TimeUnit.SECONDS);
            }
            Files.readAllBytes(file);
            Files.writeString(file, "content");
            try (Stream<Path> walk = Files.walk(dir())) {
                walk.forEach(Path::getFileName);
            }
            try (WatchService watcher = dir().getFileSystem().newWatchService()) {
                dir().register(watcher, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            }
            assertThatThrownBy(() -> Files.newInputStream(dir().resolve("absent"))).isInstanceOf(IOException.class);
        }
        assertThat(Engines.openFds()).isEqualTo(before);
    }
}
