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
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel's close asks its engine, through the public {@link IoEngine#cancel(IoFile)}, to cancel the requests of
 * its file: so an engine given to {@link EngineChannels} by its user, wrapping another, sees and forwards it. The
 * file it is given names the channel's path and is closed once the channel is.
 */
class CloseCancelsTest {
    @TempDir
    Path dir;

    @Test
    void anAsynchronousChannelsCloseCancelsItsFile() throws Exception {
        List<IoFile> cancelled = new CopyOnWriteArrayList<>();
        Path path = dir.resolve("async");
        try (IoEngine real = IoEngine.open(IoEngineConfig.builder().engine(EngineKind.THREADS).build())) {
            AsynchronousFileChannel channel = EngineChannels.newAsynchronousFileChannel(recording(real, cancelled),
                    path, Set.of(READ, WRITE, CREATE), null);
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0).get();
            channel.close();
        }
        assertThat(cancelled).hasSize(1);
        assertThat(cancelled.get(0).path()).isEqualTo(path);
        assertThat(cancelled.get(0).isOpen()).isFalse();
    }

    @Test
    void aFileChannelsCloseCancelsItsFile() throws Exception {
        List<IoFile> cancelled = new CopyOnWriteArrayList<>();
        Path path = dir.resolve("sync");
        try (IoEngine real = IoEngine.open(IoEngineConfig.builder().engine(EngineKind.THREADS).nowait(false)
                .build())) {
            FileChannel channel = EngineChannels.newFileChannel(recording(real, cancelled), path,
                    Set.of(READ, WRITE, CREATE));
            // On a virtual thread: a platform thread's call is a system call of its own, and needs no engine.
            Thread.ofVirtual().start(() -> {
                try {
                    channel.write(ByteBuffer.allocateDirect(1 << 20), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).join();
            assertThat(channel.size()).isEqualTo(1 << 20);
            channel.close();
        }
        assertThat(cancelled).extracting(IoFile::path).containsExactly(path);
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
