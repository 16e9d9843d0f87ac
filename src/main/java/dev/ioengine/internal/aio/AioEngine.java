package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.EngineCore;
import dev.ioengine.internal.engine.JvmExit;
import dev.ioengine.internal.engine.LazyLogger;
import dev.ioengine.internal.engine.LoopTurns;
import dev.ioengine.internal.engine.RequestAccess;
import dev.ioengine.internal.engine.RequestMerger;
import dev.ioengine.internal.engine.RequestQueue;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Linux AIO engine: {@code io_submit} / {@code io_getevents} on one AIO context, through FFM.
 *
 * <p>Threads (named daemon threads, started with the engine, stopped by {@link #closeBackend()}):
 * <ul>
 *   <li>the <b>submitter</b> takes accepted reads and writes from the submission queue, fills free iocb slots
 *       (merging contiguous requests when {@link IoEngineConfig#mergeLimit()} is set) and makes one
 *       {@code io_submit} per batch. A partial submit is continued with the rest; EINTR is retried; EAGAIN
 *       (the kernel is full) waits for a completion and retries; any other errno fails only the iocb the kernel
 *       reports it for (the first one not taken), frees its slot, and the rest of the batch goes on. Each
 *       {@code io_submit} is first offered to the engine's fault injector, if a test installed one
 *       ({@link dev.ioengine.internal.engine.FaultInjector#onSubmitBatch}); its answer takes this same path.</li>
 *   <li>the <b>reaper</b> takes the completions already waiting in the context's user-space ring
 *       ({@link AioRing}) without a system call, and otherwise waits in {@code io_getevents} (at least one
 *       event, a bounded timeout so it notices close); it frees each event's slot and completes its request.
 *       It takes at most {@link #REAP_BATCH} completions at a time, then submits itself, with its own
 *       {@code io_submit}, the reads and writes that their callbacks submitted (a request submitted on the reaper
 *       thread is kept in a queue only the reaper touches: no hand-off to the submitter, no wake-up). So the
 *       first requests of a wave go back to the kernel without waiting for the whole wave's callbacks, and the
 *       in-flight requests do not move in lock-step cohorts. "The reaper" is whichever thread holds the reaping
 *       loop's turn ({@link LoopTurns}): a callback that blocks loses it to a standby thread, which reaps on; any
 *       thread may call io_getevents and io_submit on a context, and the context's memory is shared, so nothing
 *       else changes hands. The reaper never waits for room: when no slot is
 *       free (or the submitter already waits for one) or the kernel says EAGAIN, what it holds waits for its
 *       next completions, or goes to the submitter's queue if the submitter was first. Ordering is unaffected:
 *       {@link WriteBarriers} registers writes and barriers when they are accepted, whichever thread then
 *       submits them.</li>
 *   <li>the <b>side worker</b> runs {@code fsync}, {@code fdatasync} and {@code fallocate}, which Linux AIO
 *       cannot do. Each runs only once every write accepted before it on the same fd has completed (see
 *       {@link WriteBarriers}); nobody blocks while it waits, the last such write's completion hands it over.
 *       It also does, with plain {@code pread} / {@code pwrite}, the reads and writes AIO refused for their
 *       file's kind ({@link PlainTransfer}: procfs files answer EINVAL); a write so handed over still holds back
 *       the barriers after it until it is done.</li>
 * </ul>
 *
 * <p>Buffered files: AIO accepts them, but the kernel does the copy inside {@code io_submit}, synchronously;
 * the IO is asynchronous only with {@code O_DIRECT}. Results are right either way. Files with no asynchronous
 * path at all (pipes, eventfds, sockets) block the submitting thread inside {@code io_submit} until they are ready
 * (the reaper too, for a request a completion callback submitted): the engine is for regular files and block
 * devices.
 *
 * <p>Memory: one shared {@link Arena}, owned by the engine, holds the {@code depth} iocbs, an iocb pointer
 * array and an iovec scratch for each of the two submitting threads, the event array and the errno capture
 * segments. The kernel copies iocbs and iovecs during {@code io_submit} (fs/aio.c: {@code aio_read} frees its
 * iovec copy before returning) and afterwards writes only into the user's buffers, which the requests keep
 * reachable. The arena is closed by {@link #closeBackend()}, after the threads have stopped and
 * {@code io_destroy} has returned.
 */
public final class AioEngine extends EngineCore implements JvmExit.Waker {
    private static final RequestAccess ACCESS = RequestAccess.get();
    private static final System.Logger LOG = LazyLogger.named("dev.ioengine");

    /** Put in the side worker's queue once at close; never given to the kernel. */
    private static final IoRequest STOP = new IoRequest();
    /** How long the reaper waits in io_getevents before checking for close. */
    private static final long REAP_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** At JVM exit, how long the idle reaper parks between looks for completions. */
    private static final long EXIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** After EAGAIN from io_submit: the longest wait for a completion before trying again. */
    private static final long FULL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** After an unexpected io_getevents error: a pause, so a broken context is not spun on. */
    private static final long REAP_ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** iovec entries the submitter can hand to one io_submit; a vectored request takes at most IOV_MAX. */
    private static final int BATCH_IOVECS = 4 * IoRequest.MAX_IOVECS;
    /**
     * The most completions the reaper takes before it submits what their callbacks queued. Small, so that the
     * first completions of a wave are resubmitted before the last ones are delivered; not 1, since every
     * io_submit is a system call (and a device notification). On 4 KiB random reads at QD32 with O_DIRECT, caps of
     * 4, 8 and 16 gave the same IOPS within the noise (all about 1.3x the reap-everything loop), with CPU per IO
     * falling as the cap grows (9.0, 8.4, 7.7 us); 8 is the middle.
     */
    static final int REAP_BATCH = 8;

    private final Arena arena = Arena.ofShared();
    private final long context;
    private final SlotTable slots;
    private final MemorySegment iocbs;
    /** The submitter's scratch for one io_submit. */
    private final IocbBatch submitterBatch;
    /** The reaper's scratch for one io_submit. */
    private final IocbBatch reaperBatch;
    private final MemorySegment events;
    private final int maxEvents;
    /** The context's completion ring, read by the reaper before it calls io_getevents; null to always call it. */
    private final AioRing ring;
    private final AioRing.EventSink completeEvent = this::completeEvent;
    private final MemorySegment reapTimeout;
    private final MemorySegment submitterState;
    private final MemorySegment reaperState;
    private final MemorySegment sideState;
    /** The side worker's iovec scratch, for the vectored requests AIO refused. */
    private final MemorySegment sideIovecs;
    /**
     * Reads and writes for the submitter, linked through the requests ({@link RequestQueue}: nothing allocated).
     * Its consumer side is the submitter's, and a cancel's while it holds {@link #submissionsConsumer}.
     */
    private final RequestQueue submissions = new RequestQueue();
    /** Held to take from {@link #submissions} (poll, isEmpty, removeIf): one consumer at a time. */
    private final ReentrantLock submissionsConsumer = new ReentrantLock();
    /** Set by the submitter before it parks for want of submissions; a submitting thread then unparks it. */
    private volatile boolean submitterWaiting;
    /** Set at close, once nothing is in flight: the submitter ends when it finds no submission. */
    private volatile boolean stopSubmitter;
    /** Reads and writes submitted on the reaper thread (by completion callbacks); touched by the reaper only. */
    private final ArrayDeque<IoRequest> reaperQueue = new ArrayDeque<>();
    /** Epochs of writes completed on the loop, let go once their deferred callbacks ran; the loop's only. */
    private final ArrayDeque<Object[]> epochsAfterCallbacks = new ArrayDeque<>();
    private final LinkedBlockingQueue<IoRequest> barrierQueue = new LinkedBlockingQueue<>();
    private final WriteBarriers barriers = new WriteBarriers(barrierQueue::add);
    private final Thread submitter;
    private final LoopTurns turns;
    private final Thread reaper;
    private final Thread sideWorker;
    /** Times io_submit found the kernel full (EAGAIN) and the submitter waited; written by the submitter only. */
    private volatile long kernelFullWaits;
    /** Times io_submit found the kernel full on the reaper, which then reaped first; written by the reaper only. */
    private volatile long reaperKernelFull;
    /** Requests the reaper handed to the submitter because the submitter was waiting for a slot first. */
    private volatile long reaperHandOffs;
    /** Reads and writes AIO refused (EINVAL) that the side worker did with plain positional IO. */
    private volatile long plainTransfers;
    /** Set by closeBackend, once nothing is in flight; read by the reaper after each io_getevents. */
    private volatile boolean stopReaping;

    private AioEngine(IoEngineConfig config, int contextEvents, boolean userSpaceReaping) throws IOException {
        super(EngineKind.AIO, config);
        int depth = config.queueDepth();
        if (depth < 1 || depth > IoEngineConfig.MAX_QUEUE_DEPTH) {
            arena.close();
            throw new IllegalArgumentException("AIO queue depth out of range: " + depth);
        }
        MemorySegment contextOut;
        try {
            contextOut = arena.allocate(JAVA_LONG);
            submitterState = Native.newCallState(arena);
            reaperState = Native.newCallState(arena);
            sideState = Native.newCallState(arena);
            sideIovecs = arena.allocate(Iovec.LAYOUT, IoRequest.MAX_IOVECS);
            iocbs = arena.allocate(Iocb.LAYOUT, depth);
            submitterBatch = new IocbBatch(arena, depth, submitterState, config.mergeLimit());
            reaperBatch = new IocbBatch(arena, depth, reaperState, config.mergeLimit());
            maxEvents = Math.min(depth, REAP_BATCH);
            events = arena.allocate(IoEvent.LAYOUT, maxEvents);
            reapTimeout = arena.allocate(Timespec.LAYOUT);
            Timespec.set(reapTimeout, REAP_TIMEOUT_NANOS);
            long r = AioSyscalls.ioSetup(submitterState, contextEvents, contextOut);
            if (r < 0) {
                throw new IOException("io-engine AIO: " + AioLimits.setupFailure((int) -r, contextEvents));
            }
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        context = contextOut.get(JAVA_LONG, 0);
        ring = userSpaceReaping ? AioRing.of(context) : null;
        slots = new SlotTable(depth);
        submitter = newThread("submitter", this::submitLoop);
        turns = newLoopTurns(this::lead);
        reaper = turns.newLoopThread("reaper", this::lead);
        sideWorker = newThread("side-worker", this::sideLoop);
        try {
            submitter.start();
            reaper.start();
            sideWorker.start();
        } catch (RuntimeException | Error e) {
            // Cannot create a thread (out of memory or thread limit): stop the ones started, release the rest.
            closeBackend();
            throw e;
        }
        JvmExit.watch(this);
    }

    /**
     * Nothing to wake: io_getevents cannot be ended early. The reaper sees {@link JvmExit#isUnderway()} when its
     * wait returns (within {@link #REAP_TIMEOUT_NANOS}) and parks from then on while nothing is in flight.
     */
    @Override
    public void wakeForExit() {
    }

    /** Opens an engine with a context of {@link IoEngineConfig#queueDepth()} events. */
    public static IoEngine open(IoEngineConfig config) throws IOException {
        return new AioEngine(config, config.queueDepth(), true);
    }

    /**
     * For tests: an engine whose context is asked for {@code contextEvents} events while it keeps
     * {@link IoEngineConfig#queueDepth()} slots, so that the kernel runs out of room first (EAGAIN).
     */
    static AioEngine openWithContextEvents(IoEngineConfig config, int contextEvents) throws IOException {
        return new AioEngine(config, contextEvents, true);
    }

    /** For tests: an engine that reaps through io_getevents only ({@code false}) or the ring as well. */
    static AioEngine open(IoEngineConfig config, boolean userSpaceReaping) throws IOException {
        return new AioEngine(config, config.queueDepth(), userSpaceReaping);
    }

    /** True if this engine reads completions from the user-space ring. */
    boolean reapsFromRing() {
        return ring != null;
    }

    /** io_setup(1) then io_destroy: available, or why not (ENOSYS, EAGAIN with the aio-nr limits, EPERM). */
    public static EngineAvailability probe() {
        return AioLimits.probe();
    }

    // ---- accepting -------------------------------------------------------------------------------------------

    @Override
    protected void enqueue(IoRequest request) {
        switch (request.op()) {
            case FSYNC, FDATASYNC, FALLOCATE -> barriers.barrierAccepted(request);
            case WRITE, WRITEV -> {
                barriers.writeAccepted(request);
                try {
                    queue(request);
                } catch (RuntimeException | Error e) {
                    // Not queued, so it will never complete here: it must not hold back later barriers.
                    barriers.writesDone(barriers.detach(request));
                    throw e;
                }
            }
            case READ, READV -> queue(request);
        }
    }

    /**
     * Takes back the requests on {@code fd} still in the submitter's queue. Linux AIO cannot cancel a file
     * request the kernel holds ({@code io_cancel} answers EINVAL for them), and a buffered one is done inside
     * {@code io_submit} anyway: those run to their end.
     */
    @Override
    protected void cancelRequests(int fd) {
        List<IoRequest> taken;
        submissionsConsumer.lock();
        try {
            taken = takeRequestsOn(submissions, fd);
        } finally {
            submissionsConsumer.unlock();
        }
        for (IoRequest r : taken) {
            Object[] epochs = detachWrites(r);
            try {
                complete(r, -Errno.ECANCELED);
            } finally {
                writesDone(epochs);
            }
        }
    }

    /** On the reaper (a completion callback): into the reaper's own queue; from any other thread: the submitter's. */
    private void queue(IoRequest request) {
        if (turns.pin()) {
            try {
                reaperQueue.add(request);
            } finally {
                turns.unpin();
            }
        } else {
            offerToSubmitter(request);
        }
    }

    /** Queues {@code request} for the submitter, waking it if it waits for one. */
    private void offerToSubmitter(IoRequest request) {
        submissions.offer(request);
        // Dekker, second half: the offer (a volatile swap of the queue's tail) comes before this volatile read.
        // Pairs with awaitSubmission()'s "submitterWaiting = true, then isEmpty()": one of the two sees the other.
        if (submitterWaiting) {
            LockSupport.unpark(submitter);
        }
    }

    // ---- submitter -------------------------------------------------------------------------------------------

    private void submitLoop() {
        IocbBatch own = submitterBatch;
        IoRequest[] batch = own.requests;
        ArrayDeque<IoRequest> backlog = new ArrayDeque<>();
        while (true) {
            if (backlog.isEmpty() && !awaitSubmission()) {
                return;
            }
            drainSubmissions(backlog, slots.depth());
            if (backlog.isEmpty()) {
                Thread.onSpinWait(); // a submitting thread swapped the queue's tail and is about to link its request
                continue;
            }
            int free = slots.awaitFree();
            int count = 0;
            while (count < free && !backlog.isEmpty()) {
                batch[count++] = backlog.poll();
            }
            try {
                int merged = own.merger.merge(batch, count);
                submitBatch(own, merged, backlog, false);
            } catch (RuntimeException | Error e) {
                // The submitter must survive: fail what it still holds, then go on with the next batch.
                LOG.log(Level.ERROR, "io-engine AIO: submitter failed a batch", e);
                failUnsubmitted(batch, count, e);
            }
        }
    }

    /**
     * Waits, parked, until a submission is queued (true) or the engine stops with none queued (false). Interrupts
     * do not end the wait.
     */
    private boolean awaitSubmission() {
        while (true) {
            if (!submissionsEmpty()) {
                return true;
            }
            if (stopSubmitter) {
                return false;
            }
            submitterWaiting = true;
            // Dekker, first half: the volatile write above comes before isEmpty()'s volatile read of the tail; pairs
            // with offerToSubmitter(). close() unparks after setting stopSubmitter, read after this write.
            if (submissionsEmpty() && !stopSubmitter) {
                LockSupport.park(this);
                Thread.interrupted(); // nothing interrupts the submitter on purpose: a stray interrupt must not spin it
            }
            submitterWaiting = false;
        }
    }

    private boolean submissionsEmpty() {
        submissionsConsumer.lock();
        try {
            return submissions.isEmpty();
        } finally {
            submissionsConsumer.unlock();
        }
    }

    /** Moves up to {@code max} queued submissions to the end of {@code backlog}. */
    private void drainSubmissions(ArrayDeque<IoRequest> backlog, int max) {
        submissionsConsumer.lock();
        try {
            IoRequest r;
            for (int n = 0; n < max && (r = submissions.poll()) != null; n++) {
                backlog.add(r);
            }
        } finally {
            submissionsConsumer.unlock();
        }
    }

    /**
     * Takes a slot for each of {@code b.requests[0..count)}, prepares its iocb and submits them. Requests whose
     * iovecs do not fit in the scratch, or for which no slot is free (the reaper may have taken the slots the
     * submitter saw free; the reaper itself never waits for one), go back to the front of {@code backlog}, in
     * order. On the reaper ({@code onReaper}), a kernel with no room (EAGAIN) is not waited for: the iocbs it did
     * not take give their slots back and return to the front of {@code backlog} too.
     *
     * @return whether requests went back for want of a slot or of room in the kernel
     */
    private Stall submitBatch(IocbBatch b, int count, ArrayDeque<IoRequest> backlog, boolean onReaper) {
        IoRequest[] batch = b.requests;
        int prepared = 0;
        int iovecsUsed = 0;
        Stall stall = Stall.NONE;
        for (int i = 0; i < count; i++) {
            IoRequest r = batch[i];
            int vectorLength = r.op() == IoOp.READV || r.op() == IoOp.WRITEV ? r.segments().length : 0;
            int slot = iovecsUsed + vectorLength > BATCH_IOVECS ? -1
                    : onReaper ? slots.tryAcquire(r) : slots.acquireIfFree(r);
            if (slot < 0) {
                if (iovecsUsed + vectorLength <= BATCH_IOVECS) {
                    stall = Stall.NO_SLOT;
                }
                for (int k = count - 1; k >= i; k--) {
                    backlog.addFirst(batch[k]);
                    batch[k] = null;
                }
                break;
            }
            batch[i] = null;
            try {
                prepareIocb(slot, r, b.iovecs, iovecsUsed);
            } catch (RuntimeException e) {
                failSlot(slot, e);
                continue;
            }
            iovecsUsed += vectorLength;
            b.iocbPointers.setAtIndex(ADDRESS, prepared, iocbs.asSlice(slot * Iocb.LAYOUT.byteSize()));
            b.batchSlots[prepared] = slot;
            prepared++;
        }
        return submitPrepared(b, prepared, backlog, !onReaper) ? stall : Stall.KERNEL_FULL;
    }

    private void prepareIocb(int slot, IoRequest r, MemorySegment iovecs, int firstIovec) {
        switch (r.op()) {
            case READ -> Iocb.prepare(iocbs, slot, Iocb.IOCB_CMD_PREAD, r.fd(), r.segment().address(), r.length(),
                    r.position(), slot);
            case WRITE -> Iocb.prepare(iocbs, slot, Iocb.IOCB_CMD_PWRITE, r.fd(), r.segment().address(),
                    r.length(), r.position(), slot);
            case READV -> Iocb.prepare(iocbs, slot, Iocb.IOCB_CMD_PREADV, r.fd(), fillIovecs(r, iovecs, firstIovec),
                    r.segments().length, r.position(), slot);
            case WRITEV -> Iocb.prepare(iocbs, slot, Iocb.IOCB_CMD_PWRITEV, r.fd(),
                    fillIovecs(r, iovecs, firstIovec), r.segments().length, r.position(), slot);
            default -> throw new IllegalStateException("not an AIO operation: " + r);
        }
    }

    /** Writes {@code r}'s buffers into the iovec scratch from {@code first}; returns the address of the first. */
    private static long fillIovecs(IoRequest r, MemorySegment iovecs, int first) {
        MemorySegment[] buffers = r.segments();
        for (int i = 0; i < buffers.length; i++) {
            Iovec.set(iovecs, first + i, buffers[i]);
        }
        return iovecs.address() + first * Iovec.LAYOUT.byteSize();
    }

    /**
     * io_submit of the first {@code count} iocb pointers of {@code b} until each was taken by the kernel or
     * failed; or, with {@code mayWait} false, until the kernel has no room, when the rest give their slots back
     * and go to the front of {@code backlog} (returns false).
     */
    private boolean submitPrepared(IocbBatch b, int count, ArrayDeque<IoRequest> backlog, boolean mayWait) {
        int done = 0;
        while (done < count) {
            long seenReleases = mayWait ? slots.releases() : 0;
            long r;
            try {
                int admitted = admitSubmission(count - done);
                r = admitted < 0 ? admitted : AioSyscalls.ioSubmit(b.callState, context, admitted,
                        b.iocbPointers.asSlice(done * ADDRESS.byteSize()));
            } catch (RuntimeException | Error e) {
                // A broken downcall, never expected: fail what the kernel did not take rather than strand it.
                LOG.log(Level.ERROR, "io-engine AIO: io_submit failed", e);
                for (int i = done; i < count; i++) {
                    failSlot(b.batchSlots[i], e);
                }
                return true;
            }
            if (r > 0) {
                recordBatch((int) r);
                done += (int) r;
            } else if (r == -Errno.EAGAIN || r == 0) {
                // The kernel is out of request slots: wait for a completion to give one back, no spinning.
                if (!mayWait) {
                    // The reaper is what gives them back: it keeps the rest and reaps first.
                    reaperKernelFull++;
                    for (int i = count - 1; i >= done; i--) {
                        backlog.addFirst(slots.release(b.batchSlots[i]));
                    }
                    return false;
                }
                kernelFullWaits++;
                slots.awaitReleaseAfter(seenReleases, FULL_WAIT_NANOS);
            } else if (!AioSyscalls.interrupted(r)) {
                // The error concerns the first iocb the kernel did not take; the ones after it are still ours.
                finishSlot(b.batchSlots[done], r);
                done++;
            }
        }
        return true;
    }

    /** Frees {@code slot} and fails its request with an engine error (not an errno). */
    private void failSlot(int slot, Throwable failure) {
        IoRequest r = slots.release(slot);
        if (r != null) {
            Object[] epochs = detachWrites(r);
            try {
                completeFailed(r, failure);
            } finally {
                writesDone(epochs);
            }
        }
    }

    /** After an unexpected failure inside the submitter: completes every request of the batch not yet given out. */
    private void failUnsubmitted(IoRequest[] batch, int count, Throwable failure) {
        for (int i = 0; i < count; i++) {
            if (batch[i] != null) {
                IoRequest r = batch[i];
                batch[i] = null;
                Object[] epochs = detachWrites(r);
                completeFailed(r, failure);
                writesDone(epochs);
            }
        }
    }

    // ---- reaper ----------------------------------------------------------------------------------------------

    /** The reaping loop, on the thread holding its turn; returns when the engine stops or the turn is lost. */
    private void lead() {
        if (!deliver()) {
            return;
        }
        while (!stopReaping) {
            if (ring != null && ring.drain(completeEvent, REAP_BATCH) > 0) {
                // Completions were waiting: no system call needed. Resubmit what their callbacks queued, then look
                // again before blocking.
                if (!deliverThenSubmit()) {
                    return;
                }
                continue;
            }
            if (!reaperQueue.isEmpty()) {
                boolean emptied = submitFromReaper();
                if (!deliver()) {
                    return;
                }
                if (emptied) {
                    continue;
                }
            }
            if (JvmExit.isUnderway() && slots.inUse() == 0) {
                // At JVM exit, with nothing in the kernel, wait in Java: a thread in io_getevents holds up the
                // JVM's exit (see JvmExit). Polled: a request submitted meanwhile is reaped within a pause.
                LockSupport.parkNanos(this, EXIT_POLL_NANOS);
                continue;
            }
            // Nothing to reap, and nothing the reaper can submit now (its queue is empty, or waits for room that
            // only a completion can give back): block for one.
            long n = AioSyscalls.ioGetevents(reaperState, context, 1, maxEvents, events, reapTimeout);
            if (n > 0) {
                for (int i = 0; i < n; i++) {
                    completeEvent(IoEvent.data(events, i), IoEvent.res(events, i));
                }
                if (!deliverThenSubmit()) {
                    return;
                }
            } else if (n < 0 && !AioSyscalls.interrupted(n)) {
                LOG.log(Level.ERROR, "io-engine AIO: io_getevents failed: " + Errno.reason((int) -n));
                LockSupport.parkNanos(REAP_ERROR_PAUSE_NANOS);
            }
        }
    }

    /**
     * Runs the callbacks of the completions just reaped, then submits what they queued (and runs the callbacks of
     * requests that failed there).
     *
     * @return false if this thread lost the loop's turn in a callback: it must return at once
     */
    private boolean deliverThenSubmit() {
        if (!deliver()) {
            return false;
        }
        submitFromReaper();
        return deliver();
    }

    /**
     * Runs the callbacks of the completions the loop deferred, then lets the barriers waiting for those writes go
     * ({@link #writesDone}).
     *
     * @return false if this thread lost the loop's turn in a callback: it must return at once (the new holder
     *     delivers the rest, then lets their barriers go)
     */
    private boolean deliver() {
        if (!turns.deliverDeferred()) {
            return false;
        }
        Object[] epochs;
        while ((epochs = epochsAfterCallbacks.poll()) != null) {
            barriers.writesDone(epochs);
        }
        return true;
    }

    /**
     * A write's completion has been handed over: its epochs let later barriers on its file go, but only after its
     * callback has run, so that no barrier (an fsync, a fallocate) is seen complete before a write that came before
     * it. On the loop the callback is deferred ({@link LoopTurns}), and so is this; elsewhere it has run already.
     */
    private void writesDone(Object[] epochs) {
        if (epochs == null) {
            return;
        }
        if (turns.holdsLoop()) {
            epochsAfterCallbacks.add(epochs);
        } else {
            barriers.writesDone(epochs);
        }
    }

    /**
     * Submits, on the reaper thread, the requests its completion callbacks queued, as far as slots and the kernel
     * have room. A submitter already waiting for a slot was there first: the reaper's requests then go to its
     * queue, behind what it holds.
     *
     * @return true if the queue was emptied (or handed over), false if requests wait in it for a completion
     */
    private boolean submitFromReaper() {
        IocbBatch b = reaperBatch;
        while (!reaperQueue.isEmpty()) {
            int count = 0;
            while (count < b.requests.length && !reaperQueue.isEmpty()) {
                b.requests[count++] = reaperQueue.poll();
            }
            Stall stall;
            try {
                int merged = b.merger.merge(b.requests, count);
                stall = submitBatch(b, merged, reaperQueue, true);
            } catch (RuntimeException | Error e) {
                // The reaper must survive: fail what it still holds, then go on.
                LOG.log(Level.ERROR, "io-engine AIO: reaper failed a batch", e);
                failUnsubmitted(b.requests, count, e);
                continue;
            }
            if (stall == Stall.KERNEL_FULL) {
                return false; // requests are in the kernel: their completions give room back
            }
            if (stall == Stall.NO_SLOT) {
                switch (slots.roomWithoutWaiting()) {
                    case FREE -> { } // the waiting submitter took its slots meanwhile: try again
                    case WAITER_FIRST -> {
                        while (!reaperQueue.isEmpty()) {
                            offerToSubmitter(reaperQueue.poll());
                            reaperHandOffs++;
                        }
                        return true;
                    }
                    case NONE -> {
                        return false; // every slot is in flight (or about to be): a completion gives one back
                    }
                }
            }
        }
        return true;
    }

    /** Why {@link #submitBatch} put requests back. */
    private enum Stall { NONE, NO_SLOT, KERNEL_FULL }

    private void completeEvent(long data, long res) {
        try {
            finishSlot(data, res);
        } catch (RuntimeException | Error e) {
            // The reaper must outlive any one completion, or every request after it is stranded.
            LOG.log(Level.ERROR, "io-engine AIO: completing an event failed", e);
        }
    }

    /**
     * Frees {@code slot} and completes its request with {@code result} (bytes, or -errno); a request AIO refused
     * for its file's kind goes to the side worker instead, its write epochs still held.
     */
    private void finishSlot(long slot, long result) {
        IoRequest r = slots.release(slot);
        if (r == null) {
            LOG.log(Level.ERROR, "io-engine AIO: completion for slot " + slot + " that carries no request");
            return;
        }
        if (PlainTransfer.refusedByAio(result)) {
            barrierQueue.add(r);
            return;
        }
        Object[] epochs = detachWrites(r);
        try {
            complete(r, result);
        } finally {
            writesDone(epochs);
        }
    }

    /** For a write (merged or not): its epochs in {@link WriteBarriers}, taken before it completes; else null. */
    private Object[] detachWrites(IoRequest r) {
        if (!r.op().isWrite()) {
            return null;
        }
        IoRequest[] parts = ACCESS.mergedParts(r);
        if (parts == null) {
            return new Object[] {barriers.detach(r)};
        }
        Object[] epochs = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            epochs[i] = barriers.detach(parts[i]);
        }
        return epochs;
    }

    // ---- side worker -----------------------------------------------------------------------------------------

    private void sideLoop() {
        while (true) {
            IoRequest r = takeUninterruptibly(barrierQueue);
            if (r == STOP) {
                return;
            }
            long result;
            try {
                result = switch (r.op()) {
                    case FSYNC -> LibC.fsync(sideState, r.fd());
                    case FDATASYNC -> LibC.fdatasync(sideState, r.fd());
                    case FALLOCATE -> LibC.fallocate(sideState, r.fd(), r.fallocateMode(), r.position(), r.length());
                    case READ, READV, WRITE, WRITEV -> {
                        plainTransfers++;
                        yield PlainTransfer.perform(sideState, sideIovecs, r);
                    }
                };
            } catch (RuntimeException | Error e) {
                completeHoldingEpochs(r, () -> completeFailed(r, e));
                continue;
            }
            recordBatch(1);
            try {
                completeHoldingEpochs(r, () -> complete(r, result));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "io-engine AIO: completing " + r.op() + " failed", e);
            }
        }
    }

    /**
     * Completes {@code r} on the side worker; a write (one AIO refused) held its epochs until now: they go once it
     * is complete, releasing the barriers after it.
     */
    private void completeHoldingEpochs(IoRequest r, Runnable completion) {
        Object[] epochs = detachWrites(r);
        try {
            completion.run();
        } finally {
            if (epochs != null) {
                barriers.writesDone(epochs);
            }
        }
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    @Override
    protected void closeBackend() {
        stopReaping = true;
        stopSubmitter = true;
        LockSupport.unpark(submitter);
        barrierQueue.add(STOP);
        joinUninterruptibly(submitter, sideWorker);
        if (reaper.getState() != Thread.State.NEW) { // not started when the constructor failed to start threads
            turns.awaitLoopEnd();
        }
        turns.stop();
        long r = AioSyscalls.ioDestroy(reaperState, context);
        if (r < 0) {
            LOG.log(Level.WARNING, "io-engine AIO: io_destroy failed: " + Errno.reason((int) -r));
        }
        arena.close();
    }

    /** How many times io_submit said EAGAIN: the submitter waited for a completion, or the reaper reaped first. */
    long kernelFullWaits() {
        return kernelFullWaits + reaperKernelFull;
    }

    /** How many reads and writes AIO refused for their file's kind and the side worker did with pread/pwrite. */
    long plainTransfers() {
        return plainTransfers;
    }

    /** How many requests submitted on the reaper thread it handed to the submitter (which was waiting first). */
    long reaperHandOffs() {
        return reaperHandOffs;
    }

    /** One submitting thread's scratch for io_submit: the submitter has one, the reaper another. */
    private static final class IocbBatch {
        final MemorySegment callState;
        final MemorySegment iocbPointers;
        final MemorySegment iovecs;
        final IoRequest[] requests;
        /** The slot of the i-th prepared iocb pointer. */
        final int[] batchSlots;
        final RequestMerger merger;

        IocbBatch(Arena arena, int depth, MemorySegment callState, long mergeLimit) {
            this.callState = callState;
            iocbPointers = arena.allocate(ADDRESS, depth);
            iovecs = arena.allocate(Iovec.LAYOUT, BATCH_IOVECS);
            requests = new IoRequest[depth];
            batchSlots = new int[depth];
            merger = new RequestMerger(mergeLimit);
        }
    }

    @Override
    public String toString() {
        return super.toString() + "[" + slots + ", kernel-full waits=" + kernelFullWaits() + ", reaper hand-offs=" + reaperHandOffs +  ", barriers queued="
                + barrierQueue.size() + ", " + barriers + "]";
    }
}
