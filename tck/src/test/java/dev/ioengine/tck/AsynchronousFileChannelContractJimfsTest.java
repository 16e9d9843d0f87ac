package dev.ioengine.tck;

/** The AsynchronousFileChannel contract on Jimfs. */
final class AsynchronousFileChannelContractJimfsTest extends AsynchronousFileChannelContract {
    @Override
    protected ProviderUnderTest createProvider() {
        return new JimfsProvider();
    }
}
