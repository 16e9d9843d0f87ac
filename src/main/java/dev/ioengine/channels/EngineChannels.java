package dev.ioengine.channels;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.internal.engine.FaultInjection;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.files.OpenSpec;
import dev.ioengine.internal.linux.Native;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Opens engine-backed channels. The file system provider calls these with the delegate (JDK default provider)
 * path; the channels open the file themselves ({@code open(2)} with O_CLOEXEC), parsing the options exactly as
 * the JDK's {@code sun.nio.fs.UnixChannelFactory} does, and do their IO through {@code engine}. The engine is
 * the caller's: channels never close it, and it must stay open while they are.
 *
 * <p>O_DIRECT ({@code com.sun.nio.file.ExtendedOpenOption.DIRECT}): the alignment is the block size of the
 * file's store ({@code FileStore.getBlockSize()}, or 4096 when it cannot be had). Direct buffers must then be
 * aligned in address and length, and positions and lengths always; a misaligned transfer fails with the JDK's
 * {@link IOException} and message ("Channel position (1) is not a multiple of the block size (4096)") before the
 * kernel is asked. Heap buffers are copied through aligned buffers, so only their position and length must be
 * aligned.
 */
public final class EngineChannels {
    private EngineChannels() {
    }

    /**
     * Where a {@link FileChannel} gets its engine when a call first needs one: a file channel makes its calls on
     * a platform thread itself, as the JDK's does, and needs the engine only for a virtual thread's calls (which
     * submit and park rather than pin their carrier). A program that only does blocking IO on platform threads
     * never opens an engine.
     */
    @FunctionalInterface
    public interface LazyEngine {
        /**
         * The engine, opened now if need be; null when none can be had (the channel's calls are then all made on
         * the caller's thread).
         *
         * @throws IOException when the engine asked for cannot be opened
         */
        IoEngine get() throws IOException;
    }

    /** A {@link LazyEngine} that is {@code engine}, already open. */
    private record OpenEngine(IoEngine engine) implements LazyEngine {
        @Override
        public IoEngine get() {
            return engine;
        }
    }

    /**
     * A {@link FileChannel} on {@code path} with the JDK's semantics for {@code options} and {@code attrs},
     * including its interrupt behaviour (an interrupt closes the channel).
     *
     * @throws IllegalArgumentException for READ + APPEND, or APPEND + TRUNCATE_EXISTING
     * @throws UnsupportedOperationException for an option or attribute the JDK does not support
     * @throws java.nio.file.FileSystemException (or a subclass) when open(2) fails, naming the path
     */
    public static FileChannel newFileChannel(IoEngine engine, Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        return open(new OpenEngine(engine), FaultInjection.of(engine), path, options, false, attrs);
    }

    /**
     * As {@link #newFileChannel(IoEngine, Path, Set, FileAttribute...)}, with the engine opened only when a call
     * first needs it ({@link LazyEngine}); it must then deliver completions INLINE or on an EXECUTOR.
     */
    public static FileChannel newFileChannelWithLazyEngine(LazyEngine engine, Path path,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return open(engine, null, path, options, false, attrs);
    }

    /**
     * As {@link #newFileChannel}, but the channel ignores interrupts: an interrupted thread's operation
     * completes, the channel stays open and the interrupt status is kept. The JDK makes the channels behind
     * {@code Files.newInputStream}, {@code newOutputStream}, {@code readAllBytes}, {@code readString} and
     * {@code writeString} uninterruptible in this way; the file system provider uses this for those.
     * {@link java.nio.channels.AsynchronousCloseException} still ends an operation when another thread closes
     * the channel.
     */
    public static FileChannel newUninterruptibleFileChannel(IoEngine engine, Path path,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return open(new OpenEngine(engine), FaultInjection.of(engine), path, options, true, attrs);
    }

    /** As {@link #newUninterruptibleFileChannel(IoEngine, Path, Set, FileAttribute...)}, with a {@link LazyEngine}. */
    public static FileChannel newUninterruptibleFileChannelWithLazyEngine(LazyEngine engine, Path path,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return open(engine, null, path, options, true, attrs);
    }

