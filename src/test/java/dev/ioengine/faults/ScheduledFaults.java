package dev.ioengine.faults;

import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.engine.RequestAccess;
import dev.ioengine.internal.linux.Errno;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded random fault schedule: each kernel answer the engine asks about is, with the configured rate, turned
 * into one fault. Results-level faults (EIO, short counts) touch only successful transfers and are recorded per
 * request, so a test can check that exactly the request that drew a fault saw it; submission faults are counted.
 * Thread-safe (the engine calls it from its own threads); the draws are serialized, so one seed gives one
 * sequence of answers, though which request meets which answer depends on thread timing.
 */
final class ScheduledFaults implements FaultInjector {
    /**
     * The errno a failing submission reports; distinct from EIO so the two families can be told apart, and not
     * EINVAL, which the AIO engine answers by doing the request with plain positional IO (procfs files refuse AIO).
     */
    static final int SUBMIT_ERRNO = Errno.EFAULT;

    enum Kind {
        RESULT_EIO, RESULT_SHORT, SUBMIT_EINTR, SUBMIT_EAGAIN, SUBMIT_FAIL, SUBMIT_PARTIAL
    }

    /** What onComplete did to one request's completion: EIO, or a short count. */
    record Injected(Kind kind, long result) {
    }

    private final SplittableRandom random;
    private final EnumMap<Kind, Double> rates = new EnumMap<>(Kind.class);
    private final EnumMap<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    private final EnumMap<Kind, AtomicLong> marked = new EnumMap<>(Kind.class);
    private final Map<IoRequest, Injected> injected = Collections.synchronizedMap(new IdentityHashMap<>());
    private final AtomicLong submitCalls = new AtomicLong();
    private final AtomicLong failedSubmissionEntries = new AtomicLong();
    private final AtomicLong completeCalls = new AtomicLong();
    private volatile boolean enabled = true;

    ScheduledFaults(long seed) {
        random = new SplittableRandom(seed);
        for (Kind k : Kind.values()) {
            rates.put(k, 0.0);
            counts.put(k, new AtomicLong());
            marked.put(k, new AtomicLong());
        }
    }

    /** Sets how often {@code kind} is injected (0 to 1); results-level and submission rates are drawn apart. */
    ScheduledFaults rate(Kind kind, double rate) {
        rates.put(kind, rate);
        return this;
    }

    /** Turns every fault off (or back on); the engine still asks. */
    void enabled(boolean on) {
        enabled = on;
    }

    long count(Kind kind) {
        return counts.get(kind).get();
    }

    Map<Kind, Long> counts() {
        EnumMap<Kind, Long> snapshot = new EnumMap<>(Kind.class);
        counts.forEach((k, v) -> snapshot.put(k, v.get()));
        return snapshot;
    }

    long submitCalls() {
        return submitCalls.get();
    }

    /**
     * The {@code count}s of the submissions failed on purpose, summed: on io_uring, where a failing enter fails
     * every entry it was offered, the most requests the failures can reach (the ring's own eventfd read is among
     * the entries too).
     */
    long failedSubmissionEntries() {
        return failedSubmissionEntries.get();
    }

    long completeCalls() {
        return completeCalls.get();
    }

    /** The fault onComplete put on {@code request}'s last completion, or null; removed. */
    Injected takeInjected(IoRequest request) {
        return injected.remove(request);
    }

    int pendingInjected() {
        return injected.size();
    }

    @Override
    public int onSubmitBatch(int count) {
        submitCalls.incrementAndGet();
        if (!enabled) {
            return count;
        }
        synchronized (random) {
            double draw = random.nextDouble();
            double edge = 0;
            if (draw < (edge += rates.get(Kind.SUBMIT_EINTR))) {
                return inject(Kind.SUBMIT_EINTR, -Errno.EINTR);
            }
            if (draw < (edge += rates.get(Kind.SUBMIT_EAGAIN))) {
                return inject(Kind.SUBMIT_EAGAIN, -Errno.EAGAIN);
            }
            if (draw < (edge += rates.get(Kind.SUBMIT_FAIL))) {
                failedSubmissionEntries.addAndGet(count);
                return inject(Kind.SUBMIT_FAIL, -SUBMIT_ERRNO);
            }
            if (count > 1 && draw < edge + rates.get(Kind.SUBMIT_PARTIAL)) {
                return inject(Kind.SUBMIT_PARTIAL, 1 + random.nextInt(count - 1));
            }
            return count;
        }
    }

    private int inject(Kind kind, int answer) {
        counts.get(kind).incrementAndGet();
        return answer;
    }

    @Override
    public long onComplete(IoRequest request, long kernelResult) {
        completeCalls.incrementAndGet();
        if (!enabled || kernelResult <= 0 || !request.op().transfersData()) {
            return kernelResult;
        }
        long answer;
        Kind kind;
        synchronized (random) {
            double draw = random.nextDouble();
            if (draw < rates.get(Kind.RESULT_EIO)) {
                kind = Kind.RESULT_EIO;
                answer = -Errno.EIO;
            } else if (kernelResult > 1 && draw < rates.get(Kind.RESULT_EIO) + rates.get(Kind.RESULT_SHORT)) {
                kind = Kind.RESULT_SHORT;
                answer = 1 + random.nextLong(kernelResult - 1);
            } else {
                return kernelResult;
            }
        }
        counts.get(kind).incrementAndGet();
        IoRequest[] parts = RequestAccess.get().mergedParts(request);
        if (parts == null) {
            injected.put(request, new Injected(kind, answer));
            marked.get(kind).incrementAndGet();
            return answer;
        }
        // A merged request: what each part will report once the engine splits the answer back, first parts first.
        long left = answer;
        for (IoRequest part : parts) {
            long mine = answer < 0 ? answer : Math.min(part.length(), left);
            left -= Math.max(mine, 0);
            injected.put(part, new Injected(kind, mine));
        }
        marked.get(kind).addAndGet(parts.length);
        return answer;
    }

    /** Requests (merged parts each) whose completion carries a fault of {@code kind}. */
    long marked(Kind kind) {
        return marked.get(kind).get();
    }
}
