package dev.ioengine.internal.engine;

import dev.ioengine.IoEngine;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where tests leave a {@link FaultInjector} for the next engine opened under a given name
 * ({@link dev.ioengine.IoEngineConfig#name()}): {@link EngineCore}'s constructor takes it out, once, and keeps it
 * for the engine's life. Not exported by the module, and on the class path {@link #install} and {@link #uninstall}
 * check their caller ({@link InternalCallers}), so no other code can break io-engine's engines (the provider's
 * included) through this seam; production code never installs anything, so every engine finds the map empty and
 * has no injector.
 */
public final class FaultInjection {
    private static final Map<String, FaultInjector> PENDING = new ConcurrentHashMap<>();

    private FaultInjection() {
    }

    /**
     * Makes the next engine constructed with {@code engineName} use {@code injector}.
     *
     * @throws IllegalStateException if an injector is already waiting for that name
     * @throws IllegalCallerException unless called by a class of io-engine (its tests)
     */
    public static void install(String engineName, FaultInjector injector) {
        InternalCallers.check(InternalCallers.WALKER.getCallerClass());
        Objects.requireNonNull(engineName, "engineName");
        Objects.requireNonNull(injector, "injector");
        if (PENDING.putIfAbsent(engineName, injector) != null) {
            throw new IllegalStateException("a fault injector is already waiting for engine '" + engineName + "'");
        }
    }

    /**
     * Drops an injector no engine took (for example because opening the engine failed); true if one was there.
     *
     * @throws IllegalCallerException unless called by a class of io-engine (its tests)
     */
    public static boolean uninstall(String engineName) {
        InternalCallers.check(InternalCallers.WALKER.getCallerClass());
        return PENDING.remove(engineName) != null;
    }

    /** The injector waiting for {@code engineName}, removed; null when there is none (always, in production). */
    static FaultInjector take(String engineName) {
        return PENDING.isEmpty() ? null : PENDING.remove(engineName);
    }

    /**
     * The injector {@code engine} was opened with, for the system calls its channels make without it; null for
     * every production engine.
     */
    public static FaultInjector of(IoEngine engine) {
        return engine instanceof EngineCore core ? core.faults() : null;
    }
}
