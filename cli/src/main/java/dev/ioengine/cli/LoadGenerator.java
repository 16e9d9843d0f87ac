package dev.ioengine.cli;

import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One pass of {@code bench} over an open engine and file: keeps one request per slot in flight, each slot a
 * reusable {@link IoRequest} with its own preallocated buffer, resubmitted from its completion callback with
 * {@link IoEngine#trySubmit} (the engine runs callbacks {@code INLINE} on its reaper thread, where nothing may
 * block). Three kinds of pass: {@link Phase#LAYOUT} writes every block once in order, {@link Phase#TIMED} runs the
 * {@code --rw} pattern until the deadline, {@link Phase#VERIFY} reads every block once in order.
 *
 * <p>Latency is submit-to-completion per request, recorded in HdrHistogram {@link Recorder}s (wait-free for the
 * recording callbacks, which may run on several engine threads at once). Random offsets are uniform over the
 * blocks (fio keeps a map to visit each block once per pass; this does not).
 *
 * <p>Threads: {@link #run} is called by one thread, which starts the slots, prints progress once a second, stops
 * the pass at the deadline (or on {@link #cancel()}), and waits until every slot's last request has completed.
 * The buffers belong to the caller and must stay allocated until {@link #run} returns.
 */
final class LoadGenerator {
    /** How long {@link #run} waits for in-flight requests after the pass stops before giving up. */
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    enum Phase {
        LAYOUT("layout"), TIMED("run"), VERIFY("verify");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** What a pass did. Latency histograms are in nanoseconds. */
    record PassResult(Phase phase, long elapsedNanos, long reads, long writes, long readBytes, long writeBytes,
            Histogram readLatency, Histogram writeLatency, Throwable failure, boolean cancelled) {
        long ios() {
            return reads + writes;
        }
    }

    private final IoEngine engine;
    private final int fd;
    private final BenchOptions options;
    private final Phase phase;
    private final VerifyState verify;
    private final long blockSize;
    private final long blocks;
    private final Slot[] slots;

    private final AtomicLong nextSequential = new AtomicLong();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final Recorder readRecorder = new Recorder(3);
    private final Recorder writeRecorder = new Recorder(3);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Slots whose trySubmit found the engine full: the run thread submits them. Not expected, handled anyway. */
    private final ConcurrentLinkedQueue<Slot> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicInteger activeSlots = new AtomicInteger();
    private final CountDownLatch allSlotsDone = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean cancelled;
    /** Set before the first submission, for a {@link Phase#TIMED} pass only. */
    private volatile long deadlineNanos;

    /**
     * @param buffers one per slot, all of one size (the pass's block size: {@code --bs}, or a multiple of it
     *     for a layout without {@code --verify}), suitably aligned; their count is the
     *     number of requests in flight
     * @param verify the verify state, or null without {@code --verify}
     */
    LoadGenerator(IoEngine engine, int fd, BenchOptions options, Phase phase, MemorySegment[] buffers,
            VerifyState verify) {
        this.engine = engine;
        this.fd = fd;
        this.options = options;
        this.phase = phase;
        this.verify = verify;
        this.blockSize = buffers[0].byteSize();
        this.blocks = options.size() / blockSize;
        // Under --verify each in-flight request holds its block, so there can be no more slots than blocks.
        int count = verify == null ? buffers.length : (int) Math.min(buffers.length, blocks);
        this.slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(buffers[i]);
        }
    }

    /** Stops the pass early (Ctrl-C): no new requests; {@link #run} returns once in-flight ones complete. */
    void cancel() {
        cancelled = true;
        stopping = true;
    }

    /**
     * Runs the pass.
     *
     * @param runtimeNanos how long a {@link Phase#TIMED} pass runs; ignored by the others
     * @param progress where to print a line per second, or null
     */
    PassResult run(long runtimeNanos, PrintStream progress) throws InterruptedException {
        long start = System.nanoTime();
        if (phase == Phase.TIMED) {
            deadlineNanos = start + runtimeNanos;
        }
        Histogram readTotal = new Histogram(3);
        Histogram writeTotal = new Histogram(3);
        Histogram readInterval = null;
        Histogram writeInterval = null;
        activeSlots.set(slots.length);
        if (slots.length == 0) {
            allSlotsDone.countDown();
        }
        for (Slot slot : slots) {
            if (stopping || !slot.prepareNext()) {
                slot.finish();
            } else {
                slot.submit();
            }
        }
        long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        long lastIos = 0;
        long lastProgress = start;
        long stoppedAt = 0;
        while (!allSlotsDone.await(50, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            for (Slot slot; (slot = deferred.poll()) != null; ) {
                if (stopping) {
                    slot.release();
                    slot.finish();
                } else {
                    slot.submitOrDefer();
                }
            }
            if (!stopping && pastDeadline(now)) {
                stopping = true;
            }
            if (stopping && stoppedAt == 0) {
                stoppedAt = now;
            }
            if (stoppedAt != 0 && now - stoppedAt > DRAIN_TIMEOUT_NANOS) {
                fail(new IOException("requests still in flight " + TimeUnit.NANOSECONDS.toSeconds(now - stoppedAt)
                        + " s after the " + phase.label() + " pass stopped; giving up on them"));
                break;
            }
            if (now - nextProgress >= 0) {
                readInterval = readRecorder.getIntervalHistogram(readInterval);
                readTotal.add(readInterval);
                writeInterval = writeRecorder.getIntervalHistogram(writeInterval);
                writeTotal.add(writeInterval);
                long ios = reads.sum() + writes.sum();
                if (progress != null) {
                    printProgress(progress, now - start, ios, ios - lastIos, now - lastProgress);
                }
                lastIos = ios;
                lastProgress = now;
                nextProgress += TimeUnit.SECONDS.toNanos(1);
            }
        }
        long elapsed = System.nanoTime() - start;
        readTotal.add(readRecorder.getIntervalHistogram());
        writeTotal.add(writeRecorder.getIntervalHistogram());
        return new PassResult(phase, elapsed, reads.sum(), writes.sum(), readBytes.sum(), writeBytes.sum(),
                readTotal, writeTotal, failure.get(), cancelled && failure.get() == null);
    }

    private boolean pastDeadline(long now) {
        return phase == Phase.TIMED && now - deadlineNanos >= 0;
    }

    private void printProgress(PrintStream out, long sinceStart, long ios, long iosInInterval, long intervalNanos) {
        double iops = iosInInterval * 1e9 / intervalNanos;
        double mib = iops * blockSize / (1 << 20);
        out.printf(Locale.ROOT, "[%s %3ds] %,d IOs, %,.0f IOPS, %.1f MiB/s%n", phase.label(),
                Math.round(sinceStart / 1e9), ios, iops, mib);
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stopping = true;
    }

    /** One request kept in flight, with its buffer; also the request's completion callback. */
    private final class Slot implements IoCallback {
        private final IoRequest request = new IoRequest().callback(this);
        private final MemorySegment buffer;
        private long block;
        private long offset;
        private boolean write;
        private int generation;
        private long submitNanos;

        Slot(MemorySegment buffer) {
            this.buffer = buffer;
        }

        /** Prepares the next request of the pass; false when the pass has no more work for this slot. */
        boolean prepareNext() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            write = switch (phase) {
                case LAYOUT -> true;
                case VERIFY -> false;
                case TIMED -> switch (options.rw()) {
                    case READ, RANDREAD -> false;
                    case WRITE, RANDWRITE -> true;
                    case RANDRW -> random.nextInt(100) >= options.rwmixread();
                };
            };
            block = phase == Phase.TIMED && options.rw().random() ? randomBlock(random) : sequentialBlock();
            if (block < 0) {
                return false;
            }
            offset = block * blockSize;
            if (write) {
                if (verify != null) {
                    generation = verify.nextGeneration(block);
                    BlockVerifier.format(buffer, offset, generation);
                }
                request.prepareWrite(fd, offset, buffer);
            } else {
                request.prepareRead(fd, offset, buffer);
            }
            return true;
        }

        private long sequentialBlock() {
            while (true) {
                long n = nextSequential.getAndIncrement();
                if (phase != Phase.TIMED && n >= blocks) {
                    return -1;
                }
                long b = n % blocks;
                if (verify == null || verify.tryLock(b)) {
                    return b;
                }
            }
        }

        private long randomBlock(ThreadLocalRandom random) {
            while (true) {
                long b = random.nextLong(blocks);
                if (verify == null || verify.tryLock(b)) {
                    return b;
                }
            }
        }

        void submit() {
            submitNanos = System.nanoTime();
            submitOrDefer();
        }

        void submitOrDefer() {
            try {
                if (!engine.trySubmit(request)) {
                    deferred.add(this);
                }
            } catch (RuntimeException e) {
                fail(e);
                release();
                finish();
            }
        }

        @Override
        public void onComplete(IoRequest completed) {
            long now = System.nanoTime();
            if (!completed.isSuccess()) {
                fail(completed.exception());
                release();
                finish();
                return;
            }
            if (completed.isShort()) {
                if (completed.result() == 0) {
                    fail(new EOFException((write ? "write" : "read") + " of " + completed.length()
                            + " bytes at offset " + completed.position() + " transferred nothing (end of file?)"));
                    release();
                    finish();
                    return;
                }
                completed.prepareRemainder();
                submitOrDefer();
                return;
            }
            long latency = now - submitNanos;
            if (write) {
                writeRecorder.recordValue(latency);
                writes.increment();
                writeBytes.add(blockSize);
                if (verify != null) {
                    verify.written(block, generation);
                }
            } else {
                readRecorder.recordValue(latency);
                reads.increment();
                readBytes.add(blockSize);
                if (verify != null) {
                    verify.check(phase.label(), buffer, block, offset);
                }
            }
            release();
            if (stopping || pastDeadline(now) || !prepareNext()) {
                finish();
                return;
            }
            submit();
        }

        private void release() {
            if (verify != null) {
                verify.unlock(block);
            }
        }

        void finish() {
            if (activeSlots.decrementAndGet() == 0) {
                allSlotsDone.countDown();
            }
        }
    }
}
