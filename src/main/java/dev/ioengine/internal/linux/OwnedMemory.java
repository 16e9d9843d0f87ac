package dev.ioengine.internal.linux;

import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;

/**
 * Native memory freed once the object that owns it can no longer be reached: a thread's memory for its own calls
 * (an errno capture segment, a bounce buffer, iovecs), held by a thread-local and so freed when the thread has
 * ended, or an engine's few bytes for its lifetime.
 *
 * <p>Why not {@code Arena.ofAuto()} or direct buffers: the JDK counts those in its "direct" buffer pool (and against
 * {@code -XX:MaxDirectMemorySize}) until a garbage collection frees them, so a thread that made one file call would
 * leave that memory counted after it ended, where the JDK's own channels free their thread's temporary buffers at
 * thread exit (OpenJDK's TempDirectBuffersReclamation checks exactly that). A shared arena is not counted, and
 * closing it frees the memory at once.
 *
 * <p>{@link #renew} and {@link #arena} are for the owner's thread; the cleaner thread closes the arena after the
 * owner is gone.
 */
public final class OwnedMemory implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

    private volatile Arena arena = Arena.ofShared();

    private OwnedMemory() {
    }

    /** Fresh memory, to be given its owner with {@link #freeWhenUnreachable}. */
    public static OwnedMemory create() {
        return new OwnedMemory();
    }

    /** Closes the arena once {@code owner} is unreachable; {@code owner} must not be reachable from here. */
    public void freeWhenUnreachable(Object owner) {
        CLEANER.register(owner, this);
    }

    /** The arena to allocate from. */
    public Arena arena() {
        return arena;
    }

    /** Frees everything allocated so far (the caller no longer uses any of it) and gives a fresh arena. */
    public Arena renew() {
        Arena old = arena;
        arena = Arena.ofShared();
        old.close();
        return arena;
    }

    /** The cleaner's action: the owner is gone. */
    @Override
    public void run() {
        arena.close();
    }
}
