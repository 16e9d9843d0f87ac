package dev.ioengine.internal.engine;

import dev.ioengine.EngineMXBean;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import java.lang.System.Logger.Level;

/**
 * Registers each engine's {@link EngineMXBean} in the platform MBean server while it is open. {@code
 * java.management} is an optional module ({@code requires static}): without it in the runtime nothing is
 * registered and no class of it is loaded ({@link PlatformMBeans} holds every reference to it). A registration
 * that fails is logged and costs the engine nothing else.
 */
final class EngineMBeans {
    private static final boolean JMX = jmxPresent();

    private EngineMBeans() {
    }

    /** Registers {@code engine}'s MBean; the handle to give {@link #unregister}, or null if none was registered. */
    static Object register(IoEngine engine) {
        if (!JMX) {
            return null;
        }
        try {
            return PlatformMBeans.register(new StatsView(engine), engine.config().name());
        } catch (RuntimeException | LinkageError e) {
            System.getLogger("dev.ioengine").log(Level.WARNING,
                    "io-engine: the engine's MBean could not be registered: " + e);
            return null;
        }
    }

    static void unregister(Object handle) {
        if (handle != null) {
            PlatformMBeans.unregister(handle);
        }
    }

    private static boolean jmxPresent() {
        Module self = EngineMBeans.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule("java.management").map(self::canRead).orElse(false);
    }

    /** The MXBean: each attribute from a fresh snapshot of the engine's statistics. */
    private record StatsView(IoEngine engine) implements EngineMXBean {
        private EngineStats stats() {
            return engine.stats();
        }

        @Override
        public String getEngine() {
            return engine.kind().id();
        }

        @Override
        public long getSubmitted() {
            return stats().submitted();
        }

        @Override
        public long getCompleted() {
            return stats().completed();
        }

        @Override
        public long getFailed() {
            return stats().failed();
        }

        @Override
        public long getInFlight() {
            return stats().inFlight();
        }

        @Override
        public long getImmediate() {
            return stats().immediate();
        }

        @Override
        public long getMerged() {
            return stats().merged();
        }

        @Override
        public long getBatches() {
            return stats().batches();
        }

        @Override
        public double getMeanBatchSize() {
            return stats().meanBatchSize();
        }

        @Override
        public long getMaxBatchSize() {
            return stats().maxBatch();
        }

        @Override
        public double getLatencyP50Micros() {
            return stats().latency().percentileNanos(50) / 1e3;
        }

        @Override
        public double getLatencyP99Micros() {
            return stats().latency().percentileNanos(99) / 1e3;
        }

        @Override
        public double getLatencyP999Micros() {
            return stats().latency().percentileNanos(99.9) / 1e3;
        }

        @Override
        public double getLatencyMaxMicros() {
            return stats().latency().maxNanos() / 1e3;
        }
    }
}
