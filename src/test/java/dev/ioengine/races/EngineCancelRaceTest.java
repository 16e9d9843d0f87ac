package dev.ioengine.races;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.linux.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link IoEngine#cancel(IoFile)} racing with the engine's own threads taking the same queued requests, as a
 * channel's close does right after submitting: each request is either taken back by the cancel (ECANCELED) or
 * run by the engine, never both. A request both cancelled and run completes twice, and its first completion
 * drops the file's descriptor reference while the system call is still to come: close then closes the
 * descriptor under it (EBADF, or the IO of another file that reused the number). Every request's callback must
 * run exactly once, with ECANCELED or the system call's own result. Before the fix (EngineCore.takeRequestsOn
 * trusting removeIf's predicate) every engine failed this within a second.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EngineCancelRaceTest {
    private static final int ROUNDS = Integer.getInteger("ioengine.races.rounds", 6) * 50;
    private static final int PER_ROUND = 256;
    private static final int SIZE = 512;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ioengine.races.RaceSupport#engines")
    void aCancelledRequestIsNeverAlsoRun(EngineKind kind) throws Exception {
        int total = ROUNDS * PER_ROUND;
        AtomicIntegerArray callbacks = new AtomicIntegerArray(total);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        int cancelled = 0;
        // The file stays open until the engine has drained: a request run after its cancel still finds it.
        try (IoFile file = IoFile.open(dir.resolve("file"), READ, WRITE, CREATE);
             Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate((long) PER_ROUND * SIZE, 4096);
            try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind)
                    .name("races-cancel-" + kind.id()).queueDepth(64).maxInFlight(1024).build())) {
                IoRequest[] requests = new IoRequest[PER_ROUND];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < PER_ROUND; i++) {
                        int id = round * PER_ROUND + i;
                        requests[i] = IoRequest.write(file, (long) i * SIZE, memory.asSlice((long) i * SIZE, SIZE))
                                .callback(r -> {
                                    if (callbacks.incrementAndGet(id) != 1) {
                                        problems.add("request " + id + " completed twice, the last time " + r);
                                    } else if (!r.isSuccess() && r.errno() != Errno.ECANCELED) {
                                        problems.add("request " + id + " failed: " + r);
                                    }
                                });
                        engine.submit(requests[i]);
                    }
                    engine.cancel(file);
                    for (IoRequest r : requests) {
                        assertThat(r.await(30, TimeUnit.SECONDS)).as("completed: %s", r).isTrue();
                        cancelled += r.errno() == Errno.ECANCELED ? 1 : 0;
                    }
                }
            }
        }
        for (int id = 0; id < total; id++) {
            if (callbacks.get(id) != 1) {
                problems.add("request " + id + " completed " + callbacks.get(id) + " times");
            }
        }
        RaceSupport.assertNoProblems(problems);
        assertThat(cancelled).as("requests the cancels took back: the race was run").isPositive();
        RaceSupport.ROUNDS.addAndGet(ROUNDS);
        RaceSupport.OPERATIONS.addAndGet(total);
        RaceSupport.CANCELLED.addAndGet(cancelled);
    }
}
