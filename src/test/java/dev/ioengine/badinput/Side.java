package dev.ioengine.badinput;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One side of a differential bad-input case: the JDK's default provider or io-engine's, each with its own fresh
 * directory holding {@code data} (100 bytes) and an empty sub-directory {@code dir}. Channels opened here are closed
 * by {@link #close()}.
 */
final class Side implements Closeable {
    static final int DATA_SIZE = 100;

    private final String name;
    private final FileSystem fileSystem;
    private final Path root;
    private final Deque<Closeable> opened = new ArrayDeque<>();

    Side(String name, FileSystem fileSystem, java.nio.file.Path realDirectory) throws IOException {
        this.name = name;
        this.fileSystem = fileSystem;
        this.root = fileSystem.getPath(realDirectory.toString());
        Files.write(root.resolve("data"), "x".repeat(DATA_SIZE).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.createDirectory(root.resolve("dir"));
    }

    String name() {
        return name;
    }

    FileSystemProvider provider() {
        return fileSystem.provider();
    }

    Path data() {
        return root.resolve("data");
    }

    Path missing() {
        return root.resolve("missing");
    }

    Path dir() {
        return root.resolve("dir");
    }

    /** A path of another provider (Jimfs), existing there. */
    Path foreign() throws IOException {
        FileSystem jimfs = track(Jimfs.newFileSystem(Configuration.unix()));
        Path p = jimfs.getPath("/foreign");
        Files.write(p, new byte[10]);
        return p;
    }

    <C extends Closeable> C track(C closeable) {
        opened.push(closeable);
        return closeable;
    }

    FileChannel channel(OpenOption... options) throws IOException {
        return track(FileChannel.open(data(), options));
    }

    FileChannel rw() throws IOException {
        return channel(READ, WRITE);
    }

    FileChannel ro() throws IOException {
        return channel(READ);
    }

    FileChannel wo() throws IOException {
        return channel(WRITE);
    }

    FileChannel closed() throws IOException {
        FileChannel c = rw();
        c.close();
        return c;
    }

    AsynchronousFileChannel async(OpenOption... options) throws IOException {
        return track(AsynchronousFileChannel.open(data(), options));
    }

    AsynchronousFileChannel asyncRw() throws IOException {
        return async(READ, WRITE);
    }

    AsynchronousFileChannel asyncClosed() throws IOException {
        AsynchronousFileChannel c = asyncRw();
        c.close();
        return c;
    }

    static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size);
    }

    /** The value of a future, or the cause it failed with thrown as is (so tables compare causes). */
    static <V> V await(Future<V> future) throws Throwable {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no completion within 10 s: a hang", e);
        }
    }

    @Override
    public void close() throws IOException {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }
}
