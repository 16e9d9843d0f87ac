package dev.ioengine.cli;

/**
 * Counts the carrier threads of the virtual-thread scheduler, for the {@code *-filechannel-vthreads} contenders:
 * the JDK's FileChannel pins a carrier for every blocking file read or write and compensates by adding carriers
 * (up to {@code jdk.virtualThreadScheduler.maxPoolSize}, 256 by default), where a channel that parks the virtual
 * thread needs no more carriers than cores.
 *
 * <p>JDK 25 names carriers {@code ForkJoinPool-N-worker-M}, makes them {@code jdk.internal.misc.CarrierThread}s
 * and puts them in the thread group {@code CarrierThreads} (seen with {@code Thread.getAllStackTraces()}); a
 * thread counts when its name matches and it is of that group or class. {@link #sample} takes both counts from one
 * enumeration of the live platform threads (no stack walk): <b>live</b> carriers, and <b>busy</b> ones, those not
 * parked waiting for work (state RUNNABLE or BLOCKED: mounted, or blocked in a system call; an idle carrier is
 * WAITING or TIMED_WAITING). Busy is the figure reported: idle carriers that an earlier contender's compensation
 * left behind stay alive for the pool's keep-alive (30 s) and would otherwise be charged to whoever runs next.
 *
 * <p>Threads: called by one thread (the pass's waiting thread).
 */
final class CarrierSampler {
    /** How often the pass samples. */
    static final int PERIOD_MILLIS = 20;
    private static final String GROUP = "CarrierThreads";
    private static final String CLASS = "jdk.internal.misc.CarrierThread";

    private final ThreadGroup root;
    private Thread[] threads = new Thread[256];
    private int busyPeak;
    private int livePeak;
    private int samples;

    CarrierSampler() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        root = g;
    }

    /** Takes one sample. */
    void sample() {
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        int live = 0;
        int busy = 0;
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            threads[i] = null;
            if (isCarrier(t)) {
                live++;
                Thread.State state = t.getState();
                if (state == Thread.State.RUNNABLE || state == Thread.State.BLOCKED) {
                    busy++;
                }
            }
        }
        busyPeak = Math.max(busyPeak, busy);
        livePeak = Math.max(livePeak, live);
        samples++;
    }

    static boolean isCarrier(Thread t) {
        String name = t.getName();
        if (!name.startsWith("ForkJoinPool-") || !name.contains("-worker-")) {
            return false;
        }
        ThreadGroup group = t.getThreadGroup();
        return (group != null && GROUP.equals(group.getName())) || t.getClass().getName().equals(CLASS);
    }

    /** The most carriers busy at once in any sample. */
    int busyPeak() {
        return busyPeak;
    }

    /** The most carriers alive at once in any sample, idle ones included. */
    int livePeak() {
        return livePeak;
    }

    int samples() {
        return samples;
    }
}
