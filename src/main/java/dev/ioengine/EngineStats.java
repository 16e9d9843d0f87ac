package dev.ioengine;

/**
 * A snapshot of an engine's counters. Counters only grow; {@link #inFlight()} is accepted minus completed.
 *
 * @param submitted requests accepted by submit / trySubmit
 * @param completed requests completed, successfully or not
 * @param failed completed requests that failed (errno or engine error)
 * @param inFlight accepted and not yet completed
 * @param batches kernel submissions made (io_uring_enter / io_submit calls that submitted, or worker hand-offs)
 * @param batchedRequests requests handed to the kernel in those batches (merged requests count once)
 * @param maxBatch the largest batch seen
 * @param merged requests that were merged into a neighbour's vectored request
 * @param immediate requests served on the caller's thread by {@link IoEngine#tryNow} (also counted as submitted
 *     and completed)
 * @param latency submit-to-completion latency of completed requests, except those served at once
 */
public record EngineStats(long submitted, long completed, long failed, long inFlight, long batches,
        long batchedRequests, long maxBatch, long merged, long immediate, LatencyHistogram latency) {

    /** Mean requests per kernel submission, or 0 before the first. */
    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) batchedRequests / batches;
    }

    @Override
    public String toString() {
        return String.format(
                "submitted=%d completed=%d failed=%d inFlight=%d batches=%d meanBatch=%.1f maxBatch=%d merged=%d "
                        + "immediate=%d latency[%s]",
                submitted, completed, failed, inFlight, batches, meanBatchSize(), maxBatch, merged, immediate,
                latency);
    }
}
