package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Everything returned is wrapped, everything given is unwrapped": the contract of the io-engine file system, run
 * against each way of having it (the {@code ioengine} scheme, and a provider built as the drop-in is).
 */
abstract class WrappedFileSystemContract {
    @TempDir
    Path jdkDir;

    /** The file system under test's path for a JDK (default file system) path. */
    abstract Path wrap(Path jdkPath);

    /** The scheme its URIs have. */
    abstract String scheme();

    Path dir() {
        return wrap(jdkDir);
    }

    static void assertWrapped(Path path, FileSystem fileSystem) {
        assertThat(path).isInstanceOf(IoEnginePath.class);
        assertThat(path.getFileSystem()).isSameAs(fileSystem);
    }

    void assertOurs(Path path) {
        assertWrapped(path, dir().getFileSystem());
    }

    @Test
    void fileSystemIsOursAndItsProviderIsOurProvider() {
        FileSystem fs = dir().getFileSystem();
        assertThat(fs).isInstanceOf(IoEngineFileSystem.class);
        assertThat(fs.provider()).isInstanceOf(IoEngineFileSystemProvider.class);
        assertThat(fs.provider().getScheme()).isEqualTo(scheme());
        assertThat(fs.isOpen()).isTrue();
        assertThat(fs.getSeparator()).isEqualTo("/");
        assertThat(fs.supportedFileAttributeViews()).contains("basic", "posix");
        assertThat(fs.getUserPrincipalLookupService()).isNotNull();
    }

    @Test
    void theFileSystemCannotBeClosedAsTheJdkDefault() {
        FileSystem fs = dir().getFileSystem();
        assertThatThrownBy(fs::close).isInstanceOf(UnsupportedOperationException.class);
        assertThat(fs.isOpen()).isTrue();
    }

    @Test
    void pathOperationsReturnOurPaths() {
        Path file = dir().resolve("a/b/../c.txt");
        assertOurs(file);
        assertOurs(file.getParent());
        assertOurs(file.getRoot());
        assertOurs(file.getFileName());
        assertOurs(file.getName(0));
        assertOurs(file.subpath(1, 3));
        assertOurs(file.normalize());
        assertOurs(file.toAbsolutePath());
        assertOurs(file.resolveSibling("d"));
        assertOurs(file.resolve(file.getFileSystem().getPath("x"), file.getFileSystem().getPath("y")));
        assertOurs(file.resolve("x", "y"));
        assertOurs(dir().relativize(file));
        assertOurs(file.getFileSystem().getPath("relative").toAbsolutePath());
        Iterator<Path> names = file.iterator();
        while (names.hasNext()) {
            assertOurs(names.next());
        }
        assertThat(file.getFileSystem().getPath("/").getParent()).isNull();
        assertThat(file.getFileSystem().getPath("/").getFileName()).isNull();
        assertThat(file.getFileSystem().getPath("rel").getRoot()).isNull();
        for (Path root : file.getFileSystem().getRootDirectories()) {
            assertOurs(root);
        }
        assertThat(file.normalize().toString()).isEqualTo(jdkDir.resolve("a/b/../c.txt").normalize().toString());
    }

    @Test
    void pathsCompareAndHashAsTheirDelegates() {
        Path a = dir().resolve("a");
        Path again = dir().getFileSystem().getPath(jdkDir.toString(), "a");
        assertThat(a).isEqualTo(again).hasSameHashCodeAs(again);
        assertThat(a.compareTo(dir().resolve("b"))).isNegative();
        assertThat(a.startsWith(dir())).isTrue();
        assertThat(a.endsWith(a.getFileSystem().getPath("a"))).isTrue();
        assertThat(a.startsWith(jdkDir.toString())).isTrue();
        assertThat(a.endsWith("a")).isTrue();
        assertThat(a).isNotEqualTo(jdkDir.resolve("a"));
    }

    @Test
    void toUriIsInOurSchemeAndRoundTrips() throws IOException {
        Path file = Files.createFile(dir().resolve("file with space"));
        URI uri = file.toUri();
        assertThat(uri.getScheme()).isEqualTo(scheme());
        assertThat(uri.getRawPath()).isEqualTo(jdkDir.resolve("file with space").toUri().getRawPath());
        Path back = file.getFileSystem().provider().getPath(uri);
        assertThat(back).isEqualTo(file);
        assertOurs(back);
        assertThat(dir().toUri().toString()).endsWith("/");
        Path accented = Files.createFile(dir().resolve("\u00e9t\u00e9 #1%"));
        assertThat(accented.getFileSystem().provider().getPath(accented.toUri())).isEqualTo(accented);
        assertThat(accented.toUri().getRawPath()).isEqualTo(jdkDir.resolve("\u00e9t\u00e9 #1%").toUri().getRawPath());
    }

