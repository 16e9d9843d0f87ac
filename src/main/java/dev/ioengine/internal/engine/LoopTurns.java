package dev.ioengine.internal.engine;

import dev.ioengine.IoRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Leader/follower for an engine's completion loop, as the JDK's {@code sun.nio.ch.EPollPort} lets its group's
 * threads take turns polling: callbacks run inline on the thread that reaped them (no hand-off per operation, and a
 * callback's next request is submitted by the loop itself), yet a callback that blocks does not stall the engine.
 *
 * <p>One thread at a time holds the <b>turn</b>: it runs the backend's loop (waits for the kernel, reaps, submits)
 * and owns what the loop owns (its queues, its scratch memory, the ring's user-space indices). Completions reaped
 * by the loop are not delivered on the spot: {@link EngineCore} {@link #defer}s them, and the loop delivers them
 * with {@link #deliverDeferred()} once it is done with the kernel. While a callback runs, a <b>standby</b> thread
 * watches: if the same callback is still running one check period ({@link #CHECK_NANOS}) later and its thread
 * waits (parked, sleeping, on a monitor), or {@link #RUNNABLE_CHECKS} periods later whatever it does, the standby
 * takes the turn and carries on with the loop from where it stopped (the deliveries left, then the loop). The
 * longer grace for a RUNNABLE callback keeps a callback that was only descheduled (a loaded machine) from moving
 * the loop, and a thread with it. The thread
 * whose callback blocked finds, once the callback returns, that it lost the turn: it touches nothing of the loop's
 * and becomes the standby (or ends, if there is one). A thread about to block in a known way (waiting for room in
 * the engine, for a channel operation) passes the turn on at once instead ({@link #releaseTurn()}).
 *
 * <p>The turn word. {@code turn = seq << 2 | VACANT | IN_CALLBACK}. Only the holder writes it while
 * {@code IN_CALLBACK} is clear: it sets {@code IN_CALLBACK} with a new {@code seq} before each callback and clears it
 * with a CAS after, which fails if the turn was taken meanwhile. Another thread changes it only by a CAS from a value
 * with {@code IN_CALLBACK} set (the holder is in user code then, not in the loop's state) to a new {@code seq}: the
 * standby to hold the turn itself, or a holder giving it away to {@code VACANT}, which the standby then claims. Each
 * callback and each change of holder takes a new {@code seq}, so a stale holder's CAS can never succeed, and the
 * standby sees a stuck callback as the same value twice. The CAS that moves the turn is the hand-over of the loop's
 * state: what the old holder wrote before it set {@code IN_CALLBACK} (a volatile write) is visible to the new one.
 *
 * <p>Threads: the first holder is made by {@link #newLoopThread}; the standby is started when the first callback is
 * about to run (so an engine whose callbacks never run inline has none) and sleeps for good after
 * {@link #IDLE_CHECKS} checks without a callback, woken by the next one. {@link #awaitLoopEnd()} and {@link #stop()}
 * end them at close.
 */
public final class LoopTurns {
    private static final long IN_CALLBACK = 1;
    private static final long VACANT = 2;
    private static final long SEQ = 4;
    /** How long one callback may wait (parked, sleeping, on a monitor) on the loop before the standby takes the turn. */
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Checks a callback may stay RUNNABLE (computing, in a system call, or only descheduled: on a loaded machine a
     * preempted callback looks stuck) before the standby takes the turn anyway.
     */
    static final int RUNNABLE_CHECKS = 20;
    /** Checks without any callback after which the standby sleeps until the next callback wakes it. */
    static final int IDLE_CHECKS = 200;

    private static final VarHandle TURN;
    private static final VarHandle STANDBY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TURN = lookup.findVarHandle(LoopTurns.class, "turn", long.class);
            STANDBY = lookup.findVarHandle(LoopTurns.class, "standby", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EngineCore engine;
    /** What a thread that takes the turn runs: the deferred deliveries, then the backend's loop. */
    private final Runnable lead;
    /** Completions reaped by the loop and not yet delivered; owned by the holder. */
    private final ArrayDeque<IoRequest> deferred = new ArrayDeque<>();
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private volatile long turn;
    /** The thread holding the turn, for the standby's look at its state; written before each callback. */
    private volatile Thread holder;
    private volatile Thread standby;
    /** Set by the standby before it sleeps without a timeout; the holder wakes it at the next callback. */
    private volatile boolean standbyAsleep;
    private volatile boolean stopped;
    /** The thread whose loop ended (it tore the backend down); joined by {@link #awaitLoopEnd()}. */
    private volatile Thread lastHolder;

    /** A thread that can hold the turn; its fields are its own (read and written only by itself). */
    private static final class LoopThread extends Thread {
        final LoopTurns turns;
        /** The turn value this thread holds (IN_CALLBACK clear); meaningful while {@link #leading}. */
        long held;
        boolean leading;
        boolean inCallback;

        LoopThread(LoopTurns turns, String name, Runnable body) {
            super(null, body, name, 0, false);
            this.turns = turns;
            setDaemon(true);
        }
    }

    /**
     * @param lead what a thread that takes the turn over runs: {@link #deliverDeferred()}, then the rest of the
     *     backend's loop; it returns when the loop ended (the backend stopped) or the turn was lost
     */
    LoopTurns(EngineCore engine, Runnable lead) {
        this.engine = engine;
        this.lead = lead;
    }

    /**
     * The engine's first loop thread, unstarted; it holds the turn from the start and runs {@code body} (the
     * backend's setup, then its loop, as {@code lead}).
     */
    public Thread newLoopThread(String role, Runnable body) {
        LoopThread[] self = new LoopThread[1];
        LoopThread t = new LoopThread(this, engine.threadName(role), engine.registered(() -> {
            LoopThread me = self[0];
            me.leading = true;
            me.held = 0;
            body.run();
            if (!loopEndedOn(me) && becomeStandby(me)) {
                standBy(me);
            }
        }));
        self[0] = t;
        return t;
    }

    /** True on the thread holding the turn, outside a callback: its completions are {@link #defer}red. */
    public boolean holdsLoop() {
        return Thread.currentThread() instanceof LoopThread t && t.turns == this && t.leading && !t.inCallback;
    }

    /** Keeps a completed request for {@link #deliverDeferred()}; only on the holder ({@link #holdsLoop()}). */
    void defer(IoRequest request) {
        deferred.add(request);
    }

    /**
     * On the holder: runs the callbacks of the deferred completions, one at a time, under the standby's watch.
     *
     * @return true if this thread still holds the turn; false if it lost it during a callback (the loop must return
     *     at once, touching nothing more of the backend's state)
     */
    public boolean deliverDeferred() {
        LoopThread me = (LoopThread) Thread.currentThread();
        IoRequest r;
        while ((r = deferred.poll()) != null) {
            if (standby == null) {
                startStandby();
            }
            long callback = me.held + SEQ | IN_CALLBACK;
            if (holder != me) {
                holder = me;
            }
            // Volatile: publishes the loop's state (the deferred queue above) to whoever takes the turn during the
            // callback, and pairs with the standby's "standbyAsleep = true, then read turn" (Dekker): either the
            // standby sees this callback, or this thread sees it asleep and wakes it.
            turn = callback;
            if (standbyAsleep) {
                LockSupport.unpark(standby);
            }
            me.inCallback = true;
            try {
                engine.runCallback(r);
            } finally {
                me.inCallback = false;
            }
            long after = callback & ~IN_CALLBACK;
            if (!TURN.compareAndSet(this, callback, after)) {
                me.leading = false;
                return false;
            }
            me.held = after;
        }
        return true;
    }

    /**
     * For a backend's queue the holder owns: true if the calling thread holds the turn, and then it cannot lose it
     * until {@link #unpin} (inside a callback this takes the {@code IN_CALLBACK} mark off, with a CAS that fails if
     * the turn was already lost). A true answer must be followed by {@code unpin()}.
     */
    public boolean pin() {
        if (!(Thread.currentThread() instanceof LoopThread t) || t.turns != this || !t.leading) {
            return false;
        }
        if (!t.inCallback) {
            return true;
        }
        if (TURN.compareAndSet(this, t.held + SEQ | IN_CALLBACK, t.held + SEQ)) {
            return true;
        }
        t.leading = false;
        return false;
    }

    /** Ends what a true {@link #pin()} began. */
    public void unpin() {
        LoopThread t = (LoopThread) Thread.currentThread();
        if (t.inCallback) {
            // Only the holder writes the turn while IN_CALLBACK is clear: a plain volatile write puts it back.
            turn = t.held + SEQ | IN_CALLBACK;
        }
    }

    /**
     * Before the calling thread blocks: if it holds an engine's turn inside a callback, it gives the turn to the
     * standby now rather than after a check period.
     *
     * @return true if the calling thread is a loop thread that holds no turn now (it may block without stalling its
     *     engine); false on any other thread, and on a holder outside a callback (the loop itself)
     */
    public static boolean releaseTurn() {
        if (!(Thread.currentThread() instanceof LoopThread t)) {
            return false;
        }
        if (!t.leading) {
            return true;
        }
        if (!t.inCallback) {
            return false;
        }
        LoopTurns turns = t.turns;
        long callback = t.held + SEQ | IN_CALLBACK;
        if (TURN.compareAndSet(turns, callback, t.held + 2 * SEQ | VACANT)) {
            Thread s = turns.standby;
            if (s != null) {
                LockSupport.unpark(s);
            } else {
                turns.startStandby();
            }
        }
        t.leading = false;
        return true;
    }

    // ---- the standby -----------------------------------------------------------------------------------------

    private void startStandby() {
        if (stopped) {
            return;
        }
        LoopThread[] self = new LoopThread[1];
        LoopThread t = new LoopThread(this, engine.threadName("standby"),
                engine.registered(() -> standBy(self[0])));
        self[0] = t;
        if (STANDBY.compareAndSet(this, null, t)) {
            t.start();
        }
    }

    /** The standby's life: watch, lead when it takes the turn, and watch again if it loses it (unless replaced). */
    private void standBy(LoopThread me) {
        while (watch(me)) {
            lead.run();
            if (loopEndedOn(me) || !becomeStandby(me)) {
                return;
            }
        }
    }

    private boolean becomeStandby(LoopThread me) {
        return !stopped && STANDBY.compareAndSet(this, null, me);
    }

    /**
     * Watches the holder: takes the turn when it is vacant, or when one callback has run a whole check period.
     *
     * @return true if this thread now holds the turn (it is no longer the standby), false once stopped
     */
    private boolean watch(LoopThread me) {
        long seen = -1;
        int quiet = 0;
        while (!stopped) {
            long t = turn;
            long taken = (t & VACANT) != 0 ? t & ~VACANT
                    : (t & IN_CALLBACK) != 0 && t == seen && stuck(quiet) ? (t & ~IN_CALLBACK) + SEQ : -1;
            if (taken >= 0) {
                if (TURN.compareAndSet(this, t, taken)) {
                    STANDBY.compareAndSet(this, me, null); // the next callback starts a new standby
                    me.leading = true;
                    me.held = taken;
                    return true;
                }
                continue;
            }
            quiet = t == seen ? quiet + 1 : 0;
            seen = t;
            if (quiet < IDLE_CHECKS) {
                LockSupport.parkNanos(this, CHECK_NANOS);
                continue;
            }
            standbyAsleep = true;
            // Dekker, second half: this volatile write, then the turn read; pairs with deliverDeferred's
            // "turn = callback, then read standbyAsleep".
            if (turn == t && !stopped) {
                LockSupport.park(this);
            }
            standbyAsleep = false;
            quiet = 0;
        }
        STANDBY.compareAndSet(this, me, null);
        return false;
    }

    /**
     * The callback seen one period ago still runs ({@code periods} periods before this one): stuck if its thread
     * waits, or has run (RUNNABLE) for {@link #RUNNABLE_CHECKS} periods.
     */
    private boolean stuck(int periods) {
        Thread h = holder;
        return h == null || h.getState() != Thread.State.RUNNABLE || periods + 1 >= RUNNABLE_CHECKS;
    }

    /** True if the loop ended on {@code me} (it still holds the turn after {@code lead}): the backend is down. */
    private boolean loopEndedOn(LoopThread me) {
        if (!me.leading) {
            return false;
        }
        lastHolder = me;
        loopEnded.countDown();
        return true;
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    /**
     * Waits (through interrupts) until the loop has ended on whichever thread held the turn last, and that thread
     * has ended. The backend must have asked its loop to stop.
     */
    public void awaitLoopEnd() {
        Uninterruptibly.await(loopEnded);
        Thread last = lastHolder;
        if (last != null && last != Thread.currentThread()) {
            EngineCore.joinUninterruptibly(last);
        }
    }

    /**
     * Ends the standby once the loop has ended. A thread that lost the turn while its callback blocks ends when the
     * callback returns: it is not waited for (it may be the caller's code waiting on this close).
     */
    public void stop() {
        stopped = true;
        Thread s = standby;
        if (s != null) {
            LockSupport.unpark(s);
            if (s != Thread.currentThread()) {
                EngineCore.joinUninterruptibly(s);
            }
        }
    }
}
