package dev.ioengine.tck;

import dev.ioengine.EngineKind;

/** The FileChannel contract on io-engine on the thread-pool engine. */
final class FileChannelContractThreadsTest extends FileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new IoEngineProvider(EngineKind.THREADS);
    }
}
