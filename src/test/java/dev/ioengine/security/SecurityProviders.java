package dev.ioengine.security;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.fs.ProviderEngines;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One drop-in {@link IoEngineFileSystemProvider} per engine kind for the security tests, its engine chosen by
 * setting {@code ioengine.engine} around the provider's first channel open (which opens the engine), then put back;
 * until {@link #closeAll()} after the test class.
 */
final class SecurityProviders {
    private static final Map<EngineKind, IoEngineFileSystemProvider> PROVIDERS = new EnumMap<>(EngineKind.class);

    private SecurityProviders() {
    }

    static Stream<EngineKind> kinds() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS);
    }

    /** The file system of {@code kind}'s provider (scheme file); skips the test when this machine lacks it. */
    static synchronized FileSystem fileSystem(EngineKind kind) throws IOException {
        EngineAvailability availability = EngineAvailability.probe(kind);
        Assumptions.assumeTrue(availability.available(), () -> kind + " unavailable: " + availability.reason());
        IoEngineFileSystemProvider provider = PROVIDERS.get(kind);
        if (provider == null) {
            provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
            String previous = System.getProperty("ioengine.engine");
            System.setProperty("ioengine.engine", kind.id());
            try {
                Path warmUp = Files.createTempFile("security-warm-up", ".bin");
                Path ours = provider.getFileSystem(URI.create("file:///")).getPath(warmUp.toString());
                try (FileChannel ch = provider.newFileChannel(ours, Set.of(StandardOpenOption.WRITE))) {
                    ch.write(ByteBuffer.wrap(new byte[] {1}), 0);
                    ch.force(true);
                }
                // A platform thread's FileChannel calls need no engine; an asynchronous channel opens it.
                provider.newAsynchronousFileChannel(ours, Set.of(StandardOpenOption.WRITE), null).close();
                Files.delete(warmUp);
            } finally {
                if (previous == null) {
                    System.clearProperty("ioengine.engine");
                } else {
                    System.setProperty("ioengine.engine", previous);
                }
            }
            if (provider.engineStats().isEmpty()) {
                throw new IllegalStateException("the provider opened no engine for " + kind);
            }
            PROVIDERS.put(kind, provider);
        }
        return provider.getFileSystem(URI.create("file:///"));
    }

    /** Closes the providers' engines (a provider never does), so that they do not outlive the test class. */
    static synchronized void closeAll() throws InterruptedException {
        for (IoEngineFileSystemProvider provider : PROVIDERS.values()) {
            ProviderEngines.close(provider);
        }
        PROVIDERS.clear();
    }

    /** {@code path} (a default-provider path) as a path of {@code fileSystem}. */
    static Path on(FileSystem fileSystem, Path path) {
        return fileSystem.getPath(path.toString());
    }

    /** Requests the provider's engine has been given so far: proof the channels went through it. */
    static long submitted(EngineKind kind) {
        return PROVIDERS.get(kind).engineStats().orElseThrow().submitted();
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
