package dev.ioengine.channels;

import dev.ioengine.IoEngine;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Opens engine-backed channels. The file system provider calls these with the delegate (JDK) path; the
 * channels open the file themselves (open(2) with O_CLOEXEC) and do their IO through {@code engine}.
 *
 * <p>Placeholder: delegates to the JDK until the engine-backed channels land.
 */
public final class EngineChannels {
    private EngineChannels() {
    }

    /** A {@link FileChannel} on {@code path} with the JDK's semantics for {@code options} and {@code attrs}. */
    public static FileChannel newFileChannel(IoEngine engine, Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        return path.getFileSystem().provider().newFileChannel(path, options, attrs);
    }

    /**
     * An {@link AsynchronousFileChannel} on {@code path}; handlers run on {@code executor}, or on the default
     * pool (honouring {@code java.nio.channels.DefaultThreadPool.*}) when it is null.
     */
    public static AsynchronousFileChannel newAsynchronousFileChannel(IoEngine engine, Path path,
            Set<? extends OpenOption> options, ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        return path.getFileSystem().provider().newAsynchronousFileChannel(path, options, executor, attrs);
    }
}
