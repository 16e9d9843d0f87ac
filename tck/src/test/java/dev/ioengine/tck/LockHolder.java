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
final class LockHolder {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = String.join("\n",
            "import fcntl, sys",
            "f = open(sys.argv[1], 'r+b')",
            "fcntl.lockf(f, fcntl.LOCK_EX)",
            "print('locked', flush=True)",
            "sys.stdin.read()");

    private LockHolder() {
    }

    /** Starts the holder and returns once it holds the lock. */
    static Process lockWholeFile(Path file) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " to hold a lock from another process");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            release(p);
            throw new AssertionError("lock holder did not start: " + line);
        }
        return p;
    }

    /** Ends the holder (closing its stdin lets it exit; the kernel drops its lock). */
    static void release(Process p) throws InterruptedException, IOException {
        p.getOutputStream().close();
        if (!p.waitFor(ContractBase.WAIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            assertThat(p.waitFor(ContractBase.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }
}
