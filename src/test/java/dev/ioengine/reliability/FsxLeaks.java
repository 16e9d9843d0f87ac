package dev.ioengine.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Process-level leak counters: open descriptors (/proc/self/fd) and live threads named {@code io-engine*}. Take a
 * {@link Snapshot} after the engines are open (their threads live as long as the JVM), compare after the test.
 */
final class FsxLeaks {
    private static final String THREAD_PREFIX = "io-engine";

    private FsxLeaks() {
    }

    record Snapshot(long fds, long engineThreads) {
    }

    static Snapshot take() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return new Snapshot(fds.count(), engineThreads());
        }
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(THREAD_PREFIX)).count();
    }

    /**
     * Null when descriptors and engine threads are back to {@code before} (threads are given up to 10 s to end),
     * else what leaked.
     */
    static String leaksSince(Snapshot before) throws IOException, InterruptedException {
        Snapshot now = take();
        for (int i = 0; i < 100 && now.engineThreads() > before.engineThreads(); i++) {
            Thread.sleep(100);
            now = take();
        }
        if (now.fds() <= before.fds() && now.engineThreads() <= before.engineThreads()) {
            return null;
        }
        return "leaked: open descriptors " + before.fds() + " -> " + now.fds() + ", io-engine threads "
                + before.engineThreads() + " -> " + now.engineThreads() + " "
                + Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(n -> n.startsWith(THREAD_PREFIX)).sorted().toList();
    }
}
