package dev.ioengine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Test support: the engines to run each engine test on, and process-level leak counters. */
public final class Engines {
    private Engines() {
    }

    /**
     * Every concrete engine. Tests skip (with the probe's reason) an engine this machine truly lacks; on the
     * project's machines all three are available, and the probe test fails if io_uring or AIO is not.
     */
    public static Stream<EngineKind> all() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS);
    }

    /** Skips the calling test when {@code kind} is unavailable here, saying why. */
    public static void assumeAvailable(EngineKind kind) {
        EngineAvailability a = EngineAvailability.probe(kind);
        assumeTrue(a.available(), () -> kind + " unavailable on this machine: " + a.reason());
    }

    /** Opens {@code kind} with the given settings, skipping the test if the kernel lacks it. */
    public static IoEngine open(EngineKind kind, IoEngineConfig.Builder settings) throws IOException {
        assumeAvailable(kind);
        return IoEngine.open(settings.engine(kind).build());
    }

    /** Open file descriptors of this process. */
    public static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Live threads whose name starts with {@code prefix}. */
    public static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /** Names of live threads starting with {@code prefix}, for failure messages. */
    public static String describeThreads(String prefix) {
        return Arrays.toString(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix)).map(Thread::getName).toArray());
    }
}
