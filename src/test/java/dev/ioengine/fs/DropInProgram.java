package dev.ioengine.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.IoEngine;
import java.io.BufferedWriter;
import java.io.File;
import java.io.Writer;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A plain NIO program, run by {@link DropInForkedJvmTest} in a JVM of its own with io-engine as the default
 * provider. Each check that fails throws (the JVM then exits non-zero with the stack trace on stderr); what the
 * test wants to look at is written, as properties, to the file named by the first argument. The second argument
 * is a directory to work in.
 */
public final class DropInProgram {
    private DropInProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path work = Paths.get(args[1]);
        Properties results = new Properties();

        FileSystemProvider provider = FileSystems.getDefault().provider();
        results.setProperty("defaultProvider", provider.getClass().getName());
        results.setProperty("defaultScheme", provider.getScheme());
        check(work instanceof IoEnginePath, "Paths.get gives " + work.getClass());
        check(FileSystems.getDefault() instanceof IoEngineFileSystem, "default fs " + FileSystems.getDefault());

        Path file = work.resolve("channel.bin");
        try (FileChannel channel = FileChannel.open(file, CREATE, READ, WRITE)) {
            results.setProperty("fileChannelClass", channel.getClass().getName());
            check(channel.write(ByteBuffer.wrap("drop-in".getBytes(UTF_8)), 0) == 7, "FileChannel write");
            ByteBuffer back = ByteBuffer.allocate(7);
            check(channel.read(back, 0) == 7 && new String(back.array(), UTF_8).equals("drop-in"), "FileChannel read");
        }
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, READ, WRITE)) {
            check(channel.write(ByteBuffer.wrap("async".getBytes(UTF_8)), 7).get(30, TimeUnit.SECONDS) == 5,
                    "async write");
            ByteBuffer back = ByteBuffer.allocate(12);
            check(channel.read(back, 0).get(30, TimeUnit.SECONDS) == 12, "async read");
        }
        check(new String(Files.readAllBytes(file), UTF_8).equals("drop-inasync"), "readAllBytes");

        Path text = work.resolve("dir/sub/lines.txt");
        Files.createDirectories(text.getParent());
        Files.write(text, List.of("one", "two"));
        try (BufferedWriter writer = Files.newBufferedWriter(text, java.nio.file.StandardOpenOption.APPEND)) {
            writer.write("three\n");
        }
        try (Stream<String> lines = Files.lines(text)) {
            check(lines.toList().equals(List.of("one", "two", "three")), "Files.lines");
        }
        try (Stream<Path> walk = Files.walk(work)) {
            List<Path> all = walk.toList();
            check(all.size() == 5 && all.stream().allMatch(p -> p instanceof IoEnginePath), "walk " + all);
        }

        Path temp = Files.createTempFile(work, "drop-in", ".tmp");
        check(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)).equals("rw-------"),
                "temporary files of the default file system are the owner's only");
        Files.delete(temp);

        Path zip = work.resolve("archive.zip");
        try (FileSystem zipfs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Files.writeString(zipfs.getPath("/entry.txt"), "zipped");
        }
        try (FileSystem zipfs = FileSystems.newFileSystem(zip)) {
            check(Files.readString(zipfs.getPath("/entry.txt")).equals("zipped"), "a zip file system over ours");
        }

        File asFile = file.toFile();
        check(asFile.toPath().equals(file) && asFile.toPath() instanceof IoEnginePath, "File.toPath round trip");
        check(new File(file.toString()).toPath().equals(file), "new File().toPath()");
        check(file.toUri().getScheme().equals("file") && Path.of(file.toUri()).equals(file), "toUri round trip");

        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            WatchKey key = work.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            Files.createFile(work.resolve("watched"));
            WatchKey signalled = watcher.poll(30, TimeUnit.SECONDS);
            check(signalled == key && key.watchable().equals(work) && key.watchable() instanceof IoEnginePath,
                    "watch key " + signalled);
            List<WatchEvent<?>> events = signalled.pollEvents();
            check(!events.isEmpty() && events.getFirst().context() instanceof IoEnginePath name
                    && name.toString().equals("watched"), "watch events " + events);
        }

        Thread.currentThread().interrupt();
        Files.writeString(work.resolve("interrupted"), "still written");
        check(Files.readString(work.resolve("interrupted")).equals("still written"), "readString while interrupted");
        check(Thread.interrupted(), "interrupt status kept");

        Path viaScheme = Path.of(URI.create("ioengine:" + file.toUri().getRawSchemeSpecificPart()));
        IoEngineFileSystemProvider schemeProvider = (IoEngineFileSystemProvider) viaScheme.getFileSystem().provider();
        IoEngineFileSystemProvider dropIn = (IoEngineFileSystemProvider) provider;
        check(schemeProvider.getScheme().equals("ioengine"), "ioengine scheme alongside the drop-in");
        check(!(((IoEngineFileSystem) viaScheme.getFileSystem()).delegateProvider()
                instanceof IoEngineFileSystemProvider), "the ioengine provider wraps the built-in, not the drop-in");
        check(new String(Files.readAllBytes(viaScheme), UTF_8).equals("drop-inasync"), "read through ioengine:");
        check(schemeProvider.engine() == dropIn.engine(), "the two providers share one engine");

        try {
            UnixDomainSocketAddress.of(work.resolve("socket"));
            results.setProperty("unixDomainSocketAddress", "accepted");
        } catch (IllegalArgumentException expected) {
            results.setProperty("unixDomainSocketAddress", "refused");
        }

        IoEngine engine = dropIn.engine().get();
        results.setProperty("engineKind", engine == null ? "none" : engine.kind().id());
        results.setProperty("engineSubmitted",
                dropIn.engineStats().map(stats -> Long.toString(stats.submitted())).orElse("0"));
        results.setProperty("engineStats", dropIn.engineStats().map(Object::toString).orElse("no engine"));
        try (Writer out = Files.newBufferedWriter(report)) {
            results.store(out, "DropInProgram");
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("check failed: " + what);
        }
    }
}
