package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The blocking-read contract on io-engine on Linux AIO (a provider of its own). */
final class BlockingReadContractAioTest extends BlockingReadContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return IoEngineProvider.isolated(EngineKind.AIO);
    }
}
