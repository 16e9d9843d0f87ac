package dev.ioengine.tck;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The JDK's own default provider: the reference every contract is proved against. */
public final class JdkProvider implements ProviderUnderTest {
    private final ForeignFiles foreign = new ForeignFiles();
    private Path root;

    /** {@code java.io.tmpdir} on the default file system, created if missing. */
    static Path tempRoot() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Override public String name() { return "jdk"; }
    @Override public Optional<String> unavailableReason() { return Optional.empty(); }
    @Override public FileSystem fileSystem() { return FileSystems.getDefault(); }

    @Override
    public Path newScratchDirectory() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory(tempRoot(), "tck-jdk-");
        }
        return Files.createTempDirectory(root, "t");
    }

    @Override
    public List<Path> foreignPaths() throws IOException {
        return List.of(foreign.jimfsFile());
    }

    @Override public boolean isDefaultFileSystem() { return true; }
    @Override public boolean isBackedByHostFiles() { return true; }
    @Override public boolean supportsAsyncChannel() { return true; }
    @Override public boolean supportsDirectIo() { return true; }
    @Override public boolean supportsLocks() { return true; }
    @Override public boolean supportsWatch() { return true; }
    @Override public boolean supportsPosixPermissions() { return true; }
    @Override public boolean supportsMap() { return true; }
    @Override public boolean supportsSparseFiles() { return true; }

    @Override
    public void close() throws IOException {
        foreign.close();
        if (root != null) {
            ScratchTrees.deleteRecursively(root);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
