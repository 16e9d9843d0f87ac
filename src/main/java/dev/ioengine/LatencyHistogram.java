package dev.ioengine;

import java.util.Arrays;

/**
 * An immutable latency histogram in nanoseconds with log-linear buckets: each power of two is split in
 * {@value #SUB_BUCKETS} equal parts, so a percentile is exact to within 1/{@value #SUB_BUCKETS} (12.5%) of its
 * value. Made by the engine's allocation-free recorder; the CLI uses HdrHistogram for finer figures.
 */
public final class LatencyHistogram {
    /** Sub-buckets per power of two. */
    public static final int SUB_BUCKETS = 8;
    private static final int SUB_BITS = 3;
    /** Buckets covering 0 .. 2^63 ns. */
    public static final int BUCKETS = 64 * SUB_BUCKETS;

    private final long[] counts;
    private final long total;
    private final long sumNanos;
    private final long maxNanos;

    /** A histogram over {@code counts} (copied), which must have {@link #BUCKETS} entries. */
    public LatencyHistogram(long[] counts, long sumNanos, long maxNanos) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("expected " + BUCKETS + " buckets, got " + counts.length);
        }
        this.counts = counts.clone();
        this.total = Arrays.stream(counts).sum();
        this.sumNanos = sumNanos;
        this.maxNanos = maxNanos;
    }

    /** The bucket a value falls in. */
    public static int bucketOf(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) Math.max(0, nanos);
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(nanos); // >= SUB_BITS
        int sub = (int) (nanos >>> (magnitude - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (magnitude - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The largest value that falls in {@code bucket}. */
    public static long bucketUpperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int magnitude = bucket / SUB_BUCKETS + SUB_BITS - 1;
        int sub = bucket % SUB_BUCKETS;
        long base = (1L << magnitude) + ((long) sub << (magnitude - SUB_BITS));
        return base + (1L << (magnitude - SUB_BITS)) - 1;
    }

    public long count() {
        return total;
    }

    public double meanNanos() {
        return total == 0 ? 0 : (double) sumNanos / total;
    }

    public long maxNanos() {
        return maxNanos;
    }

    /**
     * The value at or below which {@code percentile} percent of the samples fall (the bucket's upper bound,
     * capped at the maximum seen), or 0 when empty.
     */
    public long percentileNanos(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + percentile);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(bucketUpperBound(i), maxNanos);
            }
        }
        return maxNanos;
    }

    /** The per-bucket counts (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public String toString() {
        return String.format("n=%d mean=%.1fus p50=%.1fus p99=%.1fus max=%.1fus", total, meanNanos() / 1e3,
                percentileNanos(50) / 1e3, percentileNanos(99) / 1e3, maxNanos / 1e3);
    }
}
