package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The Path contract on io-engine on io_uring. */
final class PathContractIoUringTest extends PathContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.IO_URING);
    }
}
