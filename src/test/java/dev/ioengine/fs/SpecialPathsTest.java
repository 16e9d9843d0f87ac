package dev.ioengine.fs;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.IoEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Paths the JDK treats specially, under io-engine's provider on every engine, compared with the JDK's provider:
 * the empty path (the JDK opens it as ".", issue 9 item 5) and files whose kind the kernel's AIO refuses (procfs
 * and sysfs files, issue 9 item 6; FIFOs, which the provider gives to the JDK's channels).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpecialPathsTest {
    private static final FileSystem JDK = FileSystems.getDefault();

    @TempDir
    Path jdkDir;

    private IoEngineFileSystemProvider provider;
    private IoEngine engine;

    static List<EngineKind> engines() {
        return Engines.all().toList();
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /** io-engine's file system over the JDK's, on {@code kind}. */
    private FileSystem ours(EngineKind kind) {
        Engines.assumeAvailable(kind);
        ProviderEngine chosen = new ProviderEngine(config -> {
            engine = IoEngine.open(config.toBuilder().engine(kind).build());
            return engine;
        }, notice -> { });
        provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider(), chosen);
        return provider.getFileSystem(URI.create("file:///"));
    }

    /**
     * What a call did: its value, or the class of what it threw. io-engine's channels name the file in their IO
     * errors (a {@link FileSystemException} where the JDK's throw a bare {@link IOException}, its superclass): the
     * two count as one.
     */
    private static String outcome(ThrowingCall call) {
        try {
            return "returned " + call.call();
        } catch (ExecutionException e) {
            return "failed with " + name(e.getCause());
        } catch (Exception e) {
            return "threw " + name(e);
        }
    }

    private static String name(Throwable t) {
        return t.getClass() == FileSystemException.class ? IOException.class.getName() : t.getClass().getName();
    }

    private interface ThrowingCall {
        Object call() throws Exception;
    }

    /** Opens {@code path} with {@code options}, then reads from it and asks its size; every outcome in turn. */
    private static List<String> openAndRead(FileSystem fs, Set<OpenOption> options) {
        Path empty = fs.getPath("");
        SeekableByteChannel[] channel = new SeekableByteChannel[1];
        String opened = outcome(() -> {
            channel[0] = Files.newByteChannel(empty, options);
            return "a channel";
        });
        if (channel[0] == null) {
            return List.of(opened);
        }
        try (SeekableByteChannel ch = channel[0]) {
            return List.of(opened, outcome(() -> ch.read(ByteBuffer.allocate(16))),
                    outcome(() -> ch.size() >= 0), outcome(() -> ch.position()));
        } catch (Exception e) {
            return List.of(opened, "close threw " + e);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void theEmptyPathOpensAsTheJdkOpensIt(EngineKind kind) {
        FileSystem ours = ours(kind);
        assertThatThrownBy(() -> Files.newByteChannel(ours.getPath(""), WRITE, CREATE_NEW))
                .isInstanceOf(FileAlreadyExistsException.class);
        for (Set<OpenOption> options : List.<Set<OpenOption>>of(Set.of(READ), Set.of(WRITE, CREATE_NEW),
                Set.of(WRITE, CREATE), Set.of(WRITE), Set.of(READ, WRITE))) {
            assertThat(openAndRead(ours, options)).as("%s", options).isEqualTo(openAndRead(JDK, options));
        }
        assertThat(outcome(() -> {
            try (FileChannel ch = FileChannel.open(ours.getPath(""), READ)) {
                return ch.read(ByteBuffer.allocate(1), 0);
            }
        })).isEqualTo(outcome(() -> {
            try (FileChannel ch = FileChannel.open(JDK.getPath(""), READ)) {
                return ch.read(ByteBuffer.allocate(1), 0);
            }
        }));
        assertThat(outcome(() -> {
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(ours.getPath(""), READ)) {
                return ch.read(ByteBuffer.allocate(1), 0).get();
            }
        })).isEqualTo(outcome(() -> {
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(JDK.getPath(""), READ)) {
                return ch.read(ByteBuffer.allocate(1), 0).get();
            }
        }));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void procAndSysFilesReadAsTheJdkReadsThem(EngineKind kind) throws Exception {
        FileSystem ours = ours(kind);
        long pid = ProcessHandle.current().pid();
        assertThat(new String(Files.readAllBytes(ours.getPath("/proc/self/stat")), US_ASCII))
                .startsWith(pid + " (java) ");
        assertThat(Files.readString(ours.getPath("/proc/self/status"), US_ASCII)).startsWith("Name:\tjava\n")
                .contains("\nPid:\t" + pid + "\n");
        for (String stable : List.of("/proc/self/oom_score_adj", "/proc/self/cmdline", "/proc/sys/kernel/ostype",
                "/sys/devices/system/cpu/online")) {
            assertThat(Files.readAllBytes(ours.getPath(stable))).as(stable)
                    .isEqualTo(Files.readAllBytes(JDK.getPath(stable)));
            assertThat(Files.readAllLines(ours.getPath(stable), US_ASCII)).as(stable)
                    .isEqualTo(Files.readAllLines(JDK.getPath(stable), US_ASCII));
        }
        try (FileChannel ch = FileChannel.open(ours.getPath("/proc/self/stat"), READ)) {
            ByteBuffer b = ByteBuffer.allocate(64);
            assertThat(ch.read(b, 0)).isPositive();
            assertThat(new String(b.array(), 0, b.position(), US_ASCII)).startsWith(pid + " ");
        }
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(ours.getPath("/proc/self/stat"), READ)) {
            ByteBuffer b = ByteBuffer.allocate(64);
            assertThat(ch.read(b, 0).get()).isPositive();
            assertThat(new String(b.array(), 0, b.position(), US_ASCII)).startsWith(pid + " ");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aFifoReadsWhatItsWriterWrote(EngineKind kind) throws Exception {
        FileSystem ours = ours(kind);
        Path fifo = jdkDir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Files.writeString(ours.getPath(fifo.toString()), "through the fifo\n", US_ASCII);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try (InputStream in = Files.newInputStream(ours.getPath(fifo.toString()))) {
            assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("through the fifo\n");
        }
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(writer.isAlive()).isFalse();
    }
}
