package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The AsynchronousFileChannel contract on io-engine on the thread-pool engine. */
final class AsynchronousFileChannelContractThreadsTest extends AsynchronousFileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.THREADS);
    }
}
