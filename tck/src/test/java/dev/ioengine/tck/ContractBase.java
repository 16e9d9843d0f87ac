package dev.ioengine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every contract shares: one {@link ProviderUnderTest} per concrete class (made by {@link #createProvider()} and
 * closed after the class), a fresh scratch directory per test, every test skipped with the factory's reason when the
 * provider cannot run here, and a bound on every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ContractBase {
    /**
     * How long a wait on a future or a handler may take before the test fails; waits on a blocked or interrupted
     * thread take 5 s at most, so their message shows before the 10 s bound on the whole test.
     */
    static final long WAIT_SECONDS = 8;

    ProviderUnderTest put;
    FileSystem fs;
    Path dir;

    /** The factory: the provider this concrete class runs the contract against. */
    protected abstract ProviderUnderTest createProvider() throws IOException;

    @BeforeAll
    final void openProvider() throws IOException {
        put = createProvider();
        fs = put.fileSystem();
    }

    @AfterAll
    final void closeProvider() throws IOException {
        if (put != null) {
            put.close();
        }
    }

    @BeforeEach
    final void newScratchDirectory() throws IOException {
        Optional<String> unavailable = put.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElseThrow());
        dir = put.newScratchDirectory();
    }

    @AfterEach
    final void removeScratchDirectory() throws IOException {
        if (dir != null) {
            ScratchTrees.deleteRecursively(dir);
            dir = null;
        }
    }

    /** Skips the rest of the test on providers without {@code capability}, saying why. */
    final void assumeCapability(boolean capability, String what) {
        assumeTrue(capability, () -> put.name() + " does not support " + what + ": contract part skipped");
    }

    /** Skips the rest of the test on providers that declare {@code deviation}, saying what it is. */
    final void skipIfDeviates(Deviation deviation) {
        assumeTrue(!put.deviations().contains(deviation),
                () -> put.name() + " deviates from the JDK: " + deviation.description() + ": contract part skipped");
    }

    /** A file in the scratch directory holding {@code content}. */
    final Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** {@code length} bytes 0, 1, 2, ... (mod 251, so no two nearby blocks look alike). */
    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    /** Makes a named pipe at {@code path} (host-backed file systems only). */
    final void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("mkfifo finished").isTrue();
        assertThat(p.exitValue()).as("mkfifo exit status").isZero();
    }

    /** A call expected to throw; its result, if any, is ignored. */
    @FunctionalInterface
    interface ThrowingCall {
        Object call() throws Exception;
    }

    /** What a call did on a thread of its own: its result or exception, and its interrupt status afterwards. */
    record Outcome<T>(T result, Throwable thrown, boolean interruptedAfter) {
    }

    /** Runs {@code action} on a new thread whose interrupt status is set first; waits boundedly. */
    static <T> Outcome<T> callWithInterruptSet(Callable<T> action) throws InterruptedException {
        AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("tck-interrupted").daemon().unstarted(() -> {
            Thread.currentThread().interrupt();
            T result = null;
            Throwable thrown = null;
            try {
                result = action.call();
            } catch (Throwable e) {
                thrown = e;
            }
            outcome.set(new Outcome<>(result, thrown, Thread.currentThread().isInterrupted()));
        });
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(t.isAlive()).as("interrupted call finished within 5 s").isFalse();
        return outcome.get();
    }

    /**
     * Starts {@code blockingCall} on a new thread, waits until that thread is parked in the call (state WAITING or
     * RUNNABLE inside native code for a while), then returns it so the test can close or interrupt.
     */
    static BlockedCall startBlocking(Callable<?> blockingCall) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean returned = new AtomicBoolean();
        Thread t = Thread.ofPlatform().name("tck-blocked").daemon().start(() -> {
            try {
                blockingCall.call();
                returned.set(true);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        // Nothing observable says "the thread is inside read(2)"; give it time to get there. If it is not there yet
        // the test still holds (the call then starts on a closed or interrupted channel and fails the same way).
        Thread.sleep(200);
        return new BlockedCall(t, thrown, returned);
    }

    record BlockedCall(Thread thread, AtomicReference<Throwable> thrown, AtomicBoolean returned) {
        /** Waits (5 s at most, well inside the test's own bound) for the call to fail, and returns what it threw. */
        Throwable awaitFailure() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(thread.isAlive()).as("blocked call woke within 5 s of the close or interrupt").isFalse();
            assertThat(returned.get()).as("blocked call returned normally").isFalse();
            return thrown.get();
        }
    }
}
