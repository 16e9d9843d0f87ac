package dev.ioengine.tck;

/** The blocking-read contract on Jimfs. */
final class BlockingReadContractJimfsTest extends BlockingReadContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JimfsProvider();
    }
}
