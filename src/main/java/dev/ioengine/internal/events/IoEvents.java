package dev.ioengine.internal.events;

import dev.ioengine.EngineKind;

/**
 * The JFR events of io-engine's channels: {@code dev.ioengine.FileRead}, {@code dev.ioengine.FileWrite} and
 * {@code dev.ioengine.FileForce}, the counterparts of the JDK's {@code jdk.FileRead}, {@code jdk.FileWrite} and
 * {@code jdk.FileForce}, which the JDK's own channels emit and io-engine's channels do not.
 *
 * <p>Use: {@code Object event = IoEvents.beginRead();} before the operation, {@code IoEvents.commitRead(event,
 * ...)} after it. Free when off: with no recording enabling the event, {@code begin*} is one test of a static flag
 * and one of the event type's enabled state, allocates nothing and returns null, and {@code commit*} of null returns
 * at once. Events are plain JFR events, off unless a recording enables them (any recording does, unless its
 * settings turn them off). Every operation is recorded (threshold 0, no stack trace by default): a threshold set on
 * the command line ({@code -XX:StartFlightRecording:dev.ioengine.FileRead#threshold=20ms}) does not reach events
 * that register after the recording starts, as these do, so a default of 20 ms (the JDK's file events') could not
 * be lowered there.
 *
 * <p>{@code jdk.jfr} is an optional module ({@code requires static}): without it in the runtime, every method here
 * does nothing, and no class of {@code jdk.jfr} is ever loaded ({@link JfrEvents} holds all references to it).
 */
public final class IoEvents {
    private static final boolean JFR = jfrPresent();

    private IoEvents() {
    }

    /** A read event begun now, or null when off. */
    public static Object beginRead() {
        return JFR ? JfrEvents.beginRead() : null;
    }

    /** A write event begun now, or null when off. */
    public static Object beginWrite() {
        return JFR ? JfrEvents.beginWrite() : null;
    }

    /** A force event begun now, or null when off. */
    public static Object beginForce() {
        return JFR ? JfrEvents.beginForce() : null;
    }

    /**
     * Ends and commits a read event from {@link #beginRead()}.
     *
     * @param bytes bytes read; 0 at end of file
     * @param immediate served at once on the caller's thread (from the page cache), not through the engine's queue
     */
    public static void commitRead(Object event, String path, long bytes, EngineKind engine, boolean immediate) {
        if (event != null) {
            JfrEvents.commitRead(event, path, bytes, engine, immediate);
        }
    }

    /** Ends and commits a write event from {@link #beginWrite()}; as {@link #commitRead}. */
    public static void commitWrite(Object event, String path, long bytes, EngineKind engine, boolean immediate) {
        if (event != null) {
            JfrEvents.commitWrite(event, path, bytes, engine, immediate);
        }
    }

    /**
     * Ends and commits a force event from {@link #beginForce()}.
     *
     * @param metaData true for {@code force(true)} ({@code fsync}), false for {@code fdatasync}
     */
    public static void commitForce(Object event, String path, boolean metaData, EngineKind engine) {
        if (event != null) {
            JfrEvents.commitForce(event, path, metaData, engine);
        }
    }

    /** Whether jdk.jfr is in the runtime and readable from this module (always, on the class path). */
    private static boolean jfrPresent() {
        Module self = IoEvents.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule("jdk.jfr").map(self::canRead).orElse(false);
    }
}
