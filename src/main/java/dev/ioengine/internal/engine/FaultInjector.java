package dev.ioengine.internal.engine;

import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;

/**
 * A test seam: changes what the kernel answered, so that the engines' handling of EIO, EINTR, EAGAIN, short
 * transfers and failing submissions can be tested on a kernel that cannot be made to fail (no device-mapper).
 * Installed for one engine through {@link FaultInjection}; production engines have none, and the only cost is a
 * null check on a final field.
 *
 * <p>Threads: both hooks are called on the engine's own threads (the thread-pool workers, the AIO submitter and
 * reaper, the io_uring ring thread), possibly on several at once; an implementation must be thread-safe and must
 * not block, submit to the engine or throw. Every call stands for one kernel answer, so an implementation may
 * count them to report how many faults it injected.
 *
 * <p>Where each engine consults the hooks:
 * <table>
 *   <caption>hooks per engine</caption>
 *   <tr><th>engine</th><th>{@link #onSubmitBatch(int)}</th><th>{@link #onComplete(IoRequest, long)}</th></tr>
 *   <tr><td>threads</td><td>before each request's system call (count 1)</td><td>every completion</td></tr>
 *   <tr><td>AIO</td><td>before each {@code io_submit} (reads and writes; not the side worker's fsync,
 *       fdatasync, fallocate)</td><td>every completion</td></tr>
 *   <tr><td>io_uring</td><td>before each {@code io_uring_enter} that submits (count in SQEs, including the
 *       ring's own eventfd read; not under SQPOLL)</td><td>every completion</td></tr>
 * </table>
 */
public interface FaultInjector {
    /**
     * Called before a backend's kernel submission of {@code count} requests (a merged request counts once).
     * The answer stands for the kernel's:
     * <ul>
     *   <li>{@code count}: no fault, the submission goes ahead;</li>
     *   <li>{@code 1 <= k < count}: the kernel takes only the first {@code k}, as a partial {@code io_submit}
     *       does; the engine continues with the rest (on the thread-pool engine, where count is 1, this cannot
     *       happen);</li>
     *   <li>{@code -EINTR}: the call was interrupted before doing anything; the engine retries it, as it does a
     *       real EINTR, and no request sees it;</li>
     *   <li>{@code -EAGAIN}: the kernel is out of room; backpressure: the engine waits (AIO: for a completion,
     *       at most a few milliseconds; threads: a yield) and retries, and no request sees it;</li>
     *   <li>any other {@code -errno}: the submission fails. What the kernel documents for the call decides who
     *       sees it: an {@code io_submit} error concerns the first request it did not take, which fails with that
     *       errno while the rest of the batch is submitted again; on the thread-pool engine the request fails.
     *       Either way exactly the requests concerned complete with the errno, and the engine goes on.</li>
     * </ul>
     * An answer out of these ranges (0, or more than {@code count}) is taken as {@code count}. An implementation
     * must let submissions through eventually: an engine told EINTR or EAGAIN forever retries forever.
     */
    int onSubmitBatch(int count);

    /**
     * Called once per kernel completion, before the engine completes the request: {@code request} is the one
     * the kernel saw (for a merged request, the merged one: its result is then split back over its parts, a
     * short count filling the first parts first), and {@code kernelResult} is the kernel's answer, bytes
     * transferred (or 0) when non-negative, {@code -errno} when negative. Returns the result to complete with:
     * <ul>
     *   <li>{@code kernelResult}: no fault;</li>
     *   <li>a {@code -errno} (for example {@code -EIO}): the request fails with that errno, as if the kernel had
     *       said it; the request's {@link IoRequest#exception()} is an {@link dev.ioengine.ErrnoException} naming
     *       it. No engine retries a finished IO, so a completion EINTR or EAGAIN is reported as it stands: those
     *       belong to {@link #onSubmitBatch(int)};</li>
     *   <li>a short count {@code 0 <= n < kernelResult}: the request reports {@code n} bytes, exactly, and
     *       {@link IoRequest#prepareRemainder()} continues it. A count above {@code kernelResult} would claim bytes
     *       the kernel did not move and is ignored (the kernel's result stands).</li>
     * </ul>
     */
    long onComplete(IoRequest request, long kernelResult);

    /**
     * Called once per system call a channel makes on its caller's own thread, without the engine (a blocking
     * channel's pread, pwrite, preadv, pwritev, fsync or fdatasync on a platform thread), for the channels opened
     * with this injector's engine. {@code kernelResult} and the answer are as for {@link #onComplete}; the default
     * injects nothing. Called on the caller's thread.
     */
    default long onCallerThreadCall(IoOp op, long kernelResult) {
        return kernelResult;
    }
}
