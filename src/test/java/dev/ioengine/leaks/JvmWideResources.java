package dev.ioengine.leaks;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources that live as long as the test JVM on purpose: the engines of providers shared by the whole run (a
 * provider never closes its engine, as the default file system never closes). Opening one through
 * {@link #adopt} records the descriptors, engine threads and ring mappings it added, and
 * {@link LeakCheckExtension} does not count them as any class's leak. Native memory is not adopted: an engine's
 * is small next to the check's tolerance.
 *
 * <p>Thread-safe; {@link #adopt} calls run one at a time, and nothing else should open resources meanwhile (the
 * test classes of a run are not run in parallel).
 */
public final class JvmWideResources {
    private static final Set<String> FDS = ConcurrentHashMap.newKeySet();
    private static final Set<Long> THREADS = ConcurrentHashMap.newKeySet();
    private static final Set<String> MAPPINGS = ConcurrentHashMap.newKeySet();
    private static final Set<String> REASONS = ConcurrentHashMap.newKeySet();

    private JvmWideResources() {
    }

    /**
     * Runs {@code opening}, which opens something kept for the rest of the run (it must open everything it will
     * ever open: for a provider, a channel open that makes it open its engine), and adopts what it added.
     */
    public static synchronized <T> T adopt(String why, Callable<T> opening) throws Exception {
        ProcessResources before = ProcessResources.now();
        T opened = opening.call();
        ProcessResources after = ProcessResources.now();
        List<String> fds = after.fdsOpenedSince(before, Set.of());
        List<Long> threads = after.engineThreads().keySet().stream()
                .filter(t -> !before.engineThreads().containsKey(t)).toList();
        List<String> mappings = after.mappingsAddedSince(before, Set.of());
        FDS.addAll(fds);
        THREADS.addAll(threads);
        MAPPINGS.addAll(mappings);
        REASONS.add(why + ": " + fds.size() + " descriptors, " + threads.size() + " threads, " + mappings.size()
                + " ring mappings");
        return opened;
    }

    static Set<String> fds() {
        return FDS;
    }

    static Set<Long> threads() {
        return THREADS;
    }

    static Set<String> mappings() {
        return MAPPINGS;
    }

    static Set<String> reasons() {
        return REASONS;
    }
}
