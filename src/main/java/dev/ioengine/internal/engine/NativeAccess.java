package dev.ioengine.internal.engine;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Whether this JVM lets io-engine make native calls, and the message when it does not. Checked before any class
 * that links a native function is loaded: a denial surfacing from such a class's static initializer would be an
 * {@link ExceptionInInitializerError}, then a {@link NoClassDefFoundError} on every later use.
 */
public final class NativeAccess {
    /** Null when native access is allowed, else what to say. */
    private static final String DENIED = probe();

    private NativeAccess() {
    }

    /**
     * Throws unless native access is allowed.
     *
     * @throws IllegalCallerException saying that native access is denied and how to grant it
     */
    public static void check() {
        if (DENIED != null) {
            throw new IllegalCallerException("io-engine: " + DENIED);
        }
    }

    /** The availability of {@code kind} when native access is denied, else null. */
    static EngineAvailability deniedAvailability(EngineKind kind) {
        return DENIED == null ? null : new EngineAvailability(kind, false, DENIED, List.of());
    }

    static EngineAvailability denied(EngineKind kind, IllegalCallerException e) {
        return new EngineAvailability(kind, false, message(e), List.of());
    }

    /** A restricted method with no effect: it throws IllegalCallerException exactly when native access is denied. */
    private static String probe() {
        try {
            MemorySegment.NULL.reinterpret(0);
            return null;
        } catch (IllegalCallerException e) {
            return message(e);
        }
    }

    private static String message(IllegalCallerException e) {
        Module module = NativeAccess.class.getModule();
        String grant = module.isNamed() ? module.getName() : "ALL-UNNAMED";
        return "native access denied (" + e.getMessage() + "); run java with --enable-native-access=" + grant;
    }
}
