package dev.ioengine.leaks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What this process holds that an engine or a channel could leak, at one instant: open descriptors with their
 * {@code readlink} targets, live engine threads, the kernel's ring mappings, and direct memory.
 *
 * <ul>
 *   <li><b>Descriptors</b>: {@code /proc/self/fd}, number and target. Jars the class loader opens lazily and
 *       {@code /dev/random} / {@code /dev/urandom} (opened once by {@code SecureRandom}, for temp file names) are
 *       JVM-wide and left out.</li>
 *   <li><b>Engine threads</b>: the platform threads an engine or a channel starts: every name beginning
 *       {@code io-engine}, and the engines' own names ({@code <config name>-io_uring-ring},
 *       {@code -aio-submitter}, {@code -aio-reaper}, {@code -aio-side-worker}, {@code -threads-worker-N}: see
 *       {@code EngineCore.newThread}), whatever the configured name. Left out: {@code io-engine-file-handler-N},
 *       the JVM-wide cached pool an {@code AsynchronousFileChannel} opened without an executor hands its
 *       completions to (as the JDK's default pool: its idle threads end after 60 s).</li>
 *   <li><b>Ring mappings</b>: lines of {@code /proc/self/maps} for io_uring rings ({@code anon_inode:[io_uring]})
 *       and AIO rings ({@code /[aio]}): memory the kernel shares with the process, outside the JVM's
 *       accounting.</li>
 *   <li><b>Native memory</b>: with {@code -XX:NativeMemoryTracking=summary} (the surefire argLine sets it), the
 *       committed bytes of NMT's "Other" category, where both {@code ByteBuffer.allocateDirect} and every
 *       {@code Arena} allocation land: all the native memory io-engine allocates outside the kernel's rings.
 *       Without NMT, the {@code direct} buffer pool, which sees direct buffers only (on JDK 25 arena memory is
 *       neither counted there nor limited by {@code MaxDirectMemorySize}). {@link #nativeBytes()} is the one
 *       that is available.</li>
 * </ul>
 */
record ProcessResources(Map<Integer, String> fds, Map<Long, String> engineThreads, List<String> ringMappings,
        long directBytes, long directCount, long nmtOtherBytes) {

    private static final Pattern ENGINE_THREAD =
            Pattern.compile("io-engine.*|.+-(io_uring-ring|aio-submitter|aio-reaper|aio-side-worker|io_uring-standby|aio-standby|threads-worker-\\d+)");
    private static final Pattern JVM_WIDE_THREAD = Pattern.compile("io-engine-file-handler-\\d+");
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final Path MAPS = Path.of("/proc/self/maps");

    static ProcessResources now() {
        DirectPool direct = DirectPool.INSTANCE;
        return new ProcessResources(openFds(), liveEngineThreads(), liveRingMappings(), direct.memoryUsed(),
                direct.count(), NativeMemoryTracking.otherCommittedBytes());
    }

    static boolean isEngineThread(String name) {
        return ENGINE_THREAD.matcher(name).matches() && !JVM_WIDE_THREAD.matcher(name).matches();
    }

    /** Descriptor number to target, for every descriptor still open once listed (the listing's own is gone). */
    static Map<Integer, String> openFds() {
        List<Path> entries;
        try (Stream<Path> list = Files.list(FD_DIR)) {
            entries = list.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, String> fds = new TreeMap<>();
        for (Path entry : entries) {
            String target;
            try {
                target = Files.readSymbolicLink(entry).toString();
            } catch (IOException closedSinceListed) {
                continue;
            }
            if (!isJvmWideFd(target)) {
                fds.put(Integer.parseInt(entry.getFileName().toString()), target);
            }
        }
        return fds;
    }

    private static boolean isJvmWideFd(String target) {
        return target.endsWith(".jar") || target.equals("/dev/random") || target.equals("/dev/urandom");
    }

    /** Live engine threads by thread id (never reused in a JVM). */
    private static Map<Long, String> liveEngineThreads() {
        Map<Long, String> threads = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && isEngineThread(t.getName())) {
                threads.put(t.threadId(), t.getName());
            }
        }
        return threads;
    }

    private static List<String> liveRingMappings() {
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.filter(l -> l.contains("[io_uring]") || l.contains("[aio]")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code direct} {@code BufferPoolMXBean}, reached reflectively: the tests compile inside the module
     * {@code dev.ioengine}, which does not read {@code java.management} (they run on the class path, which does).
     */
    private enum DirectPool {
        INSTANCE;

        private final Object bean;
        private final Method memoryUsed;
        private final Method count;

        DirectPool() {
            try {
                Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
                Class<?> poolType = Class.forName("java.lang.management.BufferPoolMXBean");
                Method name = poolType.getMethod("getName");
                Object direct = null;
                for (Object pool : (List<?>) factory.getMethod("getPlatformMXBeans", Class.class).invoke(null, poolType)) {
                    if (name.invoke(pool).equals("direct")) {
                        direct = pool;
                    }
                }
                if (direct == null) {
                    throw new IllegalStateException("no direct BufferPoolMXBean");
                }
                bean = direct;
                memoryUsed = poolType.getMethod("getMemoryUsed");
                count = poolType.getMethod("getCount");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot reach the direct BufferPoolMXBean", e);
            }
        }

        long memoryUsed() {
            return read(memoryUsed);
        }

        long count() {
            return read(count);
        }

        private long read(Method method) {
            try {
                return (Long) method.invoke(bean);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Descriptors open now that were not open (with the same target) in {@code before}, nor are JVM-wide. */
    List<String> fdsOpenedSince(ProcessResources before, Set<String> jvmWide) {
        List<String> opened = new ArrayList<>();
        fds.forEach((fd, target) -> {
            if (!target.equals(before.fds.get(fd)) && !jvmWide.contains(fd + " -> " + target)) {
                opened.add(fd + " -> " + target);
            }
        });
        return opened;
    }

    List<String> threadsStartedSince(ProcessResources before, Set<Long> jvmWide) {
        return engineThreads.entrySet().stream()
                .filter(e -> !before.engineThreads.containsKey(e.getKey()) && !jvmWide.contains(e.getKey()))
                .map(Map.Entry::getValue).sorted().toList();
    }

    /** Ring mappings now that {@code before} did not have (a multiset difference, by line). */
    List<String> mappingsAddedSince(ProcessResources before, Set<String> jvmWide) {
        List<String> added = new ArrayList<>(ringMappings);
        for (String line : before.ringMappings) {
            added.remove(line);
        }
        added.removeAll(jvmWide);
        return Collections.unmodifiableList(added);
    }

    /** NMT's "Other" committed bytes if NMT is on, else the direct buffer pool's bytes. */
    long nativeBytes() {
        return nmtOtherBytes >= 0 ? nmtOtherBytes : directBytes;
    }

    static String nativeMeasure() {
        return NativeMemoryTracking.otherCommittedBytes() >= 0 ? "NMT Other committed" : "direct buffer pool";
    }

    String summary() {
        return fds.size() + " descriptors, " + engineThreads.size() + " engine threads ("
                + engineThreads.values().stream().sorted().collect(Collectors.joining(", ")) + "), "
                + ringMappings.size() + " ring mappings, " + directBytes + " bytes of direct memory in "
                + directCount + " allocations, NMT Other committed " + nmtOtherBytes + " bytes";
    }
}
