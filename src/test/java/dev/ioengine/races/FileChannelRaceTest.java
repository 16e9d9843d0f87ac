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
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FileChannel#close()} and {@link Thread#interrupt()} racing with threads blocked in positional reads and
 * writes, on every engine, buffered and O_DIRECT, heap and direct buffers, repeated with seeds. Each thread must
 * end with the JDK's exception (ClosedByInterruptException for the interrupted one, its interrupt status kept;
 * AsynchronousCloseException or ClosedChannelException for the others), the channel must be closed, and every
 * block must hold the last write reported done on it or the one write that was cut short.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(RaceFigures.class)
class FileChannelRaceTest {
    private static final int ROUNDS = Integer.getInteger("ioengine.races.rounds", 6);
    private static final int THREADS = 6;
    private static final int BLOCKS_PER_THREAD = 16;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, O_DIRECT {1}")
    @MethodSource("dev.ioengine.races.RaceSupport#enginesAndModes")
    void closeAndInterruptRacingWithBlockedReadersAndWriters(EngineKind kind, boolean direct) throws Exception {
        long fdsBefore = Engines.openFds();
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("races-sync-" + kind.id())
                .queueDepth(64).build())) {
            for (int round = 0; round < ROUNDS; round++) {
                long seed = RaceSupport.SEED + 7000L * kind.ordinal() + (direct ? 300 : 0) + round;
                runRound(engine, direct, round, seed);
            }
        }
        assertThat(Engines.openFds()).as("descriptors after every round and the engine closed").isEqualTo(fdsBefore);
    }

    /** What one block saw: the pattern of the last write reported done, and of a write cut short after it. */
    private record BlockState(byte done, byte cutShort) {
    }

    private void runRound(IoEngine engine, boolean direct, int round, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int blocks = THREADS * BLOCKS_PER_THREAD;
        Path file = RaceSupport.sizedFile(dir, "round-" + round + (direct ? "-direct" : ""), (long) blocks * BLOCK);
        Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (direct) {
            options.add(ExtendedOpenOptions.DIRECT);
        }
        FileChannel ch = EngineChannels.newFileChannel(engine, file, options);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicReferenceArray<Throwable> endings = new AtomicReferenceArray<>(THREADS);
        AtomicReferenceArray<BlockState> states = new AtomicReferenceArray<>(blocks);
        for (int b = 0; b < blocks; b++) {
            states.set(b, new BlockState((byte) 0, (byte) 0));
        }
        long[] operations = new long[THREADS];
        CountDownLatch running = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int index = t;
            boolean heap = random.nextBoolean();
            long threadSeed = random.nextLong();
            threads.add(Thread.ofPlatform().name("race-io-" + t).start(() -> {
                SplittableRandom r = new SplittableRandom(threadSeed);
                ByteBuffer b = heap ? ByteBuffer.allocate(BLOCK)
                        : direct ? AlignedBuffers.allocateDirect(BLOCK, BLOCK) : ByteBuffer.allocateDirect(BLOCK);
                running.countDown();
                int block = -1;
                boolean writing = false;
                byte p = 0;
                try {
                    for (int k = 0; ; k++) {
                        block = index * BLOCKS_PER_THREAD + r.nextInt(BLOCKS_PER_THREAD);
                        writing = r.nextBoolean();
                        b.clear();
                        if (writing) {
                            p = RaceSupport.pattern(index * 100_003 + k);
                            for (int i = 0; i < BLOCK; i++) {
                                b.put(i, p);
                            }
                            int n = ch.write(b, (long) block * BLOCK);
                            if (n != BLOCK) {
                                problems.add("write of " + n + " bytes on thread " + index);
                            }
                            states.set(block, new BlockState(p, (byte) 0));
                        } else {
                            int n = ch.read(b, (long) block * BLOCK);
                            BlockState s = states.get(block);
                            if (n != BLOCK || !RaceSupport.filledWith(b.flip(), n, s.done())) {
                                problems.add("read of block " + block + " on thread " + index + ": " + n
                                        + " bytes, not the last write's");
                            }
                        }
                        operations[index]++;
                    }
                } catch (Throwable e) {
                    if (writing && block >= 0) {
                        BlockState s = states.get(block);
                        states.set(block, new BlockState(s.done(), p));
                    }
                    if (e instanceof ClosedByInterruptException && !Thread.currentThread().isInterrupted()) {
                        problems.add("thread " + index + ": ClosedByInterruptException without interrupt status");
                    }
                    endings.set(index, e);
                }
            }));
        }
        running.await();
        Thread.sleep(2 + random.nextInt(10));
        int victim = random.nextInt(THREADS);
        int how = random.nextInt(3);
        if (how == 0) {
            ch.close();
        } else if (how == 1) {
            threads.get(victim).interrupt();
        } else {
            threads.get(victim).interrupt();
            ch.close();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as("%s still running (seed %d)", t.getName(), seed).isFalse();
        }
        RaceSupport.assertNoProblems(problems);
        assertThat(ch.isOpen()).as("closed by the close or the interrupt (seed %d)", seed).isFalse();
        for (int t = 0; t < THREADS; t++) {
            Throwable e = endings.get(t);
            if (how == 1 && t == victim) {
                assertThat(e).as("the interrupted thread (seed %d)", seed).isInstanceOf(ClosedByInterruptException.class);
            } else {
                assertThat(e).as("thread %d (seed %d, how %d)", t, seed, how)
                        .isInstanceOfAny(AsynchronousCloseException.class, ClosedChannelException.class);
            }
            RaceSupport.OPERATIONS.addAndGet(operations[t] + 1);
            RaceSupport.SUCCEEDED.addAndGet(operations[t]);
            RaceSupport.FAILED.incrementAndGet();
        }
        for (int b = 0; b < blocks; b++) {
            BlockState s = states.get(b);
            ByteBuffer content = RaceSupport.readBlock(file, (long) b * BLOCK);
            boolean ok = RaceSupport.filledWith(content, BLOCK, s.done())
                    || (s.cutShort() != 0 && RaceSupport.filledWith(content, BLOCK, s.cutShort()));
            assertThat(ok).as("block %d holds the last write done (%d) or the one cut short (%d) (seed %d)", b,
                    s.done(), s.cutShort(), seed).isTrue();
        }
        RaceSupport.ROUNDS.incrementAndGet();
    }
}
