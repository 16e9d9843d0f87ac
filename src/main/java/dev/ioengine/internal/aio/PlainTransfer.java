package dev.ioengine.internal.aio;

import dev.ioengine.IoRequest;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * A read or write the kernel's AIO refused for the file's kind, done instead with plain positional IO
 * ({@code pread}, {@code pwrite}, {@code preadv}, {@code pwritev}), as the JDK's channels do it. procfs files of
 * a process ({@code /proc/self/stat}, {@code /proc/PID/oom_score_adj}) have no {@code read_iter} /
 * {@code write_iter}, and {@code io_submit} answers EINVAL for them (fs/aio.c: {@code aio_read}); other special
 * files may do the same. A request the kernel refuses for its own sake (O_DIRECT misalignment) gets the same
 * EINVAL from the plain call, so its outcome does not change. Runs on the AIO engine's side worker, which owns
 * the call state and the iovec scratch it is given.
 */
final class PlainTransfer {
    private PlainTransfer() {
    }

    /** Whether an AIO result means "not for this file": the request is then done with {@link #perform}. */
    static boolean refusedByAio(long result) {
        return result == -Errno.EINVAL;
    }

    /**
     * Does {@code r} (a read or write, one buffer or vectored) now, on the calling thread.
     *
     * @param iovecs scratch of at least {@link IoRequest#MAX_IOVECS} iovec entries
     * @return bytes transferred, or -errno
     */
    static long perform(MemorySegment state, MemorySegment iovecs, IoRequest r) {
        try {
            return switch (r.op()) {
                case READ -> LibC.pread(state, r.fd(), r.segment().address(), r.length(), r.position());
                case WRITE -> LibC.pwrite(state, r.fd(), r.segment().address(), r.length(), r.position());
                case READV, WRITEV -> vectored(state, iovecs, r);
                default -> throw new IllegalStateException("not a read or write: " + r);
            };
        } finally {
            // The calls take raw addresses: the request (and through it the buffers) must outlive them.
            Reference.reachabilityFence(r);
        }
    }

    private static long vectored(MemorySegment state, MemorySegment iovecs, IoRequest r) {
        MemorySegment[] buffers = r.segments();
        if (buffers.length > IoRequest.MAX_IOVECS) {
            return -Errno.EINVAL; // as preadv itself answers past IOV_MAX
        }
        for (int i = 0; i < buffers.length; i++) {
            Iovec.set(iovecs, i, buffers[i]);
        }
        return r.op().isRead() ? LibC.preadv(state, r.fd(), iovecs, buffers.length, r.position())
                : LibC.pwritev(state, r.fd(), iovecs, buffers.length, r.position());
    }
}
