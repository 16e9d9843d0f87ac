package dev.ioengine.fs;

import static java.nio.file.StandardOpenOption.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the provider comes by its engine: once, lazily, falling back under auto, and safe against re-entry. */
class ProviderEngineTest {
    @TempDir
    Path jdkDir;

    private String previousEngineProperty;
    private ProviderEngine engine;

    @BeforeEach
    void autoEngine() {
        previousEngineProperty = System.clearProperty("ioengine.engine");
    }

    @AfterEach
    void restore() {
        if (engine != null) {
            engine.close();
        }
        if (previousEngineProperty != null) {
            System.setProperty("ioengine.engine", previousEngineProperty);
        } else {
            System.clearProperty("ioengine.engine");
        }
    }

    private Path ours(IoEngineFileSystemProvider provider, String name) {
        return provider.getFileSystem(URI.create("file:///")).getPath(jdkDir.toString(), name);
    }

    private IoEngineFileSystemProvider providerWith(ProviderEngine.Opener opener) {
        engine = new ProviderEngine(opener, notice -> { });
        return new IoEngineFileSystemProvider(FileSystems.getDefault().provider(), engine);
    }

    @Test
    void aFileReadWhileTheEngineOpensOpensNoSecondEngine() throws Exception {
        Files.writeString(jdkDir.resolve("proc-like"), "1");
        AtomicInteger opens = new AtomicInteger();
        AtomicReference<String> nestedChannel = new AtomicReference<>();
        AtomicReference<IoEngineFileSystemProvider> self = new AtomicReference<>();
        IoEngineFileSystemProvider provider = providerWith(config -> {
            opens.incrementAndGet();
            Path probeFile = ours(self.get(), "proc-like");
            assertThat(Files.readString(probeFile)).isEqualTo("1");
            try (FileChannel channel = FileChannel.open(probeFile, READ)) {
                nestedChannel.set(channel.getClass().getName());
            }
            return IoEngine.open(config.toBuilder().engine(EngineKind.THREADS).build());
        });
        self.set(provider);
        // A virtual thread's call is what opens the engine; the nested read is made on the thread itself.
        ProviderChannelsTest.onVirtualThread(() -> Files.writeString(ours(provider, "first"), "x"));
        assertThat(opens).hasValue(1);
        assertThat(nestedChannel.get()).isNotNull();
        assertThat(provider.engineStats()).isPresent();
        assertThat(engine.get().kind()).isEqualTo(EngineKind.THREADS);
    }

    @Test
    void threadsRacingToTheFirstChannelShareOneEngine() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        IoEngineFileSystemProvider provider = providerWith(config -> {
            opens.incrementAndGet();
            return IoEngine.open(config.toBuilder().engine(EngineKind.THREADS).build());
        });
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<IoEngine>> engines = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                Path file = ours(provider, "race-" + i);
                engines.add(pool.submit(() -> {
                    start.await();
                    Files.writeString(file, "x");
                    return engine.get();
                }));
            }
            start.countDown();
            for (Future<IoEngine> each : engines) {
                assertThat(each.get(60, TimeUnit.SECONDS)).isSameAs(engine.get());
            }
        }
        assertThat(opens).hasValue(1);
    }

    @Test
    void underAutoAnEngineThatFailsToOpenFallsBackToThreads() throws IOException {
        IoEngineFileSystemProvider provider = providerWith(config -> {
            if (config.engine() == EngineKind.AUTO) {
                throw new IOException("the picked engine failed");
            }
            return IoEngine.open(config);
        });
        Files.writeString(ours(provider, "f"), "x");
        assertThat(engine.get().kind()).isEqualTo(EngineKind.THREADS);
    }

    @Test
    void theFallbackIsSaidOnce() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        engine = new ProviderEngine(config -> {
            if (config.engine() == EngineKind.AUTO) {
                throw new IOException("ring setup failed");
            }
            return IoEngine.open(config);
        }, said::add);
        IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider(),
                engine);
        assertThat(said).as("nothing is said before the first channel").isEmpty();
        for (int i = 0; i < 5; i++) {
            Path file = ours(provider, "f" + i);
            ProviderChannelsTest.onVirtualThread(() -> Files.writeString(file, "x"));
        }
        assertThat(said).singleElement().asString().contains("threads engine").contains("ring setup failed");
    }

    @Test
    void underAutoWithNoEngineAtAllTheJdksChannelsAreUsed() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        IoEngineFileSystemProvider provider = providerWith(config -> {
            opens.incrementAndGet();
            throw new IOException("no engine here");
        });
        // The first call that needs an engine settles that there is none; the call is made on its thread.
        Path file = ProviderChannelsTest.onVirtualThread(() -> Files.writeString(ours(provider, "f"), "x"));
        try (FileChannel channel = FileChannel.open(file, READ)) {
            assertThat(channel.getClass().getName()).startsWith("sun.nio.ch.");
        }
        assertThat(Files.readString(file)).isEqualTo("x");
        assertThat(provider.engineStats()).isEmpty();
        assertThat(opens).as("settled once: auto, then threads").hasValue(2);
    }

    @Test
    void anEngineAskedForByNameThatFailsIsAnIoExceptionEachTime() {
        System.setProperty("ioengine.engine", "aio");
        AtomicInteger opens = new AtomicInteger();
        IoEngineFileSystemProvider provider = providerWith(config -> {
            opens.incrementAndGet();
            assertThat(config.engine()).isEqualTo(EngineKind.AIO);
            throw new IOException("aio is unavailable: because");
        });
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> ProviderChannelsTest.onVirtualThread(
                    () -> Files.writeString(ours(provider, "f"), "x")))
                    .isInstanceOf(IOException.class).hasMessageContaining("because");
        }
        assertThat(opens).hasValue(2);
    }
}
