package dev.ioengine.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** {@code dev.ioengine.FileForce}: see {@link IoEvents}. Recorded, when enabled, if it
 * took 20 ms or more (as the JDK's file events in its default settings), with its stack trace. */
@Name("dev.ioengine.FileForce")
@Label("File Force")
@Category({"Java Application", "io-engine"})
@Description("Force updates to be written to a file through an io-engine channel")
@Threshold("20 ms")
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
