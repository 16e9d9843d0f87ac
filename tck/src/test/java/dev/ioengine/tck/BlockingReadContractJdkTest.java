package dev.ioengine.tck;

/** The blocking-read contract on the JDK's own provider (proves the contract right). */
final class BlockingReadContractJdkTest extends BlockingReadContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JdkProvider();
    }
}
