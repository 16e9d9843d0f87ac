package dev.ioengine.internal.uring;

import static dev.ioengine.internal.uring.IoUringConstants.IORING_FEAT_SINGLE_MMAP;

import dev.ioengine.ErrnoException;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One io_uring instance: its file descriptor, its two or three mmap'd regions, and the
 * {@link SubmissionQueue} and {@link CompletionQueue} over them.
 *
 * <p>Owned by one thread at a time: the engine's loop, whichever thread holds its turn.
 * {@link #close()} unmaps the rings and closes the descriptor; the owner calls it only once no request is left
 * in the kernel, since closing the descriptor does not stop the kernel writing into request buffers.
 */
final class IoUringRing implements AutoCloseable {
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final SubmissionQueue submissionQueue;
    private final CompletionQueue completionQueue;
    private boolean closed;

    private IoUringRing(int fd, int setupFlags, int features, MemorySegment sqRing, MemorySegment cqRing,
            MemorySegment sqes, MemorySegment params) {
        this.fd = fd;
        this.setupFlags = setupFlags;
        this.features = features;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.submissionQueue = new SubmissionQueue(sqRing, params, sqes);
        this.completionQueue = new CompletionQueue(cqRing, params);
    }

    /**
     * Sets up a ring of at least {@code entries} SQEs, trying each of {@code flagChoices} in order and moving on
     * when the kernel says EINVAL (a flag it does not know, or a combination it refuses).
     *
     * @param sqThreadIdleMillis sq_thread_idle for IORING_SETUP_SQPOLL, else ignored
     * @throws ErrnoException with the errno of the last attempt, or of a failed mmap
     */
    static IoUringRing setUp(MemorySegment state, int entries, int[] flagChoices, int sqThreadIdleMillis)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
            int fd = -Errno.EINVAL;
            int flags = 0;
            for (int choice : flagChoices) {
                params.fill((byte) 0);
                IoUringParams.setFlags(params, choice);
                IoUringParams.setSqThreadIdle(params, sqThreadIdleMillis);
                fd = IoUringSyscalls.setup(state, entries, params);
                flags = choice;
                if (fd != -Errno.EINVAL) {
                    break;
                }
            }
            if (fd < 0) {
                throw new ErrnoException(-fd, "io_uring_setup(" + entries + ", flags="
                        + IoUringConstants.setupFlagNames(flags) + ")");
            }
            try {
                return map(fd, flags, params);
            } catch (ErrnoException | RuntimeException | Error e) {
                LibC.close(fd);
                throw e;
            }
        }
    }

    private static IoUringRing map(int fd, int flags, MemorySegment params) throws ErrnoException {
        int features = IoUringParams.features(params);
        long sqRingSize = Integer.toUnsignedLong(IoSqringOffsets.array(params, IoUringParams.SQ_OFF))
                + 4L * IoUringParams.sqEntries(params);
        long cqRingSize = Integer.toUnsignedLong(IoCqringOffsets.cqes(params, IoUringParams.CQ_OFF))
                + IoUringCqe.LAYOUT.byteSize() * IoUringParams.cqEntries(params);
        boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
        if (single) {
            // One mapping holds both rings (Linux 5.4+): map the larger size once.
            sqRingSize = Math.max(sqRingSize, cqRingSize);
            cqRingSize = sqRingSize;
        }
        MemorySegment sqRing = mmap(fd, sqRingSize, IoUringConstants.IORING_OFF_SQ_RING, "SQ ring");
        MemorySegment cqRing = sqRing;
        MemorySegment sqes = null;
        try {
            if (!single) {
                cqRing = mmap(fd, cqRingSize, IoUringConstants.IORING_OFF_CQ_RING, "CQ ring");
            }
            sqes = mmap(fd, IoUringSqe.LAYOUT.byteSize() * IoUringParams.sqEntries(params),
                    IoUringConstants.IORING_OFF_SQES, "SQEs");
            return new IoUringRing(fd, flags, features, sqRing, cqRing, sqes, params);
        } catch (ErrnoException | RuntimeException | Error e) {
            if (sqes != null) {
                LibC.munmap(sqes, sqes.byteSize());
            }
            if (cqRing != sqRing) {
                LibC.munmap(cqRing, cqRing.byteSize());
            }
            LibC.munmap(sqRing, sqRing.byteSize());
            throw e;
        }
    }

    private static MemorySegment mmap(int fd, long size, long offset, String what) throws ErrnoException {
        int[] errno = new int[1];
        MemorySegment m = LibC.mmap(size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd,
                offset, errno);
        if (m == null) {
            throw new ErrnoException(errno[0], "mmap of the io_uring " + what + " (" + size + " bytes)");
        }
        return m.reinterpret(size);
    }

    int fd() {
        return fd;
    }

    /** The IORING_SETUP_* flags the ring was set up with. */
    int setupFlags() {
        return setupFlags;
    }

    /** The IORING_FEAT_* bits the kernel reported. */
    int features() {
        return features;
    }

    SubmissionQueue submissionQueue() {
        return submissionQueue;
    }

    CompletionQueue completionQueue() {
        return completionQueue;
    }

    /** Unmaps the rings and closes the descriptor. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.munmap(sqes, sqes.byteSize());
        if (cqRing != sqRing) {
            LibC.munmap(cqRing, cqRing.byteSize());
        }
        LibC.munmap(sqRing, sqRing.byteSize());
        LibC.close(fd);
    }

    @Override
    public String toString() {
        return "IoUringRing[fd=" + fd + ", flags=" + IoUringConstants.setupFlagNames(setupFlags) + ", "
                + submissionQueue + ", " + completionQueue + "]";
    }
}
