package dev.ioengine.internal.aio;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import java.io.IOException;
import java.util.List;

/** Placeholder until the AIO backend lands: reports itself unavailable. */
public final class AioEngine {
    private AioEngine() {
    }

    public static EngineAvailability probe() {
        return new EngineAvailability(EngineKind.AIO, false, "not implemented yet", List.of());
    }

    public static IoEngine open(IoEngineConfig config) throws IOException {
        throw new IOException("the AIO engine is not implemented yet");
    }
}
