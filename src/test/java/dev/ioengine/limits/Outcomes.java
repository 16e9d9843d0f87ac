package dev.ioengine.limits;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a forked test program saw, as properties the test reads back: each attempt is recorded as {@code ok:VALUE},
 * {@code hang} (a bounded wait ran out), or the exception's simple class name and message (an
 * {@link ExecutionException} is unwrapped to its cause). Everything, errors included, is caught: the program
 * must get to write its report.
 */
final class Outcomes {
    static final String HANG = "hang";
    private final Properties results = new Properties();

    String attempt(String key, Callable<?> action) {
        String outcome;
        try {
            outcome = "ok:" + action.call();
        } catch (ExecutionException e) {
            outcome = describe(e.getCause());
        } catch (TimeoutException e) {
            outcome = HANG;
        } catch (Throwable t) {
            outcome = describe(t);
        }
        results.setProperty(key, outcome);
        return outcome;
    }

    void put(String key, Object value) {
        results.setProperty(key, String.valueOf(value));
    }

    void write(Path report) throws IOException {
        try (Writer out = Files.newBufferedWriter(report)) {
            results.store(out, null);
        }
    }

    static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static boolean isOk(String outcome) {
        return outcome.startsWith("ok:");
    }

    /** Open descriptors of this process with their targets, for failure messages. */
    static String describeFds() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    out.append(fd.getFileName()).append(" -> ").append(Files.readSymbolicLink(fd)).append("; ");
                } catch (IOException closed) {
                    continue;
                }
            }
        }
        return out.toString();
    }

    /**
     * Open descriptors of this process, but for the jars the class loader opens as it searches the class path and
     * {@code /dev/urandom} (both JVM-wide, kept open).
     */
    static int openFds() throws IOException {
        int count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.endsWith(".jar") && !target.equals("/dev/urandom") && !target.equals("/dev/random")) {
                        count++;
                    }
                } catch (IOException closedSinceListed) {
                    continue;
                }
            }
        }
        return count;
    }
}
