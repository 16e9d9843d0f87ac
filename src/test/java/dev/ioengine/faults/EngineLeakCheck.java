package dev.ioengine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak check of a fault test, registered with {@code @RegisterExtension}: the process's descriptors are counted
 * before each test (before its {@code @BeforeEach} methods) and must be as many after it (after its
 * {@code @AfterEach} methods), and no thread may be left of an engine named by {@link #uniqueName}.
 */
final class EngineLeakCheck implements BeforeEachCallback, AfterEachCallback {
    /** How long an engine's threads may take to end after its close returned (see {@link #awaitThreadsEnded}). */
    private static final long THREAD_END_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<String> engineNames = new ArrayList<>();
    private long fdsBefore;

    /** {@link FaultEngines#uniqueName}, remembered: no thread of that engine may outlive the test. */
    String uniqueName(EngineKind kind) {
        String name = FaultEngines.uniqueName(kind);
        engineNames.add(name);
        return name;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        fdsBefore = Engines.openFds();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
        for (String name : engineNames) {
            awaitThreadsEnded(name + "-");
            assertThat(Engines.threadsNamed(name + "-")).as(Engines.describeThreads(name + "-")).isZero();
        }
        assertThat(Engines.openFds()).isEqualTo(fdsBefore);
    }

    /**
     * Waits, at most {@link #THREAD_END_NANOS}, for the threads named {@code prefix}... to end: the threads engine's
     * close does not join a worker still running a callback (the callback may be what closes it), so such a worker
     * ends just after the close returns. A thread that never ends fails the check that follows.
     */
    private static void awaitThreadsEnded(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + THREAD_END_NANOS;
        while (Engines.threadsNamed(prefix) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
