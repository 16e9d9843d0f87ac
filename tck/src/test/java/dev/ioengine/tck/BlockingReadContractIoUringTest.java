package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The blocking-read contract on io-engine on io_uring (a provider of its own). */
final class BlockingReadContractIoUringTest extends BlockingReadContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return IoEngineProvider.isolated(EngineKind.IO_URING);
    }
}
