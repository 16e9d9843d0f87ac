package dev.ioengine.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code dev.ioengine.FileForce}: see {@link IoEvents}. Every operation is recorded while the
 * event is enabled (threshold 0), without a stack trace: a recording's settings may set both otherwise. */
@Name("dev.ioengine.FileForce")
@Label("File Force")
@Category({"Java Application", "io-engine"})
@Description("Force updates to be written to a file through an io-engine channel")
@StackTrace(false)
final class FileForceEvent extends jdk.jfr.Event {
    @Label("Path")
    @Description("Full path of the file")
    String path;

    @Label("Update Metadata")
    @Description("Whether the file metadata is updated (fsync) or only the data (fdatasync)")
    boolean metaData;

    @Label("Engine")
    @Description("The io-engine engine: io_uring, aio or threads")
    String engine;
}
