package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The FileSystemProvider and Files contract on io-engine on the thread-pool engine. */
final class FilesContractThreadsTest extends FilesContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.THREADS);
    }
}
