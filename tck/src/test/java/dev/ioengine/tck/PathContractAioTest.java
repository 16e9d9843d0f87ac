package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The Path contract on io-engine on Linux AIO. */
final class PathContractAioTest extends PathContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.AIO);
    }
}
