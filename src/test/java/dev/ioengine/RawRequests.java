package dev.ioengine;

import dev.ioengine.internal.engine.RequestAccess;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Requests on a bare file descriptor, for the engine tests that open files with {@code LibC.open} (fault
 * injection, limits, the engines' own tests): the channels' internal path. Tests of the public API use
 * {@link IoFile}.
 */
public final class RawRequests {
    private static final RequestAccess ACCESS = RequestAccess.get();

    private RawRequests() {
    }

    public static IoRequest read(int fd, long position, MemorySegment buffer) {
        return prepareRead(new IoRequest(), fd, position, buffer);
    }

    public static IoRequest write(int fd, long position, MemorySegment buffer) {
        return prepareWrite(new IoRequest(), fd, position, buffer);
    }

    public static IoRequest read(int fd, long position, ByteBuffer direct) {
        return prepareRead(new IoRequest(), fd, position, segmentOf(direct, true));
    }

    public static IoRequest write(int fd, long position, ByteBuffer direct) {
        return prepareWrite(new IoRequest(), fd, position, segmentOf(direct, false));
    }

    /** As IoRequest's own check of a ByteBuffer. */
    private static MemorySegment segmentOf(ByteBuffer buffer, boolean forRead) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("the kernel needs a direct ByteBuffer");
        }
        if (forRead && buffer.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        return MemorySegment.ofBuffer(buffer);
    }

    public static IoRequest readv(int fd, long position, MemorySegment... buffers) {
        return prepareReadv(new IoRequest(), fd, position, buffers);
    }

    public static IoRequest writev(int fd, long position, MemorySegment... buffers) {
        return prepareWritev(new IoRequest(), fd, position, buffers);
    }

    public static IoRequest fsync(int fd) {
        return prepareFsync(new IoRequest(), fd);
    }

    public static IoRequest fdatasync(int fd) {
        return prepareFdatasync(new IoRequest(), fd);
    }

    public static IoRequest fallocate(int fd, int mode, long position, long length) {
        return prepareFallocate(new IoRequest(), fd, mode, position, length);
    }

    public static IoRequest prepareRead(IoRequest r, int fd, long position, MemorySegment buffer) {
        return ACCESS.prepareRead(r, fd, position, buffer);
    }

    public static IoRequest prepareWrite(IoRequest r, int fd, long position, MemorySegment buffer) {
        return ACCESS.prepareWrite(r, fd, position, buffer);
    }

    public static IoRequest prepareReadv(IoRequest r, int fd, long position, MemorySegment... buffers) {
        return ACCESS.prepareReadv(r, fd, position, buffers);
    }

    public static IoRequest prepareWritev(IoRequest r, int fd, long position, MemorySegment... buffers) {
        return ACCESS.prepareWritev(r, fd, position, buffers);
    }

    public static IoRequest prepareFsync(IoRequest r, int fd) {
        return ACCESS.prepareFsync(r, fd);
    }

    public static IoRequest prepareFdatasync(IoRequest r, int fd) {
        return ACCESS.prepareFdatasync(r, fd);
    }

    public static IoRequest prepareFallocate(IoRequest r, int fd, int mode, long position, long length) {
        return ACCESS.prepareFallocate(r, fd, mode, position, length);
    }
}
