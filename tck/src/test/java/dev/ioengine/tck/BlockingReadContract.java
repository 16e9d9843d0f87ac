package dev.ioengine.tck;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.nio.file.StandardOpenOption.CREATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link FileChannel} read that really blocks (on an empty named pipe opened read-write, so the open itself does
 * not wait) must wake on interrupt with {@link ClosedByInterruptException} and on close from another thread with
 * {@link AsynchronousCloseException}, as the JDK's {@code FileChannelImpl} does by signalling the blocked thread.
 *
 * <p>Apart from {@link FileChannelContract} because a provider that gets this wrong can leave an engine thread stuck
 * in the kernel; the io-engine factories give this contract a provider (and engine) of its own so the damage stays
 * here.
 */
abstract class BlockingReadContract extends ContractBase {

    @BeforeEach
    final void needsNamedPipes() {
        assumeCapability(put.supportsFifo(), "named pipes (a read that blocks)");
    }

    @Test
    void interruptOfABlockedReadClosesTheChannel() throws Exception {
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        try (FileChannel ch = FileChannel.open(fifo, READ, WRITE)) {
            BlockedCall blocked = startBlocking(() -> ch.read(ByteBuffer.allocate(16)));
            blocked.thread().interrupt();
            assertThat(blocked.awaitFailure()).isInstanceOf(ClosedByInterruptException.class);
            assertThat(ch.isOpen()).isFalse();
        }
        assertRegularFilesStillWork();
    }

    @Test
    void closeOfABlockedReadThrowsAsynchronousCloseException() throws Exception {
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        FileChannel ch = FileChannel.open(fifo, READ, WRITE);
        BlockedCall blocked = startBlocking(() -> ch.read(ByteBuffer.allocateDirect(16)));
        ch.close();
        Throwable failure = blocked.awaitFailure();
        assertThat(failure).isInstanceOf(AsynchronousCloseException.class)
                .isNotInstanceOf(ClosedByInterruptException.class);
        assertThat(ch.isOpen()).isFalse();
        assertRegularFilesStillWork();
    }

    /** The abandoned pipe read left nothing stuck: IO on a regular file still completes, within a bound. */
    private void assertRegularFilesStillWork() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (FileChannel ch = FileChannel.open(dir.resolve("regular"), CREATE, READ, WRITE)) {
                assertThat(ch.write(ByteBuffer.wrap(new byte[] {4, 5}), 0)).isEqualTo(2);
                assertThat(ch.read(ByteBuffer.allocate(2), 0)).isEqualTo(2);
            }
        }, "IO on a regular file after an abandoned blocking read (is an engine thread stuck in the kernel?)");
    }

    @Test
    void writeThenReadThroughAPipe() throws Exception {
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        try (FileChannel ch = FileChannel.open(fifo, READ, WRITE)) {
            assertThat(ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isEqualTo(3);
            ByteBuffer dst = ByteBuffer.allocate(8);
            assertThat(ch.read(dst)).isEqualTo(3);
            assertThat(dst.position()).isEqualTo(3);
        }
    }
}
