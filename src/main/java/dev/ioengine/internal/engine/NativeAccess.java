package dev.ioengine.internal.engine;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.util.List;

/** The message for a JVM that refuses io-engine native access, and what to do about it. */
final class NativeAccess {
    private NativeAccess() {
    }

    static EngineAvailability denied(EngineKind kind, IllegalCallerException e) {
        Module module = NativeAccess.class.getModule();
        String grant = module.isNamed() ? module.getName() : "ALL-UNNAMED";
        return new EngineAvailability(kind, false, "native access denied (" + e.getMessage()
                + "); run java with --enable-native-access=" + grant, List.of());
    }
}
