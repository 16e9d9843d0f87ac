package dev.ioengine.channels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Tells memory that only the garbage collector frees (a {@link ByteBuffer#allocateDirect} or mapped buffer, a
 * segment of {@link Arena#global()} or {@link Arena#ofAuto()}) from memory its owner may free at any time (a
 * segment of a confined or shared arena, closed by {@link Arena#close()}).
 *
 * <p>Why: the kernel may write into a request's memory until the request completes. The JDK keeps an arena's
 * session acquired for the duration of its IO (so {@code close()} of the arena throws meanwhile) through
 * internal access that FFM does not offer publicly: no public API acquires a session beyond a downcall. The
 * channels therefore give the kernel only collected memory, which their operations keep reachable until the
 * kernel is done with it, and copy the rest through io-engine's own bounce buffers: a close or cancel that
 * cannot wait (on the engine's own thread) then never leaves the kernel holding memory its owner freed.
 *
 * <p>How: by the class of the segment's scope, compared with the scopes of collected memory made here once.
 * Only public API is used; should a JDK make an arena's scope look like collected memory's, every segment is
 * treated as freeable (copied), which is safe.
 */
final class CollectedMemory {
    private static final Class<?> DIRECT_BUFFER_SCOPE = scopeClass(MemorySegment.ofBuffer(ByteBuffer.allocateDirect(1)));
    private static final Class<?> GLOBAL_SCOPE = Arena.global().scope().getClass();
    private static final Class<?> AUTO_SCOPE = Arena.ofAuto().scope().getClass();
    /** False if this JDK's arenas cannot be told apart by scope class: then nothing counts as collected. */
    private static final boolean DISTINGUISHABLE = distinguishable();

    private CollectedMemory() {
    }

    /** True if only the garbage collector frees {@code segment}'s memory (so keeping it reachable keeps it). */
    static boolean is(MemorySegment segment) {
        Class<?> scope = scopeClass(segment);
        return DISTINGUISHABLE && (scope == DIRECT_BUFFER_SCOPE || scope == GLOBAL_SCOPE || scope == AUTO_SCOPE);
    }

    private static Class<?> scopeClass(MemorySegment segment) {
        return segment.scope().getClass();
    }

    private static boolean distinguishable() {
        Class<?> confined;
        Class<?> shared;
        try (Arena c = Arena.ofConfined(); Arena s = Arena.ofShared()) {
            confined = c.scope().getClass();
            shared = s.scope().getClass();
        }
        for (Class<?> freeable : new Class<?>[] {confined, shared}) {
            if (freeable == DIRECT_BUFFER_SCOPE || freeable == GLOBAL_SCOPE || freeable == AUTO_SCOPE) {
                return false;
            }
        }
        return true;
    }
}
