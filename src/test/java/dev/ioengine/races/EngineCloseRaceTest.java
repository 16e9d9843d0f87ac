package dev.ioengine.races;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link IoEngine#close()} with thousands of requests in flight while several threads keep submitting: every
 * request whose submit returned completes exactly once (its callback runs once) by the time close returns; every
 * submit refused (IllegalStateException, engine closed) gets no callback; no thread and no descriptor remains.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(RaceFigures.class)
class EngineCloseRaceTest {
    private static final int ROUNDS = Integer.getInteger("ioengine.races.rounds", 6) * 2;
    private static final int SUBMITTERS = 4;
    private static final int PER_SUBMITTER = 2500;
    private static final int SIZE = 512;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ioengine.races.RaceSupport#engines")
    void closeWithThousandsInFlightAndConcurrentSubmitters(EngineKind kind) throws Exception {
        long fdsBefore = Engines.openFds();
        int fd = LibC.open(dir.resolve("file").toString(), LibC.O_RDWR | LibC.O_CREAT, 0644);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate((long) SUBMITTERS * PER_SUBMITTER * SIZE, 4096);
            for (int round = 0; round < ROUNDS; round++) {
                runRound(kind, fd, memory, round, RaceSupport.SEED + 31L * kind.ordinal() + round);
            }
        } finally {
            assertThat(LibC.close(fd)).isZero();
        }
        assertThat(Engines.openFds()).isEqualTo(fdsBefore);
    }

    private void runRound(EngineKind kind, int fd, MemorySegment memory, int round, long seed) throws Exception {
        String name = "races-engine-" + kind.id() + "-" + round;
        SplittableRandom random = new SplittableRandom(seed);
        IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name(name).queueDepth(64)
                .maxInFlight(1024 + random.nextInt(4096)).build());
        int total = SUBMITTERS * PER_SUBMITTER;
        AtomicIntegerArray callbacks = new AtomicIntegerArray(total);
        AtomicIntegerArray accepted = new AtomicIntegerArray(total);
        AtomicInteger submitted = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        IoRequest[] requests = new IoRequest[total];
        IoCallback count = r -> {
            int id = (Integer) r.attachment();
            if (callbacks.incrementAndGet(id) != 1) {
                problems.add("callback of request " + id + " ran twice");
            }
        };
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            int first = s * PER_SUBMITTER;
            boolean useTrySubmit = random.nextInt(4) == 0;
            submitters.add(Thread.ofPlatform().name("race-submitter-" + s).start(() -> {
                for (int i = first; i < first + PER_SUBMITTER; i++) {
                    MemorySegment slice = memory.asSlice((long) i * SIZE, SIZE);
                    long position = (long) (i % 2048) * SIZE;
                    IoRequest r = (i % 3 == 0 ? RawRequests.read(fd, position, slice)
                            : RawRequests.write(fd, position, slice)).attachment(i).callback(count);
                    requests[i] = r;
                    try {
                        if (useTrySubmit) {
                            while (!r.isDone() && !engine.trySubmit(r)) {
                                if (!engine.isOpen()) {
                                    return;
                                }
                                Thread.onSpinWait();
                            }
                        } else {
                            engine.submit(r);
                        }
                        accepted.set(i, 1);
                        submitted.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        return; // the engine is closed: this request and the rest are not taken
                    } catch (Throwable t) {
                        problems.add("submit of " + i + " threw " + t);
                        return;
                    }
                }
            }));
        }
        int closeAfter = random.nextInt(total / 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (submitted.get() < closeAfter && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        engine.close();
        int acceptedAtClose = submitted.get();
        for (Thread t : submitters) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as("%s stuck (seed %d, round %d) at %s; engine %s", t.getName(), seed, round,
                    java.util.Arrays.toString(t.getStackTrace()), engine).isFalse();
        }
        RaceSupport.assertNoProblems(problems);
        assertThat(engine.isOpen()).isFalse();
        // INLINE callbacks run after a request is marked done; give the last ones a bounded moment.
        long callbacksDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int ran = 0;
        int acceptedCount = 0;
        for (int i = 0; i < total; i++) {
            if (accepted.get(i) == 1) {
                acceptedCount++;
                while (callbacks.get(i) == 0 && System.nanoTime() < callbacksDeadline) {
                    Thread.sleep(1);
                }
                assertThat(requests[i].isDone()).as("request %d accepted before close is done (seed %d)", i, seed)
                        .isTrue();
                assertThat(callbacks.get(i)).as("callbacks of accepted request %d (seed %d)", i, seed).isEqualTo(1);
                ran++;
            } else {
                assertThat(callbacks.get(i)).as("callbacks of refused request %d (seed %d)", i, seed).isZero();
            }
        }
        assertThat(acceptedCount).isGreaterThanOrEqualTo(Math.min(acceptedAtClose, closeAfter));
        assertThat(engine.stats().inFlight()).isZero();
        assertThat(engine.stats().completed()).isEqualTo(engine.stats().submitted());
        assertThat(Engines.threadsNamed(name + "-")).as(Engines.describeThreads(name + "-")).isZero();
        RaceSupport.ROUNDS.incrementAndGet();
        RaceSupport.OPERATIONS.addAndGet(ran);
        for (int i = 0; i < total; i++) {
            if (accepted.get(i) == 1) {
                if (requests[i].isSuccess()) {
                    RaceSupport.SUCCEEDED.incrementAndGet();
                } else {
                    RaceSupport.FAILED.incrementAndGet();
                }
            }
        }
    }
}
