package dev.ioengine.tck;

/** The FileSystemProvider and Files contract on Jimfs. */
final class FilesContractJimfsTest extends FilesContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JimfsProvider();
    }
}
