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

/** Opens engines for the channel tests and closes them after each test; counts open descriptors. */
abstract class EngineTestSupport {
    private final List<IoEngine> engines = new ArrayList<>();

    /** The engines available on this machine: threads always, io_uring and AIO once they land and probe well. */
    static Stream<EngineKind> engines() {
        return Stream.of(EngineKind.THREADS, EngineKind.IO_URING, EngineKind.AIO)
                .filter(k -> EngineAvailability.probe(k).available());
    }

    IoEngine open(EngineKind kind) throws IOException {
        IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("test-" + kind.id()).build());
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

    /** Open descriptors of this process. */
    static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
