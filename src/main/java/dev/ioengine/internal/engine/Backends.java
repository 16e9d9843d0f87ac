package dev.ioengine.internal.engine;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.internal.aio.AioEngine;
import dev.ioengine.internal.threads.ThreadPoolEngine;
import dev.ioengine.internal.uring.IoUringEngine;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Probes the engines once each, resolves {@code auto}, and opens the engine a configuration asks for: the
 * implementation of {@link IoEngine#open(IoEngineConfig)} and {@link EngineAvailability}'s probes. {@link #open}
 * checks its caller ({@link InternalCallers}): others open engines through {@code IoEngine.open}. The probes
 * answer what {@code EngineAvailability} answers anyone.
 */
public final class Backends {
    private static final Map<EngineKind, EngineAvailability> PROBES = new EnumMap<>(EngineKind.class);

    private Backends() {
    }

    /** The (cached) availability of {@code kind}; {@code AUTO} reports on the engine it resolves to. */
    public static synchronized EngineAvailability probe(EngineKind kind) {
        if (kind == EngineKind.AUTO) {
            return probe(selectAuto());
        }
        // Not computeIfAbsent with a method reference: this runs at start-up, where a lambda's bootstrap costs.
        EngineAvailability probed = PROBES.get(kind);
        if (probed == null) {
            probed = probeNow(kind);
            PROBES.put(kind, probed);
        }
        return probed;
    }

    private static EngineAvailability probeNow(EngineKind kind) {
        EngineAvailability denied = NativeAccess.deniedAvailability(kind);
        if (denied != null) {
            return denied;
        }
        try {
            return switch (kind) {
                case IO_URING -> IoUringEngine.probe();
                case AIO -> AioEngine.probe();
                case THREADS -> ThreadPoolEngine.probe();
                case AUTO -> throw new AssertionError("AUTO is resolved before probing");
            };
        } catch (IllegalCallerException e) {
            return NativeAccess.denied(kind, e);
        } catch (LinkageError | RuntimeException e) {
            return new EngineAvailability(kind, false, "probe failed: " + e, java.util.List.of());
        }
    }

    /** io_uring if available, else AIO, else threads. */
    public static EngineKind selectAuto() {
        for (EngineKind k : new EngineKind[] {EngineKind.IO_URING, EngineKind.AIO}) {
            if (probe(k).available()) {
                return k;
            }
        }
        return EngineKind.THREADS;
    }

    /** Which engine auto picks, and why each better one was passed over. */
    public static String explainAuto() {
        StringBuilder why = new StringBuilder();
        for (EngineKind k : new EngineKind[] {EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS}) {
            EngineAvailability a = probe(k);
            if (a.available()) {
                why.insert(0, "auto picks " + k + (why.isEmpty() ? "" : ": "));
                return why.toString();
            }
            why.append(why.isEmpty() ? "" : "; ").append(k).append(" unavailable: ").append(a.reason());
        }
        return "no engine available: " + why;
    }

    /**
     * Opens the engine {@code config} asks for.
     *
     * @throws IOException saying why when that engine is unavailable
     * @throws IllegalCallerException unless called by a class of io-engine
     */
    public static IoEngine open(IoEngineConfig config) throws IOException {
        InternalCallers.check(InternalCallers.WALKER.getCallerClass());
        EngineKind kind = config.engine() == EngineKind.AUTO ? selectAuto() : config.engine();
        EngineAvailability availability = probe(kind);
        if (!availability.available()) {
            throw new IOException("io-engine: the " + kind + " engine is unavailable: " + availability.reason());
        }
        IoEngine engine = switch (kind) {
            case IO_URING -> IoUringEngine.open(config);
            case AIO -> AioEngine.open(config);
            case THREADS -> ThreadPoolEngine.open(config);
            case AUTO -> throw new AssertionError("AUTO was resolved above");
        };
        if (config.jmx() && engine instanceof EngineCore core) {
            core.registerMBean();
        }
        return engine;
    }
}
