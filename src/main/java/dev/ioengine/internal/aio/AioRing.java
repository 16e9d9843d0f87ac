package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The completion ring the kernel maps into the process for each AIO context: the context id returned by
 * {@code io_setup} is its address. Reading completions here, as Artemis and fio's {@code userspace_reap} do,
 * saves an {@code io_getevents} call whenever completions are already waiting.
 *
 * <p>{@code struct aio_ring} is not uapi: it lives in fs/aio.c, with a magic number and feature words kept
 * stable for exactly this use. Its header, 32 bytes, is followed by {@code nr} {@link IoEvent}s:
 * <pre>
 *    0 unsigned id
 *    4 unsigned nr                 events in the ring
 *    8 unsigned head               next event to consume; written by user space (or the kernel, under its lock,
 *                                  inside io_getevents)
 *   12 unsigned tail               next event the kernel fills
 *   16 unsigned magic              AIO_RING_MAGIC 0xa10a10a1
 *   20 unsigned compat_features
 *   24 unsigned incompat_features  must be 0 (AIO_RING_INCOMPAT_FEATURES)
 *   28 unsigned header_length      sizeof(struct aio_ring)
 * </pre>
 * Protocol: the kernel writes an event, then {@code smp_wmb()}, then {@code tail}; the reader loads {@code tail}
 * with acquire semantics (pairing with that barrier), reads the events before it, and publishes its progress by
 * storing {@code head} with release semantics (pairing with the kernel's read of {@code head} under its
 * completion lock, when it reclaims request slots). Only the engine's reaper thread touches the ring, and it is
 * the only caller of {@code io_getevents} on the context, so user space and {@code io_getevents} never move
 * {@code head} at the same time.
 */
final class AioRing {
    static final int AIO_RING_MAGIC = 0xa10a10a1;

    static final StructLayout HEADER = MemoryLayout.structLayout(
            JAVA_INT.withName("id"),
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("magic"),
            JAVA_INT.withName("compat_features"),
            JAVA_INT.withName("incompat_features"),
            JAVA_INT.withName("header_length")).withName("aio_ring");

    private static final VarHandle NR = field("nr");
    private static final VarHandle HEAD = field("head");
    private static final VarHandle TAIL = field("tail");
    private static final VarHandle MAGIC = field("magic");
    private static final VarHandle INCOMPAT_FEATURES = field("incompat_features");
    private static final VarHandle HEADER_LENGTH = field("header_length");

    private final MemorySegment header;
    private final MemorySegment events;
    private final int nr;

    private AioRing(MemorySegment header, MemorySegment events, int nr) {
        this.header = header;
        this.events = events;
        this.nr = nr;
    }

    private static VarHandle field(String name) {
        return HEADER.varHandle(MemoryLayout.PathElement.groupElement(name)).withInvokeExactBehavior();
    }

    /**
     * The ring of the context {@code context}, or null if its header is not the one this code knows (then the
     * engine reaps through io_getevents only). Valid until the context is destroyed.
     */
    static AioRing of(long context) {
        MemorySegment header = MemorySegment.ofAddress(context).reinterpret(HEADER.byteSize());
        int magic = (int) MAGIC.get(header, 0L);
        int incompat = (int) INCOMPAT_FEATURES.get(header, 0L);
        int headerLength = (int) HEADER_LENGTH.get(header, 0L);
        int nr = (int) NR.get(header, 0L);
        if (magic != AIO_RING_MAGIC || incompat != 0 || headerLength != HEADER.byteSize() || nr <= 0) {
            return null;
        }
        MemorySegment events = MemorySegment.ofAddress(context + HEADER.byteSize())
                .reinterpret(nr * IoEvent.LAYOUT.byteSize());
        return new AioRing(header, events, nr);
    }

    /** Receives one completion: the iocb's aio_data and the result. */
    @FunctionalInterface
    interface EventSink {
        void event(long data, long res);
    }

    /** Consumes every completion waiting in the ring, oldest first; returns how many. */
    int drain(EventSink sink) {
        return drain(sink, Integer.MAX_VALUE);
    }

    /** Consumes at most {@code max} of the completions waiting in the ring, oldest first; returns how many. */
    int drain(EventSink sink, int max) {
        int head = (int) HEAD.get(header, 0L);
        int tail = (int) TAIL.getAcquire(header, 0L); // pairs with the kernel's smp_wmb() before it sets tail
        if (head == tail) {
            return 0;
        }
        int count = 0;
        while (head != tail && count < max) {
            long data = IoEvent.data(events, head);
            long res = IoEvent.res(events, head);
            head = head + 1 == nr ? 0 : head + 1;
            // Published before the completion is delivered: the slot is ours once we have copied the event.
            HEAD.setRelease(header, 0L, head); // pairs with the kernel reading head when it reclaims slots
            sink.event(data, res);
            count++;
        }
        return count;
    }

    @Override
    public String toString() {
        return "AioRing[nr=" + nr + ", head=" + (int) HEAD.get(header, 0L) + ", tail="
                + (int) TAIL.getAcquire(header, 0L) + "]";
    }
}
