package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The AsynchronousFileChannel contract on io-engine on Linux AIO. */
final class AsynchronousFileChannelContractAioTest extends AsynchronousFileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.AIO);
    }
}