    private static FileChannel open(LazyEngine engine, FaultInjector faults, Path path,
            Set<? extends OpenOption> options, boolean uninterruptible, FileAttribute<?>... attrs)
            throws IOException {
        EngineKind kind = EngineKind.AUTO; // named in the JFR events; AUTO while a lazy engine is unopened
        if (engine instanceof OpenEngine given) {
            checkEngine(given.engine());
            kind = given.engine().kind();
        }
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(path, "path");
        OpenSpec spec = OpenSpec.forFileChannel(options, attrs);
        Descriptor descriptor = Descriptor.open(spec, path, kind);
        try {
            return new EngineFileChannel(engine, faults, descriptor, path, spec, descriptor.directAlignment(),
                    uninterruptible);
        } catch (RuntimeException | Error e) {
            descriptor.close();
            throw e;
        }
    }

    /**
     * An {@link AsynchronousFileChannel} on {@code path}; handlers run on {@code executor}, or on the default
     * pool when it is null. The engine should deliver completions {@link dev.ioengine.CompletionMode#INLINE}: the
     * channel hands handlers to the executor itself. The default pool: on io_uring and AIO, the engine's own loop
     * threads, which take turns ({@link DefaultExecutor#dispatcher}); else, or with
     * {@code java.nio.channels.DefaultThreadPool.threadFactory} set, a JVM-wide cached pool as the JDK's.
     *
     * @throws UnsupportedOperationException for APPEND, and for options or attributes the JDK does not support
     */
    public static AsynchronousFileChannel newAsynchronousFileChannel(IoEngine engine, Path path,
            Set<? extends OpenOption> options, ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        checkEngine(engine);
        Objects.requireNonNull(path, "path");
        OpenSpec spec = OpenSpec.forAsynchronousFileChannel(options, attrs);
        ExecutorService handlers = executor != null ? executor : DefaultExecutor.get();
        HandlerDispatcher dispatcher = executor != null ? new HandlerDispatcher(executor)
                : DefaultExecutor.dispatcher(engine);
        Descriptor descriptor = Descriptor.open(spec, path, engine.kind());
        try {
            return new EngineAsynchronousFileChannel(engine, descriptor, path, spec, descriptor.directAlignment(),
                    handlers, dispatcher);
        } catch (RuntimeException | Error e) {
            descriptor.close();
            throw e;
        }
    }

    /**
     * Whether engine channels serve {@code path}: regular files, directories and files yet to be created do;
     * FIFOs, devices and sockets do not. Their IO is not positional (pread on a pipe fails with ESPIPE, and the
     * JDK reads them with read(2)), and kernel AIO would block its submitting thread on them. The provider gives
     * those to the JDK's channels. One stat(2); a file replaced between this check and the open is served by
     * whichever channel was chosen, correctly either way for regular files.
     */
    public static boolean serves(Path path, Set<? extends OpenOption> options) {
        Objects.requireNonNull(path, "path");
        LinkOption[] links = options.contains(LinkOption.NOFOLLOW_LINKS)
                ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        try {
            return !Files.readAttributes(path, BasicFileAttributes.class, links).isOther();
        } catch (IOException | UnsupportedOperationException e) {
            return true; // absent (to be created) or unreadable: open(2) decides and reports
        }
    }

    /**
     * Whether {@link FileChannel}s of this class can run here: on Linux, with native access granted (their calls on
     * platform threads are the C library's). Opens nothing; cheap, but the caller should keep the answer.
     */
    public static boolean canRunHere() {
        if (!Native.isLinux()) {
            return false;
        }
        try {
            Native.checkNativeAccess(); // links nothing
            return true;
        } catch (IllegalCallerException denied) {
            return false;
        }
    }

    /** The channels complete their requests in callbacks: an engine that only queues them for poll() won't do. */
    private static void checkEngine(IoEngine engine) {
        Objects.requireNonNull(engine, "engine");
        if (!engine.isOpen()) {
            throw new IllegalStateException("the engine is closed: " + engine);
        }
        if (engine.config().completionMode() == CompletionMode.POLLED) {
            throw new IllegalArgumentException("channels need an engine delivering completions INLINE or on an "
                    + "EXECUTOR, not POLLED");
        }
    }
}
