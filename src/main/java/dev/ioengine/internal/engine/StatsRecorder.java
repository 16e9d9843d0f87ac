package dev.ioengine.internal.engine;

import dev.ioengine.EngineStats;
import dev.ioengine.LatencyHistogram;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's counters and latency histogram. Recording allocates nothing; counters written from many
 * threads are {@link LongAdder}s so completions and submissions do not contend on one cache line.
 */
final class StatsRecorder {
    private final LongAdder submitted = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder batchedRequests = new LongAdder();
    private final AtomicLong maxBatch = new AtomicLong();
    private final LongAdder merged = new LongAdder();
    private final LongAdder immediate = new LongAdder();
    private final AtomicLongArray latencyCounts = new AtomicLongArray(LatencyHistogram.BUCKETS);
    private final LongAdder latencySum = new LongAdder();
    private final AtomicLong latencyMax = new AtomicLong();

    void submitted() {
        submitted.increment();
    }

    void completed(long latencyNanos, boolean failure) {
        long nanos = Math.max(0, latencyNanos);
        latencyCounts.getAndIncrement(LatencyHistogram.bucketOf(nanos));
        latencySum.add(nanos);
        latencyMax.accumulateAndGet(nanos, Math::max);
        if (failure) {
            failed.increment();
        }
        // Counted last, so a snapshot never shows more completed than recorded latencies.
        completed.increment();
    }

    void batch(int requests) {
        batches.increment();
        batchedRequests.add(requests);
        maxBatch.accumulateAndGet(requests, Math::max);
    }

    /**
     * A request served on the caller's thread: counted once, apart, so that the threads doing so do not share
     * the histogram's cache lines (its latency is a system call's, not the engine's).
     */
    void immediate() {
        immediate.increment();
    }

    void merged(int count) {
        merged.add(count);
    }

    EngineStats snapshot() {
        long done = completed.sum();
        long in = submitted.sum();
        long[] counts = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = latencyCounts.get(i);
        }
        // Requests served at once count as submitted and completed; they are summed last, so that a snapshot
        // never shows one as in flight.
        long now = immediate.sum();
        return new EngineStats(in + now, done + now, failed.sum(), Math.max(0, in - done), batches.sum(),
                batchedRequests.sum(), maxBatch.get(), merged.sum(), now, new LatencyHistogram(counts, latencySum.sum(), latencyMax.get()));
    }
}
