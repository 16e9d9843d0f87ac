package dev.ioengine.internal.engine;

import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import java.lang.foreign.MemorySegment;

/**
 * Merges runs of contiguous single-buffer reads (or writes) on one file into one vectored request, up to a
 * byte limit and {@link #MAX_IOVECS} buffers. The merged request carries its parts;
 * {@link EngineCore#complete(IoRequest, long)} splits the result back: each part gets the bytes that fell in
 * its range, in order, and an error fails every part.
 *
 * <p>Only neighbours in submission order are merged, never reordered: concurrent requests have no order the
 * caller can rely on, but nothing is gained by moving one past another either. Used by one backend thread at a
 * time; not thread-safe.
 */
public final class RequestMerger {
    /** IOV_MAX on Linux: the most buffers one preadv / pwritev takes. */
    public static final int MAX_IOVECS = IoRequest.MAX_IOVECS;

    private static final RequestAccess ACCESS = RequestAccess.get();

    private final long limit;

    /** A merger producing requests of at most {@code limitBytes}; 0 disables merging. */
    public RequestMerger(long limitBytes) {
        this.limit = limitBytes;
    }

    public boolean enabled() {
        return limit > 0;
    }

    /**
     * Merges in place: {@code batch[0..count)} is rewritten to the requests to hand to the kernel, and their
     * number is returned. Merged requests are new {@link IoOp#READV} / {@link IoOp#WRITEV} requests, already
     * marked in flight.
     */
    public int merge(IoRequest[] batch, int count) {
        if (limit <= 0 || count < 2) {
            return count;
        }
        int out = 0;
        int i = 0;
        while (i < count) {
            int end = runEnd(batch, i, count);
            if (end - i == 1) {
                batch[out++] = batch[i];
            } else {
                batch[out++] = mergedOf(batch, i, end);
            }
            i = end;
        }
        for (int k = out; k < count; k++) {
            batch[k] = null;
        }
        return out;
    }

    /** The end (exclusive) of the mergeable run starting at {@code start}. */
    private int runEnd(IoRequest[] batch, int start, int count) {
        IoRequest first = batch[start];
        if (!mergeable(first)) {
            return start + 1;
        }
        long bytes = first.length();
        long next = first.position() + first.length();
        int end = start + 1;
        while (end < count && end - start < MAX_IOVECS) {
            IoRequest r = batch[end];
            if (!mergeable(r) || r.op() != first.op() || r.fd() != first.fd() || r.position() != next
                    || bytes + r.length() > limit) {
                break;
            }
            bytes += r.length();
            next += r.length();
            end++;
        }
        return end;
    }

    private static boolean mergeable(IoRequest r) {
        return (r.op() == IoOp.READ || r.op() == IoOp.WRITE) && r.length() > 0
                && ACCESS.mergedParts(r) == null;
    }

    private static IoRequest mergedOf(IoRequest[] batch, int start, int end) {
        IoRequest first = batch[start];
        IoRequest[] parts = new IoRequest[end - start];
        MemorySegment[] buffers = new MemorySegment[parts.length];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = batch[start + k];
            buffers[k] = parts[k].segment();
        }
        IoRequest merged = first.op() == IoOp.READ
                ? ACCESS.prepareReadv(new IoRequest(), first.fd(), first.position(), buffers)
                : ACCESS.prepareWritev(new IoRequest(), first.fd(), first.position(), buffers);
        ACCESS.markInFlight(merged, ACCESS.submitNanos(first));
        ACCESS.setMergedParts(merged, parts);
        return merged;
    }
}
