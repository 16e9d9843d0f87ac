package dev.ioengine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding a POSIX (fcntl) lock on a whole file, so that a lock request in this JVM stays pending.
 * The JVM cannot do this itself: overlapping locks inside one JVM are refused, not queued. Uses {@code python3}
 * (Debian's base); the test is skipped when it is missing.
 */
final class LockHolder implements AutoCloseable {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = String.join("\n",
            "import fcntl, sys",
            "f = open(sys.argv[1], 'r+b')",
            "fcntl.lockf(f, fcntl.LOCK_EX)",
            "print('locked', flush=True)",
            "sys.stdin.read()");

    private final Process process;

    private LockHolder(Process process) {
        this.process = process;
    }

    /** Starts the holder and returns once it holds the lock. */
    static LockHolder lockWholeFile(Path file) throws IOException {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " to hold a lock from another process");
        LockHolder holder = new LockHolder(new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        BufferedReader out = new BufferedReader(
                new InputStreamReader(holder.process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            holder.close();
            throw new AssertionError("lock holder did not start: " + line);
        }
        return holder;
    }

    /**
     * Ends the holder (closing its stdin lets it exit; the kernel drops its lock), killing it if it does not end in
     * time or the wait is interrupted (the interrupt status is kept).
     */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(ContractBase.WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                assertThat(process.waitFor(ContractBase.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
