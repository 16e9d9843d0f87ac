package dev.ioengine.tck;

/** The FileChannel contract on the JDK's own provider (proves the contract right). */
final class FileChannelContractJdkTest extends FileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JdkProvider();
    }
}
