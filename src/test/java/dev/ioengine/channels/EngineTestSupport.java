package dev.ioengine.channels;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/** Opens engines for the channel tests and closes them after each test; counts open descriptors. */
abstract class EngineTestSupport {
    private final List<IoEngine> engines = new ArrayList<>();

    /** The engines available on this machine: threads always, io_uring and AIO once they land and probe well. */
    static Stream<EngineKind> engines() {
        return Stream.of(EngineKind.THREADS, EngineKind.IO_URING, EngineKind.AIO)
                .filter(k -> EngineAvailability.probe(k).available());
    }

    IoEngine open(EngineKind kind) throws IOException {
        return open(kind, true);
    }

    /**
     * An engine that, with {@code nowait} false, never serves a request on the caller's thread
     * ({@link IoEngine#tryNow}): for tests that need completions on the engine's own thread.
     */
    IoEngine open(EngineKind kind, boolean nowait) throws IOException {
        IoEngine engine = IoEngine.open(
                IoEngineConfig.builder().engine(kind).name("test-" + kind.id()).nowait(nowait).build());
        engines.add(engine);
        return engine;
    }

    @AfterEach
    void closeEngines() {
        for (IoEngine e : engines) {
            e.close();
        }
        engines.clear();
    }

    /**
     * Starts another process holding an exclusive POSIX lock on the whole of {@code file} until its stdin closes,
     * and waits until it holds it. Skips the test when python3 is not installed.
     */
    static Process lockInAnotherProcess(Path file) throws IOException {
        Process holder;
        try {
            holder = new ProcessBuilder("python3", "-c", "import fcntl,sys\n"
                    + "f=open(sys.argv[1],'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                    + "sys.stdin.read()\n", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is needed to hold a lock in another process: " + e);
            throw e;
        }
        String line = new String(holder.getInputStream().readNBytes(6));
        if (!line.equals("locked")) {
            holder.destroyForcibly();
            throw new AssertionError("the lock holder did not start: " + line);
        }
        return holder;
    }

    /** Open descriptors of this process. */
    static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
