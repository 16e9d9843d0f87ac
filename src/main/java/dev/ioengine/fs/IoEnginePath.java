package dev.ioengine.fs;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Iterator;
import java.util.Objects;

/**
 * A path of an {@link IoEngineFileSystem}: wraps a delegate (JDK) path. Every method delegates, unwrapping the
 * path arguments and wrapping the paths returned, through the file system's {@code wrap}/{@code unwrap}.
 *
 * <p>Wraps {@code delegate}; immutable, owns nothing.
 */
final class IoEnginePath implements Path {
    private final IoEngineFileSystem fileSystem;
    private final Path delegate;

    IoEnginePath(IoEngineFileSystem fileSystem, Path delegate) {
        this.fileSystem = fileSystem;
        this.delegate = delegate;
    }

    Path delegate() {
        return delegate;
    }

    @Override
    public IoEngineFileSystem getFileSystem() {
        return fileSystem;
    }

    @Override
    public boolean isAbsolute() {
        return delegate.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return fileSystem.wrap(delegate.getRoot());
    }

    @Override
    public Path getFileName() {
        return fileSystem.wrap(delegate.getFileName());
    }

    @Override
    public Path getParent() {
        return fileSystem.wrap(delegate.getParent());
    }

    @Override
    public int getNameCount() {
        return delegate.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return fileSystem.wrap(delegate.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return fileSystem.wrap(delegate.subpath(beginIndex, endIndex));
    }

    /** False for a path of another provider, as the JDK's own paths answer (no ProviderMismatchException). */
    @Override
    public boolean startsWith(Path other) {
        return isOurs(other) && delegate.startsWith(fileSystem.unwrap(other));
    }

    /** False for a path of another provider, as {@link #startsWith(Path)}. */
    @Override
    public boolean endsWith(Path other) {
        return isOurs(other) && delegate.endsWith(fileSystem.unwrap(other));
    }

    private boolean isOurs(Path other) {
        return Objects.requireNonNull(other, "other") instanceof IoEnginePath path && path.fileSystem == fileSystem;
    }

    @Override
    public boolean startsWith(String other) {
        return delegate.startsWith(other);
    }

    @Override
    public boolean endsWith(String other) {
        return delegate.endsWith(other);
    }

    @Override
    public Path normalize() {
        return fileSystem.wrap(delegate.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return fileSystem.wrap(delegate.resolve(fileSystem.unwrap(other)));
    }

    @Override
    public Path resolve(String other) {
        return fileSystem.wrap(delegate.resolve(other));
    }

    @Override
    public Path resolve(Path first, Path... more) {
        Path[] rest = new Path[more.length];
        for (int i = 0; i < more.length; i++) {
            rest[i] = fileSystem.unwrap(more[i]);
        }
        return fileSystem.wrap(delegate.resolve(fileSystem.unwrap(first), rest));
    }

    @Override
    public Path resolve(String first, String... more) {
        return fileSystem.wrap(delegate.resolve(first, more));
    }

    @Override
    public Path relativize(Path other) {
        return fileSystem.wrap(delegate.relativize(fileSystem.unwrap(other)));
    }

    /** In the provider's scheme: {@code ioengine:///...} or, for the drop-in default, {@code file:///...}. */
    @Override
    public URI toUri() {
        return fileSystem.toUri(delegate);
    }

    @Override
    public Path toAbsolutePath() {
        return fileSystem.wrap(delegate.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fileSystem.wrap(delegate.toRealPath(options));
    }

    /**
     * A {@link File} when this path belongs to the default file system (the drop-in case), so that
     * {@code path.toFile().toPath()} gives this path back. Not the delegate's {@code toFile()}: under the drop-in the
     * delegate's file system is no longer the default, and it would refuse.
     *
     * @throws UnsupportedOperationException otherwise (the {@code ioengine} scheme), as {@link Path#toFile()} is
     *     specified to
     */
    @Override
    public File toFile() {
        if (fileSystem != FileSystems.getDefault()) {
            throw new UnsupportedOperationException("Path not associated with default file system.");
        }
        return new File(toString());
    }

    /**
     * Registers the delegate path with the delegate watch service; the key, its {@code watchable()} and its events'
     * contexts come back wrapped.
     *
     * @throws ProviderMismatchException if {@code watcher} is not a watch service of this path's file system
     */
    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        Objects.requireNonNull(watcher, "watcher");
        if (!(watcher instanceof IoEngineWatchService service) || service.fileSystem() != fileSystem) {
            throw new ProviderMismatchException("watch service " + watcher + " does not belong to " + fileSystem);
        }
        return service.register(delegate, events, modifiers);
    }

    @Override
    public Iterator<Path> iterator() {
        Iterator<Path> names = delegate.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return names.hasNext();
            }

            @Override
            public Path next() {
                return fileSystem.wrap(names.next());
            }
        };
    }

    /**
     * Compares the delegate paths.
     *
     * @throws ClassCastException for a path of another provider, as {@link Path#compareTo} is documented to
     */
    @Override
    public int compareTo(Path other) {
        IoEnginePath that = (IoEnginePath) other;
        if (that.fileSystem != fileSystem) {
            throw new ClassCastException("path " + other + " belongs to another provider than " + fileSystem);
        }
        return delegate.compareTo(that.delegate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IoEnginePath that && that.fileSystem == fileSystem && delegate.equals(that.delegate);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
