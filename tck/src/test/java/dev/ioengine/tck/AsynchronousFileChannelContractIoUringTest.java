package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The AsynchronousFileChannel contract on io-engine on io_uring. */
final class AsynchronousFileChannelContractIoUringTest extends AsynchronousFileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.IO_URING);
    }
}
