package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The Path contract on io-engine on the thread-pool engine. */
final class PathContractThreadsTest extends PathContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.THREADS);
    }
}
