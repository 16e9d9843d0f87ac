package dev.ioengine.internal.uring;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import java.io.IOException;
import java.util.List;

/** Placeholder until the IO_URING backend lands: reports itself unavailable. */
public final class IoUringEngine {
    private IoUringEngine() {
    }

    public static EngineAvailability probe() {
        return new EngineAvailability(EngineKind.IO_URING, false, "not implemented yet", List.of());
    }

    public static IoEngine open(IoEngineConfig config) throws IOException {
        throw new IOException("the IO_URING engine is not implemented yet");
    }
}
