package dev.ioengine.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code dev.ioengine.FileRead}: see {@link IoEvents}. Every operation is recorded while the
 * event is enabled (threshold 0), without a stack trace: a recording's settings may set both otherwise. */
@Name("dev.ioengine.FileRead")
@Label("File Read")
@Category({"Java Application", "io-engine"})
@Description("Reading data from a file through an io-engine channel")
@StackTrace(false)
final class FileReadEvent extends jdk.jfr.Event {
    @Label("Path")
    @Description("Full path of the file")
    String path;

    @Label("Bytes Read")
    @Description("Number of bytes read from the file (0 at end of file)")
    @DataAmount
    long bytesRead;

    @Label("End of File")
    @Description("The read found the end of the file")
    boolean endOfFile;

    @Label("Engine")
    @Description("The io-engine engine: io_uring, aio or threads")
    String engine;

    @Label("Served At Once")
    @Description("Served on the calling thread from the page cache, without going through the engine's queue")
    boolean immediate;
}
