package dev.ioengine.fs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * A secure directory stream of an {@link IoEngineFileSystem}: wraps a delegate (JDK) {@link SecureDirectoryStream};
 * path arguments are unwrapped, entries and sub-streams come back wrapped.
 *
 * <p>{@link #newByteChannel} stays the delegate's: it opens the file relative to the open directory
 * ({@code openat}), which the engine's channels, opening by path, cannot do without losing what makes this stream
 * secure. So those channels do their IO the JDK's way.
 *
 * <p>Wraps {@code delegate}; closing this stream closes the delegate.
 */
final class IoEngineSecureDirectoryStream implements SecureDirectoryStream<Path> {
    private final IoEngineFileSystem fileSystem;
    private final SecureDirectoryStream<Path> delegate;

    IoEngineSecureDirectoryStream(IoEngineFileSystem fileSystem, SecureDirectoryStream<Path> delegate) {
        this.fileSystem = fileSystem;
        this.delegate = delegate;
    }

    @Override
    public Iterator<Path> iterator() {
        return IoEngineDirectoryStream.wrapEntries(fileSystem, delegate.iterator());
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public SecureDirectoryStream<Path> newDirectoryStream(Path path, LinkOption... options) throws IOException {
        return fileSystem.wrap(delegate.newDirectoryStream(fileSystem.unwrap(path), options));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        return delegate.newByteChannel(fileSystem.unwrap(path), options, attrs);
    }

    @Override
    public void deleteFile(Path path) throws IOException {
        delegate.deleteFile(fileSystem.unwrap(path));
    }

    @Override
    public void deleteDirectory(Path path) throws IOException {
        delegate.deleteDirectory(fileSystem.unwrap(path));
    }

    /**
     * @throws ProviderMismatchException if {@code targetDir} is not a secure directory stream of this file system
     *     (the JDK's own stream says the same of foreign streams)
     */
    @Override
    public void move(Path srcPath, SecureDirectoryStream<Path> targetDir, Path targetPath) throws IOException {
        Objects.requireNonNull(targetDir, "targetDir");
        if (!(targetDir instanceof IoEngineSecureDirectoryStream target) || target.fileSystem != fileSystem) {
            throw new ProviderMismatchException("directory stream " + targetDir + " does not belong to " + fileSystem);
        }
        delegate.move(fileSystem.unwrap(srcPath), target.delegate, fileSystem.unwrap(targetPath));
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Class<V> type) {
        return delegate.getFileAttributeView(type);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return delegate.getFileAttributeView(fileSystem.unwrap(path), type, options);
    }
}
