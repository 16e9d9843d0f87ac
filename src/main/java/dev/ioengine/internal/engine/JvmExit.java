package dev.ioengine.internal.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Tells the engines that the JVM is exiting, so that their threads stop waiting in native code.
 *
 * <p>Why: at exit, after the shutdown hooks, HotSpot stops at a final safepoint and waits up to 300 ms
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}, polled every 10 ms) until no thread but its own is in the
 * {@code _thread_in_native} state. A thread in an FFM downcall is in that state for the whole call (only
 * {@code Linker.Option.critical} calls are not, and blocking calls must not be critical), so an idle ring thread
 * blocked in {@code io_uring_enter}, or a reaper in {@code io_getevents}, made every exit 300 ms (or up to its
 * timeout) longer. A thread parked in Java is {@code _thread_blocked} and is not waited for.
 *
 * <p>How: the first engine registers one shutdown hook. The hook sets {@link #isUnderway()} and calls each open
 * engine's {@link Waker#wakeForExit()}; from then on an engine thread with nothing of its own in the kernel
 * parks in Java instead of waiting there. Engines stay open and serve requests as before: other shutdown hooks,
 * which run at the same time as this one, may still do IO through them.
 *
 * <p>Engines are held weakly: an engine closed and dropped before exit is not kept alive by this registry.
 */
public final class JvmExit {
    /** An engine whose threads may wait in native code. */
    public interface Waker {
        /**
         * Called once, on the shutdown hook's thread, when the JVM's exit begins: wakes the engine's threads that
         * wait in the kernel, so they see {@link #isUnderway()}. Must not block; the engine may be closed.
         */
        void wakeForExit();
    }

    private static final Set<Waker> ENGINES = Collections.newSetFromMap(new WeakHashMap<>());
    private static boolean hookAdded;
    private static volatile boolean underway;

    private JvmExit() {
    }

    /** True once the JVM's shutdown has begun: engine threads then wait in Java, not in the kernel, when idle. */
    public static boolean isUnderway() {
        return underway;
    }

    /** Registers an engine to be woken when the JVM exits; adds the shutdown hook with the first one. */
    public static synchronized void watch(Waker engine) {
        ENGINES.add(engine);
        if (!hookAdded) {
            hookAdded = true;
            try {
                Runtime.getRuntime().addShutdownHook(
                        Thread.ofPlatform().name("io-engine-exit").unstarted(JvmExit::exitBegins));
            } catch (IllegalStateException shutdownUnderway) {
                underway = true;
            }
        }
    }

    private static void exitBegins() {
        underway = true;
        List<Waker> engines;
        synchronized (JvmExit.class) {
            engines = new ArrayList<>(ENGINES);
        }
        for (Waker engine : engines) {
            engine.wakeForExit();
        }
    }
}
