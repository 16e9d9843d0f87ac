package dev.ioengine.fs;

import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.channels.EngineChannels;
import dev.ioengine.internal.files.DirectOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A file system provider that wraps the JDK's own and sends file IO through an io-engine engine (io_uring, Linux
 * AIO or a thread pool): {@code AsynchronousFileChannel.open}, and {@code FileChannel.open} with O_DIRECT
 * ({@code ExtendedOpenOption.DIRECT}). Other blocking channels ({@code FileChannel.open},
 * {@code Files.newByteChannel}, {@code Files.newInputStream} / {@code newOutputStream} and everything in
 * {@code Files} built on them) are the JDK's own unless {@code ioengine.fileChannels} says otherwise
 * ({@code virtual}: those opened on virtual threads too; {@code engine}: all): one blocking call through the page
 * cache is fastest as the JDK's system call on the calling thread, which an engine can only meet. Everything else
 * (directories, attributes, links, copy and move, watch services) is the JDK's, behind wrappers.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>As the default provider:
 *       {@code -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider}.
 *       The JDK builds it during start-up with {@link #IoEngineFileSystemProvider(FileSystemProvider)}, giving it
 *       the built-in provider; its scheme is {@code file}, and {@code Path.of}, {@code File.toPath()},
 *       {@code FileChannel.open} and the rest of an unchanged program use it.</li>
 *   <li>As an installed provider, found through {@code META-INF/services} with {@link #IoEngineFileSystemProvider()}:
 *       scheme {@code ioengine}, e.g. {@code Path.of(URI.create("ioengine:///var/data/file"))} or
 *       {@code FileSystems.getFileSystem(URI.create("ioengine:///")).getPath("/var/data/file")}.</li>
 * </ul>
 *
 * <p>Each provider has one file system, which exists from the start and cannot be closed, as the JDK's default
 * ({@code newFileSystem} throws {@link FileSystemAlreadyExistsException}, {@code close} throws
 * {@link UnsupportedOperationException}). Each provider has one engine, opened on the first channel open from the
 * {@code ioengine.*} system properties (see {@link dev.ioengine.IoEngineConfig}); the {@code ioengine} provider shares
 * the drop-in's engine when both are in use. The engine is never closed: its threads are daemon threads.
 *
 * <p>Paths of this provider are not the JDK's: handing one to another provider, or another provider's path to this
 * one, throws {@link ProviderMismatchException}.
 */
public final class IoEngineFileSystemProvider extends FileSystemProvider {
    private static final String SCHEME = "ioengine";
    private static final String DEFAULT_SCHEME = "file";

    private final String scheme;
    private final Object lock = new Object();
    /** Set by the drop-in constructor; resolved on first use for the installed provider. */
    private volatile Delegation delegation;

    /** The delegate provider, our file system over the delegate's, and the engine. */
    private record Delegation(FileSystemProvider provider, IoEngineFileSystem fileSystem, ProviderEngine engine) {
    }

    /**
     * The installed provider, scheme {@code ioengine}, as {@link java.util.ServiceLoader} makes it. It wraps the
     * default provider, found on first use (never here: providers are loaded while the default file system may
     * still be in the making); when the default is itself the io-engine drop-in, it wraps what that one wraps, and
     * shares its engine.
     */
    public IoEngineFileSystemProvider() {
        this.scheme = SCHEME;
    }

    /**
     * The drop-in default, scheme {@code file}, wrapping {@code delegate}: what the JDK calls, with its built-in
     * provider, when {@code java.nio.file.spi.DefaultFileSystemProvider} names this class. Does no IO and touches
     * neither {@link FileSystems#getDefault()} nor logging: it runs during JVM start-up.
     *
     * @param delegate the provider to wrap: the JDK's built-in one (scheme {@code file})
     * @throws IllegalArgumentException if {@code delegate}'s scheme is not {@code file}
     */
    public IoEngineFileSystemProvider(FileSystemProvider delegate) {
        this(delegate, new ProviderEngine());
    }

    /** As the drop-in, with the engine given: for tests. */
    IoEngineFileSystemProvider(FileSystemProvider delegate, ProviderEngine engine) {
        Objects.requireNonNull(delegate, "delegate");
        if (!DEFAULT_SCHEME.equalsIgnoreCase(delegate.getScheme())) {
            throw new IllegalArgumentException("io-engine wraps the platform's file provider (scheme file), not "
                    + delegate.getScheme());
        }
        this.scheme = DEFAULT_SCHEME;
        this.delegation = delegationOver(delegate, engine);
    }

    private Delegation delegationOver(FileSystemProvider delegate, ProviderEngine engine) {
        FileSystem delegateFileSystem = delegate.getFileSystem(URI.create(DEFAULT_SCHEME + ":///"));
        return new Delegation(delegate, new IoEngineFileSystem(this, delegate, delegateFileSystem), engine);
    }

    private Delegation delegation() {
        Delegation resolved = delegation;
        if (resolved != null) {
            return resolved;
        }
        synchronized (lock) {
            if (delegation == null) {
                FileSystemProvider platform = FileSystems.getDefault().provider();
                if (platform instanceof IoEngineFileSystemProvider dropIn) {
                    Delegation theirs = dropIn.delegation();
                    delegation = delegationOver(theirs.provider(), theirs.engine());
                } else {
                    delegation = delegationOver(platform, new ProviderEngine());
                }
            }
            return delegation;
        }
    }

    private IoEngineFileSystem fileSystem() {
        return delegation().fileSystem();
    }

    private FileSystemProvider delegate() {
        return delegation().provider();
    }

    private Path unwrap(Path path) {
        return fileSystem().unwrap(path);
    }

    /**
     * The statistics of this provider's engine; empty until the first channel open has opened it, and when no engine
     * can run here (then, under {@code ioengine.engine=auto}, file IO uses the JDK's own channels).
     *
     * @return a snapshot of the engine's counters
     */
    public Optional<EngineStats> engineStats() {
        return delegation().engine().stats();
    }

    /** The engine holder, for tests in this package. */
    ProviderEngine engine() {
        return delegation().engine();
    }

    // ---- file systems and URIs

    /** {@code file} for the drop-in default, {@code ioengine} for the installed provider. */
    @Override
    public String getScheme() {
        return scheme;
    }

    /**
     * As the JDK's default provider: the one file system exists already.
     *
     * @throws FileSystemAlreadyExistsException always, once the URI is checked
     * @throws IllegalArgumentException if the URI is not {@code <scheme>:///}
     */
    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        checkFileSystemUri(uri);
        throw new FileSystemAlreadyExistsException(uri.toString());
    }

    /**
     * This provider's one file system.
     *
     * @throws IllegalArgumentException if the URI is not {@code <scheme>:///}, checked as the JDK checks
     *     {@code file:///}
     */
    @Override
    public FileSystem getFileSystem(URI uri) {
        checkFileSystemUri(uri);
        return fileSystem();
    }

    private void checkFileSystemUri(URI uri) {
        if (!scheme.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI does not match this provider");
        }
        if (uri.getRawAuthority() != null) {
            throw new IllegalArgumentException("Authority component present");
        }
        String path = uri.getPath();
        if (path == null) {
            throw new IllegalArgumentException("Path component is undefined");
        }
        if (!path.equals("/")) {
            throw new IllegalArgumentException("Path component should be '/'");
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("Query component present");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Fragment component present");
        }
    }

    /**
     * The path a URI of this provider's scheme names: {@code ioengine:///a/b} (or {@code file:///a/b} for the
     * drop-in), checked by the delegate as it checks {@code file} URIs.
     */
    @Override
    public Path getPath(URI uri) {
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("URI is not absolute");
        }
        if (!scheme.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI scheme is not \"" + scheme + "\"");
        }
        IoEngineFileSystem fileSystem = fileSystem();
        return fileSystem.wrap(delegate().getPath(fileSystem.toDelegateUri(uri)));
    }

    // ---- channels and streams: through the engine

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path file = unwrap(path);
        if (!servedByEngine(file, options)) {
            return delegate().newFileChannel(file, options, attrs);
        }
        return engineFileChannel(file, options, false, attrs);
    }

    /**
     * An engine file channel, its engine opened on first need (a virtual thread's call: see
     * {@link EngineChannels.LazyEngine}); {@code uninterruptible} for the channels the JDK itself makes
     * uninterruptible (behind the streams and {@code readAllBytes}). For the opens {@link #servedByEngine} takes.
     */
    private FileChannel engineFileChannel(Path file, Set<? extends OpenOption> options, boolean uninterruptible,
            FileAttribute<?>... attrs) throws IOException {
        ProviderEngine engine = delegation().engine();
        return uninterruptible
                ? EngineChannels.newUninterruptibleFileChannelWithLazyEngine(engine, file, options, attrs)
                : EngineChannels.newFileChannelWithLazyEngine(engine, file, options, attrs);
    }

    /**
     * Whether a blocking channel of {@code file} opened now is an engine file channel: when
     * {@code ioengine.fileChannels} says so for this thread and these options (by default: O_DIRECT only), engine
     * channels can run here, and the file is not a FIFO, device or socket. Otherwise it is the JDK's own.
     */
    private boolean servedByEngine(Path file, Set<? extends OpenOption> options) {
        return delegation().engine().servesFileChannel(Thread.currentThread(), DirectOption.in(options))
                && EngineChannels.serves(file, options);
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
            ExecutorService executor, FileAttribute<?>... attrs) throws IOException {
        Path file = unwrap(path);
        IoEngine engine = delegation().engine().get();
        if (engine == null || !EngineChannels.serves(file, options)) {
            return delegate().newAsynchronousFileChannel(file, options, executor, attrs);
        }
        return EngineChannels.newAsynchronousFileChannel(engine, file, options, executor, attrs);
    }

    /**
     * A {@link FileChannel}, as {@link #newFileChannel}. Interruptible like the JDK's, except under
     * {@code Files.readAllBytes} (and {@code readString}, which reads through it): there the JDK makes its channel
     * uninterruptible, and so do we.
     */
    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        Path file = unwrap(path);
        if (!servedByEngine(file, options)) {
            return delegate().newByteChannel(file, options, attrs); // readAllBytes makes the JDK's uninterruptible
        }
        // Files.readAllBytes opens with no options: only then is the stack worth walking.
        return engineFileChannel(file, options, options.isEmpty() && calledFromReadAllBytes(), attrs);
    }

    /**
     * Whether {@code Files.readAllBytes} is the caller: it opens its channel with {@code Files.newByteChannel} and
     * then, only when that channel is the JDK's own, makes it uninterruptible. The frames above us are
     * {@code Files.newByteChannel} (twice, through its overloads) and then {@code readAllBytes}.
     */
    private static boolean calledFromReadAllBytes() {
        return StackWalker.getInstance().walk(ReadAllBytesCaller.INSTANCE);
    }

    /**
     * The test of {@link #calledFromReadAllBytes()}: a class, not lambdas and a stream pipeline, as it runs on the
     * first file read of every program under the drop-in, where each lambda's bootstrap costs start-up time.
     */
    private static final class ReadAllBytesCaller implements Function<Stream<StackWalker.StackFrame>, Boolean> {
        /** Made on the first engine channel's open, not with the provider (the drop-in is made at start-up). */
        static final ReadAllBytesCaller INSTANCE = new ReadAllBytesCaller();

        @Override
        public Boolean apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            for (int i = 0; i < 6 && it.hasNext(); i++) {
                StackWalker.StackFrame frame = it.next();
                if (frame.getClassName().equals("java.nio.file.Files")
                        && frame.getMethodName().equals("readAllBytes")) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
    }

    /**
     * A stream over an engine file channel that a set interrupt status does not close, as the JDK's, when
     * {@link #servedByEngine} says so; else the JDK's own stream (for FIFOs, devices and sockets that matters: its
     * {@code readAllBytes} and {@code transferTo} know that the JDK's channel of such a file cannot seek, which they
     * cannot tell of a wrapper).
     *
     * @throws UnsupportedOperationException for {@code APPEND} or {@code WRITE}, as the JDK's default
     */
    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        for (OpenOption option : options) {
            // FileSystemProvider.newInputStream: every option but APPEND and WRITE is allowed
            if (option == StandardOpenOption.APPEND || option == StandardOpenOption.WRITE) {
                throw new UnsupportedOperationException("'" + option + "' not allowed");
            }
        }
        Set<OpenOption> opts = new HashSet<>();
        Collections.addAll(opts, options);
        Path file = unwrap(path);
        if (!servedByEngine(file, opts)) {
            return delegate().newInputStream(file, options);
        }
        return Channels.newInputStream(engineFileChannel(file, opts, true));
    }

    /**
     * A stream over an engine file channel that a set interrupt status does not close, as the JDK's, or the JDK's
     * own stream, as for {@link #newInputStream}. No options mean {@code CREATE, TRUNCATE_EXISTING, WRITE};
     * {@code WRITE} is always added.
     *
     * @throws IllegalArgumentException for {@code READ}, as the JDK's default
     */
    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> opts = new HashSet<>();
        if (options.length == 0) {
            Collections.addAll(opts, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } else {
            for (OpenOption option : options) {
                if (option == StandardOpenOption.READ) {
                    throw new IllegalArgumentException("READ not allowed");
                }
                opts.add(option);
            }
            opts.add(StandardOpenOption.WRITE);
        }
        Path file = unwrap(path);
        if (!servedByEngine(file, opts)) {
            return delegate().newOutputStream(file, options);
        }
        return Channels.newOutputStream(engineFileChannel(file, opts, true));
    }

    // ---- everything else: the delegate's, unwrapped and wrapped

    /** Entries are wrapped before {@code filter} sees them; a secure stream stays secure. */
    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        IoEngineFileSystem fileSystem = fileSystem();
        Path directory = fileSystem.unwrap(dir);
        Objects.requireNonNull(filter, "filter");
        return fileSystem.wrap(delegate().newDirectoryStream(directory, entry -> filter.accept(fileSystem.wrap(entry))));
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        delegate().createDirectory(unwrap(dir), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        delegate().createSymbolicLink(unwrap(link), unwrap(target), attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        delegate().createLink(unwrap(link), unwrap(existing));
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate().delete(unwrap(path));
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return delegate().deleteIfExists(unwrap(path));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return fileSystem().wrap(delegate().readSymbolicLink(unwrap(link)));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        delegate().copy(unwrap(source), unwrap(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        delegate().move(unwrap(source), unwrap(target), options);
    }

    /** False for a second path of another provider, as the JDK answers; the first must be ours. */
    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        Path first = unwrap(path);
        Objects.requireNonNull(path2, "path2");
        if (!(path2 instanceof IoEnginePath second) || second.getFileSystem() != fileSystem()) {
            return false;
        }
        return delegate().isSameFile(first, second.delegate());
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return delegate().isHidden(unwrap(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return fileSystem().wrap(delegate().getFileStore(unwrap(path)));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        delegate().checkAccess(unwrap(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return delegate().getFileAttributeView(unwrap(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return delegate().readAttributes(unwrap(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return delegate().readAttributes(unwrap(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        delegate().setAttribute(unwrap(path), attribute, value, options);
    }

    /** The delegate's: the JDK answers {@code Files.exists} and friends without an exception per missing file. */
    @Override
    public boolean exists(Path path, LinkOption... options) {
        return delegate().exists(unwrap(path), options);
    }

    /** The delegate's, as {@link #exists}: {@code Files.isDirectory} and {@code isRegularFile} come here. */
    @Override
    public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return delegate().readAttributesIfExists(unwrap(path), type, options);
    }

    @Override
    public String toString() {
        return "IoEngineFileSystemProvider[" + scheme + "]";
    }
}
