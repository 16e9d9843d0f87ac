package dev.ioengine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.ForkedJvm;
import dev.ioengine.Engines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Direct memory exhausted: {@link DirectMemoryProgram} in a JVM with {@code -XX:MaxDirectMemorySize=8m} holds
 * every byte of direct memory, then uses io-engine's channels (through the provider) and the engine API on each
 * engine. Asserted, per engine:
 * <ul>
 *   <li>the JVM neither crashes nor hangs (exit status 0, no {@code hs_err} file, no thread of the JVM died of an
 *       uncaught exception: an engine thread that died would strand every later request);</li>
 *   <li>every attempt under pressure either works or fails with a clear exception: {@link OutOfMemoryError}
 *       ("Cannot reserve ... bytes of direct buffer memory") or an {@link java.io.IOException}; an asynchronous
 *       one completes its future (never a hang). Exactly the heap transfers that need a fresh bounce buffer fail;
 *       everything else works;</li>
 *   <li>a write that failed changed nothing in the file;</li>
 *   <li>{@code AlignedBuffers.allocateDirect} fails with {@link OutOfMemoryError};</li>
 *   <li>once the memory is free again, the same channels and engine work and read back what they wrote, and a new
 *       engine opens;</li>
 *   <li>the JVM ends with the descriptors it started with.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectMemoryExhaustionTest {
    private static final List<String> PRESSURE_ATTEMPTS = List.of("write.large", "read.large", "write.small",
            "read.small", "write.direct", "read.direct", "async.write.large", "async.read.large", "async.read.direct",
            "engine.write", "engine.read", "engineOpen");
    /**
     * The attempts that need a fresh bounce buffer larger than any direct memory left: the asynchronous channel's
     * large heap transfers. The FileChannel's (on this platform thread) go through the thread's own buffer, made
     * before the pressure, in chunks, as the JDK 25 channels need no new direct memory for them either.
     */
    private static final List<String> NEEDING_MEMORY = List.of("async.write.large", "async.read.large");

    private ForkedJvm jvm;

    @BeforeAll
    void runTheProgram(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("direct");
        jvm = ForkedJvm.launch(DirectMemoryProgram.class)
                .options(ForkedJvm.NATIVE_ACCESS, "-XX:MaxDirectMemorySize=8m", "-Xmx256m")
                .withReport().arguments(work.toString(), String.valueOf(8 << 20)).run(work);
        jvm.assertExitedCleanly(0).assertNoThreadDied();
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"IO_URING", "AIO", "THREADS"})
    void underPressureEveryAttemptWorksOrFailsClearly(EngineKind kind) {
        String k = kind.id();
        Engines.assumeAvailable(kind);
        assertThat(Long.parseLong(jvm.get("pressure.heldBytes"))).as("direct memory held")
                .isGreaterThan(6L << 20);
        for (String attempt : PRESSURE_ATTEMPTS) {
            String outcome = jvm.get(k + ".pressure." + attempt);
            assertThat(outcome).as("%s under pressure", attempt)
                    .matches("ok:.*|OutOfMemoryError: Cannot reserve .*direct buffer memory.*|\\w*IOException: .+"
                            + "|\\w*FileSystemException: .+");
        }
        for (String attempt : NEEDING_MEMORY) {
            assertThat(jvm.get(k + ".pressure." + attempt)).as("%s under pressure", attempt)
                    .startsWith("OutOfMemoryError: Cannot reserve");
        }
        for (String attempt : PRESSURE_ATTEMPTS) {
            if (!NEEDING_MEMORY.contains(attempt)) {
                assertThat(jvm.get(k + ".pressure." + attempt)).as("%s under pressure: needs no new direct memory",
                        attempt).startsWith("ok:");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"IO_URING", "AIO", "THREADS"})
    void aWriteThatFailedChangedNothing(EngineKind kind) {
        Engines.assumeAvailable(kind);
        String k = kind.id();
        assertThat(jvm.get(k + ".after.contentOfPressureWrite"))
                .isEqualTo(Outcomes.isOk(jvm.get(k + ".pressure.write.large")) ? "ok:written" : "ok:unchanged");
        assertThat(jvm.get(k + ".after.contentOfPressureAsyncWrite"))
                .isEqualTo(Outcomes.isOk(jvm.get(k + ".pressure.async.write.large")) ? "ok:written" : "ok:unchanged");
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"IO_URING", "AIO", "THREADS"})
    void afterThePressureTheSameChannelsAndEngineWork(EngineKind kind) {
        Engines.assumeAvailable(kind);
        String k = kind.id();
        for (String phase : List.of("before", "after")) {
            for (String attempt : List.of("write.large", "read.large", "write.small", "read.small", "write.direct",
                    "read.direct", "async.write.large", "async.read.large", "async.read.direct")) {
                assertThat(jvm.get(k + "." + phase + "." + attempt)).as("%s %s", phase, attempt).startsWith("ok:");
            }
        }
        assertThat(jvm.get(k + ".after.verify")).isEqualTo("ok:verified");
        assertThat(jvm.get(k + ".after.engine.write")).isEqualTo("ok:4096");
        assertThat(jvm.get(k + ".after.engine.read")).isEqualTo("ok:4096");
        assertThat(jvm.get(k + ".after.engineOpen")).isEqualTo("ok:" + k);
    }

    @Test
    void alignedDirectAllocationsFailWithOutOfMemoryError() {
        assertThat(jvm.get("pressure.alignedAllocateDirect")).startsWith("OutOfMemoryError: Cannot reserve");
    }

    /**
     * Not asserted, reported: the JDK 25 channels' heap transfers do not need direct memory (they work under this
     * pressure), as io-engine's FileChannel's do not on a platform thread; its asynchronous channel's above the
     * bounce pool's largest size do (see RELIABILITY.md).
     */
    @Test
    void theJdksOwnChannelsForComparison(TestReporter reporter) {
        reporter.publishEntry("jdk.pressure.write.large", jvm.get("jdk.pressure.write.large"));
        reporter.publishEntry("jdk.pressure.read.large", jvm.get("jdk.pressure.read.large"));
        reporter.publishEntry("forked JVM seconds", String.valueOf(jvm.seconds()));
    }

    @Test
    void noDescriptorIsLeft() {
        assertThat(jvm.get("fds.end")).as("descriptors: %s", jvm.get("fds.list")).isEqualTo(jvm.get("fds.start"));
    }
}
