package dev.ioengine.tck;

/** The FileSystemProvider and Files contract on the JDK's own provider (proves the contract right). */
final class FilesContractJdkTest extends FilesContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JdkProvider();
    }
}
