package dev.ioengine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.ForkedJvm;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What io-engine must not open up: descriptors leaking into child processes (O_CLOEXEC on every descriptor it
 * opens, the channels' and the engines' own), files created with more permissions than asked or than the umask
 * allows, symbolic links followed under NOFOLLOW_LINKS, CREATE_NEW that two racers both win, and paths of
 * another provider (or forged ones) reaching the delegate.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecurityTest {
    private static final int O_CLOEXEC = 02000000;

    @TempDir
    Path dir;

    @AfterAll
    static void closeProviders() throws InterruptedException {
        SecurityProviders.closeAll();
    }

    static List<EngineKind> kinds() {
        return SecurityProviders.kinds().toList();
    }

    // ---- O_CLOEXEC ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyChannelDescriptorIsCloseOnExec(EngineKind kind) throws Exception {
        FileSystem fs = SecurityProviders.fileSystem(kind);
        Path file = SecurityProviders.on(fs, Files.write(dir.resolve("file"), new byte[4096]));
        String real = dir.resolve("file").toRealPath().toString();
        long submittedBefore = SecurityProviders.submitted(kind);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            open.add(FileChannel.open(file, StandardOpenOption.READ));
            open.add(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
            open.add(FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            open.add(FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOptions.DIRECT));
            open.add(AsynchronousFileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
            open.add(Files.newByteChannel(file, StandardOpenOption.READ));
            open.add(Files.newInputStream(file));
            open.add(Files.newOutputStream(SecurityProviders.on(fs, dir.resolve("out"))));
            ((FileChannel) open.get(1)).write(ByteBuffer.allocate(16), 0);
            // A platform thread's FileChannel calls are its own system calls; the asynchronous channel's are the
            // engine's requests.
            ((AsynchronousFileChannel) open.get(4)).write(ByteBuffer.allocate(16), 0).get();
            List<Integer> ours = SecurityProviders.openFds().stream()
                    .filter(fd -> SecurityProviders.targetOf(fd).equals(real)).toList();
            assertThat(ours).as("descriptors on the file").hasSizeGreaterThanOrEqualTo(7);
            for (int fd : ours) {
                assertThat(SecurityProviders.flagsOf(fd) & O_CLOEXEC).as("O_CLOEXEC on fd %d (%s), flags %s", fd,
                        real, Integer.toOctalString(SecurityProviders.flagsOf(fd))).isEqualTo(O_CLOEXEC);
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        assertThat(SecurityProviders.submitted(kind)).as("the channels went through the engine")
                .isGreaterThan(submittedBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyDescriptorAnEngineOpensIsCloseOnExec(EngineKind kind) throws Exception {
        Engines.assumeAvailable(kind);
        int fd = LibC.open(dir.resolve("raw").toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0600);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        // By number and target: a number in the listing may be the listing's own descriptor, reused later.
        Set<String> before = new HashSet<>();
        for (int n : SecurityProviders.openFds()) {
            before.add(n + "=" + SecurityProviders.targetOf(n));
        }
        List<String> seen = new ArrayList<>();
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("security-" + kind.id())
                .build()); Arena arena = Arena.ofConfined()) {
            // Every lazily started part: transfers, fsync / fdatasync / fallocate (AIO's side worker).
            MemorySegment block = arena.allocate(4096, 4096);
            engine.execute(RawRequests.write(fd, 0, block));
            engine.execute(RawRequests.read(fd, 0, block));
            engine.execute(RawRequests.fsync(fd));
            engine.execute(RawRequests.fdatasync(fd));
            engine.execute(RawRequests.fallocate(fd, 0, 0, 8192));
            for (int n : SecurityProviders.openFds()) {
                String target = SecurityProviders.targetOf(n);
                if (before.contains(n + "=" + target) || !target.startsWith("anon_inode:")) {
                    continue;
                }
                int flags = SecurityProviders.flagsOf(n);
                if (flags < 0) {
                    continue;
                }
                seen.add(n + " " + target);
                assertThat(flags & O_CLOEXEC).as("O_CLOEXEC on the engine's fd %d (%s), flags %s", n, target,
                        Integer.toOctalString(flags)).isEqualTo(O_CLOEXEC);
            }
        } finally {
            LibC.close(fd);
        }
        if (kind == EngineKind.IO_URING) {
            assertThat(seen).as("the ring and its eventfd").anyMatch(s -> s.contains("io_uring"))
                    .anyMatch(s -> s.contains("eventfd"));
        }
    }

    // ---- permissions under the umask -------------------------------------------------------------------------

    static List<String> permissionCases() {
        return List.of("rwx------", "rw-------", "rw-r--r--", "rwxrwxrwx", "rw-rw-rw-", "r--------", "-w--w--w-",
                "---------");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void createdFilesGetTheRequestedPermissionsUnderTheUmask(EngineKind kind) throws Exception {
        FileSystem fs = SecurityProviders.fileSystem(kind);
        FileSystemProvider jdk = FileSystems.getDefault().provider();
        int umask = SecurityProviders.umask();
        int n = 0;
        for (String text : permissionCases()) {
            Set<PosixFilePermission> requested = PosixFilePermissions.fromString(text);
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(requested);
            int expected = modeOf(requested) & ~umask;
            List<ThrowingConsumer<Path>> ways = List.of(
                    p -> FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attr)
                            .close(),
                    p -> Files.newByteChannel(p, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attr)
                            .close(),
                    p -> AsynchronousFileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE), null, attr).close());
            for (ThrowingConsumer<Path> way : ways) {
                n++;
                Path ours = dir.resolve("ours-" + n);
                Path theirs = dir.resolve("jdk-" + n);
                try {
                    way.accept(SecurityProviders.on(fs, ours));
                    way.accept(theirs);
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
                assertThat(theirs.getFileSystem().provider()).isSameAs(jdk);
                int mode = (Integer) Files.getAttribute(ours, "unix:mode") & 07777;
                int jdkMode = (Integer) Files.getAttribute(theirs, "unix:mode") & 07777;
                assertThat(Integer.toOctalString(mode)).as("mode of %s asked under umask %s", text,
                        Integer.toOctalString(umask)).isEqualTo(Integer.toOctalString(expected));
                assertThat(mode).as("the JDK's mode for the same request").isEqualTo(jdkMode);
            }
        }
    }

    private static int modeOf(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }

    // ---- NOFOLLOW_LINKS --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void noFollowLinksIsHonouredAndTheTargetIsUntouched(EngineKind kind) throws Exception {
        FileSystem fs = SecurityProviders.fileSystem(kind);
        Path target = Files.write(dir.resolve("secret"), "secret".getBytes());
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("not-yet"));
        List<Set<OpenOption>> optionSets = List.of(
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS),
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS),
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS));
        for (Set<OpenOption> options : optionSets) {
            for (Path l : List.of(link, dangling)) {
                Path ours = SecurityProviders.on(fs, l);
                assertThatThrownBy(() -> Files.newByteChannel(ours, options).close()).as("%s %s", l, options)
                        .isInstanceOf(FileSystemException.class);
                assertThatThrownBy(() -> FileChannel.open(ours, options).close()).as("%s %s", l, options)
                        .isInstanceOf(FileSystemException.class);
                // The JDK refuses too (with a FileSystemException from newByteChannel, an IOException from open).
                assertThatThrownBy(() -> Files.newByteChannel(l, options).close()).isInstanceOf(IOException.class);
                if (!options.contains(StandardOpenOption.APPEND)) {
                    assertThatThrownBy(() -> AsynchronousFileChannel.open(ours, options, null).close())
                            .isInstanceOf(FileSystemException.class);
                }
            }
        }
        assertThat(Files.readString(target)).as("the link's target was not truncated or written").isEqualTo("secret");
        assertThat(dir.resolve("not-yet")).as("the dangling link's target was not created").doesNotExist();
        // Without NOFOLLOW_LINKS the link is followed, as the JDK does.
        try (SeekableByteChannel ch = Files.newByteChannel(SecurityProviders.on(fs, link))) {
            assertThat(ch.size()).isEqualTo(6);
        }
    }

    // ---- CREATE_NEW ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void createNewHasExactlyOneWinner(EngineKind kind) throws Exception {
        FileSystem fs = SecurityProviders.fileSystem(kind);
        int racers = 12;
        for (int round = 0; round < 20; round++) {
            Path file = SecurityProviders.on(fs, dir.resolve("race-" + round));
            AtomicInteger winners = new AtomicInteger();
            AtomicInteger existed = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> others = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < racers; t++) {
                int index = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        try (SeekableByteChannel ch = index % 2 == 0 ? Files.newByteChannel(file, options)
                                : FileChannel.open(file, options)) {
                            winners.incrementAndGet();
                            ch.write(ByteBuffer.wrap(new byte[] {(byte) index}));
                        }
                    } catch (FileAlreadyExistsException e) {
                        existed.incrementAndGet();
                    } catch (Throwable e) {
                        others.add(e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(others).isEmpty();
            assertThat(winners.get()).as("round %d", round).isEqualTo(1);
            assertThat(existed.get()).isEqualTo(racers - 1);
            assertThat(Files.size(file)).isEqualTo(1);
        }
    }

    // ---- foreign and forged paths ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void foreignAndForgedPathsNeverReachTheDelegate(EngineKind kind) throws Exception {
        FileSystem fs = SecurityProviders.fileSystem(kind);
        FileSystemProvider ours = fs.provider();
        Path real = Files.write(dir.resolve("victim"), "keep".getBytes());
        Path ourPath = SecurityProviders.on(fs, real);
        // A forged path: claims to belong to io-engine's file system, and to be the victim, but is not io-engine's.
        Path forged = (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFileSystem" -> fs;
                    case "toString" -> real.toString();
                    case "toAbsolutePath", "normalize", "toRealPath" -> proxy;
                    case "hashCode" -> 42;
                    case "equals" -> proxy == args[0];
                    default -> method.invoke(real, args);
                });
        // Another io-engine provider's path (same scheme, same engine kind), a Jimfs path, a plain JDK path.
        FileSystem otherIoEngine = new IoEngineFileSystemProvider(FileSystems.getDefault().provider())
                .getFileSystem(URI.create("file:///"));
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path jimfsPath = Files.write(jimfs.getPath("/victim"), "keep".getBytes());
            List<Path> foreign = List.of(forged, otherIoEngine.getPath(real.toString()), jimfsPath, real);
            for (Path p : foreign) {
                Set<OpenOption> write = Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                List<ThrowingConsumer<Path>> calls = List.of(
                        x -> ours.newFileChannel(x, write).close(),
                        x -> ours.newByteChannel(x, write).close(),
                        x -> ours.newAsynchronousFileChannel(x, write, null).close(),
                        x -> ours.newOutputStream(x).close(),
                        x -> ours.newInputStream(x).close(),
                        x -> ours.delete(x),
                        x -> ours.checkAccess(x),
                        x -> ours.readAttributes(x, "*"),
                        x -> ours.setAttribute(x, "lastModifiedTime",
                                FileTime.fromMillis(0)),
                        x -> ours.copy(ourPath, x, StandardCopyOption.REPLACE_EXISTING),
                        x -> ours.move(x, ourPath),
                        x -> ours.createSymbolicLink(x, ourPath),
                        x -> ours.isSameFile(x, ourPath));
                for (int c = 0; c < calls.size(); c++) {
                    ThrowingConsumer<Path> call = calls.get(c);
                    assertThatThrownBy(() -> call.accept(p)).as("call %d with %s (%s)", c, p, p.getClass().getName())
                            .isInstanceOf(ProviderMismatchException.class);
                }
                // As the JDK's provider: a foreign second path is simply not the same file.
                assertThat(ours.isSameFile(ourPath, p)).isFalse();
            }
            assertThat(Files.readString(jimfsPath)).isEqualTo("keep");
        }
        assertThat(Files.readString(real)).as("the victim was not truncated, moved or deleted").isEqualTo("keep");
    }

    // ---- native memory after close ---------------------------------------------------------------------------

    @Test
    void misuseAfterCloseThrowsAndTheJvmSurvives() throws Exception {
        Path work = dir.resolve("after-close");
        Properties results = ForkedJvm.launch(AfterCloseProgram.class)
                .options(ForkedJvm.NATIVE_ACCESS, "-Xshare:auto").classPath(ForkedJvm.locationOf(IoEngine.class), ForkedJvm.locationOf(AfterCloseProgram.class))
                .withReport().arguments(work.toString()).run(work).assertExitedCleanly(0).report();
        Path figures = Files.createDirectories(Path.of("target", "security-figures"));
        try (Writer out = Files.newBufferedWriter(figures.resolve("after-close.properties"))) {
            results.store(out, "what each misuse after close threw, per engine");
        }
        for (EngineKind kind : kinds()) {
            if (!EngineAvailability.probe(kind).available()) {
                continue;
            }
            for (String misuse : AfterCloseProgram.MISUSES) {
                String key = kind.id() + "." + misuse;
                assertThat(results.getProperty(key)).as(key).isNotNull().doesNotStartWith("NO EXCEPTION")
                        .doesNotStartWith("UNEXPECTED");
            }
        }
        assertThat(results.getProperty("survived")).isEqualTo("true");
    }
}
