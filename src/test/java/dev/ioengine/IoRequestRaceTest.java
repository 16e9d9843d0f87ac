package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ioengine.internal.engine.RequestAccess;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 9, item 7: the engine API's races around one request (await, concurrent submission, tryNow). */
class IoRequestRaceTest {
    @TempDir
    Path dir;

    private final List<IoEngine> engines = new ArrayList<>();
    private final List<IoFile> files = new ArrayList<>();
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void closeAll() {
        engines.forEach(IoEngine::close);
        files.forEach(IoFile::close);
        arena.close();
    }

    static java.util.stream.Stream<EngineKind> engines() {
        return Engines.all();
    }

    private IoEngine open(EngineKind kind) throws IOException {
        IoEngine engine = Engines.open(kind, IoEngineConfig.builder().name("request-race-" + kind.id()));
        engines.add(engine);
        return engine;
    }

    private IoFile openFile(byte[] content) throws IOException {
        Path path = Files.write(dir.resolve("f" + files.size()), content);
        IoFile file = IoFile.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        files.add(file);
        return file;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void awaitWakesEveryWaitingThread(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        IoFile fd = openFile(new byte[4096]);
        IoRequest request = IoRequest.read(fd, 0, arena.allocate(4096));
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(Thread.ofPlatform().start(request::awaitUninterruptibly));
        }
        for (Thread w : waiters) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (w.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        engine.submit(request);
        for (Thread w : waiters) {
            w.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(w.isAlive()).as("a thread in await() was never woken").isFalse();
        }
        assertThat(request.result()).isEqualTo(4096);
    }

    /**
     * Marking in flight is one compare-and-set: of two threads marking one request at once, exactly one wins. Many
     * rounds, since the window of a check-then-set is a few instructions.
     */
    @Test
    void twoThreadsMarkingOneRequestInFlightAtOnceNeverBothWin() throws Exception {
        RequestAccess access = RequestAccess.get();
        IoRequest request = IoRequest.read(openFile(new byte[8]), 0, arena.allocate(8));
        int rounds = 20_000;
        AtomicIntegerArray winners = new AtomicIntegerArray(rounds);
        CyclicBarrier start = new CyclicBarrier(2);
        // Both have tried: the request goes back to idle for the next round.
        CyclicBarrier end = new CyclicBarrier(2, () -> access.rollback(request));
        Runnable contender = () -> {
            for (int i = 0; i < rounds; i++) {
                try {
                    start.await();
                    try {
                        access.markInFlight(request, 0);
                        winners.incrementAndGet(i);
                    } catch (IllegalStateException lost) {
                        // The other thread has it.
                    }
                    end.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        Thread a = Thread.ofPlatform().start(contender);
        Thread b = Thread.ofPlatform().start(contender);
        a.join();
        b.join();
        int bothWon = 0;
        for (int i = 0; i < rounds; i++) {
            assertThat(winners.get(i)).isGreaterThanOrEqualTo(1);
            if (winners.get(i) == 2) {
                bothWon++;
            }
        }
        assertThat(bothWon).as("rounds where both threads marked the request in flight").isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void twoThreadsSubmittingOneRequestAtOnceHandTheKernelOneCopy(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        IoFile fd = openFile(new byte[4096]);
        MemorySegment buffer = arena.allocate(4096);
        AtomicInteger completions = new AtomicInteger();
        IoRequest request = IoRequest.read(fd, 0, buffer).callback(r -> completions.incrementAndGet());
        int rounds = 2000;
        int accepted = 0;
        for (int i = 0; i < rounds; i++) {
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger won = new AtomicInteger();
            Runnable submitter = () -> {
                try {
                    start.await();
                    engine.submit(request);
                    won.incrementAndGet();
                } catch (IllegalStateException lost) {
                    // In flight already.
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            Thread a = Thread.ofPlatform().start(submitter);
            Thread b = Thread.ofPlatform().start(submitter);
            a.join();
            b.join();
            request.awaitUninterruptibly();
            accepted += won.get();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (completions.get() < accepted && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        // Each accepted submission completes exactly once: a request in flight twice would complete twice for one.
        assertThat(completions.get()).isEqualTo(accepted);
        assertThat(engine.stats().submitted()).isEqualTo(accepted);
    }

    /**
     * A tryNow whose attempt throws (here: an iovec array the caller emptied under it, racing with the attempt)
     * leaves the request reusable. The race is retried until the attempt itself threw, for at most 20 s.
     */
    @Test
    void aTryNowWhoseAttemptThrowsLeavesTheRequestReusable() throws Exception {
        IoEngine engine = open(EngineKind.THREADS);
        IoFile fd = openFile(new byte[4096]);
        // The attempt copies the buffers into iovecs after the submission checks looked at them: the last one,
        // emptied in between, makes the attempt itself throw. 16 buffers (the most an attempt takes) widen that gap.
        MemorySegment[] buffers = new MemorySegment[16];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = arena.allocate(256);
        }
        int last = buffers.length - 1;
        MemorySegment valid = buffers[last];
        AtomicBoolean stop = new AtomicBoolean();
        Thread mutator = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                buffers[last] = null;
                Thread.onSpinWait();
                buffers[last] = valid;
            }
        });
        IoRequest request = new IoRequest();
        boolean thrownByAttempt = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (!thrownByAttempt && System.nanoTime() < deadline) {
                try {
                    request.prepareReadv(fd, 0, buffers);
                } catch (NullPointerException e) {
                    continue;
                }
                try {
                    engine.tryNow(request);
                } catch (NullPointerException e) {
                    thrownByAttempt = Arrays.stream(e.getStackTrace())
                            .anyMatch(f -> f.getClassName().endsWith("NowaitTransfer"));
                }
            }
        } finally {
            stop.set(true);
            mutator.join();
        }
        assumeTrue(thrownByAttempt, "the race never made the attempt itself throw in 20 s");
        assertThat(request.isDone()).isFalse();
        // Reusable: it can be prepared and submitted again.
        request.prepareRead(fd, 0, valid);
        assertThat(engine.execute(request)).isEqualTo(256);
        assertThatThrownBy(() -> engine.tryNow(new IoRequest())).isInstanceOf(IllegalArgumentException.class);
    }
}
