package dev.ioengine.tck;

/** The FileChannel contract on Jimfs. */
final class FileChannelContractJimfsTest extends FileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JimfsProvider();
    }
}
