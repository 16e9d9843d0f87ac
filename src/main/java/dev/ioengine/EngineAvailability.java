package dev.ioengine;

import dev.ioengine.internal.engine.Backends;
import java.util.List;

/**
 * Whether an engine can run on this machine, and if not, why: the kernel lacks the syscall, io_uring is
 * disabled by {@code kernel.io_uring_disabled}, a seccomp filter refuses it, native access is denied
 * ({@code --enable-native-access}), or the platform is not Linux.
 *
 * @param kind the engine probed
 * @param available true if {@link IoEngine#open(IoEngineConfig)} can open it
 * @param reason why it is unavailable, or a short note (kernel version) when it is available
 * @param features what the kernel offers to this engine (io_uring setup flags, features and opcodes)
 */
public record EngineAvailability(EngineKind kind, boolean available, String reason, List<String> features) {

    public EngineAvailability {
        features = List.copyOf(features);
    }

    /** Probes {@code kind} now; cheap after the first call (probes are cached). */
    public static EngineAvailability probe(EngineKind kind) {
        return Backends.probe(kind);
    }

    /** The engine {@link EngineKind#AUTO} resolves to: io_uring, else AIO, else threads. */
    public static EngineKind selectAuto() {
        return Backends.selectAuto();
    }

    /** One line saying which engine {@code auto} picks and why the better ones were passed over. */
    public static String explainAuto() {
        return Backends.explainAuto();
    }
}
