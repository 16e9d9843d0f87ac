package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsCoverEveryValueWithinOneEighthOfIt() {
        long[] samples = {0, 1, 7, 8, 9, 15, 16, 100, 1_000, 123_456, 10_000_000, Long.MAX_VALUE / 3};
        for (long v : samples) {
            int b = LatencyHistogram.bucketOf(v);
            assertThat(b).isBetween(0, LatencyHistogram.BUCKETS - 1);
            long upper = LatencyHistogram.bucketUpperBound(b);
            assertThat(upper).as("upper bound of the bucket of " + v).isGreaterThanOrEqualTo(v);
            assertThat((double) upper - v).as("resolution at " + v).isLessThanOrEqualTo(Math.max(1, v / 8.0));
            if (b > 0) {
                assertThat(LatencyHistogram.bucketUpperBound(b - 1)).isLessThan(v);
            }
        }
    }

    @Test
    void percentilesMeanAndMax() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        long sum = 0;
        for (int i = 1; i <= 100; i++) {
            counts[LatencyHistogram.bucketOf(i * 1000L)]++;
            sum += i * 1000L;
        }
        LatencyHistogram h = new LatencyHistogram(counts, sum, 100_000);
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.meanNanos()).isEqualTo(50_500.0);
        assertThat(h.percentileNanos(50)).isBetween(50_000L, 50_000L + 50_000 / 8);
        assertThat(h.percentileNanos(99)).isBetween(99_000L, 100_000L);
        assertThat(h.percentileNanos(100)).isEqualTo(100_000);
        assertThat(h.maxNanos()).isEqualTo(100_000);
        assertThatThrownBy(() -> h.percentileNanos(101)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LatencyHistogram(new long[LatencyHistogram.BUCKETS], 0, 0).percentileNanos(99)).isZero();
    }
}
