package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The FileSystemProvider and Files contract on io-engine on Linux AIO. */
final class FilesContractAioTest extends FilesContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.AIO);
    }
}
