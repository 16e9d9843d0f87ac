package dev.ioengine.modulepath;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.fs.IoEngineFileSystemProvider;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A program that uses io-engine only through its public API, run by {@link ModulePathTest} with the library on the
 * module path (as the named module {@code dev.ioengine}) and this program on the class path. It writes what it saw,
 * as properties, to the file named by its first argument; its second argument is a directory to work in. A check
 * that fails throws, and the JVM exits non-zero.
 */
public final class ModulePathProgram {
    private ModulePathProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Properties results = new Properties();

        Module library = IoEngineFileSystemProvider.class.getModule();
        results.setProperty("module", String.valueOf(library.getName()));
        results.setProperty("nativeAccess", Boolean.toString(library.isNativeAccessEnabled()));
        results.setProperty("defaultProvider", FileSystems.getDefault().provider().getClass().getName());

        Path file = work.resolve("module-path.bin");
        try (FileChannel channel = FileChannel.open(file, CREATE, READ, WRITE)) {
            results.setProperty("fileChannelClass", channel.getClass().getName());
            check(channel.write(ByteBuffer.wrap("module".getBytes(UTF_8)), 0) == 6, "FileChannel write");
        }
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, READ, WRITE)) {
            results.setProperty("asyncChannelClass", channel.getClass().getName());
            check(channel.write(ByteBuffer.wrap("-path".getBytes(UTF_8)), 6).get(30, TimeUnit.SECONDS) == 5,
                    "async write");
        }
        check(Files.readString(file).equals("module-path"), "readString");

        Path viaScheme = Path.of(URI.create("ioengine:" + file.toUri().getRawSchemeSpecificPart()));
        results.setProperty("schemeProvider", viaScheme.getFileSystem().provider().getClass().getName());
        check(new String(Files.readAllBytes(viaScheme), UTF_8).equals("module-path"), "read through ioengine:");
        IoEngineFileSystemProvider scheme = (IoEngineFileSystemProvider) viaScheme.getFileSystem().provider();
        results.setProperty("engineSubmitted",
                scheme.engineStats().map(stats -> Long.toString(stats.submitted())).orElse("0"));

        try (Writer out = Files.newBufferedWriter(report)) {
            results.store(out, "ModulePathProgram");
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("failed: " + what);
        }
    }
}
