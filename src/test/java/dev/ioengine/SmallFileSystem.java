package dev.ioengine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted for one test, so ENOSPC is real. Needs root (these machines run tests as root);
 * a test that cannot mount is skipped, saying why.
 */
public final class SmallFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code bytes} at a new directory under {@code parent}, or skips the test. */
    public static SmallFileSystem mount(Path parent, long bytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, "small-fs");
        String output = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        assumeTrue(output == null, () -> "cannot mount a small tmpfs for ENOSPC (needs root): " + output);
        return new SmallFileSystem(dir);
    }

    public Path root() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String output = run("umount", mountPoint.toString());
        if (output != null) {
            throw new IOException("umount " + mountPoint + " failed: " + output);
        }
        Files.deleteIfExists(mountPoint);
    }

    /** Runs a command; null on success, else its output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + ": timed out";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
    }
}
