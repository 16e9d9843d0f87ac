package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The FileChannel contract on io-engine on Linux AIO. */
final class FileChannelContractAioTest extends FileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.AIO);
    }
}
