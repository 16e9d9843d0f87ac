package dev.ioengine.races;

import static dev.ioengine.races.RaceSupport.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AsynchronousFileChannel#close()} and {@link Future#cancel(boolean)} racing with thousands of pending reads
 * and writes (futures and completion handlers, heap and direct buffers), on every engine, buffered and O_DIRECT,
 * repeated with seeds. Every operation must end exactly once, with a count or one of the JDK's exceptions; every
 * write that reported a count put those bytes in the file; every successful read got the file's bytes; no
 * descriptor outlives the round.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(RaceFigures.class)
class AsyncChannelRaceTest {
    private static final int ROUNDS = Integer.getInteger("ioengine.races.rounds", 6);
    private static final int OPS = Integer.getInteger("ioengine.races.ops", 1500);
    private static final Object CANCELLED = new Object();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, O_DIRECT {1}")
    @MethodSource("dev.ioengine.races.RaceSupport#enginesAndModes")
    void closeAndCancelRacingWithThousandsOfOperations(EngineKind kind, boolean direct) throws Exception {
        long fdsBefore = Engines.openFds();
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("races-async-" + kind.id())
                .queueDepth(64).maxInFlight(4096).build())) {
            for (int round = 0; round < ROUNDS; round++) {
                long seed = RaceSupport.SEED + 1000L * kind.ordinal() + (direct ? 500 : 0) + round;
                runRound(engine, direct, round, seed);
            }
        }
        assertThat(Engines.openFds()).as("descriptors after every round and the engine closed").isEqualTo(fdsBefore);
    }

    private void runRound(IoEngine engine, boolean direct, int round, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Path file = RaceSupport.sizedFile(dir, "round-" + round + (direct ? "-direct" : ""), (long) OPS * BLOCK);
        Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (direct) {
            options.add(ExtendedOpenOptions.DIRECT);
        }
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file, options, handlers);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray endings = new AtomicIntegerArray(OPS);
        AtomicReferenceArray<Object> outcome = new AtomicReferenceArray<>(OPS);
        boolean[] isWrite = new boolean[OPS];
        ByteBuffer[] buffers = new ByteBuffer[OPS];
        @SuppressWarnings("unchecked")
        Future<Integer>[] futures = new Future[OPS];
        CompletionHandler<Integer, Integer> handler = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Integer id) {
                end(id, n);
            }

            @Override
            public void failed(Throwable t, Integer id) {
                end(id, t);
            }

            private void end(int id, Object result) {
                if (endings.incrementAndGet(id) != 1) {
                    problems.add("op " + id + " ended twice: then " + result + ", first " + outcome.get(id));
                }
                outcome.compareAndSet(id, null, result);
            }
        };

        // Even rounds close in the middle of the burst (most operations still queued); odd rounds after all were
        // submitted and 2 to 16 ms later, when many are in the kernel or done: close must then drain them.
        int closeAt = round % 2 == 0 ? OPS / 4 + random.nextInt(OPS / 2) : OPS;
        CountDownLatch closeNow = new CountDownLatch(1);
        Thread closer = Thread.ofPlatform().name("race-closer").start(() -> {
            try {
                closeNow.await();
                ch.close();
            } catch (Exception e) {
                problems.add("close threw " + e);
            }
        });
        LinkedBlockingQueue<Integer> toCancel = new LinkedBlockingQueue<>();
        Thread canceller = Thread.ofPlatform().name("race-canceller").start(() -> {
            SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
            try {
                while (true) {
                    int id = toCancel.take();
                    if (id < 0) {
                        return;
                    }
                    futures[id].cancel(r.nextBoolean());
                }
            } catch (InterruptedException e) {
                problems.add("canceller interrupted");
            }
        });

        for (int i = 0; i < OPS; i++) {
            if (i == closeAt) {
                closeNow.countDown();
            }
            isWrite[i] = random.nextBoolean();
            boolean heap = random.nextBoolean();
            ByteBuffer b = heap ? ByteBuffer.allocate(BLOCK)
                    : direct ? AlignedBuffers.allocateDirect(BLOCK, BLOCK) : ByteBuffer.allocateDirect(BLOCK);
            if (isWrite[i]) {
                byte p = RaceSupport.pattern(i);
                for (int k = 0; k < BLOCK; k++) {
                    b.put(k, p);
                }
            }
            buffers[i] = b;
            long position = (long) i * BLOCK;
            try {
                if (random.nextInt(3) == 0) {
                    if (isWrite[i]) {
                        ch.write(b, position, i, handler);
                    } else {
                        ch.read(b, position, i, handler);
                    }
                } else {
                    futures[i] = isWrite[i] ? ch.write(b, position) : ch.read(b, position);
                    if (random.nextInt(6) == 0) {
                        toCancel.add(i);
                    }
                }
            } catch (RuntimeException e) {
                problems.add("op " + i + " threw at submission: " + e);
                endings.incrementAndGet(i);
                outcome.set(i, e);
            }
        }
        if (closeAt == OPS) {
            Thread.sleep(2 + random.nextInt(15));
        }
        closeNow.countDown();
        toCancel.add(-1);
        closer.join(TimeUnit.SECONDS.toMillis(30));
        canceller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive() || canceller.isAlive()).as("closer or canceller stuck").isFalse();

        for (int i = 0; i < OPS; i++) {
            Future<Integer> f = futures[i];
            if (f == null) {
                continue;
            }
            Object first = futureOutcome(f, i, problems);
            Object again = futureOutcome(f, i, problems);
            if (first != CANCELLED && !sameOutcome(first, again)) {
                problems.add("future " + i + " changed its outcome: " + first + " then " + again);
            }
            endings.incrementAndGet(i);
            outcome.set(i, first);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < OPS; i++) {
            while (endings.get(i) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        handlers.shutdown();
        assertThat(handlers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        RaceSupport.assertNoProblems(problems);
        assertThat(ch.isOpen()).isFalse();

        for (int i = 0; i < OPS; i++) {
            assertThat(endings.get(i)).as("endings of op %d (seed %d)", i, seed).isEqualTo(1);
            Object o = outcome.get(i);
            RaceSupport.OPERATIONS.incrementAndGet();
            if (o == CANCELLED) {
                RaceSupport.CANCELLED.incrementAndGet();
            } else if (o instanceof Throwable t) {
                RaceSupport.FAILED.incrementAndGet();
                assertThat(t).as("op %d (seed %d)", i, seed).isInstanceOfAny(AsynchronousCloseException.class,
                        ClosedChannelException.class, CancellationException.class);
            } else {
                RaceSupport.SUCCEEDED.incrementAndGet();
                int n = (Integer) o;
                ByteBuffer block = RaceSupport.readBlock(file, (long) i * BLOCK);
                if (isWrite[i]) {
                    assertThat(n).as("write %d (seed %d)", i, seed).isEqualTo(BLOCK);
                    assertThat(RaceSupport.filledWith(block, n, RaceSupport.pattern(i)))
                            .as("bytes of write %d in the file (seed %d)", i, seed).isTrue();
                } else {
                    assertThat(n).as("read %d (seed %d)", i, seed).isEqualTo(BLOCK);
                    assertThat(buffers[i].position()).isEqualTo(n);
                    assertThat(RaceSupport.filledWith(buffers[i].duplicate().flip(), n, (byte) 0))
                            .as("bytes of read %d: the file's zeros (seed %d)", i, seed).isTrue();
                }
            }
        }
        RaceSupport.ROUNDS.incrementAndGet();
    }

    /** The future's outcome: its count, the cause it failed with, or {@link #CANCELLED}. */
    private static Object futureOutcome(Future<Integer> f, int id, ConcurrentLinkedQueue<String> problems)
            throws InterruptedException {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (CancellationException e) {
            if (!f.isCancelled()) {
                problems.add("future " + id + " threw CancellationException but is not cancelled");
            }
            return CANCELLED;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            problems.add("future " + id + " never completed");
            return e;
        }
    }

    private static boolean sameOutcome(Object a, Object b) {
        return a == b || (a instanceof Integer x && x.equals(b))
                || (a instanceof Throwable && b instanceof Throwable && a.getClass() == b.getClass());
    }
}
