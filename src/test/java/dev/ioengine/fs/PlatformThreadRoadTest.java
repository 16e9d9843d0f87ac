package dev.ioengine.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.IoEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
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
 * Which blocking channel a thread gets from the provider ({@code ioengine.platformThreads}): by default a platform
 * thread gets the JDK's own (its system call on the calling thread is the floor, and it links nothing native), a
 * virtual thread io-engine's; {@code engine} gives platform threads io-engine's too; a malformed value is said once
 * and taken as the default. The build sets {@code engine} for every other test; this one sets the property itself
 * for the providers it makes, which read it at their first open.
 */
class PlatformThreadRoadTest {
    private static final String PROPERTY = ProviderEngine.PLATFORM_THREADS;
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
    void byDefaultAPlatformThreadGetsTheJdksOwnChannelsAndNoEngineOpens() throws Exception {
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
    void byDefaultReadAllBytesOnAnInterruptedPlatformThreadStillReadsAndKeepsTheInterrupt() throws Exception {
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
    void byDefaultAVirtualThreadGetsAnEngineChannelWhoseIoReachesTheEngine() throws Exception {
        providerWith(null);
        AtomicReference<String> channelClass = new AtomicReference<>();
        AtomicReference<String> content = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try (FileChannel channel = provider.newFileChannel(file, Set.of(READ, WRITE))) {
                channelClass.set(channel.getClass().getName());
                channel.write(ByteBuffer.wrap("HELLO".getBytes(UTF_8)), 0);
                ByteBuffer read = ByteBuffer.allocate(64);
                channel.read(read, 0);
                content.set(new String(read.array(), 0, read.position(), UTF_8));
            } catch (Throwable e) {
                failure.set(e);
            }
        }).join();
        assertThat(failure.get()).isNull();
        assertThat(channelClass.get()).startsWith(ENGINE_CHANNELS);
        assertThat(content.get()).isEqualTo("HELLO, road");
        assertThat(provider.engineStats()).as("the virtual thread's calls went through the engine").isPresent()
                .get().satisfies(stats -> assertThat(stats.submitted()).isPositive());
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
    void engineGivesPlatformThreadsEngineChannels() throws Exception {
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
    void aMalformedValueIsSaidOnceInOneLineAndPlatformThreadsGetTheJdksChannels() throws Exception {
        providerWith("yes");
        try (FileChannel first = provider.newFileChannel(file, Set.of(READ));
                FileChannel second = provider.newFileChannel(file, Set.of(READ))) {
            assertThat(first.getClass().getName()).startsWith("sun.nio.ch.");
            assertThat(second.getClass().getName()).startsWith("sun.nio.ch.");
        }
        assertThat(notices).singleElement().asString()
                .contains("ioengine.platformThreads=yes", "accepted: jdk or engine").doesNotContain("\n");
    }
}
