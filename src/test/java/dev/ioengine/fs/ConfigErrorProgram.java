package dev.ioengine.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneId;

/**
 * Run by {@link ConfigErrorForkedJvmTest} under the drop-in with a malformed {@code ioengine.*} property: a plain
 * program whose file IO, and the JDK's own (security properties, time zones), must work. Prints
 * {@code program ran} at the end; any failure exits non-zero with its trace.
 */
public final class ConfigErrorProgram {
    private ConfigErrorProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        new SecureRandom().nextInt(); // reads java.security's securerandom.source
        ZoneId.of("Europe/Paris");    // reads the time-zone data
        Path file = Files.writeString(work.resolve("text"), "still running");
        check(Files.readString(file).equals("still running"), "Files.readString");
        try (FileChannel channel = FileChannel.open(work.resolve("channel"), CREATE, READ, WRITE)) {
            channel.write(ByteBuffer.wrap("channel".getBytes(UTF_8)), 0);
            check(channel.size() == 7, "FileChannel");
        }
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, READ)) {
            check(channel.read(ByteBuffer.allocate(32), 0).get() == 13, "AsynchronousFileChannel");
        }
        System.out.println("program ran");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
