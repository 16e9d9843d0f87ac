package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel's close asks its engine, through the public {@link IoEngine#cancel(IoFile)}, to cancel the requests of
 * its file while IO of it is in flight: so an engine given to {@link EngineChannels} by its user, wrapping another,
 * sees and forwards it. The file it is given names the channel's path and is closed once the channel is. With no IO
 * in flight the close asks no cancel (it would be a round trip to the engine's thread for nothing).
 */
class CloseCancelsTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    @Test
    void anAsynchronousChannelsCloseCancelsItsFileWhileItsIoIsInFlight() throws Exception {
        List<IoFile> cancelled = new CopyOnWriteArrayList<>();
        Path path = dir.resolve("async");
        try (IoEngine real = threadsEngine()) {
            HoldingEngine holding = new HoldingEngine(real);
            AsynchronousFileChannel channel = EngineChannels.newAsynchronousFileChannel(recording(holding, cancelled),
                    path, Set.of(READ, WRITE, CREATE), null);
            Future<Integer> write = channel.write(ByteBuffer.allocateDirect(4096), 0);
            holding.awaitHeld(1);
            closeWhileHeld(channel, holding, cancelled);
            assertThat(write.get()).isEqualTo(4096);
        }
        assertThat(cancelled).hasSize(1);
        assertThat(cancelled.get(0).path()).isEqualTo(path);
        assertThat(cancelled.get(0).isOpen()).isFalse();
    }

    @Test
    void aFileChannelsCloseCancelsItsFileWhileItsIoIsInFlight() throws Exception {
        List<IoFile> cancelled = new CopyOnWriteArrayList<>();
        Path path = dir.resolve("sync");
        try (IoEngine real = threadsEngine()) {
            HoldingEngine holding = new HoldingEngine(real);
            FileChannel channel = EngineChannels.newFileChannel(recording(holding, cancelled), path,
                    Set.of(READ, WRITE, CREATE));
            // On a virtual thread: a platform thread's call is a system call of its own, and needs no engine.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    channel.write(ByteBuffer.allocateDirect(1 << 20), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            holding.awaitHeld(1);
            closeWhileHeld(channel, holding, cancelled);
            writer.join();
        }
        assertThat(cancelled).extracting(IoFile::path).containsExactly(path);
    }

    @Test
    void aCloseWithNoIoInFlightAsksNoCancel() throws Exception {
        List<IoFile> cancelled = new CopyOnWriteArrayList<>();
        try (IoEngine real = threadsEngine()) {
            IoEngine engine = recording(real, cancelled);
            AsynchronousFileChannel async = EngineChannels.newAsynchronousFileChannel(engine, dir.resolve("a"),
                    Set.of(READ, WRITE, CREATE), null);
            async.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0).get();
            async.close();
            FileChannel sync = EngineChannels.newFileChannel(engine, dir.resolve("s"), Set.of(READ, WRITE, CREATE));
            Thread.ofVirtual().start(() -> {
                try {
                    sync.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).join();
            sync.close();
            assertThat(async.isOpen()).isFalse();
            assertThat(sync.isOpen()).isFalse();
        }
        assertThat(cancelled).isEmpty();
    }

    private static IoEngine threadsEngine() throws IOException {
        return IoEngine.open(IoEngineConfig.builder().engine(EngineKind.THREADS).nowait(false).build());
    }

    /**
     * Closes {@code channel} on another thread while {@code holding} holds its IO, waits for the cancel to be asked,
     * then lets the IO go on and waits for the close to return.
     */
    private static void closeWhileHeld(Channel channel, HoldingEngine holding, List<IoFile> cancelled)
            throws Exception {
        Thread closing = Closer.closeOnAnotherThread(channel);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (cancelled.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the close asked no cancel while IO was in flight");
            }
            Thread.sleep(1);
        }
        holding.releaseAll();
        closing.join();
    }

    /** {@code real}, recording the files it is asked to cancel. */
    private static IoEngine recording(IoEngine real, List<IoFile> cancelled) {
        return (IoEngine) Proxy.newProxyInstance(IoEngine.class.getClassLoader(), new Class<?>[] {IoEngine.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("cancel")) {
                        cancelled.add((IoFile) args[0]);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
