package dev.ioengine.internal.uring;

import static dev.ioengine.internal.uring.IoUringConstants.IORING_ENTER_GETEVENTS;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_ENTER_SQ_WAKEUP;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_SETUP_CLAMP;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_SETUP_SQPOLL;
import static dev.ioengine.internal.uring.IoUringConstants.IORING_SETUP_SUBMIT_ALL;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.ErrnoException;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.EngineCore;
import dev.ioengine.internal.engine.JvmExit;
import dev.ioengine.internal.engine.LazyLogger;
import dev.ioengine.internal.engine.LoopTurns;
import dev.ioengine.internal.engine.RequestMerger;
import dev.ioengine.internal.engine.RequestQueue;
import dev.ioengine.internal.engine.Uninterruptibly;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import dev.ioengine.internal.linux.OwnedMemory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The io_uring engine: one ring, owned by one ring thread, with no liburing.
 *
 * <p>Threads. Submitters call {@link #enqueue} (through {@code submit}), which puts the request on a lock-free
 * queue linked through the requests ({@link RequestQueue}: nothing allocated) and wakes the ring thread only if it is asleep. A request submitted by the ring thread itself (from a
 * completion callback) goes on a queue of the ring thread's own instead: no queue node, no wake-up, and it
 * is submitted in the same loop iteration. The ring thread does everything else: it sets the ring
 * up, moves queued requests into SQEs (at most the table's capacity, {@link IoEngineConfig#queueDepth()}, in the
 * kernel at once), submits and waits in one io_uring_enter, reaps completions, completes the requests and runs
 * their callbacks, and at close tears the ring down.
 *
 * <p>Turns. "The ring thread" is whichever thread holds the loop's turn ({@link LoopTurns}): a callback that
 * blocks (a channel's completion handler may) loses the turn to a standby thread, which carries on with the loop.
 * So the ring is entered by more than one thread over its life, and is set up without IORING_SETUP_SINGLE_ISSUER
 * and DEFER_TASKRUN (which tie it to one thread), and without COOP_TASKRUN: a thread blocked in a callback must
 * still be interrupted to post the completions of requests it submitted. (With the loop as it is, those flags made
 * no difference measurable here: BENCHMARKS.md.) The ring's memory is in a shared arena for the same reason.
 *
 * <p>Batching. Each loop iteration reaps at most {@link #REAP_BATCH} completions, so the requests their
 * callbacks submit go to the kernel with the next enter, before the rest of the CQ is reaped. Reaping the
 * whole CQ first made the requests in flight move in lock-step cohorts and cost about a quarter of the IOPS
 * on 4 KiB random reads at depth 32 (PERF-NOTES.md).
 *
 * <p>Sleeping and waking. The ring thread keeps one IORING_OP_READ of an eventfd in the ring. Before it waits
 * it sets {@code sleeping} and then re-checks the queue; {@link #enqueue} adds to the queue and then reads
 * {@code sleeping}, and if set writes the eventfd, which completes that read and ends the wait. Both sides write
 * one volatile location and then read the other (Dekker), so at least one sees the other: a request is never
 * left in the queue while the ring thread sleeps.
 *
 * <p>Close. {@link EngineCore} calls {@link #closeBackend()} once nothing is in flight; it asks the ring thread
 * to stop and writes the eventfd. The ring thread cancels its eventfd read (IORING_OP_ASYNC_CANCEL) unless it
 * already completed, reaps it, and only then unmaps the rings, closes the ring and the eventfd, and closes its
 * arena: no memory is freed while the kernel may still write it. closeBackend waits for the loop's end
 * ({@link LoopTurns#awaitLoopEnd()}) on whichever thread held the turn last.
 */
public final class IoUringEngine extends EngineCore implements JvmExit.Waker {
    private static final System.Logger LOG = LazyLogger.named("dev.ioengine");

    /** user_data of the eventfd read; request slots are [0, queueDepth), far below. */
    private static final long WAKEUP = 1L << 40;
    /** user_data of the cancel of the eventfd read, at close. */
    private static final long CANCEL_WAKEUP = WAKEUP + 1;
    /** user_data of the first cancel of a descriptor's requests ({@link #cancelRequests}); later ones count up. */
    private static final long CANCEL_FD = WAKEUP + (1L << 20);
    /** SQEs kept free for the eventfd read and its cancel. */
    private static final int RESERVED_SQES = 2;
    /** Completions reaped (and their callbacks run) per loop iteration, between two submissions. */
    private static final int REAP_BATCH = 4;
    /** sq_thread_idle for SQPOLL: the kernel thread sleeps after this long without work. */
    private static final int SQ_THREAD_IDLE_MILLIS = 1000;
    /** Attempts at a submission the kernel keeps refusing with EAGAIN / EBUSY before failing it. */
    private static final int MAX_BACKOFFS = 1000;
    private static final long BACKOFF_NANOS = 1_000_000;

    private static final VarHandle SLEEPING;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(IoUringEngine.class, "sleeping", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- shared with submitters ------------------------------------------------------------------------------

    private final RequestQueue queue = new RequestQueue();
    /** Cancels of a descriptor's requests asked by other threads, for the ring thread to take back and submit. */
    private final ConcurrentLinkedQueue<FdCancel> cancels = new ConcurrentLinkedQueue<>();
    /** Cleared when the kernel refuses IORING_ASYNC_CANCEL_FD (before 5.19): queued requests are still taken. */
    private volatile boolean kernelCancelsByFd = true;
    /** Guards {@link #eventFd} against being closed while a submitter writes to it. */
    private final Object eventFdLock = new Object();
    /** The eventfd counter increment, 1, as 8 native bytes (freed once the engine is unreachable). */
    private final MemorySegment one;
    private final Thread ringThread;
    private final CountDownLatch started = new CountDownLatch(1);
    /** The eventfd, -1 once closed. Guarded by eventFdLock, except on the ring thread which owns it. */
    private int eventFd = -1;
    /** True while the ring thread waits in io_uring_enter for the eventfd read or a completion. */
    private volatile boolean sleeping;
    /**
     * The thread holding the loop's turn while it waits parked for the JVM's exit ({@link #parkedForExit()}), for
     * {@link #wakeUp()} and {@link #closeBackend()} to unpark; null otherwise.
     */
    private volatile Thread parkedAtExit;
    private volatile boolean stopRequested;
    private volatile Throwable setupFailure;
    /** Set if the ring thread died of a bug; requests are refused from then on. */
    private volatile Throwable broken;
    private volatile String description = "not set up";

    // ---- owned by the ring thread ----------------------------------------------------------------------------

    private final LoopTurns turns;
    private Arena arena;
    private IoUringRing ring;
    private SubmissionQueue sq;
    private CompletionQueue cq;
    private RequestTable table;
    private RequestMerger merger;
    private IoRequest[] batch;
    /** Requests submitted on the ring thread (from completion callbacks), taken after those in {@link #queue}. */
    private final ArrayDeque<IoRequest> ringThreadQueue = new ArrayDeque<>();
    private final Supplier<IoRequest> pollQueue = queue::poll;
    private final Supplier<IoRequest> pollRingThreadQueue = ringThreadQueue::poll;
    /** Cancels submitted to the kernel, by user_data, until their completion. */
    private final Map<Long, FdCancel> cancelsInKernel = new HashMap<>();
    private long nextCancelUserData = CANCEL_FD;
    private final long[] reapedUserData = new long[REAP_BATCH];
    private final int[] reapedRes = new int[REAP_BATCH];
    private MemorySegment state;
    private MemorySegment eventFdBuffer;
    private boolean sqPoll;
    private boolean wakeupArmed;
    private boolean cancelPending;
    private int userSqesSinceFlush;
    private int backoffs;
    private int lastOverflow;
    private boolean fatalLogged;

    private IoUringEngine(IoEngineConfig config) {
        super(EngineKind.IO_URING, config);
        OwnedMemory oneMemory = OwnedMemory.create();
        this.one = oneMemory.arena().allocate(ValueLayout.JAVA_LONG);
        oneMemory.freeWhenUnreachable(this);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.turns = newLoopTurns(this::lead);
        this.ringThread = turns.newLoopThread("ring", this::run);
    }

    /**
     * Opens an engine: starts its ring thread and waits until the ring is set up.
     *
     * @throws IOException if the ring or the eventfd cannot be set up (the errno says why)
     */
    public static IoEngine open(IoEngineConfig config) throws IOException {
        IoUringEngine engine = new IoUringEngine(config);
        engine.ringThread.start();
        Uninterruptibly.await(engine.started);
        Throwable failure = engine.setupFailure;
        if (failure != null) {
            joinUninterruptibly(engine.ringThread);
            if (failure instanceof IOException io) {
                throw io;
            }
            throw new IOException("io-engine: io_uring setup failed: " + failure, failure);
        }
        JvmExit.watch(engine);
        return engine;
    }

    /** Whether io_uring can be used here, with the kernel's features and opcodes, or why not. */
    public static EngineAvailability probe() {
        return KernelSupport.probe();
    }

    // ---- submitting threads ----------------------------------------------------------------------------------

    @Override
    protected void enqueue(IoRequest request) {
        Throwable failure = broken;
        if (failure != null) {
            throw new IllegalStateException("io_uring ring thread failed", failure);
        }
        if (turns.pin()) {
            // The ring thread is awake (it is running this callback) and looks at this queue before it waits.
            try {
                ringThreadQueue.add(request);
            } finally {
                turns.unpin();
            }
            return;
        }
        queue.offer(request);
        // Dekker, second half: the offer (a volatile write) comes before this volatile read of sleeping. Pairs
        // with the ring thread's "sleeping = true, then queue.isEmpty()" in waitFor(): one of the two sees the
        // other's write.
        if (sleeping) {
            wakeUp();
        }
        if (broken != null) {
            failQueued(broken); // the ring thread died after the check above: no one else takes the queue now
        }
    }

    /**
     * Takes back the requests on {@code fd} the ring thread has not taken yet (the kernel never saw them) and has
     * it submit an IORING_OP_ASYNC_CANCEL of the descriptor's requests in the kernel, then waits until the kernel
     * has issued it: the descriptor is still open then (the caller closes it only after its requests complete), so
     * the cancel cannot reach a later file given the same number. Both are the ring thread's (the one consumer of
     * the queue, the one submitter), so another thread hands them over ({@link #prepareCancels()}) and waits. On
     * the ring thread itself (in a callback, holding the turn) the queued requests are taken back only: it cannot
     * wait for its own loop.
     */
    @Override
    protected void cancelRequests(int fd) {
        if (turns.pin()) {
            List<IoRequest> taken;
            try {
                taken = takeQueuedOn(fd);
            } finally {
                turns.unpin();
            }
            for (IoRequest r : taken) {
                completeSafely(r, -Errno.ECANCELED); // their callbacks run here, nested, after the unpin
            }
            return;
        }
        if (broken != null) {
            return; // the queue's requests are failed already, the kernel's by failAfterBug
        }
        FdCancel cancel = new FdCancel(fd);
        cancels.offer(cancel);
        // Dekker, as in enqueue(): the offer comes before this read of sleeping; waitFor() reads the cancels after
        // setting it.
        if (sleeping) {
            wakeUp();
        }
        // A loop that died or stopped (nothing in flight then) issues no more cancels.
        cancel.awaitIssued(() -> broken != null || stopRequested);
    }

    /** On the ring thread: takes the requests on {@code fd} out of both queues (the kernel never saw them). */
    private List<IoRequest> takeQueuedOn(int fd) {
        List<IoRequest> taken = takeRequestsOn(queue, fd);
        taken.addAll(takeRequestsOn(ringThreadQueue, fd, null));
        return taken;
    }

    /** A cancel of every request on one descriptor, asked by a thread that waits until the kernel issued it. */
    private static final class FdCancel {
        final int fd;
        private final CountDownLatch issued = new CountDownLatch(1);

        FdCancel(int fd) {
            this.fd = fd;
        }

        void issued() {
            issued.countDown();
        }

        /** Waits, ignoring interrupts (kept), until issued or {@code loopGone}. */
        void awaitIssued(BooleanSupplier loopGone) {
            boolean interrupted = false;
            try {
                while (issued.getCount() > 0 && !loopGone.getAsBoolean()) {
                    try {
                        issued.await(10, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Ends the ring thread's wait: the first waker clears {@code sleeping} and writes the eventfd. */
    private void wakeUp() {
        if (SLEEPING.compareAndSet(this, true, false)) {
            writeEventFd();
            // The ring thread waits parked, not in the kernel, once the JVM's exit has begun (parkedForExit). It
            // set parkedAtExit before sleeping, which the successful CAS read: no later wait is missed.
            unparkAtExit();
        }
    }

    private void unparkAtExit() {
        Thread parked = parkedAtExit;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }

    @Override
    public void wakeForExit() {
        wakeUp();
    }

    private void writeEventFd() {
        synchronized (eventFdLock) {
            if (eventFd >= 0) {
                long r = LibC.write(Native.callState(), eventFd, one, Long.BYTES);
                if (r < 0) {
                    LOG.log(Level.WARNING, "io-engine io_uring: eventfd write failed: " + Errno.reason((int) -r));
                }
            }
        }
    }

    @Override
    protected void closeBackend() {
        stopRequested = true;
        writeEventFd();
        // Dekker with parkedForExit(): stopRequested is written before this read of parkedAtExit, which the ring
        // thread writes before it reads stopRequested: either it is unparked here or it does not park.
        unparkAtExit();
        turns.awaitLoopEnd();
        turns.stop();
    }

    @Override
    public String toString() {
        return super.toString() + "[" + description + (queue.isEmpty() ? "" : ", requests queued") + "]";
    }

    // ---- the ring thread -------------------------------------------------------------------------------------

    private void run() {
        arena = Arena.ofShared();
        if (!setUp(arena)) {
            arena.close();
            return;
        }
        lead();
    }

    /**
     * The loop, on the thread holding the turn: from the start, or taken over from a thread whose callback blocked
     * (its remaining deliveries first). Tears the ring down when the loop ends; returns at once if the turn is lost.
     */
    private void lead() {
        try {
            if (!turns.deliverDeferred() || !loop()) {
                return;
            }
        } catch (Throwable t) {
            failAfterBug(t);
            return; // The ring and its arena stay as they are: the kernel may still write into request memory.
        }
        ring.close();
        synchronized (eventFdLock) {
            LibC.close(eventFd);
            eventFd = -1;
        }
        arena.close();
        description = "closed";
    }

    private boolean setUp(Arena arena) {
        try {
            state = Native.newCallState(arena);
            int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
            if (efd < 0) {
                throw new ErrnoException(-efd, "eventfd for the io_uring ring thread");
            }
            eventFd = efd;
            IoEngineConfig config = config();
            sqPoll = config.sqPoll();
            int entries = Math.min(config.queueDepth() + RESERVED_SQES, IoUringConstants.IORING_MAX_ENTRIES);
            try {
                ring = IoUringRing.setUp(state, entries, flagChoices(sqPoll), SQ_THREAD_IDLE_MILLIS);
            } catch (ErrnoException e) {
                LibC.close(efd);
                eventFd = -1;
                throw e;
            }
            sq = ring.submissionQueue();
            cq = ring.completionQueue();
            table = new RequestTable(Math.min(config.queueDepth(), sq.entries() - RESERVED_SQES), arena);
            merger = new RequestMerger(config.mergeLimit());
            batch = new IoRequest[table.capacity()];
            eventFdBuffer = arena.allocate(ValueLayout.JAVA_LONG);
            description = "ring fd=" + ring.fd() + " sq=" + sq.entries() + " cq=" + cq.entries() + " depth="
                    + table.capacity() + " flags=" + IoUringConstants.setupFlagNames(ring.setupFlags())
                    + " features=" + IoUringConstants.featureNames(ring.features());
            LOG.log(Level.DEBUG, () -> "io-engine io_uring: " + description);
            return true;
        } catch (ErrnoException | RuntimeException | Error e) {
            setupFailure = e;
            return false;
        } finally {
            started.countDown();
        }
    }

    /**
     * The setup flags to try, best first; io_uring_setup says EINVAL for flags the kernel lacks. SUBMIT_ALL
     * (5.18) keeps submitting past an SQE that fails to prepare. No SINGLE_ISSUER, DEFER_TASKRUN or COOP_TASKRUN:
     * the loop's turn moves between threads (see the class comment).
     */
    private static int[] flagChoices(boolean sqPoll) {
        int base = IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL;
        if (sqPoll) {
            return new int[] {IORING_SETUP_SQPOLL | base, IORING_SETUP_SQPOLL | IORING_SETUP_CLAMP};
        }
        return new int[] {base, IORING_SETUP_CLAMP};
    }

    /** @return true when the engine stopped, false when this thread lost the turn in a callback */
    private boolean loop() {
        while (true) {
            if (stopRequested && table.inUse() == 0 && queue.isEmpty() && ringThreadQueue.isEmpty()) {
                if (!wakeupArmed && !cancelPending) {
                    return true;
                }
                if (wakeupArmed && !cancelPending) {
                    sq.prepareCancel(WAKEUP, CANCEL_WAKEUP);
                    cancelPending = true;
                }
            }
            fill();
            if (!turns.deliverDeferred()) {
                return false; // requests failed or taken back while being prepared had their callbacks run
            }
            if (JvmExit.isUnderway() && table.inUse() == 0 && parkedForExit()) {
                continue;
            }
            submitAndWait(waitFor());
            reap();
            if (!turns.deliverDeferred()) {
                return false;
            }
        }
    }

    /**
     * At JVM exit, with no request of ours in the kernel: submits what is in the SQ (the eventfd read), then
     * waits parked in Java rather than in io_uring_enter, which would hold up the JVM's exit (see
     * {@link JvmExit}). {@link #wakeUp()} and {@link #closeBackend()} unpark. False, without waiting, if there is
     * work now.
     */
    private boolean parkedForExit() {
        submitAndWait(0);
        // Before sleeping is set (waitFor): a waker whose CAS on sleeping succeeds sees this thread here.
        parkedAtExit = Thread.currentThread();
        // waitFor() sets sleeping (the Dekker with enqueue) when it finds nothing to do; stopRequested is read after
        // parkedAtExit is written (the Dekker with closeBackend).
        if (waitFor() == 0 || stopRequested) {
            sleeping = false;
            parkedAtExit = null;
            return false;
        }
        LockSupport.park(this);
        parkedAtExit = null;
        if (sleeping) {
            sleeping = false;
        }
        reap();
        return true;
    }

    /** Re-arms the eventfd read if needed, then moves queued requests into SQEs while there is room. */
    private void fill() {
        if (!wakeupArmed && !stopRequested) {
            sq.prepareReadEventfd(eventFd, eventFdBuffer.address(), WAKEUP);
            wakeupArmed = true;
        }
        prepareCancels();
        // The SQ has room for every free slot plus the eventfd read and its cancel (see setUp), so this is
        // table.free() except under SQPOLL, where the kernel thread may post a CQE before it moves the SQ head.
        int room = Math.min(table.free(), sq.free() - (cancelPending ? 0 : 1));
        int n = take(pollQueue, room, 0);
        n = take(pollRingThreadQueue, room, n);
        if (n == 0) {
            return;
        }
        int m = merger.merge(batch, n);
        for (int i = 0; i < m; i++) {
            IoRequest r = batch[i];
            batch[i] = null;
            prepare(r);
        }
    }

    /**
     * For each asked cancel, while the SQ has room beyond the entry kept for the eventfd read's cancel: takes back
     * the queued requests on its descriptor (their callbacks run with the loop's next deliveries), and writes an
     * IORING_OP_ASYNC_CANCEL if the descriptor has requests in the kernel; a cancel with nothing to cancel there
     * is issued at once.
     */
    private void prepareCancels() {
        while (sq.free() > 1) {
            FdCancel c = cancels.poll();
            if (c == null) {
                return;
            }
            for (IoRequest r : takeQueuedOn(c.fd)) {
                completeSafely(r, -Errno.ECANCELED);
            }
            if (!kernelCancelsByFd || !table.holdsFd(c.fd)) {
                c.issued();
                continue;
            }
            long userData = nextCancelUserData++;
            sq.prepareCancelFd(c.fd, userData);
            cancelsInKernel.put(userData, c);
        }
    }

    /** Moves requests from {@code from} into {@link #batch} from index {@code n} until it holds {@code room}. */
    private int take(Supplier<IoRequest> from, int room, int n) {
        while (n < room) {
            IoRequest r = from.get();
            if (r == null) {
                break;
            }
            batch[n++] = r;
        }
        return n;
    }

    /** Writes one SQE for {@code r}, its user_data the request's slot in the table. */
    private void prepare(IoRequest r) {
        if (r.fd() == eventFd || r.fd() == ring.fd()) {
            // The engine's own descriptors are not the caller's: a stale descriptor number the kernel gave to
            // the ring or its eventfd after the caller closed it. A read there would swallow the ring thread's
            // wake-ups and hang the engine, so it fails as IO on a closed descriptor does.
            completeSafely(r, -Errno.EBADF);
            return;
        }
        int slot = -1;
        try {
            checkMemoryAlive(r);
            slot = table.add(r);
            switch (r.op()) {
                case READ -> sq.prepareRead(r.fd(), r.segment().address(), clampLength(r.length()), r.position(),
                        slot);
                case WRITE -> sq.prepareWrite(r.fd(), r.segment().address(), clampLength(r.length()), r.position(),
                        slot);
                case READV -> sq.prepareReadv(r.fd(), table.iovecs(slot, r.segments()).address(),
                        r.segments().length, r.position(), slot);
                case WRITEV -> sq.prepareWritev(r.fd(), table.iovecs(slot, r.segments()).address(),
                        r.segments().length, r.position(), slot);
                case FSYNC -> sq.prepareFsync(r.fd(), false, slot);
                case FDATASYNC -> sq.prepareFsync(r.fd(), true, slot);
                case FALLOCATE -> sq.prepareFallocate(r.fd(), r.fallocateMode(), r.position(), r.length(), slot);
            }
            userSqesSinceFlush++;
        } catch (RuntimeException e) {
            if (slot >= 0) {
                table.remove(slot);
            }
            completeFailed(r, e);
        }
    }

    /** A closed arena's memory may be reused: never hand its address to the kernel. */
    private static void checkMemoryAlive(IoRequest r) {
        MemorySegment single = r.segment();
        if (single != null && !single.scope().isAlive()) {
            throw new IllegalStateException("the request's buffer was freed (its arena closed) before submission");
        }
        for (MemorySegment s : r.segments()) {
            if (!s.scope().isAlive()) {
                throw new IllegalStateException("a buffer of the request was freed (its arena closed) before "
                        + "submission");
            }
        }
    }

    private static int clampLength(long length) {
        return (int) Math.min(length, IoUringConstants.MAX_RW_COUNT);
    }

    /**
     * How many completions the next enter waits for: 0 when there is work to do now, 1 when the ring thread
     * has nothing to do until a completion (or the eventfd read, on a submitter's wake-up) arrives.
     */
    private int waitFor() {
        if (cq.ready() > 0 || sq.cqOverflow()) {
            return 0;
        }
        if (table.free() == 0) {
            // queueDepth requests are in the kernel: nothing more can be taken before one completes, and that
            // completion ends the wait. (Only the table decides this: under SQPOLL the SQ can look full for a
            // moment with no request of ours in the kernel, and waiting then, unannounced, would never end.)
            return 1;
        }
        if (!ringThreadQueue.isEmpty()) {
            return 0;
        }
        // Dekker, first half: this volatile write comes before the queue read below. Pairs with enqueue():
        // offer, then read sleeping. Whichever comes second sees the other: either we see the request here,
        // or the submitter sees sleeping and writes the eventfd, completing our eventfd read.
        sleeping = true;
        if (!queue.isEmpty() || !cancels.isEmpty()) {
            sleeping = false;
            return 0;
        }
        return 1;
    }

    /** One io_uring_enter: submits everything published and waits for {@code minComplete} completions. */
    private void submitAndWait(int minComplete) {
        int headBefore = sq.kernelHead();
        int toSubmit = sq.flush();
        int flags = IORING_ENTER_GETEVENTS;
        if (sqPoll) {
            if (userSqesSinceFlush > 0) {
                recordBatch(userSqesSinceFlush);
            }
            userSqesSinceFlush = 0;
            if (toSubmit > 0 && sq.needsWakeup()) {
                flags |= IORING_ENTER_SQ_WAKEUP;
            } else if (minComplete == 0 && !sq.cqOverflow()) {
                return; // The kernel's poll thread is awake and takes the entries; nothing to wait for.
            }
        } else if (toSubmit == 0 && minComplete == 0 && !sq.cqOverflow()) {
            return;
        }
        int r = enter(toSubmit, minComplete, flags);
        if (sleeping) {
            sleeping = false;
        }
        if (sqPoll) {
            if (r < 0 && r != -Errno.EINTR) {
                fatal(-r, "io_uring_enter (SQPOLL)");
            }
            return;
        }
        int consumed = sq.kernelHead() - headBefore;
        if (consumed > 0) {
            countBatch(headBefore, consumed);
        }
        userSqesSinceFlush = 0;
        if (r >= 0) {
            backoffs = 0;
            return;
        }
        switch (-r) {
            case Errno.EINTR -> {
                // Entries not consumed stay in the SQ and go with the next enter.
            }
            case Errno.EAGAIN, Errno.EBUSY -> backOff(-r);
            default -> {
                failUnconsumed(-r);
                fatal(-r, "io_uring_enter");
            }
        }
    }

    /**
     * io_uring_enter, first offered to the test seam's fault injector when it submits (never under SQPOLL, where
     * the kernel's poll thread takes the entries without an enter). Without an injector this is one null check in
     * {@link #admitSubmission(int)}. The injector's answer stands for the kernel's: a {@code -errno} is returned
     * as the enter's own failure, with nothing consumed (the loop then handles EINTR, EAGAIN and EBUSY as it
     * does real ones, and fails the unconsumed requests on any other errno); a count {@code k < toSubmit} becomes
     * the enter's {@code to_submit}, so the kernel consumes only the first {@code k} entries and the rest go with
     * the next enter, as after a real partial submission. {@code count} is in SQEs, including the ring's own
     * eventfd read and its cancel.
     */
    private int enter(int toSubmit, int minComplete, int flags) {
        int submit = toSubmit;
        int wait = minComplete;
        if (toSubmit > 0 && !sqPoll) {
            int admitted = admitSubmission(toSubmit);
            if (admitted < 0) {
                return admitted;
            }
            if (admitted < toSubmit) {
                // As the kernel does after a short submission (io_uring_enter: "if (ret != to_submit) goto
                // out"): return without waiting. Waiting could hang: the entry taken may be the eventfd read,
                // with every request still in the SQ.
                wait = 0;
            }
            submit = admitted;
        }
        return IoUringSyscalls.enter(state, ring.fd(), submit, wait, flags);
    }

    /** Records one batch: the requests (not the ring's own entries) among the SQEs the kernel consumed. */
    private void countBatch(int from, int consumed) {
        int requests = 0;
        for (int i = 0; i < consumed; i++) {
            if (table.isSlot(sq.userDataAt(from + i))) {
                requests++;
            }
        }
        if (requests > 0) {
            recordBatch(requests);
        }
    }

    /**
     * The kernel is short of memory (EAGAIN) or of CQ room (EBUSY): reap, wait for a completion of ours if any
     * is in the kernel, then let the loop submit again. A submission refused {@link #MAX_BACKOFFS} times in a
     * row fails with that errno rather than hang.
     */
    private void backOff(int errno) {
        reap();
        int inKernel = table.inUse() - pendingRequestSqes();
        if (inKernel > 0) {
            IoUringSyscalls.enter(state, ring.fd(), 0, 1, IORING_ENTER_GETEVENTS);
        } else {
            LockSupport.parkNanos(BACKOFF_NANOS);
        }
        if (++backoffs >= MAX_BACKOFFS) {
            backoffs = 0;
            failUnconsumed(errno);
        }
    }

    private int pendingRequestSqes() {
        int head = sq.kernelHead();
        int pending = sq.pending();
        int requests = 0;
        for (int i = 0; i < pending; i++) {
            if (table.isSlot(sq.userDataAt(head + i))) {
                requests++;
            }
        }
        return requests;
    }

    /**
     * Takes back the SQEs the kernel did not consume and fails their requests with {@code errno}: the kernel
     * refused them at submission, so it never saw them and will not touch their memory.
     */
    private void failUnconsumed(int errno) {
        int head = sq.kernelHead();
        int pending = sq.pending();
        for (int i = 0; i < pending; i++) {
            long userData = sq.userDataAt(head + i);
            if (table.isSlot(userData)) {
                completeSafely(table.remove((int) userData), -errno);
            } else if (userData == WAKEUP) {
                wakeupArmed = false;
            } else if (userData == CANCEL_WAKEUP) {
                cancelPending = false;
            } else if (cancelsInKernel.containsKey(userData)) {
                cancelsInKernel.remove(userData).issued();
            }
        }
        sq.rewindTo(head);
    }

    /** Logs an unexpected enter failure once, and slows the loop so a broken ring does not spin a core. */
    private void fatal(int errno, String call) {
        if (!fatalLogged) {
            fatalLogged = true;
            LOG.log(Level.ERROR, "io-engine io_uring: " + call + " failed with " + Errno.reason(errno) + "; "
                    + description);
        }
        LockSupport.parkNanos(BACKOFF_NANOS);
    }

    /**
     * Takes at most {@link #REAP_BATCH} completions from the CQ and completes them. What is left waits for the
     * next iteration, after the loop has submitted what these callbacks queued.
     */
    private void reap() {
        int n = cq.drain(reapedUserData, reapedRes, REAP_BATCH);
        for (int i = 0; i < n; i++) {
            dispatch(reapedUserData[i], reapedRes[i]);
        }
        int overflow = cq.overflow();
        if (overflow != lastOverflow) {
            // Only on kernels without IORING_FEAT_NODROP; the table's capacity keeps the CQ from filling.
            LOG.log(Level.ERROR, "io-engine io_uring: the kernel dropped " + (overflow - lastOverflow)
                    + " completions (CQ overflow); their requests never complete");
            lastOverflow = overflow;
        }
    }

    private void dispatch(long userData, int res) {
        if (table.isSlot(userData)) {
            completeSafely(table.remove((int) userData), res);
        } else if (userData == WAKEUP) {
            wakeupArmed = false;
            if (res < 0 && res != -Errno.ECANCELED) {
                LOG.log(Level.WARNING, "io-engine io_uring: eventfd read failed: " + Errno.reason(-res));
            }
        } else if (userData == CANCEL_WAKEUP) {
            cancelPending = false;
        } else if (cancelsInKernel.containsKey(userData)) {
            if (res == -Errno.EINVAL) {
                kernelCancelsByFd = false; // IORING_ASYNC_CANCEL_FD is 5.19: older kernels refuse the flags
            }
            cancelsInKernel.remove(userData).issued();
        } else {
            LOG.log(Level.WARNING, "io-engine io_uring: completion with unknown user_data " + userData);
        }
    }

    private void completeSafely(IoRequest request, long result) {
        try {
            complete(request, result);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "io-engine io_uring: completing " + request + " failed", e);
        }
    }

    /**
     * The ring thread hit a bug. Fails every request it holds, so no caller waits forever, and refuses new
     * ones. The ring is left mapped and its arena open: the kernel may still write into request memory.
     */
    private void failAfterBug(Throwable t) {
        broken = t;
        LOG.log(Level.ERROR, "io-engine io_uring: ring thread failed; the engine refuses new requests", t);
        if (table != null) {
            for (int slot = 0; slot < table.capacity(); slot++) {
                if (table.get(slot) != null) {
                    completeFailedSafely(table.remove(slot), t);
                }
            }
        }
        failQueued(t);
        IoRequest r;
        while ((r = ringThreadQueue.poll()) != null) {
            completeFailedSafely(r, t);
        }
        turns.deliverDeferred();
    }

    /**
     * After the ring thread died: fails what is in the queue. Locked, as the queue has one consumer at a time, and
     * both the dying ring thread and a submitter that finds the engine broken come here.
     */
    private void failQueued(Throwable t) {
        synchronized (queue) {
            IoRequest r;
            while ((r = queue.poll()) != null) {
                completeFailedSafely(r, t);
            }
        }
    }

    private void completeFailedSafely(IoRequest r, Throwable t) {
        try {
            completeFailed(r, new IOException("io_uring ring thread failed", t));
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "io-engine io_uring: failing " + r + " failed", e);
        }
    }
}
