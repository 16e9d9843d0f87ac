package org.example.stranger;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.engine.Backends;
import dev.ioengine.internal.engine.FaultInjection;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.engine.RequestAccess;
import java.io.IOException;

/** A class of someone else's, on the same class path as io-engine, reaching for its internals. */
public final class Stranger {
    private Stranger() {
    }

    public static Object requestAccess() {
        return RequestAccess.get();
    }

    public static void installFaults() {
        FaultInjection.install("provider", new FaultInjector() {
            @Override
            public int onSubmitBatch(int count) {
                return count;
            }

            @Override
            public long onComplete(IoRequest request, long kernelResult) {
                return -5; // EIO
            }
        });
    }

    public static Object openEngineThroughBackends() throws IOException {
        return Backends.open(IoEngineConfig.builder().engine(EngineKind.THREADS).build());
    }
}
