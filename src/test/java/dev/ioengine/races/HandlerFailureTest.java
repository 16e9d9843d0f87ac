package dev.ioengine.races;

import static dev.ioengine.races.RaceSupport.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.channels.EngineChannels;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Completion handlers that throw (RuntimeException, and Errors: AssertionError, StackOverflowError), an executor
 * that rejects (one thread, a queue of 2, AbortPolicy) and an executor shut down in the middle of a run, all on one
 * engine at once: every operation whose call returned ends exactly once, and the engine goes on serving other
 * channels and raw requests.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(RaceFigures.class)
class HandlerFailureTest {
    private static final int OPS = 1200;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ioengine.races.RaceSupport#engines")
    void throwingHandlersAndRejectingExecutorsLeaveTheEngineServing(EngineKind kind) throws Exception {
        long fdsBefore = Engines.openFds();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("races-handlers-" + kind.id())
                .queueDepth(64).maxInFlight(4096).build())) {
            for (int round = 0; round < 3; round++) {
                Path fileA = RaceSupport.sizedFile(dir, "a" + round, (long) OPS * BLOCK);
                Path fileB = RaceSupport.sizedFile(dir, "b" + round, (long) OPS * BLOCK);
                ThreadPoolExecutor rejecting = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(2), new ThreadPoolExecutor.AbortPolicy());
                ExecutorService shutDownMidway = Executors.newFixedThreadPool(2);
                Set<StandardOpenOption> rw = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
                AsynchronousFileChannel a = EngineChannels.newAsynchronousFileChannel(engine, fileA, rw, rejecting);
                AsynchronousFileChannel b = EngineChannels.newAsynchronousFileChannel(engine, fileB, rw,
                        shutDownMidway);
                AtomicIntegerArray endsA = new AtomicIntegerArray(OPS);
                AtomicIntegerArray endsB = new AtomicIntegerArray(OPS);
                boolean[] refusedA = new boolean[OPS];
                boolean[] refusedB = new boolean[OPS];
                CompletionHandler<Integer, Integer> throwing = handler(endsA, problems, true);
                CompletionHandler<Integer, Integer> plain = handler(endsB, problems, false);
                for (int i = 0; i < OPS; i++) {
                    if (i == OPS / 2) {
                        // shutdown, not shutdownNow: shutdownNow drops handler tasks the executor already took,
                        // under the JDK's channel as under io-engine's; after shutdown the executor refuses.
                        shutDownMidway.shutdown();
                    }
                    refusedA[i] = start(a, i, throwing, problems);
                    refusedB[i] = start(b, i, plain, problems);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 0; i < OPS; i++) {
                    while ((endsA.get(i) == 0 && !refusedA[i] || endsB.get(i) == 0 && !refusedB[i])
                            && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                }
                Thread.sleep(20); // a handler delivered twice would show up now
                RaceSupport.assertNoProblems(problems);
                for (int i = 0; i < OPS; i++) {
                    assertThat(endsA.get(i)).as("endings of op %d on the rejecting executor", i)
                            .isEqualTo(refusedA[i] ? 0 : 1);
                    assertThat(endsB.get(i)).as("endings of op %d on the executor shut down", i)
                            .isEqualTo(refusedB[i] ? 0 : 1);
                    RaceSupport.OPERATIONS.addAndGet(2);
                    RaceSupport.SUCCEEDED.addAndGet((refusedA[i] ? 0 : 1) + (refusedB[i] ? 0 : 1));
                    RaceSupport.FAILED.addAndGet((refusedA[i] ? 1 : 0) + (refusedB[i] ? 1 : 0));
                }
                // The engine still serves: a fresh channel on the default executor, a FileChannel, a raw request.
                Path fileC = RaceSupport.sizedFile(dir, "c" + round, BLOCK);
                try (AsynchronousFileChannel c = EngineChannels.newAsynchronousFileChannel(engine, fileC, rw, null);
                        FileChannel f = EngineChannels.newFileChannel(engine, fileC, rw)) {
                    ByteBuffer w = ByteBuffer.allocate(BLOCK);
                    for (int k = 0; k < BLOCK; k++) {
                        w.put(k, (byte) 7);
                    }
                    assertThat(c.write(w, 0).get(10, TimeUnit.SECONDS)).isEqualTo(BLOCK);
                    ByteBuffer r = ByteBuffer.allocate(BLOCK);
                    assertThat(f.read(r, 0)).isEqualTo(BLOCK);
                    assertThat(RaceSupport.filledWith(r.flip(), BLOCK, (byte) 7)).isTrue();
                }
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment into = arena.allocate(BLOCK, 4096);
                    int fd = fdOf(fileC);
                    try {
                        assertThat(engine.execute(RawRequests.read(fd, 0, into))).isEqualTo(BLOCK);
                    } finally {
                        LibC.close(fd);
                    }
                    assertThat(into.get(ValueLayout.JAVA_BYTE, BLOCK - 1)).isEqualTo((byte) 7);
                }
                a.close();
                b.close();
                rejecting.shutdown();
                assertThat(rejecting.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                assertThat(shutDownMidway.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                assertThat(engine.stats().inFlight()).isZero();
                RaceSupport.ROUNDS.incrementAndGet();
            }
        }
        assertThat(Engines.openFds()).isEqualTo(fdsBefore);
    }

    private static int fdOf(Path file) {
        int fd = LibC.open(file.toString(), LibC.O_RDWR, 0);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        return fd;
    }

    /**
     * Starts op {@code i}: a write for even, a read for odd. Returns true if the call refused it by throwing
     * RejectedExecutionException (as the JDK's channel does when its executor rejects the operation's task).
     */
    private static boolean start(AsynchronousFileChannel ch, int i, CompletionHandler<Integer, Integer> handler,
            ConcurrentLinkedQueue<String> problems) {
        ByteBuffer buffer = i % 4 < 2 ? ByteBuffer.allocate(BLOCK) : ByteBuffer.allocateDirect(BLOCK);
        try {
            if (i % 2 == 0) {
                ch.write(buffer, (long) i * BLOCK, i, handler);
            } else {
                ch.read(buffer, (long) i * BLOCK, i, handler);
            }
            return false;
        } catch (RejectedExecutionException e) {
            return true;
        } catch (RuntimeException e) {
            problems.add("op " + i + " threw " + e);
            return true;
        }
    }

    /** Counts each op's endings; the throwing one throws a RuntimeException, an AssertionError or a StackOverflowError. */
    private static CompletionHandler<Integer, Integer> handler(AtomicIntegerArray ends,
            ConcurrentLinkedQueue<String> problems, boolean throwAfterwards) {
        return new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Integer id) {
                end(id, n == BLOCK ? null : "count " + n);
            }

            @Override
            public void failed(Throwable t, Integer id) {
                end(id, "failed with " + t);
            }

            private void end(int id, String problem) {
                if (ends.incrementAndGet(id) != 1) {
                    problems.add("op " + id + " ended twice");
                }
                if (problem != null) {
                    problems.add("op " + id + ": " + problem);
                }
                if (throwAfterwards) {
                    switch (id % 3) {
                        case 0 -> throw new IllegalStateException("handler of op " + id + " throws");
                        case 1 -> throw new AssertionError("handler of op " + id + " fails an assertion");
                        default -> throw new StackOverflowError("handler of op " + id + ": a stack overflow");
                    }
                }
            }
        };
    }
}
