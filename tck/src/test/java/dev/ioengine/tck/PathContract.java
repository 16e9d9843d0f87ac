package dev.ioengine.tck;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link Path} contract for Unix-style paths: syntax operations, URIs, absolute and real paths, and watch
 * registration. Every path an operation returns must belong to the file system under test.
 */
abstract class PathContract extends ContractBase {

    private Path p(String first, String... more) {
        return fs.getPath(first, more);
    }

    private void assertOwned(Path path) {
        assertThat(path.getFileSystem()).as("file system of %s", path).isSameAs(fs);
    }

    @Test
    void namesParentRootAndIteration() {
        Path abs = p("/a/b/c.txt");
        assertThat(abs.isAbsolute()).isTrue();
        assertThat(abs.getNameCount()).isEqualTo(3);
        assertThat(abs.getFileName()).isEqualTo(p("c.txt"));
        assertThat(abs.getParent()).isEqualTo(p("/a/b"));
        assertThat(abs.getRoot()).isEqualTo(p("/"));
        assertThat(abs.getName(1)).isEqualTo(p("b"));
        assertThat(abs.subpath(1, 3)).isEqualTo(p("b/c.txt"));
        List<String> names = new ArrayList<>();
        for (Path name : abs) {
            assertOwned(name);
            names.add(name.toString());
        }
        assertThat(names).containsExactly("a", "b", "c.txt");
        for (Path derived : List.of(abs.getFileName(), abs.getParent(), abs.getRoot(), abs.getName(0),
                abs.subpath(0, 2))) {
            assertOwned(derived);
        }
        Path rel = p("x", "y");
        assertThat(rel.toString()).isEqualTo("x/y");
        assertThat(rel.isAbsolute()).isFalse();
        assertThat(rel.getRoot()).isNull();
        assertThat(p("x").getParent()).isNull();
        assertThat(p("/").getFileName()).isNull();
        assertThat(p("/").getNameCount()).isZero();
        assertThat(p("").getNameCount()).isEqualTo(1);
        assertThatThrownBy(() -> abs.getName(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> abs.subpath(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolveAndResolveSibling() {
        Path base = p("/a/b");
        assertThat(base.resolve("c")).isEqualTo(p("/a/b/c"));
        assertThat(base.resolve(p("c/d"))).isEqualTo(p("/a/b/c/d"));
        assertThat(base.resolve("/x")).isEqualTo(p("/x"));
        assertThat(base.resolve("")).isEqualTo(base);
        assertThat(base.resolveSibling("z")).isEqualTo(p("/a/z"));
        assertThat(p("rel").resolve("x")).isEqualTo(p("rel/x"));
        assertOwned(base.resolve("c"));
        assertOwned(base.resolveSibling("z"));
    }

    @Test
    void relativizeAndNormalize() {
        Path a = p("/a/b");
        Path b = p("/a/c/d");
        Path rel = a.relativize(b);
        assertThat(rel).isEqualTo(p("../c/d"));
        assertOwned(rel);
        assertThat(a.resolve(rel).normalize()).isEqualTo(b);
        assertThat(a.relativize(a)).isEqualTo(p(""));
        assertThat(p("x/y").relativize(p("x/y/z"))).isEqualTo(p("z"));
        assertThatThrownBy(() -> p("/a").relativize(p("b"))).isInstanceOf(IllegalArgumentException.class);

        assertThat(p("/a/./b/../c/").normalize()).isEqualTo(p("/a/c"));
        assertThat(p("../x/./y/..").normalize()).isEqualTo(p("../x"));
        assertThat(p("/..").normalize()).isEqualTo(p("/"));
        assertOwned(p("/a/../b").normalize());
    }

    @Test
    void startsWithEndsWithEqualsCompareTo() {
        Path abs = p("/a/b/c");
        assertThat(abs.startsWith("/a/b")).isTrue();
        assertThat(abs.startsWith(p("/a"))).isTrue();
        assertThat(abs.startsWith("/a/bb")).isFalse();
        assertThat(abs.startsWith("a")).isFalse();
        assertThat(abs.endsWith("b/c")).isTrue();
        assertThat(abs.endsWith(p("c"))).isTrue();
        assertThat(abs.endsWith("/b/c")).isFalse();
        assertThat(abs.endsWith("/a/b/c")).isTrue();

        assertThat(p("/a/b")).isEqualTo(p("/a", "b")).hasSameHashCodeAs(p("/a", "b"));
        assertThat(p("/a/b")).isNotEqualTo(p("/a/c"));
        assertThat(p("a").compareTo(p("b"))).isNegative();
        assertThat(p("b").compareTo(p("a"))).isPositive();
        assertThat(p("/x").compareTo(p("/x"))).isZero();
        assertThat(p("a/b").toString()).isEqualTo("a/b");
    }

    @Test
    void pathsOfOtherProviders() throws IOException {
        for (Path foreign : put.foreignPaths()) {
            Path own = dir.resolve("x");
            assertThat(own).isNotEqualTo(foreign);
            assertThat(own.startsWith(foreign)).as("startsWith a foreign path").isFalse();
            assertThat(own.endsWith(foreign)).as("endsWith a foreign path").isFalse();
            assertThatThrownBy(() -> own.resolve(foreign)).isInstanceOf(ProviderMismatchException.class);
            assertThatThrownBy(() -> own.relativize(foreign)).isInstanceOf(ProviderMismatchException.class);
            assertThatThrownBy(() -> own.compareTo(foreign)).isInstanceOf(ClassCastException.class);
        }
    }

    @Test
    void toUriRoundTrip() throws IOException {
        Path file = Files.createFile(dir.resolve("with space+%.txt"));
        Path subdir = Files.createDirectory(dir.resolve("sub"));
        for (Path path : List.of(file, subdir, dir)) {
            java.net.URI uri = path.toUri();
            assertThat(uri.isAbsolute()).isTrue();
            assertThat(uri.getScheme()).isEqualTo(fs.provider().getScheme());
            Path back = put.deviations().contains(Deviation.PROVIDER_GET_PATH_UNSUPPORTED)
                    ? Path.of(uri)
                    : fs.provider().getPath(uri);
            assertOwned(back);
            assertThat(back).isEqualTo(path);
        }
        assertThat(subdir.toUri().toString()).as("a directory's URI ends with a slash").endsWith("/");
        assertThat(p("rel").toUri()).isEqualTo(p("rel").toAbsolutePath().toUri());
    }

    @Test
    void toAbsolutePathAndToRealPath() throws IOException {
        Path rel = p("some", "rel");
        Path abs = rel.toAbsolutePath();
        assertOwned(abs);
        assertThat(abs.isAbsolute()).isTrue();
        assertThat(abs.endsWith(rel)).isTrue();
        assertThat(dir.toAbsolutePath()).isEqualTo(dir);

        Path target = Files.writeString(dir.resolve("target"), "t");
        Path link = Files.createSymbolicLink(dir.resolve("link"), p("target"));
        Path real = link.toRealPath();
        assertOwned(real);
        assertThat(real).isEqualTo(target.toRealPath());
        assertThat(link.toRealPath(java.nio.file.LinkOption.NOFOLLOW_LINKS).getFileName()).isEqualTo(p("link"));
        Path dotted = dir.resolve("./x/../target");
        Files.createDirectory(dir.resolve("x"));
        assertThat(dotted.toRealPath()).isEqualTo(real);
        assertThatThrownBy(() -> dir.resolve("missing").toRealPath()).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void registerDeliversEventsWithOwnedPaths() throws Exception {
        assumeCapability(put.supportsWatch(), "WatchService");
        try (WatchService watcher = fs.newWatchService()) {
            WatchKey key = dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE);
            assertThat(key.isValid()).isTrue();
            assertThat(key.watchable()).isEqualTo(dir);
            assertOwned((Path) key.watchable());
            Files.createFile(dir.resolve("born"));
            WatchKey signalled = watcher.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(signalled).as("a key signalled within %ss", WAIT_SECONDS).isNotNull();
            assertThat(signalled.watchable()).isEqualTo(dir);
            assertOwned((Path) signalled.watchable());
            List<WatchEvent<?>> events = signalled.pollEvents();
            assertThat(events).isNotEmpty();
            WatchEvent<?> first = events.get(0);
            assertThat(first.kind()).isEqualTo(ENTRY_CREATE);
            Path context = (Path) first.context();
            assertOwned(context);
            assertThat(context).isEqualTo(p("born"));
            assertThat(signalled.reset()).isTrue();
            key.cancel();
            assertThat(key.isValid()).isFalse();
        }
    }

    @Test
    void registerWithAForeignWatchServiceIsRefused() throws Exception {
        assumeCapability(put.supportsWatch(), "WatchService");
        skipIfDeviates(Deviation.FOREIGN_WATCH_SERVICE_EXCEPTION_TYPE);
        try (WatchService foreign = put.foreignPaths().get(0).getFileSystem().newWatchService()) {
            assertThatThrownBy(() -> dir.register(foreign, ENTRY_CREATE)).isInstanceOf(ProviderMismatchException.class);
        }
    }
}
