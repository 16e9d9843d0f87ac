package dev.ioengine.tck;

/** The Path contract on the JDK's own provider (proves the contract right). */
final class PathContractJdkTest extends PathContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JdkProvider();
    }
}
