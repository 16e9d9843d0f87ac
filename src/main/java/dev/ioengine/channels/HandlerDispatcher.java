package dev.ioengine.channels;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an asynchronous channel's completion handlers on its executor, many per task. Handing each handler to the
 * executor as its own task costs a thread wake-up per operation (a cached pool's hand-off parks and unparks a
 * thread every time); here the engine's thread only queues the handler, and starts a draining task only when no
 * drainer is running. A drainer runs queued handlers until the queue is empty (or a batch is done, to be fair to
 * the executor's other tasks); while a backlog remains it lets a second drainer start, up to the number of
 * cores, so one slow handler does not hold the others up. As the JDK's {@code AsynchronousChannelGroup}
 * asks of its handlers, handlers should not block for long: a handler that waits for another handler can wait
 * as long as all drainers are busy.
 *
 * <p>A handler whose operation completed at once, on a thread that is draining this dispatcher, runs there
 * directly, as the JDK's {@code sun.nio.ch.Invoker} does for pool threads, up to a nesting depth of 16; beyond
 * it, it is queued, so a handler that keeps starting operations that complete at once cannot overflow the stack.
 *
 * <p>With {@code onEngineThread} (the default executor, on an engine whose loop takes turns: see
 * {@link DefaultExecutor#dispatcher}), a handler whose operation the engine completed runs on the engine's loop
 * thread, the one that reaped the completion: no queue, no thread woken, and a handler's next operation is
 * submitted by the loop itself. A handler may still block: the loop's turn then passes to another thread
 * ({@link dev.ioengine.internal.engine.LoopTurns}), as the JDK's default group lets its threads take turns polling.
 */
final class HandlerDispatcher {
    private static final System.Logger LOG = System.getLogger("dev.ioengine.channels");
    /** As sun.nio.ch.Invoker's maxHandlerInvokeCount. */
    private static final int MAX_DIRECT_DEPTH = 16;
    /** Handlers a drainer runs before it gives its thread back to the executor (and queues itself again). */
    private static final int BATCH = 256;
    private static final ThreadLocal<DrainerState> DRAINER = ThreadLocal.withInitial(DrainerState::new);

    private final Executor executor;
    private final boolean onEngineThread;
    private final int maxDrainers;
    /** Guards the queue of handler calls waiting for a drainer ({@link #head} to {@link #tail}). */
    private final Object queueLock = new Object();
    private Call head;
    private Call tail;
    private final AtomicInteger drainers = new AtomicInteger();
    /** Handlers queued and not yet taken by a drainer. */
    private final AtomicInteger backlog = new AtomicInteger();
    private final Runnable drain = this::drain;

    /**
     * A handler call that is its own link in the queue, so queuing it allocates nothing: an object that delivers
     * one result at a time may keep one and dispatch it again once it ran.
     */
    abstract static class Call implements Runnable {
        /** The next call in the queue; guarded by the dispatcher's queue lock. */
        private Call next;
    }

    /** Any other task, queued in a call of its own. */
    private static final class TaskCall extends Call {
        private final Runnable task;

        TaskCall(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    /** What the current thread is draining, and how deep direct invocations are nested on it. */
    private static final class DrainerState {
        HandlerDispatcher dispatcher;
        int depth;
    }

    HandlerDispatcher(Executor executor) {
        this(executor, false);
    }

    HandlerDispatcher(Executor executor, boolean onEngineThread) {
        this.executor = executor;
        this.onEngineThread = onEngineThread;
        this.maxDrainers = Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** Runs {@code handlerCall} on the executor: here and now if this thread drains this dispatcher. */
    void dispatch(Runnable handlerCall) {
        dispatch(handlerCall instanceof Call call ? call : new TaskCall(handlerCall));
    }

    /**
     * {@link #dispatch(Runnable)} of a call that is not queued already (it ran, or was never dispatched): queued, it
     * is its own queue node.
     */
    void dispatch(Call handlerCall) {
        if (enterDirect()) {
            try {
                runQuietly(handlerCall);
            } finally {
                exitDirect();
            }
            return;
        }
        offer(handlerCall);
        int waiting = backlog.incrementAndGet();
        // Pairs with the drainer's decrement-then-recheck in drain(): the queue write (under the queue lock) and the
        // count read here, the count write and the queue read (under the lock) there, are ordered, so at least one
        // side sees the other and a queued handler is never left without a drainer. A backlog also starts another drainer (up to one per
        // core), so that a handler that waits for a later one does not wait behind itself.
        if (waiting > 1 || drainers.get() == 0) {
            addDrainer();
        }
    }

    /**
     * True if a handler may run on this thread now (it drains this dispatcher, or it is the engine's thread
     * completing an operation and handlers run there, and it is not too deeply nested); the
     * caller then runs it and calls {@link #exitDirect()}. Lets a caller run a handler without making it a task.
     */
    boolean enterDirect() {
        DrainerState state = DRAINER.get();
        boolean ours = state.dispatcher == this || onEngineThread && Operation.isCompleting();
        if (ours && state.depth < MAX_DIRECT_DEPTH) {
            state.depth++;
            return true;
        }
        return false;
    }

    /** Ends what {@link #enterDirect()} began. */
    void exitDirect() {
        DRAINER.get().depth--;
    }

    private void drain() {
        DrainerState state = DRAINER.get();
        HandlerDispatcher outer = state.dispatcher;
        int outerDepth = state.depth;
        state.dispatcher = this;
        state.depth = 0;
        try {
            for (int ran = 0; ran < BATCH; ran++) {
                Call call = poll();
                if (call == null) {
                    break;
                }
                backlog.decrementAndGet();
                if (!isQueueEmpty()) {
                    addDrainer();
                }
                runQuietly(call);
            }
        } finally {
            state.dispatcher = outer;
            state.depth = outerDepth;
            drainers.decrementAndGet();
            if (!isQueueEmpty()) {
                addDrainer();
            }
        }
    }

    private void offer(Call call) {
        synchronized (queueLock) {
            call.next = null;
            if (tail == null) {
                head = call;
            } else {
                tail.next = call;
            }
            tail = call;
        }
    }

    /** The first queued call, unlinked (so it may be dispatched again once it ran); null if none. */
    private Call poll() {
        synchronized (queueLock) {
            Call first = head;
            if (first != null) {
                head = first.next;
                first.next = null;
                if (head == null) {
                    tail = null;
                }
            }
            return first;
        }
    }

    private boolean isQueueEmpty() {
        synchronized (queueLock) {
            return head == null;
        }
    }

    /** Starts one more drainer unless {@link #maxDrainers} run. */
    private void addDrainer() {
        int n;
        do {
            n = drainers.get();
            if (n >= maxDrainers) {
                return;
            }
        } while (!drainers.compareAndSet(n, n + 1));
        try {
            executor.execute(drain);
        } catch (RejectedExecutionException e) {
            // The executor was shut down: the handlers still run, on a thread of their own, not on the engine's.
            Thread.ofVirtual().name("io-engine-file-handler").start(drain);
        }
    }

    /** Runs a handler, logging what it throws (as the JDK's pool threads report it, and go on). */
    private static void runQuietly(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error failure) {
            LOG.log(Level.WARNING, "completion handler threw", failure);
        }
    }
}
