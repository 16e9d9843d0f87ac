package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The FileChannel contract on io-engine on io_uring. */
final class FileChannelContractIoUringTest extends FileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.IO_URING);
    }
}
