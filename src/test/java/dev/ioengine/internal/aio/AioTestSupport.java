package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Files, engines and leak checks shared by the AIO engine tests. */
final class AioTestSupport {
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private AioTestSupport() {
    }

    /** A fresh, uniquely named engine name, so its threads can be found. */
    static String uniqueName() {
        return "aio-test-" + ENGINES.incrementAndGet();
    }

    static IoEngine open(String name, int depth, int mergeLimit) throws IOException {
        return open(IoEngineConfig.builder().engine(EngineKind.AIO).name(name).queueDepth(depth)
                .mergeLimit(mergeLimit).build());
    }

    static IoEngine open(IoEngineConfig config) throws IOException {
        IoEngine engine = AioEngine.open(config);
        assertThat(engine.kind()).isEqualTo(EngineKind.AIO);
        return engine;
    }

    /** open(2) read-write, created if missing, with O_DIRECT if asked. */
    static int openFile(Path path, boolean direct) {
        int fd = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CREAT | (direct ? LibC.O_DIRECT : 0), 0644);
        assertThat(fd).as("open %s", path).isGreaterThanOrEqualTo(0);
        return fd;
    }

    static void close(int... fds) {
        for (int fd : fds) {
            assertThat(LibC.close(fd)).isZero();
        }
    }

    static long openFdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of /proc/self/maps naming an AIO ring ("/[aio]"): one per live AIO context. */
    static long aioRingMappings() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("[aio]")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live threads of the engine named {@code name}. */
    static List<Thread> threadsOf(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(name + "-"))
                .toList();
    }

    static void awaitAll(Collection<IoRequest> requests) throws InterruptedException {
        for (IoRequest r : requests) {
            assertThat(r.await(60, TimeUnit.SECONDS)).as("completed: %s", r).isTrue();
        }
    }
}
