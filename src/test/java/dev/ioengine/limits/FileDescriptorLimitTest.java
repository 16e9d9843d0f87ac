package dev.ioengine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.ForkedJvm;
import dev.ioengine.Engines;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The descriptor limit: {@link FdLimitProgram} in a JVM started under {@code prlimit --nofile=64:64} (util-linux;
 * else {@code bash -c 'ulimit -n 64; exec java ...'}). Asserted, per engine:
 * <ul>
 *   <li>opening channels through io-engine's provider ends with the JDK's exception for it, a
 *       {@link java.nio.file.FileSystemException} naming the file and saying "Too many open files", and an
 *       asynchronous channel's open fails the same way;</li>
 *   <li>with no descriptor left, a channel already open still reads and writes;</li>
 *   <li>an engine opened with 0, 1, 2 or 3 descriptors free either opens and works, or fails with an
 *       {@link java.io.IOException} saying EMFILE, and leaves every descriptor free that was (each is taken again
 *       afterwards): io_uring needs two, its ring and an eventfd; AIO and threads none;</li>
 *   <li>a fresh provider on {@code auto} whose io_uring engine cannot open falls back to the threads engine, as the
 *       README says (its first open fails only because the file cannot be opened); one on {@code io_uring} fails its
 *       open with the engine's IOException, and opens the engine once descriptors are back;</li>
 *   <li>once the channels are closed, channels and engines open and work again, and the process holds the
 *       descriptors it held before; the JVM exits 0, without a crash or a thread dying.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileDescriptorLimitTest {
    private static final int LIMIT = 64;
    private ForkedJvm jvm;

    @BeforeAll
    void runTheProgram(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("fds");
        jvm = ForkedJvm.launch(FdLimitProgram.class).launcher(launcher()).options(ForkedJvm.NATIVE_ACCESS)
                .withReport().arguments(work.toString()).run(work);
        jvm.assertExitedCleanly(0).assertNoThreadDied();
    }

    private static List<String> launcher() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "prlimit"))) {
                return List.of(Path.of(dir, "prlimit").toString(), "--nofile=" + LIMIT + ":" + LIMIT);
            }
        }
        return List.of("bash", "-c", "ulimit -n " + LIMIT + " && exec \"$@\"", "bash");
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"IO_URING", "AIO", "THREADS"})
    void channelsOpenUntilTooManyOpenFilesThenOpenChannelsStillWork(EngineKind kind) {
        String k = kind.id();
        Engines.assumeAvailable(kind);
        assertThat(Integer.parseInt(jvm.get(k + ".fill.channels"))).isBetween(10, LIMIT);
        assertThat(jvm.get(k + ".fill.exception")).matches("FileSystemException: .*" + k + "\\.bin: .*Too many open files.*");
        assertThat(jvm.get(k + ".full.asyncOpen")).matches("FileSystemException: .*Too many open files.*");
        assertThat(jvm.get(k + ".full.channelIo")).isEqualTo("ok:8192");
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"IO_URING", "AIO", "THREADS"})
    void anEngineOpensOrFailsCleanlyWithFewDescriptorsFree(EngineKind kind) {
        Engines.assumeAvailable(kind);
        String k = kind.id();
        for (int free = 0; free <= 3; free++) {
            String key = k + ".full.engineOpen.free" + free;
            assertThat(jvm.get(key)).as(key).matches("ok:" + k + " wrote 4096|\\w*Exception: EMFILE .*");
            assertThat(jvm.get(key + ".refilled")).as("descriptors still free after %s", key)
                    .isEqualTo(String.valueOf(free));
        }
        if (kind == EngineKind.IO_URING) {
            assertThat(jvm.get(k + ".full.engineOpen.free0")).as("io_uring needs descriptors").contains("EMFILE");
            assertThat(jvm.get(k + ".full.engineOpen.free2")).as("two are enough").startsWith("ok:");
        } else {
            assertThat(jvm.get(k + ".full.engineOpen.free0")).as("%s needs no descriptor", k).startsWith("ok:");
        }
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"IO_URING", "AIO", "THREADS"})
    void afterClosingEverythingOpensAgainAndNoDescriptorIsLeft(EngineKind kind) {
        Engines.assumeAvailable(kind);
        String k = kind.id();
        assertThat(jvm.get(k + ".after.channel")).isEqualTo("ok:12288");
        assertThat(jvm.get(k + ".after.channelIo")).isEqualTo("ok:8192");
        assertThat(jvm.get(k + ".after.engineOpen")).isEqualTo("ok:" + k + " wrote 4096");
        assertThat(jvm.get(k + ".fds.after")).isEqualTo(jvm.get(k + ".fds.before"));
    }

    @Test
    void aFreshAutoProviderFallsBackToThreadsWhenIoUringCannotOpen() {
        Engines.assumeAvailable(EngineKind.IO_URING);
        assertThat(jvm.get("auto.full.open")).matches("FileSystemException: .*fresh\\.bin: .*Too many open files.*");
        assertThat(jvm.get("auto.after.open")).isEqualTo("ok:4096");
        assertThat(jvm.get("auto.after.engine")).isEqualTo("threads");
        assertThat(jvm.output()).contains("using the threads engine: the io_uring engine that auto picked failed to open");
    }

    @Test
    void aFreshIoUringProviderFailsItsOpenThenRecovers() {
        Engines.assumeAvailable(EngineKind.IO_URING);
        assertThat(jvm.get("io_uring.provider.full.open")).matches("\\w*Exception: EMFILE .*");
        assertThat(jvm.get("io_uring.provider.after.open")).isEqualTo("ok:4096");
        assertThat(jvm.get("io_uring.provider.after.engine")).isEqualTo("io_uring");
    }

    @Test
    void theProcessEndsWithTheDescriptorsItStartedWith() {
        assertThat(jvm.get("fds.end")).as("descriptors: %s", jvm.get("fds.list")).isEqualTo(jvm.get("fds.start"));
    }
}
