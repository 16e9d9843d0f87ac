package dev.ioengine.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The file system of an {@link IoEngineFileSystemProvider}: wraps the delegate provider's file system (the JDK's
 * default one). This class is the one place where delegate paths, file stores and directory streams are wrapped
 * ({@code wrap(...)}) and where our paths are unwrapped ({@link #unwrap}); every other wrapper goes through it. Watch
 * keys are the exception: {@link IoEngineWatchService} wraps them, since it keeps the one wrapper of each key.
 *
 * <p>Wraps {@code delegate}. Owns nothing to close: like the JDK's default file system it cannot be closed
 * ({@link #close()} throws {@link UnsupportedOperationException}, as the delegate does), and the engine belongs to
 * the provider.
 */
final class IoEngineFileSystem extends FileSystem {
    private final IoEngineFileSystemProvider provider;
    private final FileSystemProvider delegateProvider;
    private final FileSystem delegate;

    IoEngineFileSystem(IoEngineFileSystemProvider provider, FileSystemProvider delegateProvider, FileSystem delegate) {
        this.provider = provider;
        this.delegateProvider = delegateProvider;
        this.delegate = delegate;
    }

    FileSystemProvider delegateProvider() {
        return delegateProvider;
    }

    // ---- wrapping and unwrapping: the only place

    /**
     * Our path for a delegate path. Null stays null: the delegate answers null for the root's parent, the file
     * name of a root, and the root of a relative path.
     */
    IoEnginePath wrap(Path delegatePath) {
        if (delegatePath == null) {
            return null;
        }
        assert !(delegatePath instanceof IoEnginePath) : "wrapped twice: " + delegatePath;
        return new IoEnginePath(this, delegatePath);
    }

    /**
     * The delegate path behind one of this file system's paths.
     *
     * @throws NullPointerException if {@code path} is null
     * @throws ProviderMismatchException if {@code path} belongs to another provider (including another
     *     io-engine provider: the {@code ioengine} scheme and the drop-in default are two providers)
     */
    Path unwrap(Path path) {
        Objects.requireNonNull(path, "path");
        if (path instanceof IoEnginePath ours && ours.getFileSystem() == this) {
            return ours.delegate();
        }
        throw new ProviderMismatchException(
                "path " + path + " (" + path.getClass().getName() + ") does not belong to " + this);
    }

    FileStore wrap(FileStore delegateStore) {
        return new IoEngineFileStore(delegateStore);
    }

    /** Wraps a directory stream, keeping it a {@link SecureDirectoryStream} when the delegate's is one. */
    DirectoryStream<Path> wrap(DirectoryStream<Path> delegateStream) {
        if (delegateStream instanceof SecureDirectoryStream<Path> secure) {
            return new IoEngineSecureDirectoryStream(this, secure);
        }
        return new IoEngineDirectoryStream(this, delegateStream);
    }

    IoEngineSecureDirectoryStream wrap(SecureDirectoryStream<Path> delegateStream) {
        return new IoEngineSecureDirectoryStream(this, delegateStream);
    }

    /**
     * The URI of a delegate path, in this provider's scheme: {@code file:///a} becomes {@code ioengine:///a}
     * for the {@code ioengine} provider and stays as it is for the drop-in default.
     */
    URI toUri(Path delegatePath) {
        return withScheme(delegatePath.toUri(), provider.getScheme());
    }

    /** The delegate's URI for one of ours: the inverse of {@link #toUri(Path)}. */
    URI toDelegateUri(URI uri) {
        return withScheme(uri, delegateProvider.getScheme());
    }

    /** Only the scheme changes; every other component, encoded as it was, stays. */
    private static URI withScheme(URI uri, String scheme) {
        if (uri.getScheme().equals(scheme)) {
            return uri;
        }
        return URI.create(scheme + uri.toString().substring(uri.getScheme().length()));
    }

    // ---- FileSystem

    @Override
    public IoEngineFileSystemProvider provider() {
        return provider;
    }

    /** As the JDK's default file system: it cannot be closed (the delegate throws UnsupportedOperationException). */
    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return delegate.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        for (Path root : delegate.getRootDirectories()) {
            roots.add(wrap(root));
        }
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        List<FileStore> stores = new ArrayList<>();
        for (FileStore store : delegate.getFileStores()) {
            stores.add(wrap(store));
        }
        return stores;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return delegate.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(delegate.getPath(first, more));
    }

    /**
     * Matches the delegate path behind ours. Paths of other providers are handed to the delegate's matcher as
     * they are: the JDK's matchers match any path by its string form.
     */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = delegate.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(path instanceof IoEnginePath ours ? ours.delegate() : path);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return delegate.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        return new IoEngineWatchService(this, delegate.newWatchService());
    }

    @Override
    public String toString() {
        return "io-engine file system (" + provider.getScheme() + ") over " + delegate;
    }
}
