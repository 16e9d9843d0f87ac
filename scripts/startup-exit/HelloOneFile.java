import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A hello-world that opens one file, for scripts/startup-exit.sh: with "async" it reads it through an
 * AsynchronousFileChannel (which starts an engine under the drop-in), else with Files.readString only. Its last line
 * is the wall clock, in nanoseconds since the epoch, as main returns: the script takes the process's end minus that
 * as the exit time.
 */
public final class HelloOneFile {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("async")) {
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file)) {
                ch.read(ByteBuffer.allocate(16), 0).get();
            }
        }
        System.out.println("hello " + Files.readString(file).length());
        Instant now = Instant.now();
        System.out.println(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }
}
