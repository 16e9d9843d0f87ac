package dev.ioengine.fs;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;

/**
 * A file store of an {@link IoEngineFileSystem}: wraps a delegate (JDK) file store, so that no delegate object
 * reaches the caller. Every method delegates.
 *
 * <p>Wraps {@code delegate}; owns nothing.
 */
final class IoEngineFileStore extends FileStore {
    private final FileStore delegate;

    IoEngineFileStore(FileStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public long getTotalSpace() throws IOException {
        return delegate.getTotalSpace();
    }

    @Override
    public long getUsableSpace() throws IOException {
        return delegate.getUsableSpace();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        return delegate.getUnallocatedSpace();
    }

    @Override
    public long getBlockSize() throws IOException {
        return delegate.getBlockSize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return delegate.supportsFileAttributeView(type);
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return delegate.supportsFileAttributeView(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return delegate.getFileStoreAttributeView(type);
    }

    @Override
    public Object getAttribute(String attribute) throws IOException {
        return delegate.getAttribute(attribute);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IoEngineFileStore that && delegate.equals(that.delegate);
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
