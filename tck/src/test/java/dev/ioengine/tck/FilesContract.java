package dev.ioengine.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@link FileSystemProvider} contract as seen through {@link Files}: create, delete, copy, move, links,
 * attributes, directory streams, walks and the stream/string helpers, the interrupt rule of {@code Files.*}, and
 * "everything returned is wrapped": every path, store and key handed back belongs to the file system under test.
 */
abstract class FilesContract extends ContractBase {

    private void assertOwned(Path path) {
        assertThat(path.getFileSystem()).as("file system of %s", path).isSameAs(fs);
    }

    // ---- create and delete ----

    @Test
    void createAndDelete() throws IOException {
        Path f = Files.createFile(dir.resolve("f"));
        assertThat(Files.isRegularFile(f)).isTrue();
        assertThatThrownBy(() -> Files.createFile(f)).isInstanceOf(FileAlreadyExistsException.class);
        Path d = Files.createDirectory(dir.resolve("d"));
        assertThat(Files.isDirectory(d)).isTrue();
        assertThatThrownBy(() -> Files.createDirectory(d)).isInstanceOf(FileAlreadyExistsException.class);
        Path deep = Files.createDirectories(dir.resolve("x/y/z"));
        assertThat(Files.isDirectory(deep)).isTrue();
        assertThat(Files.createDirectories(deep)).isEqualTo(deep);
        assertThatThrownBy(() -> Files.createFile(dir.resolve("missing/f"))).isInstanceOf(NoSuchFileException.class);
        Files.createFile(d.resolve("inside"));
        assertThatThrownBy(() -> Files.delete(d)).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(d.resolve("inside"));
        Files.delete(d);
        Files.delete(f);
        assertThat(Files.exists(f)).isFalse();
        assertThatThrownBy(() -> Files.delete(f)).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.deleteIfExists(f)).isFalse();
        assertThat(Files.deleteIfExists(deep)).isTrue();
        Path temp = Files.createTempFile(dir, "pre", ".suf");
        assertOwned(temp);
        assertThat(temp.getFileName().toString()).startsWith("pre").endsWith(".suf");
        assertOwned(Files.createTempDirectory(dir, "td"));
    }

    // ---- copy and move ----

    @Test
    void copyFilesAndAttributes() throws IOException {
        Path src = Files.writeString(dir.resolve("src"), "hello");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(src, old);
        Path dst = dir.resolve("dst");
        assertThat(Files.copy(src, dst)).isEqualTo(dst);
        assertThat(Files.readString(dst)).isEqualTo("hello");
        assertThatThrownBy(() -> Files.copy(src, dst)).isInstanceOf(FileAlreadyExistsException.class);
        Files.writeString(src, "again");
        Files.setLastModifiedTime(src, old);
        Files.copy(src, dst, REPLACE_EXISTING, COPY_ATTRIBUTES);
        assertThat(Files.readString(dst)).isEqualTo("again");
        assertThat(Files.getLastModifiedTime(dst)).isEqualTo(old);
        assertThatThrownBy(() -> Files.copy(dir.resolve("missing"), dir.resolve("m2")))
                .isInstanceOf(NoSuchFileException.class);

        assertThat(Files.copy(new ByteArrayInputStream("streamed".getBytes(UTF_8)), dir.resolve("s"))).isEqualTo(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Files.copy(dir.resolve("s"), out)).isEqualTo(8);
        assertThat(out.toString(UTF_8)).isEqualTo("streamed");
    }

    @Test
    void moveFilesAndDirectories() throws IOException {
        Path src = Files.writeString(dir.resolve("src"), "m");
        Path dst = dir.resolve("dst");
        assertThat(Files.move(src, dst)).isEqualTo(dst);
        assertThat(Files.exists(src)).isFalse();
        assertThat(Files.readString(dst)).isEqualTo("m");
        Path other = Files.writeString(dir.resolve("other"), "o");
        assertThatThrownBy(() -> Files.move(other, dst)).isInstanceOf(FileAlreadyExistsException.class);
        Files.move(other, dst, REPLACE_EXISTING);
        assertThat(Files.readString(dst)).isEqualTo("o");
        Path atomic = Files.move(dst, dir.resolve("atomic"), ATOMIC_MOVE);
        assertThat(Files.readString(atomic)).isEqualTo("o");
        Path d = Files.createDirectories(dir.resolve("d/sub"));
        Files.writeString(d.resolve("f"), "in");
        Files.move(dir.resolve("d"), dir.resolve("moved"));
        assertThat(Files.readString(dir.resolve("moved/sub/f"))).isEqualTo("in");
    }

    // ---- links ----

    @Test
    void symbolicAndHardLinks() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "linked");
        Path link = Files.createSymbolicLink(dir.resolve("link"), fs.getPath("target"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        Path read = Files.readSymbolicLink(link);
        assertOwned(read);
        assertThat(read).isEqualTo(fs.getPath("target"));
        assertThat(Files.readString(link)).isEqualTo("linked");
        assertThat(Files.isSameFile(link, target)).isTrue();
        assertThatThrownBy(() -> Files.readSymbolicLink(target)).isInstanceOf(NotLinkException.class);
        BasicFileAttributes ofLink = Files.readAttributes(link, BasicFileAttributes.class, NOFOLLOW_LINKS);
        assertThat(ofLink.isSymbolicLink()).isTrue();
        assertThat(Files.readAttributes(link, BasicFileAttributes.class).isRegularFile()).isTrue();

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(Files.exists(dangling)).isFalse();
        assertThat(Files.exists(dangling, NOFOLLOW_LINKS)).isTrue();
        assertOwned(Files.readSymbolicLink(dangling));

        Path hard = Files.createLink(dir.resolve("hard"), target);
        assertThat(Files.isSameFile(hard, target)).isTrue();
        Files.writeString(hard, "changed");
        assertThat(Files.readString(target)).isEqualTo("changed");
    }

    // ---- attributes ----

    @Test
    void basicAttributes() throws IOException {
        Path f = Files.write(dir.resolve("f"), pattern(123));
        BasicFileAttributes attrs = Files.readAttributes(f, BasicFileAttributes.class);
        assertThat(attrs.size()).isEqualTo(123);
        assertThat(attrs.isRegularFile()).isTrue();
        assertThat(attrs.isDirectory()).isFalse();
        assertThat(attrs.fileKey()).isEqualTo(Files.readAttributes(f, BasicFileAttributes.class).fileKey());
        assertThat(Files.size(f)).isEqualTo(123);
        assertThat(Files.getAttribute(f, "basic:size")).isEqualTo(123L);
        Map<String, Object> map = Files.readAttributes(f, "basic:size,isDirectory");
        assertThat(map).containsEntry("size", 123L).containsEntry("isDirectory", false);
        FileTime t = FileTime.fromMillis(1_500_000_000_000L);
        Files.setLastModifiedTime(f, t);
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(t);
        BasicFileAttributeView view = Files.getFileAttributeView(f, BasicFileAttributeView.class);
        view.setTimes(t, null, null);
        assertThat(view.readAttributes().lastModifiedTime()).isEqualTo(t);
        Files.setAttribute(f, "basic:lastModifiedTime", FileTime.fromMillis(1_600_000_000_000L));
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThatThrownBy(() -> Files.readAttributes(dir.resolve("missing"), BasicFileAttributes.class))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(Files.isReadable(f)).isTrue();
        assertThat(Files.isHidden(Files.createFile(dir.resolve(".hidden")))).isTrue();
        fs.provider().checkAccess(f, AccessMode.READ);
        assertThatThrownBy(() -> fs.provider().checkAccess(dir.resolve("missing")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void posixAttributes() throws IOException {
        assumeCapability(put.supportsPosixPermissions(), "the posix attribute view");
        Path f = Files.createFile(dir.resolve("f"));
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, perms);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(perms);
        PosixFileAttributes attrs = Files.readAttributes(f, PosixFileAttributes.class);
        assertThat(attrs.permissions()).isEqualTo(perms);
        assertThat(attrs.owner()).isEqualTo(Files.getOwner(f));
        assertThat(Files.getFileAttributeView(f, PosixFileAttributeView.class).name()).isEqualTo("posix");
        assertThat(fs.supportedFileAttributeViews()).contains("basic", "posix");
        Path created = Files.createFile(dir.resolve("g"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertThat(Files.getPosixFilePermissions(created)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(fs.getUserPrincipalLookupService().lookupPrincipalByName(Files.getOwner(f).getName()))
                .isEqualTo(Files.getOwner(f));
    }

    // ---- directory streams and walks: entries are owned ----

    @Test
    void directoryStreamEntriesAreOwned() throws IOException {
        Files.createFile(dir.resolve("a.txt"));
        Files.createFile(dir.resolve("b.log"));
        Files.createDirectory(dir.resolve("c"));
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                assertOwned(entry);
                assertThat(entry.getParent()).isEqualTo(dir);
                names.add(entry.getFileName().toString());
            }
        }
        assertThat(names).containsExactlyInAnyOrder("a.txt", "b.log", "c");
        try (DirectoryStream<Path> glob = Files.newDirectoryStream(dir, "*.txt")) {
            List<Path> matched = new ArrayList<>();
            glob.forEach(matched::add);
            assertThat(matched).containsExactly(dir.resolve("a.txt"));
        }
        try (DirectoryStream<Path> filtered = Files.newDirectoryStream(dir, Files::isDirectory)) {
            List<Path> matched = new ArrayList<>();
            filtered.forEach(matched::add);
            assertThat(matched).containsExactly(dir.resolve("c"));
        }
        try (Stream<Path> list = Files.list(dir)) {
            assertThat(list.peek(this::assertOwned).count()).isEqualTo(3);
        }
        assertThatThrownBy(() -> Files.newDirectoryStream(dir.resolve("a.txt")))
                .isInstanceOf(NotDirectoryException.class);
        assertThat(fs.getPathMatcher("glob:**.txt").matches(dir.resolve("a.txt"))).isTrue();
    }

    @Test
    void secureDirectoryStreamHandsBackOwnedPaths() throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/f"), "s");
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(stream instanceof SecureDirectoryStream,
                    () -> put.name() + " has no SecureDirectoryStream: contract part skipped");
            @SuppressWarnings("unchecked")
            SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) stream;
            try (SecureDirectoryStream<Path> sub = secure.newDirectoryStream(fs.getPath("sub"))) {
                for (Path entry : sub) {
                    assertOwned(entry);
                    assertThat(entry.getFileName()).isEqualTo(fs.getPath("f"));
                }
                try (SeekableByteChannel ch = sub.newByteChannel(fs.getPath("f"), Set.of(READ))) {
                    assertThat(ch.size()).isEqualTo(1);
                }
                assertThat(sub.getFileAttributeView(fs.getPath("f"), BasicFileAttributeView.class, NOFOLLOW_LINKS)
                        .readAttributes().size()).isEqualTo(1);
            }
        }
    }

    @Test
    void walkFindAndWalkFileTreeHandBackOwnedPaths() throws IOException {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/f.txt"), "w");
        Files.writeString(dir.resolve("a/g.txt"), "w");
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.peek(this::assertOwned).toList();
            assertThat(all).contains(dir, dir.resolve("a"), dir.resolve("a/b"), dir.resolve("a/b/f.txt"));
            assertThat(all).hasSize(5);
        }
        try (Stream<Path> found = Files.find(dir, 10, (p, a) -> a.isRegularFile())) {
            assertThat(found.peek(this::assertOwned).count()).isEqualTo(2);
        }
        List<Path> visited = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                assertOwned(d);
                visited.add(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                assertOwned(file);
                visited.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        assertThat(visited).hasSize(5);
    }

    // ---- streams and string helpers ----

    @Test
    void streamsReadersAndStringHelpers() throws IOException {
        Path f = dir.resolve("f");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(pattern(5000));
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(in.skip(10)).isEqualTo(10);
            assertThat(in.read()).isEqualTo(10);
            assertThat(in.readAllBytes()).hasSize(4989);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(pattern(5000));
        try (OutputStream out = Files.newOutputStream(f, APPEND)) {
            out.write(1);
        }
        assertThat(Files.size(f)).isEqualTo(5001);

        Files.writeString(f, "één\ntwo\nthree");
        assertThat(Files.readString(f)).isEqualTo("één\ntwo\nthree");
        assertThat(Files.readAllLines(f)).containsExactly("één", "two", "three");
        try (Stream<String> lines = Files.lines(f)) {
            assertThat(lines.toList()).containsExactly("één", "two", "three");
        }
        Files.write(f, List.of("x", "y"), UTF_8, StandardOpenOption.APPEND);
        assertThat(Files.readAllLines(f)).containsExactly("één", "two", "threex", "y");
        try (BufferedWriter w = Files.newBufferedWriter(f)) {
            w.write("buffered");
        }
        try (BufferedReader r = Files.newBufferedReader(f)) {
            assertThat(r.readLine()).isEqualTo("buffered");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(f, READ, WRITE)) {
            ch.position(2);
            ByteBuffer b = ByteBuffer.allocate(3);
            assertThat(ch.read(b)).isEqualTo(3);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("ffe");
            ch.truncate(4);
            assertThat(ch.size()).isEqualTo(4);
        }
        assertThatThrownBy(() -> Files.newInputStream(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void conflictingStreamOptionsAreRefused() throws IOException {
        skipIfDeviates(Deviation.OPTION_CONFLICT_EXCEPTION_TYPE);
        Path f = Files.createFile(dir.resolve("f"));
        assertThatThrownBy(() -> Files.newOutputStream(f, READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Files.newInputStream(f, WRITE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Files.newByteChannel(f, READ, APPEND)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- interrupt status set: Files.* still succeed ----

    @Test
    void filesHelpersSucceedWithTheInterruptStatusSet() throws Exception {
        skipIfDeviates(Deviation.INTERRUPTIBLE_FILES_HELPERS);
        Path f = Files.write(dir.resolve("f"), pattern(10_000));
        Map<String, Callable<?>> calls = new java.util.LinkedHashMap<>();
        calls.put("readAllBytes", () -> Files.readAllBytes(f));
        calls.put("readString", () -> Files.readString(Files.writeString(dir.resolve("s"), "text")));
        calls.put("writeString", () -> Files.writeString(dir.resolve("w"), "written"));
        calls.put("newInputStream", () -> {
            try (InputStream in = Files.newInputStream(f)) {
                return in.readAllBytes();
            }
        });
        calls.put("newOutputStream", () -> {
            try (OutputStream out = Files.newOutputStream(dir.resolve("o"))) {
                out.write(pattern(5000));
            }
            return null;
        });
        calls.put("write(bytes)", () -> Files.write(dir.resolve("b"), pattern(100)));
        calls.put("write(lines)", () -> Files.write(dir.resolve("l"), List.of("a", "b")));
        calls.put("readAllLines", () -> Files.readAllLines(dir.resolve("l")));
        calls.put("newBufferedReader", () -> {
            try (BufferedReader r = Files.newBufferedReader(dir.resolve("l"))) {
                return r.readLine();
            }
        });
        calls.put("newBufferedWriter", () -> {
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("bw"))) {
                w.write("x");
            }
            return null;
        });
        calls.put("copy(InputStream, Path)", () -> Files.copy(new ByteArrayInputStream(pattern(10)), dir.resolve("c")));
        calls.put("copy(Path, OutputStream)", () -> Files.copy(f, new ByteArrayOutputStream()));
        for (Map.Entry<String, Callable<?>> call : calls.entrySet()) {
            Outcome<?> outcome = callWithInterruptSet(call.getValue());
            assertThat(outcome.thrown()).as("Files.%s with the interrupt status set", call.getKey()).isNull();
            assertThat(outcome.interruptedAfter()).as("interrupt status kept by %s", call.getKey()).isTrue();
        }
        assertThat(Files.readString(dir.resolve("w"))).isEqualTo("written");
        assertThat(Files.readAllBytes(dir.resolve("o"))).isEqualTo(pattern(5000));
    }

    // ---- no leaks ----

    @Test
    void openingAndClosingLeaksNoFileDescriptors() throws Exception {
        assumeCapability(put.isBackedByHostFiles(), "file descriptors of this process");
        Path f = Files.write(dir.resolve("f"), pattern(100));
        Runnable cycle = () -> {
            try {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, READ, WRITE)) {
                    ch.read(ByteBuffer.allocate(10), 0);
                }
                try (java.nio.channels.AsynchronousFileChannel ch =
                        java.nio.channels.AsynchronousFileChannel.open(f, READ)) {
                    ch.read(ByteBuffer.allocate(10), 0).get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                }
                try (InputStream in = Files.newInputStream(f)) {
                    in.readAllBytes();
                }
                try (SeekableByteChannel ch = Files.newByteChannel(f)) {
                    ch.size();
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    ds.forEach(p -> { });
                }
                Files.readAllBytes(f);
                Files.writeString(dir.resolve("w"), "w");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        cycle.run();
        long before = openFileDescriptors();
        for (int i = 0; i < 50; i++) {
            cycle.run();
        }
        // A little slack for descriptors other threads of the JVM may open meanwhile; a leak here is 50 or more.
        assertThat(openFileDescriptors()).as("open descriptors after 50 open/close cycles (before: %s)", before)
                .isLessThanOrEqualTo(before + 3);
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    // ---- everything returned is wrapped ----

    @Test
    void fileStoresAndRootsBelongToTheFileSystem() throws IOException {
        FileStore store = Files.getFileStore(dir);
        assertThat(store.getClass().getPackageName())
                .as("the FileStore of %s comes from the provider's own package", put.name())
                .isEqualTo(fs.provider().getClass().getPackageName());
        assertThat(store.name()).isNotNull();
        assertThat(store.type()).isNotNull();
        assertThat(store.getTotalSpace()).isPositive();
        assertThat(store.supportsFileAttributeView(BasicFileAttributeView.class)).isTrue();
        for (FileStore any : fs.getFileStores()) {
            assertThat(any.getClass().getPackageName()).isEqualTo(fs.provider().getClass().getPackageName());
        }
        for (Path root : fs.getRootDirectories()) {
            assertOwned(root);
        }
        assertThat(dir.getFileSystem().provider()).isSameAs(fs.provider());
        assertThat(fs.getSeparator()).isEqualTo("/");
        assertThat(fs.isOpen()).isTrue();
    }

    @Test
    void channelsAndStreamsOpenedThroughTheProviderWork() throws IOException {
        Path f = Files.write(dir.resolve("f"), pattern(100));
        FileSystemProvider provider = fs.provider();
        try (SeekableByteChannel ch = provider.newByteChannel(f, Set.of(READ))) {
            assertThat(ch.size()).isEqualTo(100);
        }
        try (java.nio.channels.FileChannel ch = provider.newFileChannel(f, EnumSet.of(READ, WRITE, CREATE))) {
            assertThat(ch.size()).isEqualTo(100);
        }
        try (InputStream in = provider.newInputStream(f)) {
            assertThat(in.readAllBytes()).isEqualTo(pattern(100));
        }
    }

    @Test
    void pathsOfAnotherProviderAreRefused() throws IOException {
        FileSystemProvider provider = fs.provider();
        Path own = Files.writeString(dir.resolve("own"), "o");
        for (Path foreign : put.foreignPaths()) {
            List<ThrowingCall> calls = List.of(
                    () -> provider.newByteChannel(foreign, Set.of(READ)),
                    () -> provider.newFileChannel(foreign, Set.of(READ)),
                    () -> provider.newDirectoryStream(foreign.getParent(), p -> true),
                    () -> { provider.createDirectory(foreign.resolveSibling("newdir")); return null; },
                    () -> { provider.delete(foreign); return null; },
                    () -> { provider.copy(own, foreign, REPLACE_EXISTING); return null; },
                    () -> { provider.copy(foreign, own, REPLACE_EXISTING); return null; },
                    () -> { provider.move(foreign, own, REPLACE_EXISTING); return null; },
                    () -> provider.readAttributes(foreign, BasicFileAttributes.class),
                    () -> provider.readAttributes(foreign, "*"),
                    () -> provider.getFileAttributeView(foreign, BasicFileAttributeView.class),
                    () -> { provider.checkAccess(foreign); return null; },
                    () -> provider.getFileStore(foreign),
                    () -> { provider.createSymbolicLink(foreign.resolveSibling("l"), own); return null; });
            for (ThrowingCall call : calls) {
                assertThatThrownBy(call::call).as("a %s path given to %s", foreign.getFileSystem().provider()
                        .getScheme(), put.name()).isInstanceOf(ProviderMismatchException.class);
            }
            assertThat(Files.exists(foreign)).as("the foreign file is untouched").isTrue();
        }
    }

}
