package dev.ioengine.internal.threads;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.EngineCore;
import dev.ioengine.internal.engine.RequestMerger;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The portable engine: a fixed pool of named daemon threads doing blocking {@code pread} / {@code pwrite} /
 * {@code preadv} / {@code pwritev} / {@code fsync} / {@code fdatasync} / {@code fallocate} through FFM. What the
 * JDK's AsynchronousFileChannel does, minus the per-call allocation, and the fallback wherever io_uring and
 * Linux AIO are unavailable.
 *
 * <p>Each worker takes one request at a time from a shared queue; with merging on, it also takes the
 * contiguous requests queued behind it. Each worker owns its errno capture segment and iovec scratch memory.
 * Close (after the drain) puts one stop marker per worker in the queue and joins them.
 *
 * <p>A test's fault injector ({@link dev.ioengine.internal.engine.FaultInjector#onSubmitBatch}) is asked before
 * each request's system call: EINTR and EAGAIN are retried, another errno fails the request.
 */
public final class ThreadPoolEngine extends EngineCore {
    /** Queued once per worker at close; never given to the kernel. */
    private static final IoRequest STOP = new IoRequest();

    private final LinkedBlockingQueue<IoRequest> queue = new LinkedBlockingQueue<>();
    private final Thread[] workers;

    private ThreadPoolEngine(IoEngineConfig config) {
        super(EngineKind.THREADS, config);
        workers = new Thread[config.workerThreads()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = newThread("worker-" + i, this::work);
        }
        for (Thread w : workers) {
            w.start();
        }
    }

    public static ThreadPoolEngine open(IoEngineConfig config) {
        return new ThreadPoolEngine(config);
    }

    /** Available wherever the C library's pread and friends can be linked. */
    public static EngineAvailability probe() {
        if (!Native.isLinux()) {
            return new EngineAvailability(EngineKind.THREADS, false,
                    "needs Linux (positional IO on file descriptors through the C library)", List.of());
        }
        Native.checkNativeAccess(); // fails here if native access is denied; links nothing (start-up cost)
        return new EngineAvailability(EngineKind.THREADS, true, "pread/pwrite on a thread pool", List.of());
    }

    @Override
    protected void enqueue(IoRequest request) {
        queue.add(request);
    }

    /** Takes back the queued requests on {@code fd}; a system call already made runs to its end. */
    @Override
    protected void cancelRequests(int fd) {
        for (IoRequest r : takeRequestsOn(queue, fd, STOP)) {
            complete(r, -Errno.ECANCELED);
        }
    }

    private void work() {
        RequestMerger merger = new RequestMerger(config().mergeLimit());
        IoRequest[] batch = new IoRequest[merger.enabled() ? 64 : 1];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.newCallState(arena);
            MemorySegment iovecs = arena.allocate(Iovec.LAYOUT, IoRequest.MAX_IOVECS);
            while (true) {
                IoRequest first = takeUninterruptibly(queue);
                if (first == STOP) {
                    return;
                }
                batch[0] = first;
                int count = 1 + drainContiguous(batch);
                int n = merger.merge(batch, count);
                for (int i = 0; i < n; i++) {
                    IoRequest r = batch[i];
                    batch[i] = null;
                    recordBatch(1);
                    execute(r, state, iovecs);
                }
            }
        }
    }

    /** With merging on, takes the requests queued right behind {@code batch[0]}; returns how many. */
    private int drainContiguous(IoRequest[] batch) {
        int n = 0;
        while (1 + n < batch.length) {
            IoRequest next = queue.peek();
            if (next == null || next == STOP) {
                break;
            }
            next = queue.poll();
            if (next == null) {
                break;
            }
            if (next == STOP) {
                queue.add(STOP); // another worker's; put it back
                break;
            }
            batch[1 + n++] = next;
        }
        return n;
    }

    private void execute(IoRequest r, MemorySegment state, MemorySegment iovecs) {
        int admitted = admitSubmission(1);
        if (admitted != 1) {
            admitted = retryAdmission(admitted);
            if (admitted < 0) {
                complete(r, admitted);
                return;
            }
        }
        long result;
        try {
            result = switch (r.op()) {
                case READ -> LibC.pread(state, r.fd(), r.segment().address(), r.length(), r.position());
                case WRITE -> LibC.pwrite(state, r.fd(), r.segment().address(), r.length(), r.position());
                case READV -> LibC.preadv(state, r.fd(), fill(iovecs, r), r.segments().length, r.position());
                case WRITEV -> LibC.pwritev(state, r.fd(), fill(iovecs, r), r.segments().length, r.position());
                case FSYNC -> LibC.fsync(state, r.fd());
                case FDATASYNC -> LibC.fdatasync(state, r.fd());
                case FALLOCATE -> LibC.fallocate(state, r.fd(), r.fallocateMode(), r.position(), r.length());
            };
        } catch (RuntimeException | Error e) {
            completeFailed(r, e);
            return;
        }
        complete(r, result);
    }

    /**
     * After an injected submission fault: EINTR is retried at once, as {@link LibC} retries a real one; EAGAIN
     * (no room) after a yield; returns 1 once the request may go ahead, or the errno it fails with.
     */
    private int retryAdmission(int answer) {
        while (answer == -Errno.EINTR || answer == -Errno.EAGAIN) {
            if (answer == -Errno.EAGAIN) {
                Thread.yield();
            }
            answer = admitSubmission(1);
        }
        return answer;
    }

    private static MemorySegment fill(MemorySegment iovecs, IoRequest r) {
        MemorySegment[] buffers = r.segments();
        for (int i = 0; i < buffers.length; i++) {
            Iovec.set(iovecs, i, buffers[i]);
        }
        return iovecs;
    }

    @Override
    protected void closeBackend() {
        for (int i = 0; i < workers.length; i++) {
            queue.add(STOP);
        }
        joinUninterruptibly(workers);
    }
}
