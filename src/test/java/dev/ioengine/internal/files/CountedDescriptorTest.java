package dev.ioengine.internal.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CountedDescriptor}: the number closes once, after close and the last reference, never before. */
class CountedDescriptorTest {
    @TempDir
    Path dir;

    @Test
    void closesAtOnceWithoutReferences() throws IOException {
        Counting d = open();
        d.close();
        d.close();
        assertThat(openFileOf(d.fd())).isNull();
        assertThat(d.closes.get()).isEqualTo(1);
        assertThat(d.acquire()).isFalse();
        assertThat(d.acquireOpenNumber()).as("the number is closed").isFalse();
    }

    @Test
    void theLastReferenceClosesAfterClose() throws IOException {
        Counting d = open();
        assertThat(d.acquire()).isTrue();
        assertThat(d.acquire()).isTrue();
        d.close();
        assertThat(d.isClosed()).isTrue();
        assertThat(d.acquire()).as("no new user once closed").isFalse();
        d.release();
        assertThat(openFileOf(d.fd())).as("one reference left").isNotNull();
        assertThat(d.closes.get()).isZero();
        d.release();
        assertThat(openFileOf(d.fd())).isNull();
        assertThat(d.closes.get()).isEqualTo(1);
    }

    @Test
    void anOpenNumberCanBeHeldAfterCloseWhileReferencesKeepItOpen() throws IOException {
        Counting d = open();
        assertThat(d.acquire()).isTrue();
        d.close();
        assertThat(d.acquireOpenNumber()).as("a request in flight keeps the number open").isTrue();
        d.release();
        assertThat(openFileOf(d.fd())).as("still held by the second reference").isNotNull();
        d.release();
        assertThat(openFileOf(d.fd())).isNull();
        assertThat(d.closes.get()).isEqualTo(1);
        assertThat(d.references()).isZero();
    }

    private Counting open() throws IOException {
        int fd = LibC.open(Files.writeString(dir.resolve("file"), "x").toString(), LibC.O_RDONLY, 0);
        assertThat(fd).isNotNegative();
        return new Counting(fd);
    }

    private static Path openFileOf(int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Counts {@link #afterClose()} runs. */
    private static final class Counting extends CountedDescriptor {
        final AtomicInteger closes = new AtomicInteger();

        Counting(int fd) {
            super(fd);
        }

        @Override
        protected void afterClose() {
            closes.incrementAndGet();
        }
    }
}
