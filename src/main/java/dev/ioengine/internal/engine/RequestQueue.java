package dev.ioengine.internal.engine;

import dev.ioengine.IoRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * A queue of requests from any number of submitting threads to one consumer (an engine's loop), linked through a
 * field of the requests themselves, so that offering allocates nothing: Dmitry Vyukov's intrusive MPSC queue.
 * <pre>
 *   head (consumer's) -> r1 -> r2 -> ... -> rN <- tail (swapped by producers)
 * </pre>
 * A producer links its request with one atomic swap of {@code tail}, then sets the previous last request's link to
 * it. Between the two, the queue is not empty ({@link #isEmpty()} reads {@code tail}) yet {@link #poll()} cannot
 * reach the request: it answers null and the consumer comes back, as it does for an empty queue. A request is in
 * at most one queue at a time (an engine queues only requests in flight, once each); a stub node stands in when
 * the queue runs empty.
 *
 * <p>{@link #poll()}, {@link #removeIf} and {@link #isEmpty()} belong to the one consumer at a time (the thread holding the engine's
 * loop turn: the turn's hand-over orders one consumer's accesses before the next one's).
 */
public final class RequestQueue {
    private static final RequestAccess ACCESS = RequestAccess.get();
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(RequestQueue.class, "tail", IoRequest.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IoRequest stub = new IoRequest();
    /** The last request linked, or the stub; swapped by producers. */
    private volatile IoRequest tail = stub;
    /** The first node not yet taken (the stub when the queue ran empty); the consumer's. */
    private IoRequest head = stub;

    /** Adds {@code request}; any thread. */
    public void offer(IoRequest request) {
        ACCESS.setQueueNext(request, null);
        IoRequest previous = (IoRequest) TAIL.getAndSet(this, request);
        // Volatile write: pairs with the consumer's volatile read of the link in poll(); the request's fields,
        // written before it was offered, are visible to the consumer that reaches it through this link.
        ACCESS.setQueueNext(previous, request);
    }

    /** The first request, or null if none can be taken now (empty, or its producer has not linked it yet). */
    public IoRequest poll() {
        IoRequest first = head;
        IoRequest next = ACCESS.queueNext(first);
        if (first == stub) {
            if (next == null) {
                return null;
            }
            head = next;
            first = next;
            next = ACCESS.queueNext(next);
        }
        if (next != null) {
            head = next;
            return first;
        }
        if (first != tail) {
            return null; // a producer swapped the tail and has yet to link its request behind first
        }
        // first is the last request: put the stub behind it, so that taking first leaves a node to link to.
        offer(stub);
        next = ACCESS.queueNext(first);
        if (next != null) {
            head = next;
            return first;
        }
        return null;
    }

    /**
     * Takes out the requests {@code filter} accepts (for a cancel); the others go back to the front in their order.
     * The consumer's, as {@link #poll()}. No request offered before this call is missed: where a producer has
     * swapped the tail but not yet linked its request (poll answers null, the queue is not empty), this waits for
     * that producer's next write. It ends as every queued request holds one of the engine's permits, and those
     * taken out here give none back meanwhile.
     */
    public void removeIf(Predicate<? super IoRequest> filter) {
        ArrayDeque<IoRequest> kept = new ArrayDeque<>();
        int waits = 0;
        while (true) {
            IoRequest r = poll();
            if (r != null) {
                if (!filter.test(r)) {
                    kept.add(r);
                }
            } else if (isEmpty()) {
                break;
            } else if (++waits % 64 == 0) {
                Thread.yield(); // the producer may have been descheduled between its two writes
            } else {
                Thread.onSpinWait();
            }
        }
        // In front of head, last first: head and the nodes before it are the consumer's alone (producers reach only
        // the tail), so no atomic is needed, and poll() returns them before anything offered meanwhile.
        IoRequest r;
        while ((r = kept.pollLast()) != null) {
            ACCESS.setQueueNext(r, head);
            head = r;
        }
    }

    /**
     * True if no request is queued. A volatile read of {@code tail}: a producer's swap is seen here even before
     * its link is, so an engine that checks this after announcing that it sleeps never misses a request (Dekker).
     */
    public boolean isEmpty() {
        return head == stub && tail == stub;
    }
}
