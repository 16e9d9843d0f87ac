package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The FileSystemProvider and Files contract on io-engine on io_uring. */
final class FilesContractIoUringTest extends FilesContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.IO_URING);
    }
}
