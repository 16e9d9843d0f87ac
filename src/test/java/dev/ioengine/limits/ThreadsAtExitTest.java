package dev.ioengine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.ForkedJvm;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * At JVM exit, engine threads wait in Java, not in a system call: HotSpot's exit waits up to 300 ms for every
 * thread in native code (see dev.ioengine.internal.engine.JvmExit). Checked by thread state, not by time, in a JVM
 * of its own ({@link ThreadsAtExitProgram}); the engine still serves the other shutdown hooks.
 */
class ThreadsAtExitTest {
    @TempDir
    Path dir;

    static Stream<EngineKind> engines() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)
                .filter(k -> EngineAvailability.probe(k).available());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void engineThreadsWaitInJavaOnceTheExitBegins(EngineKind kind) throws Exception {
        ForkedJvm jvm = ForkedJvm.launch(ThreadsAtExitProgram.class).options(ForkedJvm.NATIVE_ACCESS).withReport()
                .arguments(kind.name()).run(dir.resolve(kind.id())).assertExitedCleanly(0).assertNoThreadDied();
        assertThat(jvm.report().getProperty("parked")).as(jvm.report().getProperty("states")).isEqualTo("true");
        assertThat(jvm.report().getProperty("readDuringExit")).isEqualTo("exit");
    }
}
