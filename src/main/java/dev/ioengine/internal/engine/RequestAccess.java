package dev.ioengine.internal.engine;

import dev.ioengine.IoFile;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.files.CountedDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;

/**
 * The engine's side of {@link IoRequest} and {@link IoFile}: the state changes only engines may make, the counted
 * descriptor behind a file, and, for io-engine's channels (which keep their own descriptor reference counts),
 * requests on a bare file descriptor and an {@code IoFile} naming a channel's descriptor to the engine's
 * {@link dev.ioengine.IoEngine#cancel(IoFile) cancel}. {@code IoRequest}
 * installs the one implementation from its static initializer (the JDK's "shared secrets" pattern), so the public
 * class shows no completion setters to users.
 *
 * <p>On the module path this package is not exported. On the class path every public method is callable, so
 * {@link #install} and {@link #get} check their caller: only io-engine's own classes ({@link InternalCallers}) get
 * the implementation; anyone else gets an {@link IllegalCallerException}. Classes take it once, into a private
 * static final field, and never hand it out.
 */
public abstract class RequestAccess {
    private static volatile RequestAccess instance;

    /** Called once, by {@code IoRequest}'s static initializer. */
    public static void install(RequestAccess access) {
        if (InternalCallers.WALKER.getCallerClass() != IoRequest.class) {
            throw new IllegalCallerException("only IoRequest installs the request access");
        }
        if (instance != null) {
            throw new IllegalStateException("RequestAccess already installed");
        }
        instance = access;
    }

    /**
     * The implementation, initializing {@code IoRequest} first if needed.
     *
     * @throws IllegalCallerException unless called by a class of io-engine
     */
    public static RequestAccess get() {
        InternalCallers.check(InternalCallers.WALKER.getCallerClass());
        RequestAccess a = instance;
        if (a == null) {
            try {
                MethodHandles.lookup().ensureInitialized(IoRequest.class);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            a = instance;
        }
        return a;
    }

    /** Validates a prepared request for submission, takes its file's reference and marks it in flight. */
    public abstract void markInFlight(IoRequest r, long nanos);

    /** Undoes {@link #markInFlight} for a request the engine did not accept. */
    public abstract void rollback(IoRequest r);

    public abstract long submitNanos(IoRequest r);

    /** Drops the file's reference, publishes the outcome and wakes a thread in {@code await}. Once per submission. */
    public abstract void complete(IoRequest r, long result, int errno, Throwable failure);

    public abstract IoRequest[] mergedParts(IoRequest r);

    public abstract void setMergedParts(IoRequest r, IoRequest[] parts);

    /** The counted descriptor behind {@code file}. */
    public abstract CountedDescriptor descriptor(IoFile file);

    /**
     * An {@code IoFile} on a descriptor its caller counts (a channel's): it shares the descriptor's references and
     * its close. The channels give it to the engine's cancel, never to their users.
     */
    public abstract IoFile fileOn(CountedDescriptor descriptor, Path path, int directAlignment);

    /** The request's link in a {@link RequestQueue} (a volatile read). */
    public abstract IoRequest queueNext(IoRequest r);

    /** Sets the request's link in a {@link RequestQueue} (a volatile write). */
    public abstract void setQueueNext(IoRequest r, IoRequest next);

    // ---- requests on a bare descriptor: the caller keeps it open until the request completes ------------------

    public final IoRequest prepareRead(IoRequest r, int fd, long position, MemorySegment buffer) {
        return prepareSingle(r, IoOp.READ, fd, position, buffer);
    }

    public final IoRequest prepareWrite(IoRequest r, int fd, long position, MemorySegment buffer) {
        return prepareSingle(r, IoOp.WRITE, fd, position, buffer);
    }

    public final IoRequest prepareReadv(IoRequest r, int fd, long position, MemorySegment... buffers) {
        return prepareVector(r, IoOp.READV, fd, position, buffers);
    }

    public final IoRequest prepareWritev(IoRequest r, int fd, long position, MemorySegment... buffers) {
        return prepareVector(r, IoOp.WRITEV, fd, position, buffers);
    }

    public final IoRequest prepareFsync(IoRequest r, int fd) {
        return prepareNoData(r, IoOp.FSYNC, fd);
    }

    public final IoRequest prepareFdatasync(IoRequest r, int fd) {
        return prepareNoData(r, IoOp.FDATASYNC, fd);
    }

    public abstract IoRequest prepareFallocate(IoRequest r, int fd, int mode, long position, long length);

    protected abstract IoRequest prepareSingle(IoRequest r, IoOp op, int fd, long position, MemorySegment buffer);

    protected abstract IoRequest prepareVector(IoRequest r, IoOp op, int fd, long position, MemorySegment[] buffers);

    protected abstract IoRequest prepareNoData(IoRequest r, IoOp op, int fd);
}
