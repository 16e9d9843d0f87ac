package dev.ioengine.tck;

/** The Path contract on Jimfs. */
final class PathContractJimfsTest extends PathContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JimfsProvider();
    }
}
