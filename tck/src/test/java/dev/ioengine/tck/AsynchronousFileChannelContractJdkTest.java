package dev.ioengine.tck;

/** The AsynchronousFileChannel contract on the JDK's own provider (proves the contract right). */
final class AsynchronousFileChannelContractJdkTest extends AsynchronousFileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JdkProvider();
    }
}
