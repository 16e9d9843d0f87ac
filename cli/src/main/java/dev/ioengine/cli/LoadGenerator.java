package dev.ioengine.cli;

import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
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
 * {@code --rw} pattern, {@link Phase#VERIFY} reads every block once in order.
 *
 * <p>A timed pass runs {@code --numjobs} jobs, each with {@code --iodepth} slots and its own offsets
 * ({@link BlockSequence}), counters and latency recorders, as fio's jobs do. It first runs {@code --ramp_time}
 * unmeasured (a request submitted before the ramp ends is not counted anywhere), then measures until
 * {@code --runtime}, or until each job has moved {@code --io_size} bytes when not {@code --time_based}. Under
 * {@code --fsync=N} the slot that completes a job's Nth write issues an fsync next (latency in its own histogram).
 *
 * <p>Latency is submit-to-completion per request, recorded in HdrHistogram {@link Recorder}s (wait-free for the
 * recording callbacks, which may run on several engine threads at once). CPU time is the process's over the
 * measured phase.
 *
 * <p>Threads: {@link #run} is called by one thread, which starts the slots, prints progress once a second, starts
 * and stops measuring, stops the pass at the deadline (or on {@link #cancel()}), and waits until every slot's last
 * request has completed. The buffers belong to the caller and must stay allocated until {@link #run} returns.
 */
final class LoadGenerator {
    /** How long {@link #run} waits for in-flight requests after the pass stops before giving up. */
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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

    /**
     * What a pass (or one of its jobs) did over its measured phase. Latency histograms are in nanoseconds.
     *
     * @param jobs the jobs' own results for a timed pass of several jobs, else empty
     * @param cpu the process's CPU time over the measured phase
     */
    record PassResult(Phase phase, long elapsedNanos, long reads, long writes, long readBytes, long writeBytes,
            long syncs, Histogram readLatency, Histogram writeLatency, Histogram syncLatency, CpuTime cpu,
            Throwable failure, boolean cancelled, List<PassResult> jobs) {
        long ios() {
            return reads + writes;
        }
    }

    private final IoEngine engine;
    private final IoFile file;
    private final BenchOptions options;
    private final Phase phase;
    private final VerifyState verify;
    private final long blockSize;
    private final long blocks;
    private final Job[] jobs;
    private final Slot[] slots;

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Slots whose trySubmit found the engine full: the run thread submits them. Not expected, handled anyway. */
    private final ConcurrentLinkedQueue<Slot> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicInteger activeSlots = new AtomicInteger();
    private final CountDownLatch allSlotsDone = new CountDownLatch(1);
    private Runnable onMeasureStart = () -> { };
    private volatile boolean stopping;
    private volatile boolean cancelled;
    /** Set before the first submission: when measuring starts (after the ramp), and when the pass stops. */
    private volatile long measureFromNanos;
    private volatile long deadlineNanos;
    /** False when the pass ends only when its work is done (layout, verify, a timed pass up to --io_size). */
    private volatile boolean bounded;

    /**
     * @param buffers one per slot, all of one size (the pass's block size: {@code --bs}, or a multiple of it
     *     for a layout without {@code --verify}), suitably aligned; their count is the number of requests in
     *     flight, {@code --iodepth} per job
     * @param verify the verify state, or null without {@code --verify}
     */
    LoadGenerator(IoEngine engine, IoFile file, BenchOptions options, Phase phase, MemorySegment[] buffers,
            VerifyState verify) {
        this.engine = engine;
        this.file = file;
        this.options = options;
        this.phase = phase;
        this.verify = verify;
        this.blockSize = buffers[0].byteSize();
        this.blocks = options.size() / blockSize;
        int jobCount = phase == Phase.TIMED ? options.numjobs() : 1;
        this.jobs = new Job[jobCount];
        for (int j = 0; j < jobCount; j++) {
            jobs[j] = new Job(j);
        }
        // Under --verify each in-flight request holds its block, so there can be no more slots than blocks.
        int count = verify == null ? buffers.length : (int) Math.min(buffers.length, blocks);
        this.slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(buffers[i], jobs[i % jobCount]);
        }
    }

    /** Runs {@code hook} on the run thread when measuring starts (after the ramp): the caller's snapshots. */
    LoadGenerator onMeasureStart(Runnable hook) {
        this.onMeasureStart = hook;
        return this;
    }

    /** Stops the pass early (Ctrl-C): no new requests; {@link #run} returns once in-flight ones complete. */
    void cancel() {
        cancelled = true;
        stopping = true;
    }

    /**
     * Runs the pass.
     *
     * @param progress where to print a line per second, or null
     */
    PassResult run(PrintStream progress) throws InterruptedException {
        long start = System.nanoTime();
        boolean timed = phase == Phase.TIMED;
        measureFromNanos = timed ? start + options.rampNanos() : start;
        deadlineNanos = measureFromNanos + options.runtimeNanos();
        bounded = timed && (options.timeBased() || options.runtimeGiven());
        boolean measuring = !timed || options.rampNanos() == 0;
        CpuTime cpuAtStart = CpuTime.now();
        if (measuring) {
            onMeasureStart.run();
        }
        activeSlots.set(slots.length);
        for (Job job : jobs) {
            job.activeSlots.set(0);
        }
        for (Slot slot : slots) {
            slot.job.activeSlots.incrementAndGet();
        }
        if (slots.length == 0) {
            allSlotsDone.countDown();
        }
        for (Slot slot : slots) {
            if (stopping || !slot.prepareNext(start)) {
                slot.finish();
            } else {
                slot.submit();
            }
        }
        long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        long lastIos = 0;
        long lastProgress = start;
        long stoppedAt = 0;
        while (true) {
            long now = System.nanoTime();
            long wait = TICK_NANOS;
            if (!measuring) {
                wait = Math.max(0, Math.min(wait, measureFromNanos - now));
            }
            if (allSlotsDone.await(wait, TimeUnit.NANOSECONDS)) {
                break;
            }
            now = System.nanoTime();
            if (!measuring && now - measureFromNanos >= 0) {
                measuring = true;
                cpuAtStart = CpuTime.now();
                onMeasureStart.run();
            }
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
                long ios = 0;
                for (Job job : jobs) {
                    ios += job.ios();
                }
                if (progress != null) {
                    printProgress(progress, measuring ? phase.label() : "ramp", now - start, ios, ios - lastIos,
                            now - lastProgress);
                }
                lastIos = ios;
                lastProgress = now;
                nextProgress += TimeUnit.SECONDS.toNanos(1);
            }
        }
        long end = System.nanoTime();
        CpuTime cpu = measuring ? CpuTime.now().minus(cpuAtStart) : new CpuTime(0, 0);
        List<PassResult> jobResults = new ArrayList<>();
        for (Job job : jobs) {
            jobResults.add(job.result(end, cpu));
        }
        PassResult group = sum(jobResults, cpu);
        return jobs.length == 1 ? group : new PassResult(phase, group.elapsedNanos(), group.reads(), group.writes(),
                group.readBytes(), group.writeBytes(), group.syncs(), group.readLatency(), group.writeLatency(),
                group.syncLatency(), cpu, group.failure(), group.cancelled(), List.copyOf(jobResults));
    }

    /** The jobs as one group: their sums, merged histograms, and the longest job's time. */
    private PassResult sum(List<PassResult> parts, CpuTime cpu) {
        Histogram read = new Histogram(3);
        Histogram write = new Histogram(3);
        Histogram sync = new Histogram(3);
        long elapsed = 0;
        long reads = 0;
        long writes = 0;
        long readBytes = 0;
        long writeBytes = 0;
        long syncs = 0;
        for (PassResult p : parts) {
            elapsed = Math.max(elapsed, p.elapsedNanos());
            reads += p.reads();
            writes += p.writes();
            readBytes += p.readBytes();
            writeBytes += p.writeBytes();
            syncs += p.syncs();
            read.add(p.readLatency());
            write.add(p.writeLatency());
            sync.add(p.syncLatency());
        }
        return new PassResult(phase, elapsed, reads, writes, readBytes, writeBytes, syncs, read, write, sync, cpu,
                failure.get(), cancelled && failure.get() == null, List.of());
    }

    private void printProgress(PrintStream out, String label, long sinceStart, long ios, long iosInInterval,
            long intervalNanos) {
        double iops = iosInInterval * 1e9 / intervalNanos;
        double mib = iops * blockSize / (1 << 20);
        out.printf(Locale.ROOT, "[%s %3ds] %,d IOs, %,.0f IOPS, %.1f MiB/s%n", label,
                Math.round(sinceStart / 1e9), ios, iops, mib);
    }

    private boolean pastDeadline(long now) {
        return bounded && now - deadlineNanos >= 0;
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stopping = true;
    }

    /** One job's offsets, limits and figures. */
    private final class Job {
        final int index;
        final BlockSequence sequence;
        /** Requests a job may start once measuring: {@code --io_size} worth, or every block for layout/verify. */
        final long limit;
        final AtomicLong claimed = new AtomicLong();
        final AtomicLong writesDone = new AtomicLong();
        final AtomicInteger activeSlots = new AtomicInteger();
        final LongAdder reads = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder syncs = new LongAdder();
        final Recorder readRecorder = new Recorder(3);
        final Recorder writeRecorder = new Recorder(3);
        final Recorder syncRecorder = new Recorder(3);
        volatile long endNanos;

        Job(int index) {
            this.index = index;
            boolean random = phase == Phase.TIMED && options.rw().random();
            this.sequence = new BlockSequence(blocks, random, options.randommap(),
                    BlockSequence.seed(options.randrepeat(), index));
            long bytes = phase == Phase.TIMED ? options.bytesPerJob() : Long.MAX_VALUE;
            this.limit = phase == Phase.TIMED ? (bytes == Long.MAX_VALUE ? Long.MAX_VALUE : bytes / blockSize)
                    : blocks;
        }

        long ios() {
            return reads.sum() + writes.sum();
        }

        PassResult result(long passEnd, CpuTime cpu) {
            long end = endNanos != 0 ? endNanos : passEnd;
            long r = reads.sum();
            long w = writes.sum();
            return new PassResult(phase, Math.max(0, end - measureFromNanos), r, w, r * blockSize, w * blockSize,
                    syncs.sum(), readRecorder.getIntervalHistogram(), writeRecorder.getIntervalHistogram(),
                    syncRecorder.getIntervalHistogram(), cpu, failure.get(), cancelled && failure.get() == null,
                    List.of());
        }
    }

    /** One request kept in flight, with its buffer; also the request's completion callback. */
    private final class Slot implements IoCallback {
        private final IoRequest request = new IoRequest().callback(this);
        private final MemorySegment buffer;
        private final Job job;
        private long block;
        private long offset;
        private boolean write;
        private boolean sync;
        private int generation;
        private long submitNanos;

        Slot(MemorySegment buffer, Job job) {
            this.buffer = buffer;
            this.job = job;
        }

        /** Prepares the next request of the pass; false when the pass has no more work for this slot. */
        boolean prepareNext(long now) {
            sync = false;
            if (now - measureFromNanos >= 0 && job.claimed.getAndIncrement() >= job.limit) {
                return false;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            write = switch (phase) {
                case LAYOUT -> true;
                case VERIFY -> false;
                case TIMED -> switch (options.rw()) {
                    case READ, RANDREAD -> false;
                    case WRITE, RANDWRITE -> true;
                    case RW, RANDRW -> random.nextInt(100) >= options.rwmixread();
                };
            };
            block = nextBlock();
            offset = block * blockSize;
            if (write) {
                if (verify != null) {
                    generation = verify.nextGeneration(block);
                    BlockVerifier.format(buffer, offset, generation);
                }
                request.prepareWrite(file, offset, buffer);
            } else {
                request.prepareRead(file, offset, buffer);
            }
            return true;
        }

        private long nextBlock() {
            while (true) {
                long b = job.sequence.next();
                if (verify == null || verify.tryLock(b)) {
                    return b;
                }
            }
        }

        /** Prepares an fsync of the file ({@code --fsync=N}). */
        private void prepareSync() {
            sync = true;
            request.prepareFsync(file);
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
            boolean measured = submitNanos - measureFromNanos >= 0;
            if (sync) {
                if (measured) {
                    job.syncRecorder.recordValue(now - submitNanos);
                    job.syncs.increment();
                }
                next(now);
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
                if (measured) {
                    job.writeRecorder.recordValue(latency);
                    job.writes.increment();
                }
                if (verify != null) {
                    verify.written(block, generation);
                }
            } else {
                if (measured) {
                    job.readRecorder.recordValue(latency);
                    job.reads.increment();
                }
                if (verify != null) {
                    verify.check(phase.label(), buffer, block, offset);
                }
            }
            release();
            boolean syncNow = write && options.fsyncEvery() > 0 && phase == Phase.TIMED
                    && job.writesDone.incrementAndGet() % options.fsyncEvery() == 0;
            if (syncNow && !stopping && !pastDeadline(now)) {
                prepareSync();
                submit();
                return;
            }
            next(now);
        }

        private void next(long now) {
            if (stopping || pastDeadline(now) || !prepareNext(now)) {
                finish();
                return;
            }
            submit();
        }

        void release() {
            if (verify != null && !sync) {
                verify.unlock(block);
            }
        }

        void finish() {
            if (job.activeSlots.decrementAndGet() == 0) {
                job.endNanos = System.nanoTime();
            }
            if (activeSlots.decrementAndGet() == 0) {
                allSlotsDone.countDown();
            }
        }
    }
}
