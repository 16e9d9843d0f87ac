package dev.ioengine.races;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The model-checked close race of issue 9 (item 1), on one engine: rounds of random reads and writes pending on
 * one file through one channel ({@link AsynchronousFileChannel} with futures and handlers, or {@link FileChannel}
 * used by several threads), closed at a random moment. Once {@code close()} has returned, nothing of that channel
 * may change the file (the JDK's close waits until no thread of the channel is in a system call): the file read
 * right then is the model, every later read must equal it, and so must the file at the end.
 *
 * <p>Files live in {@value #SLOTS} slots used in turn, so each model is read again at every later round until its
 * slot comes round (milliseconds to seconds after its close), and once more when the slot is reused or the
 * checker finishes. Every write puts one random non-zero byte value over a random range, so a late write shows.
 * With {@link Buffers#SEGMENT} the round's buffers are segments of a shared {@link Arena}, closed once every
 * operation has ended: the arena must then close (no scope still held), and no late IO may use its freed memory.
 *
 * <p>Owns its engine, its handler and worker threads and the slots' reading channels; {@link #close()} releases
 * them. Not thread-safe: one test thread drives it.
 */
final class CloseModelChecker implements AutoCloseable {
    /** The caller's buffers: heap, direct, or segments of an {@link Arena}. */
    enum Buffers { HEAP, DIRECT, SEGMENT }

    /** The channel a round races with close. */
    enum Channel { ASYNC, FILE_CHANNEL }

    /** When the round closes its channel. */
    enum CloseAt {
        /** While operations are still being started (async: after a random number; threads: after some ended). */
        MID_SUBMISSION,
        /** Right after the last operation was started, or as the threads start. */
        AFTER_SUBMISSION,
        /** Up to 2 ms after that. */
        AFTER_A_PAUSE,
        /** Once every operation has ended: the baseline, every write in the model. */
        AFTER_COMPLETION
    }

    static final int FILE_SIZE = 64 * 1024;
    static final int SLOTS = 8;
    private static final int MAX_LENGTH = 8192;
    private static final int MAX_ASYNC_OPS = 128;
    private static final int THREADS = 3;
    private static final int OPS_PER_THREAD = 24;
    private static final int MAX_PROBLEMS = 20;
    private static final long WAIT_SECONDS = 30;
    private static final Set<OpenOption> READ_WRITE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);

    private final String target;
    /** Null when the checker runs on the JDK's own channels, which proves the check right. */
    private final IoEngine engine;
    private final ExecutorService handlers = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().name("close-model-handler-", 0).daemon().factory());
    /** The FileChannel rounds' threads, and the closer of every round. */
    private final ExecutorService workers = Executors.newFixedThreadPool(THREADS + 1,
            Thread.ofPlatform().name("close-model-worker-", 0).daemon().factory());
    private final Slot[] slots = new Slot[SLOTS];
    private final List<String> problems = new ArrayList<>();
    private int rounds;
    private long operations;
    private long pendingAtClose;
    private long closedEarly;
    private long bytesCompared;
    private int mismatches;
    private final long[] nanos = new long[Channel.values().length];
    private final int[] counts = new int[Channel.values().length];

    /** One file, the JDK channel the checker reads it with, and its model once a round has closed on it. */
    private static final class Slot {
        final Path path;
        final FileChannel reader;
        byte[] model;
        String madeBy;
        List<Write> writes = List.of();

        Slot(Path path) throws IOException {
            this.path = path;
            Files.write(path, new byte[FILE_SIZE]);
            this.reader = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    /** A write of a round: where, how long, the byte it wrote. Kept to name the writes a mismatch may come from. */
    private record Write(long position, int length, byte value) {
    }

    /** A checker of {@code kind}'s channels, or of the JDK's when {@code kind} is null. */
    CloseModelChecker(EngineKind kind, Path dir) throws IOException {
        this.target = kind == null ? "jdk" : kind.id();
        this.engine = kind == null ? null : IoEngine.open(IoEngineConfig.builder().engine(kind)
                .name("close-model-" + kind.id()).queueDepth(64).maxInFlight(1024).build());
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot(dir.resolve("close-model-" + target + "-" + i));
        }
    }

    /** Runs one round; its problems, if any, are kept for {@link #problems()}. False once it stops taking rounds. */
    boolean runRound(Buffers buffers, Channel channel, long seed) throws Exception {
        if (problems.size() >= MAX_PROBLEMS) {
            return false;
        }
        SplittableRandom random = new SplittableRandom(seed);
        CloseAt closeAt = CloseAt.values()[random.nextInt(CloseAt.values().length)];
        Slot slot = slots[rounds % SLOTS];
        String round = String.format("%s %s %s round %d, close %s, seed %d", target, channel, buffers, rounds, closeAt,
                seed);
        rounds++;
        if (closeAt != CloseAt.AFTER_COMPLETION) {
            closedEarly++;
        }
        checkAgainstModel(slot, "when its slot came round again");
        long start = System.nanoTime();
        ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        Arena arena = buffers == Buffers.SEGMENT ? Arena.ofShared() : null;
        byte[] model = channel == Channel.ASYNC
                ? asyncRound(slot, buffers, arena, closeAt, random, writes, round)
                : fileChannelRound(slot, buffers, arena, closeAt, random, writes, round);
        if (model == null) {
            return false; // stuck: the problem is recorded, the arena may still be in use
        }
        if (arena != null) {
            closeArena(arena, round);
        }
        nanos[channel.ordinal()] += System.nanoTime() - start;
        counts[channel.ordinal()]++;
        slot.model = model;
        slot.madeBy = round;
        slot.writes = List.copyOf(writes);
        for (int i = 0; i < SLOTS; i++) {
            checkAgainstModel(slots[(rounds - 1 + i) % SLOTS], "after round " + (rounds - 1));
        }
        return true;
    }

    /**
     * Many reads and writes started on an {@link AsynchronousFileChannel} (half with futures, half with
     * handlers), the channel closed by another thread at {@code closeAt}; the model is read on that thread as soon
     * as {@code close()} returns. Null if an operation never ended.
     */
    private byte[] asyncRound(Slot slot, Buffers buffers, Arena arena, CloseAt closeAt, SplittableRandom random,
            ConcurrentLinkedQueue<Write> writes, String round) throws Exception {
        AsynchronousFileChannel ch = engine == null
                ? AsynchronousFileChannel.open(slot.path, READ_WRITE, handlers)
                : EngineChannels.newAsynchronousFileChannel(engine, slot.path, READ_WRITE, handlers);
        int n = 1 + random.nextInt(MAX_ASYNC_OPS);
        int closeAfter = closeAt == CloseAt.MID_SUBMISSION ? random.nextInt(n) : n;
        AtomicReferenceArray<Future<Integer>> ends = new AtomicReferenceArray<>(n);
        CountDownLatch closeNow = new CountDownLatch(1);
        Future<byte[]> closed = workers.submit(() -> {
            closeNow.await();
            ch.close();
            byte[] model = read(slot);
            int pending = 0;
            for (int i = 0; i < n; i++) {
                Future<Integer> f = ends.get(i);
                pending += f != null && !f.isDone() ? 1 : 0;
            }
            pendingAtClose += pending;
            return model;
        });
        for (int i = 0; i < n; i++) {
            if (i == closeAfter) {
                closeNow.countDown();
            }
            boolean write = random.nextBoolean();
            int length = 1 + random.nextInt(MAX_LENGTH);
            long position = random.nextInt(FILE_SIZE - length + 1);
            ByteBuffer b = buffer(buffers, arena, length);
            if (write) {
                fill(b, length, random, position, writes);
            }
            if (random.nextBoolean()) {
                ends.set(i, write ? ch.write(b, position) : ch.read(b, position));
            } else {
                CompletableFuture<Integer> end = new CompletableFuture<>();
                CompletionHandler<Integer, Void> handler = new CompletionHandler<>() {
                    @Override
                    public void completed(Integer result, Void attachment) {
                        end.complete(result);
                    }

                    @Override
                    public void failed(Throwable exc, Void attachment) {
                        end.completeExceptionally(exc);
                    }
                };
                if (write) {
                    ch.write(b, position, null, handler);
                } else {
                    ch.read(b, position, null, handler);
                }
                ends.set(i, end);
            }
        }
        operations += n;
        if (closeAt == CloseAt.AFTER_A_PAUSE) {
            LockSupport.parkNanos(random.nextInt(2_000_000));
        } else if (closeAt == CloseAt.AFTER_COMPLETION) {
            for (int i = 0; i < n; i++) {
                ended(ends.get(i), round);
            }
        }
        closeNow.countDown();
        byte[] model = closed.get(WAIT_SECONDS, SECONDS);
        for (int i = 0; i < n; i++) {
            if (!ended(ends.get(i), round)) {
                problem(round + ": operation " + i + " had not ended " + WAIT_SECONDS + " s after close");
                return null;
            }
        }
        return model;
    }

    /**
     * {@value #THREADS} threads doing random positional and relative reads and writes on one {@link FileChannel},
     * closed by another thread at {@code closeAt}; the model is read on that thread as soon as {@code close()}
     * returns. Null if a thread never ended.
     */
    private byte[] fileChannelRound(Slot slot, Buffers buffers, Arena arena, CloseAt closeAt,
            SplittableRandom random, ConcurrentLinkedQueue<Write> writes, String round) throws Exception {
        FileChannel ch = engine == null ? FileChannel.open(slot.path, READ_WRITE)
                : EngineChannels.newFileChannel(engine, slot.path, READ_WRITE);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger cutShort = new AtomicInteger();
        List<Future<?>> threads = new ArrayList<>(THREADS);
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom own = random.split();
            ByteBuffer b = buffer(buffers, arena, MAX_LENGTH);
            threads.add(workers.submit(() -> {
                for (int i = 0; i < OPS_PER_THREAD; i++) {
                    try {
                        randomOperation(ch, b, own, writes);
                    } catch (AsynchronousCloseException e) {
                        cutShort.incrementAndGet();
                        return null;
                    } catch (ClosedChannelException e) {
                        return null;
                    } finally {
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        int closeAfter = switch (closeAt) {
            case MID_SUBMISSION -> random.nextInt(THREADS * OPS_PER_THREAD);
            case AFTER_SUBMISSION, AFTER_A_PAUSE -> 0;
            case AFTER_COMPLETION -> THREADS * OPS_PER_THREAD;
        };
        long pause = closeAt == CloseAt.AFTER_A_PAUSE ? random.nextInt(2_000_000) : 0;
        Future<byte[]> closed = workers.submit(() -> {
            LockSupport.parkNanos(pause);
            while (done.get() < closeAfter && !threads.stream().allMatch(Future::isDone)) {
                LockSupport.parkNanos(20_000);
            }
            ch.close();
            return read(slot);
        });
        byte[] model;
        try {
            model = closed.get(WAIT_SECONDS, SECONDS);
        } catch (TimeoutException e) {
            problem(round + ": close had not returned after " + WAIT_SECONDS + " s");
            return null;
        }
        for (Future<?> t : threads) {
            if (!ended(t, round)) {
                problem(round + ": a thread had not ended " + WAIT_SECONDS + " s after close");
                return null;
            }
        }
        operations += done.get();
        pendingAtClose += cutShort.get();
        return model;
    }

    private static void randomOperation(FileChannel ch, ByteBuffer b, SplittableRandom random,
            ConcurrentLinkedQueue<Write> writes) throws IOException {
        int length = 1 + random.nextInt(MAX_LENGTH);
        long position = random.nextInt(FILE_SIZE - length + 1);
        b.clear().limit(length);
        boolean write = random.nextBoolean();
        if (write) {
            fill(b, length, random, position, writes);
        }
        if (random.nextInt(4) == 0) {
            // Relative: the position is the channel's, shared by the threads; the write is then recorded where
            // it was meant, so only a mismatch's candidate list may miss it.
            ch.position(position);
            if (write) {
                ch.write(b);
            } else {
                ch.read(b);
            }
        } else if (write) {
            ch.write(b, position);
        } else {
            ch.read(b, position);
        }
    }

    private static ByteBuffer buffer(Buffers buffers, Arena arena, int length) {
        return switch (buffers) {
            case HEAP -> ByteBuffer.allocate(length);
            case DIRECT -> ByteBuffer.allocateDirect(length);
            case SEGMENT -> arena.allocate(length).asByteBuffer();
        };
    }

    /** Fills {@code b}'s first {@code length} bytes with one random non-zero value, and records the write. */
    private static void fill(ByteBuffer b, int length, SplittableRandom random, long position,
            ConcurrentLinkedQueue<Write> writes) {
        byte value = (byte) (1 + random.nextInt(255));
        for (int i = 0; i < length; i++) {
            b.put(b.position() + i, value);
        }
        writes.add(new Write(position, length, value));
    }

    /** True once {@code f} has ended, however; false if it has not within the wait. */
    private boolean ended(Future<?> f, String round) throws InterruptedException {
        try {
            f.get(WAIT_SECONDS, SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof AsynchronousCloseException || cause instanceof ClosedChannelException)) {
                problem(round + ": an operation failed with " + cause);
            }
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /** The round's arena must close once its channel is closed and every operation has ended. */
    private void closeArena(Arena arena, String round) {
        long deadline = System.nanoTime() + SECONDS.toNanos(2);
        while (true) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    problem(round + ": the buffers' arena still could not close 2 s after close and the last "
                            + "completion: " + e.getMessage());
                    return;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** The file as it is now, through the JDK's channel. */
    private byte[] read(Slot slot) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(FILE_SIZE + 1);
        while (all.hasRemaining() && slot.reader.read(all, all.position()) > 0) {
            // until the whole file is in; one byte more tells a file that grew
        }
        byte[] bytes = new byte[all.position()];
        all.flip().get(bytes);
        return bytes;
    }

    private void checkAgainstModel(Slot slot, String when) throws IOException {
        if (slot.model == null) {
            return;
        }
        byte[] now = read(slot);
        bytesCompared += now.length;
        int at = Arrays.mismatch(slot.model, now);
        if (at < 0) {
            return;
        }
        mismatches++;
        String what = at >= Math.min(slot.model.length, now.length)
                ? "its length " + slot.model.length + " became " + now.length
                : String.format("byte %d was 0x%02x at close, is 0x%02x now", at, slot.model[at], now[at]);
        byte found = at < now.length ? now[at] : 0;
        List<Write> from = slot.writes.stream()
                .filter(w -> w.value() == found && w.position() <= at && at < w.position() + w.length()).toList();
        problem("the file changed after close() returned (" + slot.madeBy + "), seen " + when + ": " + what
                + "; writes of the round that put that byte there: " + from);
        slot.model = now; // one report per change
    }

    private void problem(String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    /** Checks every slot against its model a last time: the files at the end. */
    void finish() throws IOException {
        for (Slot slot : slots) {
            checkAgainstModel(slot, "at the end");
        }
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    int rounds() {
        return rounds;
    }

    String figures() {
        return String.format("%s: %d closes (%d before every operation ended), %d operations, %d pending or cut "
                + "short at close, %d bytes compared with the models, %d files changed after close", target, rounds,
                closedEarly, operations, pendingAtClose, bytesCompared, mismatches)
                + String.format(" (async rounds %.1f ms, FileChannel rounds %.1f ms on average)",
                        nanos[0] / 1e6 / Math.max(1, counts[0]), nanos[1] / 1e6 / Math.max(1, counts[1]));
    }

    @Override
    public void close() throws Exception {
        workers.shutdownNow();
        handlers.shutdownNow();
        workers.awaitTermination(WAIT_SECONDS, SECONDS);
        handlers.awaitTermination(WAIT_SECONDS, SECONDS);
        for (Slot slot : slots) {
            if (slot != null) {
                slot.reader.close();
            }
        }
        if (engine != null) {
            engine.close();
        }
    }
}
