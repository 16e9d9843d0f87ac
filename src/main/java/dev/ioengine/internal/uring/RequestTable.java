package dev.ioengine.internal.uring;

import dev.ioengine.IoRequest;
import dev.ioengine.internal.linux.Iovec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The requests in the kernel, by slot: a request's slot number is its SQE's {@code user_data}, so a CQE finds
 * its request without a map or an allocation. Each slot also owns the iovec array of a vectored request, which
 * the kernel may read until the request completes; a slot is reused only after its completion is reaped.
 *
 * <p>Owned by the ring thread; not thread-safe. The iovec memory comes from the ring thread's arena, closed
 * with it, after the last completion.
 */
final class RequestTable {
    /** Smallest iovec array a slot gets; arrays grow by doubling, up to IOV_MAX. */
    private static final int MIN_IOVECS = 8;

    private final IoRequest[] requests;
    private final int[] freeSlots;
    private final MemorySegment[] iovecs;
    private final Arena arena;
    private int freeCount;

    RequestTable(int capacity, Arena arena) {
        this.requests = new IoRequest[capacity];
        this.freeSlots = new int[capacity];
        this.iovecs = new MemorySegment[capacity];
        this.arena = arena;
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    int capacity() {
        return requests.length;
    }

    int free() {
        return freeCount;
    }

    int inUse() {
        return requests.length - freeCount;
    }

    /** True if {@code userData} names a slot of this table (the ring's own entries use other values). */
    /** True if a request on {@code fd} holds a slot. */
    boolean holdsFd(int fd) {
        for (IoRequest r : requests) {
            if (r != null && r.fd() == fd) {
                return true;
            }
        }
        return false;
    }

    boolean isSlot(long userData) {
        return userData >= 0 && userData < requests.length;
    }

    /** Puts {@code request} in a free slot. @return the slot */
    int add(IoRequest request) {
        int slot = freeSlots[--freeCount];
        requests[slot] = request;
        return slot;
    }

    /** The request in {@code slot}, or null if the slot is free. */
    IoRequest get(int slot) {
        return requests[slot];
    }

    /** Empties {@code slot}. @return the request it held */
    IoRequest remove(int slot) {
        IoRequest r = requests[slot];
        requests[slot] = null;
        freeSlots[freeCount++] = slot;
        return r;
    }

    /** The slot's iovec array, filled with {@code buffers}. Valid until the slot is removed and reused. */
    MemorySegment iovecs(int slot, MemorySegment[] buffers) {
        MemorySegment array = iovecs[slot];
        if (array == null || array.byteSize() < Iovec.LAYOUT.byteSize() * buffers.length) {
            int count = Math.max(MIN_IOVECS, Integer.highestOneBit(Math.max(1, buffers.length - 1)) << 1);
            array = arena.allocate(Iovec.LAYOUT, Math.min(count, IoRequest.MAX_IOVECS));
            iovecs[slot] = array;
        }
        for (int i = 0; i < buffers.length; i++) {
            Iovec.set(array, i, buffers[i]);
        }
        return array;
    }

    @Override
    public String toString() {
        return "RequestTable[" + inUse() + "/" + requests.length + " in use]";
    }
}