    @Test
    void toRealPathAndReadSymbolicLinkAreOurs() throws IOException {
        Path target = Files.createFile(dir().resolve("target"));
        Path link = Files.createSymbolicLink(dir().resolve("link"), target.getFileName());
        assertOurs(Files.readSymbolicLink(link));
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("target");
        Path real = link.toRealPath();
        assertOurs(real);
        assertThat(real).isEqualTo(target.toRealPath());
        assertThat(link.toRealPath(LinkOption.NOFOLLOW_LINKS).getFileName().toString()).isEqualTo("link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isSameFile(link, target)).isTrue();
        Path hard = dir().resolve("hard");
        Files.createLink(hard, target);
        assertThat(Files.isSameFile(hard, target)).isTrue();
    }

    @Test
    void directoryEntriesAreOursAndTheFilterSeesOurs() throws IOException {
        Files.createFile(dir().resolve("one"));
        Files.createDirectory(dir().resolve("two"));
        List<Path> filtered = new ArrayList<>();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir(), entry -> {
            filtered.add(entry);
            return true;
        })) {
            stream.forEach(entries::add);
        }
        assertThat(entries).hasSize(2).allSatisfy(this::assertOurs);
        assertThat(filtered).hasSize(2).allSatisfy(this::assertOurs);
        assertThat(entries).containsExactlyInAnyOrder(dir().resolve("one"), dir().resolve("two"));
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir(), "o*")) {
            assertThat(stream).containsExactly(dir().resolve("one"));
        }
    }

    @Test
    void secureDirectoryStreamStaysSecureAndWrapped() throws IOException {
        Files.createDirectory(dir().resolve("sub"));
        Files.writeString(dir().resolve("sub/f"), "x");
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir())) {
            assertThat(stream).isInstanceOf(SecureDirectoryStream.class);
            SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) stream;
            Path sub = dir().getFileSystem().getPath("sub");
            try (SecureDirectoryStream<Path> inner = secure.newDirectoryStream(sub)) {
                List<Path> entries = new ArrayList<>();
                inner.forEach(entries::add);
                assertThat(entries).singleElement().satisfies(this::assertOurs);
                assertThat(entries.getFirst()).isEqualTo(dir().resolve("sub/f"));
                inner.move(dir().getFileSystem().getPath("f"), inner, dir().getFileSystem().getPath("g"));
                assertThat(inner.getFileAttributeView(dir().getFileSystem().getPath("g"),
                        java.nio.file.attribute.BasicFileAttributeView.class).readAttributes().size()).isEqualTo(1);
                inner.deleteFile(dir().getFileSystem().getPath("g"));
                assertThatThrownBy(() -> inner.deleteFile(jdkDir.resolve("sub/g")))
                        .isInstanceOf(ProviderMismatchException.class);
            }
            secure.deleteDirectory(sub);
        }
        assertThat(Files.exists(dir().resolve("sub"))).isFalse();
    }

    @Test
    void walkListAndFindGiveOurPaths() throws IOException {
        Files.createDirectories(dir().resolve("a/b"));
        Files.writeString(dir().resolve("a/b/leaf.txt"), "leaf");
        Files.writeString(dir().resolve("top.txt"), "top");
        try (Stream<Path> walk = Files.walk(dir())) {
            List<Path> all = walk.toList();
            assertThat(all).hasSize(5).allSatisfy(this::assertOurs);
            assertThat(all).contains(dir().resolve("a/b/leaf.txt"));
        }
        try (Stream<Path> list = Files.list(dir())) {
            assertThat(list.toList()).hasSize(2).allSatisfy(this::assertOurs);
        }
        try (Stream<Path> found = Files.find(dir(), 10, (p, attrs) -> attrs.isRegularFile())) {
            assertThat(found.toList()).hasSize(2).allSatisfy(this::assertOurs)
                    .contains(dir().resolve("top.txt"), dir().resolve("a/b/leaf.txt"));
        }
        assertThat(Files.isDirectory(dir().resolve("a"))).isTrue();
        assertThat(Files.isRegularFile(dir().resolve("top.txt"))).isTrue();
        assertThat(Files.exists(dir().resolve("absent"))).isFalse();
        assertThat(Files.notExists(dir().resolve("absent"))).isTrue();
    }

    @Test
    void fileStoresAreOurs() throws IOException {
        FileStore store = Files.getFileStore(dir());
        assertThat(store).isInstanceOf(IoEngineFileStore.class);
        assertThat(store).isEqualTo(Files.getFileStore(dir()));
        assertThat(store.name()).isEqualTo(Files.getFileStore(jdkDir).name());
        assertThat(store.type()).isEqualTo(Files.getFileStore(jdkDir).type());
        assertThat(store.getTotalSpace()).isPositive();
        assertThat(store.supportsFileAttributeView("posix")).isTrue();
        for (FileStore each : dir().getFileSystem().getFileStores()) {
            assertThat(each).isInstanceOf(IoEngineFileStore.class);
        }
    }

    @Test
    void watchKeysTheirWatchablesAndEventContextsAreOurs() throws Exception {
        try (WatchService watcher = dir().getFileSystem().newWatchService()) {
            WatchKey registered = dir().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            assertThat(registered.watchable()).isEqualTo(dir());
            assertOurs((Path) registered.watchable());
            Files.createFile(dir().resolve("created"));
            WatchKey signalled = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> watcher.poll(20, TimeUnit.SECONDS));
            assertThat(signalled).isSameAs(registered);
            List<WatchEvent<?>> events = signalled.pollEvents();
            assertThat(events).isNotEmpty();
            WatchEvent<?> event = events.getFirst();
            assertThat(event.kind()).isEqualTo(StandardWatchEventKinds.ENTRY_CREATE);
            assertThat(event.count()).isPositive();
            assertOurs((Path) event.context());
            assertThat(event.context()).isEqualTo(dir().getFileSystem().getPath("created"));
            assertThat(signalled.reset()).isTrue();
            signalled.cancel();
            assertThat(signalled.isValid()).isFalse();
        }
    }

    @Test
    void pathMatcherMatchesOurPaths() {
        PathMatcher matcher = dir().getFileSystem().getPathMatcher("glob:**/*.txt");
        assertThat(matcher.matches(dir().resolve("x.txt"))).isTrue();
        assertThat(matcher.matches(dir().resolve("x.bin"))).isFalse();
    }

    @Test
    void attributesCopyMoveAndDeleteGoThroughTheDelegate() throws IOException {
        Path source = Files.writeString(dir().resolve("source"), "content");
        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class);
        assertThat(attrs.size()).isEqualTo(7);
        assertThat(Files.readAttributes(source, "posix:permissions")).containsKey("permissions");
        Files.setAttribute(source, "basic:lastModifiedTime",
                java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        assertThat(Files.getLastModifiedTime(source).toMillis()).isEqualTo(1_000_000);
        Path copy = Files.copy(source, dir().resolve("copy"));
        Path moved = Files.move(copy, dir().resolve("moved"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(moved)).isEqualTo("content");
        assertThat(Files.isHidden(dir().resolve(".hidden"))).isTrue();
        assertThat(Files.isReadable(source)).isTrue();
        Files.delete(moved);
        assertThat(Files.deleteIfExists(moved)).isFalse();
        Path copiedOut = Files.copy(source, jdkDir.resolve("out-of-our-fs"));
        assertThat(Files.readString(copiedOut)).isEqualTo("content");
    }

    @Test
    void foreignPathsAreProviderMismatches() throws IOException {
        Path ours = dir().resolve("x");
        Path jdk = jdkDir.resolve("y");
        FileSystemProvider provider = ours.getFileSystem().provider();
        assertThatThrownBy(() -> ours.resolve(jdk)).isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> ours.relativize(jdk)).isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> provider.delete(jdk)).isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> provider.newByteChannel(jdk, java.util.Set.of()))
                .isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> provider.readAttributes(jdk, BasicFileAttributes.class))
                .isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> Files.createSymbolicLink(ours, jdk)).isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> jdk.resolve(ours)).isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> jdk.getFileSystem().provider().delete(ours))
                .isInstanceOf(ProviderMismatchException.class);
        try (WatchService jdkWatcher = FileSystems.getDefault().newWatchService()) {
            assertThatThrownBy(() -> dir().register(jdkWatcher, StandardWatchEventKinds.ENTRY_CREATE))
                    .isInstanceOf(ProviderMismatchException.class);
        }
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path jimfsPath = jimfs.getPath("/j");
            assertThatThrownBy(() -> ours.resolve(jimfsPath)).isInstanceOf(ProviderMismatchException.class);
            assertThat(ours.startsWith(jimfsPath)).isFalse();
            assertThat(ours.endsWith(jimfsPath)).isFalse();
            assertThatThrownBy(() -> ours.compareTo(jimfsPath)).isInstanceOf(ClassCastException.class);
        }
        assertThat(provider.isSameFile(ours, jdk)).isFalse();
        assertThat(ours.startsWith(jdk)).isFalse();
    }

    @Test
    void nullsAreNullPointerExceptions() {
        Path ours = dir().resolve("x");
        FileSystemProvider provider = ours.getFileSystem().provider();
        assertThatThrownBy(() -> ours.resolve((Path) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.delete(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.isSameFile(ours, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ours.startsWith((Path) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ours.register(null, StandardWatchEventKinds.ENTRY_CREATE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.newDirectoryStream(ours, null)).isInstanceOf(NullPointerException.class);
    }
}
