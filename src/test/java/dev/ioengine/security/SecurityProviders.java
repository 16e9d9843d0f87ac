package dev.ioengine.security;

import dev.ioengine.EngineKind;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.fs.ProvidersByEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * One drop-in {@link IoEngineFileSystemProvider} per engine kind for the security tests ({@link ProvidersByEngine}),
 * until {@link #closeAll()} after the test class.
 */
final class SecurityProviders {
    private static final ProvidersByEngine PROVIDERS = new ProvidersByEngine(SecurityProviders::warmUp);

    private SecurityProviders() {
    }

    static Stream<EngineKind> kinds() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS);
    }

    /** The file system of {@code kind}'s provider (scheme file); skips the test when this machine lacks it. */
    static FileSystem fileSystem(EngineKind kind) throws IOException {
        return PROVIDERS.fileSystem(kind);
    }

    /** Closes the providers' engines, so that they do not outlive the test class. */
    static void closeAll() throws InterruptedException {
        PROVIDERS.closeAll();
    }

    /** A write, a sync and an asynchronous channel: a platform thread's FileChannel calls need no engine. */
    private static void warmUp(FileSystem fileSystem) throws IOException {
        Path warmUp = Files.createTempFile("security-warm-up", ".bin");
        Path ours = on(fileSystem, warmUp);
        try (FileChannel ch = FileChannel.open(ours, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 0);
            ch.force(true);
        }
        AsynchronousFileChannel.open(ours, StandardOpenOption.WRITE).close();
        Files.delete(warmUp);
    }

    /** {@code path} (a default-provider path) as a path of {@code fileSystem}. */
    static Path on(FileSystem fileSystem, Path path) {
        return fileSystem.getPath(path.toString());
    }

    /** Requests the provider's engine has been given so far: proof the channels went through it. */
    static long submitted(EngineKind kind) {
        return PROVIDERS.provider(kind).orElseThrow().engineStats().orElseThrow().submitted();
    }

    /** The open descriptors of this process, by number. */
    static List<Integer> openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        }
    }

    /** The "flags:" field of /proc/self/fdinfo/{@code fd} (octal), or -1 if the descriptor is gone. */
    static int flagsOf(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
                }
            }
            throw new IllegalStateException("no flags: line for fd " + fd);
        } catch (IOException e) {
            return -1;
        }
    }

    /** What descriptor {@code fd} refers to ("/path", "anon_inode:[io_uring]", ...), or "" if it is gone. */
    static String targetOf(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** The process umask, from /proc/self/status (Java cannot read or set it otherwise). */
    static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
            }
        }
        throw new IllegalStateException("no Umask: line in /proc/self/status");
    }
}
