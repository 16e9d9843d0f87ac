package dev.ioengine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's CPU time, user and system, from {@code /proc/self/stat} (fields 14 {@code utime} and 15
 * {@code stime}, in clock ticks: proc(5)). Includes every thread of the JVM (engine threads, the JIT and the
 * garbage collector), which is what a user of the library pays; resolution is one tick (10 ms).
 *
 * @param userNanos CPU time in user mode
 * @param systemNanos CPU time in the kernel on behalf of the process
 */
record CpuTime(long userNanos, long systemNanos) {
    /** USER_HZ: 100 on every Linux architecture the JDK runs on (sysconf(_SC_CLK_TCK)). */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path STAT = Path.of("/proc/self/stat");

    /** The CPU time used so far, or zero when {@code /proc/self/stat} cannot be read (not Linux). */
    static CpuTime now() {
        try {
            return parse(Files.readString(STAT));
        } catch (IOException | RuntimeException e) {
            return new CpuTime(0, 0);
        }
    }

    /** Parses a {@code /proc/PID/stat} line; the command name in parentheses may contain spaces. */
    static CpuTime parse(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        long utime = Long.parseLong(fields[14 - 3]);
        long stime = Long.parseLong(fields[15 - 3]);
        return new CpuTime(utime * NANOS_PER_TICK, stime * NANOS_PER_TICK);
    }

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
    }

    long totalNanos() {
        return userNanos + systemNanos;
    }
}
