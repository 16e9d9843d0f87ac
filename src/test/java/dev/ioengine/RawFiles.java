package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test support for tests that give an engine raw requests: a shared {@link Arena} for their memory and the
 * descriptors they open with {@link LibC#open}, both closed after each test. Registered as
 * {@code @RegisterExtension final RawFiles raw = new RawFiles();}.
 */
public final class RawFiles implements BeforeEachCallback, AfterEachCallback {
    private final List<Integer> fds = new ArrayList<>();
    private Arena arena;

    @Override
    public void beforeEach(ExtensionContext context) {
        arena = Arena.ofShared();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        fds.forEach(LibC::close);
        fds.clear();
        arena.close();
    }

    /** The test's arena, closed after it. */
    public Arena arena() {
        return arena;
    }

    /** Opens {@code file} (mode 0644), to be closed after the test; -errno if that fails. */
    public int tryOpen(Path file, int flags) {
        int fd = LibC.open(file.toString(), flags, 0644);
        if (fd >= 0) {
            fds.add(fd);
        }
        return fd;
    }

    /** As {@link #tryOpen}, failing the test, with the errno's name, if the open fails. */
    public int open(Path file, int flags) {
        int fd = tryOpen(file, flags);
        assertThat(fd).as("open " + file + ": " + (fd < 0 ? Errno.reason(-fd) : "")).isGreaterThanOrEqualTo(0);
        return fd;
    }

    /** Closes the descriptor opened last, now rather than after the test. */
    public void closeLast() {
        LibC.close(fds.removeLast());
    }
}
