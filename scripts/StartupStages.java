import dev.ioengine.internal.linux.Iovec;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What each step of io-engine's first native calls costs in a fresh JVM: CPU time of all the JVM's threads (the JIT
 * compiler's included, from /proc/self/task/N/schedstat) and wall time, step by step, in the order a drop-in
 * program that reads one file takes them; then the System.Logger look-up and first message that a notice costs.
 * The figures of BENCHMARKS.md, "Start-up". Run from the repository, after ./build package, compiled first (the
 * source launcher would run javac in the same JVM, which warms up much of what is measured here):
 *
 *   javac -cp target/io-engine.jar -d /tmp/stages scripts/StartupStages.java
 *   java --enable-native-access=ALL-UNNAMED -cp target/io-engine.jar:/tmp/stages StartupStages
 */
public class StartupStages {
    private static long lastCpu = cpuNanos();
    private static long lastWall = System.nanoTime();
    private static final StringBuilder REPORT = new StringBuilder();

    /** CPU time of every thread of this JVM, read with java.io (no file system provider involved). */
    private static long cpuNanos() {
        long sum = 0;
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File task : tasks == null ? new File[0] : tasks) {
            try (BufferedReader in = new BufferedReader(new FileReader(new File(task, "schedstat")))) {
                sum += Long.parseLong(in.readLine().split(" ")[0]);
            } catch (IOException | RuntimeException threadGone) {
                // the thread ended between the listing and the read: its time is lost, by a few microseconds
            }
        }
        return sum;
    }

    private static void step(String what) {
        long cpu = cpuNanos();
        long wall = System.nanoTime();
        REPORT.append(String.format("%-48s cpu %6.1f ms   wall %6.1f ms%n", what, (cpu - lastCpu) / 1e6,
                (wall - lastWall) / 1e6));
        lastCpu = cpuNanos();
        lastWall = System.nanoTime();
    }

    public static void main(String[] args) throws Exception {
        step("(the probe itself)");
        Native.checkNativeAccess();
        step("Native.checkNativeAccess");
        MemorySegment state = Native.callState();
        step("errno capture layout, this thread's segment");
        int fd = LibC.open("/etc/hostname", LibC.O_RDONLY, 0);
        step("LibC.open: the linker, the first handle");
        LibC.fstat(fd, new int[1]);
        step("LibC.fstat: a second handle");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            LibC.pread(state, fd, buffer.address(), 4096, 0);
            step("LibC.pread: a third handle");
            MemorySegment iovecs = arena.allocate(Iovec.LAYOUT, 1);
            Iovec.set(iovecs, 0, buffer);
            step("Iovec: layout and first use");
            LibC.preadv2(state, fd, iovecs, 1, 0, LibC.RWF_NOWAIT);
            step("LibC.preadv2: a fourth handle");
        }
        LibC.close(fd);
        step("LibC.close: a fifth handle");
        LibC.close(LibC.open("/etc/hostname", LibC.O_RDONLY, 0));
        step("open + close again (handles made)");
        System.Logger logger = System.getLogger("startup.stages");
        step("System.getLogger");
        logger.log(System.Logger.Level.INFO, "the first message");
        step("the first INFO message (java.util.logging)");
        System.out.print(REPORT);
    }
}
