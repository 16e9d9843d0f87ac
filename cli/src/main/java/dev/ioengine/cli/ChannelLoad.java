package dev.ioengine.cli;

import dev.ioengine.AlignedBuffers;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The timed pass of {@code bench --compare} over a java.nio channel instead of the engine API, with the figures
 * {@link LoadGenerator} gives ({@link LoadGenerator.PassResult}: submit-to-completion latency in HdrHistogram
 * {@link Recorder}s, reads, writes, bytes), so that its rows compare with the engine rows. Two drivers:
 * <ul>
 *   <li>{@link #runAsync}: {@code iodepth} operations in flight on an {@link AsynchronousFileChannel}, each slot
 *       resubmitting from its {@link CompletionHandler};
 *   <li>{@link #runPositional}: {@code iodepth} platform threads each doing positional reads / writes on a
 *       {@link FileChannel};
 *   <li>{@link #runVirtual}: the same loop from N virtual threads (N buffers), sampling the scheduler's carrier
 *       threads ({@link CarrierSampler}) every {@value CarrierSampler#PERIOD_MILLIS} ms.
 * </ul>
 * Buffers are direct, one per slot, 4096-aligned ({@link AlignedBuffers#allocateDirect}, as O_DIRECT needs). Offsets
 * are drawn as {@link LoadGenerator} draws them. No {@code --verify}: {@code --compare} does not combine with it.
 *
 * <p>Threads: the run methods are called by one thread, which stops the pass at the deadline (or on
 * {@link #cancel()}) and waits for every slot's last operation.
 */
final class ChannelLoad {
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final BenchOptions options;
    private final long blocks;
    private final BlockSequence sequence;
    /** Virtual threads that completed at least one operation ({@link #runVirtual}). */
    private final LongAdder threadsThatDidIo = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final Recorder readRecorder = new Recorder(3);
    private final Recorder writeRecorder = new Recorder(3);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile boolean cancelled;
    private volatile long deadlineNanos;

    ChannelLoad(BenchOptions options) {
        this.options = options;
        this.blocks = options.blocks();
        this.sequence = new BlockSequence(blocks, options.rw().random(), options.randommap(),
                BlockSequence.seed(options.randrepeat(), 0));
    }

    /** Virtual threads that did at least one operation in the last {@link #runVirtual}. */
    long threadsThatDidIo() {
        return threadsThatDidIo.sum();
    }

    /** Stops the pass early (Ctrl-C): no new operations; the run method returns once in-flight ones complete. */
    void cancel() {
        cancelled = true;
        stopping = true;
    }

    /** Runs the timed pass on {@code channel} with {@code iodepth} operations in flight. */
    LoadGenerator.PassResult runAsync(AsynchronousFileChannel channel) throws InterruptedException {
        long start = System.nanoTime();
        deadlineNanos = start + options.runtimeNanos();
        CountDownLatch done = new CountDownLatch(options.iodepth());
        for (int i = 0; i < options.iodepth(); i++) {
            new AsyncSlot(channel, done).next();
        }
        awaitEnd(done);
        return result(start);
    }

    /** Runs the timed pass on {@code channel} from {@code iodepth} platform threads. */
    LoadGenerator.PassResult runPositional(FileChannel channel) throws InterruptedException {
        long start = System.nanoTime();
        deadlineNanos = start + options.runtimeNanos();
        CountDownLatch done = new CountDownLatch(options.iodepth());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.iodepth(); i++) {
            ByteBuffer buffer = buffer();
            threads.add(Thread.ofPlatform().name("io-engine-compare-" + i).daemon().start(() -> {
                try {
                    positionalLoop(channel, buffer, System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    fail(e);
                } finally {
                    done.countDown();
                }
            }));
        }
        awaitEnd(done);
        for (Thread t : threads) {
            t.join(TimeUnit.NANOSECONDS.toMillis(DRAIN_TIMEOUT_NANOS));
        }
        return result(start);
    }

    /**
     * Runs the timed pass on {@code channel} from {@code count} virtual threads, each with its own buffer
     * (allocated before the pass starts), sampling {@code carriers} while it runs.
     */
    LoadGenerator.PassResult runVirtual(FileChannel channel, int count, CarrierSampler carriers)
            throws InterruptedException {
        ByteBuffer[] buffers = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            buffers[i] = buffer();
        }
        carriers.sample();
        long start = System.nanoTime();
        deadlineNanos = start + options.runtimeNanos();
        CountDownLatch done = new CountDownLatch(count);
        Thread.Builder builder = Thread.ofVirtual().name("io-engine-compare-vthread-", 0);
        Thread[] threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            ByteBuffer buffer = buffers[i];
            buffers[i] = null;
            threads[i] = builder.start(() -> {
                try {
                    positionalLoop(channel, buffer, start);
                } catch (IOException | RuntimeException e) {
                    fail(e);
                } finally {
                    done.countDown();
                }
            });
        }
        carriers.sample();
        awaitEnd(done, CarrierSampler.PERIOD_MILLIS, carriers::sample);
        long joinDeadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        for (Thread t : threads) {
            long left = joinDeadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                break;
            }
        }
        return result(start);
    }

    private void awaitEnd(CountDownLatch done) throws InterruptedException {
        awaitEnd(done, 50, () -> { });
    }

    /** Waits for every slot, stopping the pass at the deadline; runs {@code tick} every {@code periodMillis}. */
    private void awaitEnd(CountDownLatch done, long periodMillis, Runnable tick) throws InterruptedException {
        long stoppedAt = 0;
        while (!done.await(periodMillis, TimeUnit.MILLISECONDS)) {
            tick.run();
            long now = System.nanoTime();
            if (!stopping && now - deadlineNanos >= 0) {
                stopping = true;
            }
            if (stopping && stoppedAt == 0) {
                stoppedAt = now;
            }
            if (stoppedAt != 0 && now - stoppedAt > DRAIN_TIMEOUT_NANOS) {
                fail(new IOException(done.getCount() + " slots still in flight "
                        + TimeUnit.NANOSECONDS.toSeconds(now - stoppedAt) + " s after the pass stopped"));
                return;
            }
        }
    }

    private LoadGenerator.PassResult result(long start) {
        long elapsed = System.nanoTime() - start;
        Histogram readTotal = readRecorder.getIntervalHistogram();
        Histogram writeTotal = writeRecorder.getIntervalHistogram();
        long r = reads.sum();
        long w = writes.sum();
        return new LoadGenerator.PassResult(LoadGenerator.Phase.TIMED, elapsed, r, w, r * options.blockSize(),
                w * options.blockSize(), 0, readTotal, writeTotal, new Histogram(3), new CpuTime(0, 0),
                failure.get(), cancelled && failure.get() == null, List.of());
    }

    private ByteBuffer buffer() {
        ByteBuffer b = AlignedBuffers.allocateDirect(options.blockSize(), AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (b.remaining() >= Long.BYTES) {
            b.putLong(random.nextLong());
        }
        return b.clear();
    }

    private boolean over(long now) {
        return stopping || now - deadlineNanos >= 0;
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stopping = true;
    }

    private boolean nextIsWrite(ThreadLocalRandom random) {
        return switch (options.rw()) {
            case READ, RANDREAD -> false;
            case WRITE, RANDWRITE -> true;
            case RW, RANDRW -> random.nextInt(100) >= options.rwmixread();
        };
    }

    private long nextOffset() {
        return sequence.next() * options.blockSize();
    }

    private void record(boolean write, long latency) {
        if (write) {
            writeRecorder.recordValue(latency);
            writes.increment();
        } else {
            readRecorder.recordValue(latency);
            reads.increment();
        }
    }

    /**
     * Positional operations until the pass is over. Each operation's latency runs from when the thread was ready
     * to issue it: the pass's start ({@code readySince}) for the first, the previous one's completion after that.
     * So a thread that waited for a carrier (a virtual thread while all carriers are pinned) has that wait in its
     * latency, as its caller would; a thread that never got to run during the pass did no IO and counts none.
     */
    private void positionalLoop(FileChannel channel, ByteBuffer buffer, long readySince) throws IOException {
        long ready = readySince;
        boolean didIo = false;
        while (!over(System.nanoTime())) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            boolean write = nextIsWrite(random);
            long offset = nextOffset();
            buffer.clear();
            long submit = ready;
            while (buffer.hasRemaining()) {
                long at = offset + buffer.position();
                int n = write ? channel.write(buffer, at) : channel.read(buffer, at);
                if (n <= 0) {
                    throw new EOFException((write ? "write" : "read") + " at offset " + at
                            + " transferred nothing (end of file?)");
                }
            }
            ready = System.nanoTime();
            record(write, ready - submit);
            if (!didIo) {
                didIo = true;
                threadsThatDidIo.increment();
            }
        }
    }

    /** One operation kept in flight on the asynchronous channel, with its buffer; also its handler. */
    private final class AsyncSlot implements CompletionHandler<Integer, Void> {
        private final AsynchronousFileChannel channel;
        private final CountDownLatch done;
        private final ByteBuffer buffer = buffer();
        private boolean write;
        private long offset;
        private long submitNanos;

        AsyncSlot(AsynchronousFileChannel channel, CountDownLatch done) {
            this.channel = channel;
            this.done = done;
        }

        /** Starts the next operation, or ends the slot when the pass is over. */
        void next() {
            if (over(System.nanoTime())) {
                done.countDown();
                return;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            write = nextIsWrite(random);
            offset = nextOffset();
            buffer.clear();
            submitNanos = System.nanoTime();
            issue();
        }

        private void issue() {
            try {
                long at = offset + buffer.position();
                if (write) {
                    channel.write(buffer, at, null, this);
                } else {
                    channel.read(buffer, at, null, this);
                }
            } catch (RuntimeException e) {
                failed(e, null);
            }
        }

        @Override
        public void completed(Integer result, Void attachment) {
            if (result <= 0) {
                failed(new EOFException((write ? "write" : "read") + " at offset " + (offset + buffer.position())
                        + " transferred nothing (end of file?)"), null);
                return;
            }
            if (buffer.hasRemaining()) {
                issue();
                return;
            }
            record(write, System.nanoTime() - submitNanos);
            next();
        }

        @Override
        public void failed(Throwable exc, Void attachment) {
            fail(exc);
            done.countDown();
        }
    }
}
