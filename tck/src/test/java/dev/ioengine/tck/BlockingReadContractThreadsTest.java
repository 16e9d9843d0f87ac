package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The blocking-read contract on io-engine on the thread-pool engine (a provider of its own). */
final class BlockingReadContractThreadsTest extends BlockingReadContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return IoEngineProvider.isolated(EngineKind.THREADS);
    }
}
