package dev.ioengine.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.IoEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which blocking channel the provider gives ({@code ioengine.fileChannels}): by default ({@code auto}) io-engine's for
 * O_DIRECT, else the JDK's own (its system call on the calling thread is the floor, and it links nothing native),
 * on platform and virtual threads alike; {@code virtual} adds the channels opened on virtual threads;
 * {@code engine} gives io-engine's always; a malformed value is said once and taken as {@code auto}. Asynchronous
 * channels are always io-engine's. The build sets {@code engine} for every other test; this one sets the property
 * itself for the providers it makes, which read it at their first open.
 */
class FileChannelRoadTest {
    private static final String PROPERTY = ProviderEngine.FILE_CHANNELS;
    private static final String ENGINE_CHANNELS = "dev.ioengine.channels.";

    @TempDir
    Path tmp;

    private String previous;
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private IoEngineFileSystemProvider provider;
    private Path file;

    @BeforeEach
    void rememberTheProperty() {
        previous = System.getProperty(PROPERTY);
    }

    @AfterEach
    void restoreThePropertyAndCloseTheEngine() throws InterruptedException {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
        if (provider != null) {
            ProviderEngines.close(provider);
        }
    }

    /** A drop-in provider whose first open reads {@code value} (null: the property unset). */
    private void providerWith(String value) throws Exception {
        if (value == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, value);
        }
        ProviderEngine engine = new ProviderEngine(IoEngine::open, notices::add);
        provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider(), engine);
        Path jdkFile = Files.writeString(tmp.resolve("file"), "hello, road");
        file = provider.getFileSystem(jdkFile.toUri().resolve("/")).getPath(jdkFile.toString());
    }

    @Test
    void byDefaultABufferedOpenGetsTheJdksOwnChannelsAndNoEngineOpens() throws Exception {
        providerWith(null);
        try (FileChannel channel = provider.newFileChannel(file, Set.of(READ, WRITE));
                SeekableByteChannel bytes = provider.newByteChannel(file, Set.of(READ));
                InputStream in = provider.newInputStream(file);
                OutputStream out = provider.newOutputStream(file.resolveSibling("out"))) {
            assertThat(channel.getClass().getName()).startsWith("sun.nio.ch.");
            assertThat(bytes.getClass().getName()).startsWith("sun.nio.ch.");
            assertThat(in.getClass().getName()).doesNotContain("ioengine");
            assertThat(out.getClass().getName()).doesNotContain("ioengine");
            ByteBuffer read = ByteBuffer.allocate(64);
            channel.read(read, 0);
            assertThat(new String(read.array(), 0, read.position(), UTF_8)).isEqualTo("hello, road");
        }
        assertThat(Files.readString(file)).isEqualTo("hello, road");
        assertThat(provider.engineStats()).as("no engine opened").isEmpty();
        assertThat(notices).isEmpty();
    }

    @Test
    void byDefaultReadAllBytesOnAnInterruptedThreadStillReadsAndKeepsTheInterrupt() throws Exception {
        providerWith(null);
        Thread.currentThread().interrupt();
        try {
            assertThat(new String(Files.readAllBytes(file), UTF_8)).isEqualTo("hello, road");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void byDefaultAVirtualThreadsBufferedOpenGetsTheJdksChannel() throws Exception {
        providerWith(null);
        assertThat(channelClassOpenedOnAVirtualThread(Set.of(READ, WRITE))).startsWith("sun.nio.ch.");
        assertThat(provider.engineStats()).as("no engine opened").isEmpty();
    }

    @Test
    void byDefaultAnODirectOpenGetsAnEngineChannelWhoseIoReachesTheEngine() throws Exception {
        providerWith(null);
        Files.write(file, new byte[4096]);
        try (FileChannel channel = provider.newFileChannel(file, Set.of(READ, ExtendedOpenOptions.DIRECT))) {
            assertThat(channel.getClass().getName()).startsWith(ENGINE_CHANNELS);
        }
        assertThat(channelClassOpenedOnAVirtualThread(Set.of(READ, ExtendedOpenOptions.DIRECT)))
                .startsWith(ENGINE_CHANNELS);
        assertThat(provider.engineStats()).as("the virtual thread's read went through the engine").isPresent()
                .get().satisfies(stats -> assertThat(stats.submitted()).isPositive());
    }

    @Test
    void virtualGivesVirtualThreadsEngineChannelsAndPlatformThreadsTheJdks() throws Exception {
        providerWith("virtual");
        assertThat(channelClassOpenedOnAVirtualThread(Set.of(READ, WRITE))).startsWith(ENGINE_CHANNELS);
        try (FileChannel channel = provider.newFileChannel(file, Set.of(READ))) {
            assertThat(channel.getClass().getName()).startsWith("sun.nio.ch.");
        }
        assertThat(notices).isEmpty();
    }

    /**
     * Opens a channel of the file with {@code options} on a virtual thread, reads it there (the first block, aligned
     * for O_DIRECT) and gives the channel's class name.
     */
    private String channelClassOpenedOnAVirtualThread(Set<OpenOption> options) throws Exception {
        AtomicReference<String> channelClass = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try (FileChannel channel = provider.newFileChannel(file, options)) {
                channelClass.set(channel.getClass().getName());
                ByteBuffer read = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096).slice(0, 4096);
                assertThat(channel.read(read, 0)).isPositive();
            } catch (Throwable e) {
                failure.set(e);
            }
        }).join();
        assertThat(failure.get()).isNull();
        return channelClass.get();
    }

    @Test
    void anAsynchronousChannelIsAlwaysTheEngines() throws Exception {
        providerWith(null);
        try (AsynchronousFileChannel channel = provider.newAsynchronousFileChannel(file, Set.of(READ), null)) {
            assertThat(channel.getClass().getName()).startsWith(ENGINE_CHANNELS);
            ByteBuffer read = ByteBuffer.allocate(64);
            assertThat(channel.read(read, 0).get()).isEqualTo(11);
        }
    }

    @Test
    void engineGivesEveryOpenAnEngineChannel() throws Exception {
        providerWith("engine");
        try (FileChannel channel = provider.newFileChannel(file, Set.of(READ, WRITE, CREATE));
                SeekableByteChannel bytes = provider.newByteChannel(file, Set.of(READ))) {
            assertThat(channel.getClass().getName()).startsWith(ENGINE_CHANNELS);
            assertThat(bytes.getClass().getName()).startsWith(ENGINE_CHANNELS);
        }
        assertThat(Files.readString(file)).isEqualTo("hello, road");
        assertThat(notices).isEmpty();
    }

    @Test
    void aMalformedValueIsSaidOnceInOneLineAndTakenAsAuto() throws Exception {
        providerWith("yes");
        try (FileChannel first = provider.newFileChannel(file, Set.of(READ));
                FileChannel second = provider.newFileChannel(file, Set.of(READ))) {
            assertThat(first.getClass().getName()).startsWith("sun.nio.ch.");
            assertThat(second.getClass().getName()).startsWith("sun.nio.ch.");
        }
        assertThat(notices).singleElement().asString()
                .contains("ioengine.fileChannels=yes", "accepted: auto, virtual or engine").doesNotContain("\n");
    }
}
