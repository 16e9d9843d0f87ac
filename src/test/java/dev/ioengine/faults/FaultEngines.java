package dev.ioengine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.internal.engine.FaultInjection;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Opens engines with an injector installed, and the files and leak counts the fault tests share. */
final class FaultEngines {
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private FaultEngines() {
    }

    /** A name no other engine of this JVM has, so the injector and the engine's threads can be found by it. */
    static String uniqueName(EngineKind kind) {
        return "faults-" + kind.id() + "-" + ENGINES.incrementAndGet();
    }

    /** Opens {@code settings}' engine of {@code kind} with {@code injector}, skipping if the kernel lacks it. */
    static IoEngine open(EngineKind kind, IoEngineConfig.Builder settings, FaultInjector injector)
            throws IOException {
        Engines.assumeAvailable(kind);
        IoEngineConfig config = settings.engine(kind).build();
        FaultInjection.install(config.name(), injector);
        try {
            IoEngine engine = IoEngine.open(config);
            assertThat(engine.kind()).isEqualTo(kind);
            return engine;
        } finally {
            FaultInjection.uninstall(config.name());
        }
    }

    /** open(2) read-write, created if missing. */
    static int openFile(Path path) {
        int fd = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CREAT, 0644);
        assertThat(fd).as("open %s", path).isGreaterThanOrEqualTo(0);
        return fd;
    }

    static void close(int fd) {
        assertThat(LibC.close(fd)).isZero();
    }

    /**
     * Each engine, with a FileChannel's calls made on a platform thread (its own system calls, false) or on a
     * virtual one (the engine's requests, true).
     */
    static Stream<Arguments> enginesAndThreads() {
        return Engines.all().flatMap(kind -> Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
    }

    /** A test body that may throw. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} on a virtual thread (the channels' calls go through the engine) or on this thread. */
    static void onThread(boolean virtual, Body body) throws Exception {
        if (!virtual) {
            body.run();
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
    }
}
