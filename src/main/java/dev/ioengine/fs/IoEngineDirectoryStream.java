package dev.ioengine.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * A directory stream of an {@link IoEngineFileSystem}: wraps a delegate (JDK) directory stream; its entries come
 * back wrapped.
 *
 * <p>Wraps {@code delegate}; closing this stream closes the delegate.
 */
final class IoEngineDirectoryStream implements DirectoryStream<Path> {
    private final IoEngineFileSystem fileSystem;
    private final DirectoryStream<Path> delegate;

    IoEngineDirectoryStream(IoEngineFileSystem fileSystem, DirectoryStream<Path> delegate) {
        this.fileSystem = fileSystem;
        this.delegate = delegate;
    }

    @Override
    public Iterator<Path> iterator() {
        return wrapEntries(fileSystem, delegate.iterator());
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** The delegate's entries, wrapped; {@code remove()} stays unsupported, as the delegate's is. */
    static Iterator<Path> wrapEntries(IoEngineFileSystem fileSystem, Iterator<Path> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Path next() {
                return fileSystem.wrap(entries.next());
            }

            @Override
            public void remove() {
                entries.remove();
            }
        };
    }
}
