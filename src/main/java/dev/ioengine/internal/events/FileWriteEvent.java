package dev.ioengine.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code dev.ioengine.FileWrite}: see {@link IoEvents}. Every operation is recorded while the
 * event is enabled (threshold 0), without a stack trace: a recording's settings may set both otherwise. */
@Name("dev.ioengine.FileWrite")
@Label("File Write")
@Category({"Java Application", "io-engine"})
@Description("Writing data to a file through an io-engine channel")
@StackTrace(false)
final class FileWriteEvent extends jdk.jfr.Event {
    @Label("Path")
    @Description("Full path of the file")
    String path;

    @Label("Bytes Written")
    @Description("Number of bytes written to the file")
    @DataAmount
    long bytesWritten;

    @Label("Engine")
    @Description("The io-engine engine: io_uring, aio or threads")
    String engine;

    @Label("Served At Once")
    @Description("Served on the calling thread from the page cache, without going through the engine's queue")
    boolean immediate;
}
