/**
 * io-engine: kernel asynchronous file IO (io_uring, Linux AIO) for java.nio, through java.lang.foreign.
 *
 * <p>Public: the engine API ({@code dev.ioengine}), the channels' extension API ({@code dev.ioengine.channels})
 * and the file system provider ({@code dev.ioengine.fs}). Everything under {@code dev.ioengine.internal} stays inside.
 * No runtime dependencies: the command-line tool is an artifact of its own ({@code io-engine-cli}).
 */
module dev.ioengine {
    exports dev.ioengine;
    exports dev.ioengine.channels;
    exports dev.ioengine.fs;

    // Optional: without them in the runtime, no JFR events (internal.events.IoEvents) and no MBeans (EngineMXBean).
    requires static jdk.jfr;
    requires static java.management;

    // JFR reads and instruments the event classes.
    exports dev.ioengine.internal.events to jdk.jfr;

    provides java.nio.file.spi.FileSystemProvider with dev.ioengine.fs.IoEngineFileSystemProvider;
}
