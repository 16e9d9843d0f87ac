package dev.ioengine.badinput;

import static dev.ioengine.badinput.DifferentialCase.returning;
import static dev.ioengine.badinput.DifferentialCase.throwing;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.EngineKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to every FileSystemProvider method of {@code new IoEngineFileSystemProvider(default)}, run on the
 * JDK's default provider too: io-engine must throw what the JDK throws (or return what it returns). The metadata
 * methods do not depend on the engine, so one engine (the first available) runs them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProviderBadInputTest {
    @AfterAll
    static void closeEngines() throws InterruptedException {
        ChannelBadInputTest.closeEngines();
    }

    @TempDir
    Path tmp;

    static Stream<DifferentialCase> providerCases() {
        return Stream.of(
                throwing("newFileSystem(URI, Map)", "the default file URI", FileSystemAlreadyExistsException.class,
                        s -> s.provider().newFileSystem(URI.create("file:///"), Map.of())),
                throwing("getFileSystem(URI)", "a URI with a path", IllegalArgumentException.class,
                        s -> s.provider().getFileSystem(URI.create("file:///tmp"))),
                throwing("getFileSystem(URI)", "another scheme", IllegalArgumentException.class,
                        s -> s.provider().getFileSystem(URI.create("http://example.com/"))),
                throwing("getFileSystem(URI)", "null", NullPointerException.class,
                        s -> s.provider().getFileSystem(null)),
                throwing("getPath(URI)", "another scheme", IllegalArgumentException.class,
                        s -> s.provider().getPath(URI.create("http://example.com/x"))),
                throwing("getPath(URI)", "relative URI", IllegalArgumentException.class,
                        s -> s.provider().getPath(URI.create("x/y"))),
                throwing("getPath(URI)", "a query component", IllegalArgumentException.class,
                        s -> s.provider().getPath(URI.create("file:///tmp?q=1"))),
                throwing("getPath(URI)", "null", NullPointerException.class, s -> s.provider().getPath(null)),
                throwing("newByteChannel", "foreign Path", ProviderMismatchException.class,
                        s -> s.track(s.provider().newByteChannel(s.foreign(), Set.of(READ)))),
                throwing("newByteChannel", "null options", NullPointerException.class,
                        s -> s.track(s.provider().newByteChannel(s.data(), null))),
                throwing("newInputStream", "APPEND", UnsupportedOperationException.class,
                        s -> s.track(s.provider().newInputStream(s.data(), java.nio.file.StandardOpenOption.APPEND))),
                throwing("newInputStream", "a missing file", NoSuchFileException.class,
                        s -> s.track(s.provider().newInputStream(s.missing()))),
                throwing("newInputStream", "null options array", NullPointerException.class,
                        s -> s.track(s.provider().newInputStream(s.data(), (java.nio.file.OpenOption[]) null))),
                throwing("newOutputStream", "foreign Path", ProviderMismatchException.class,
                        s -> s.track(s.provider().newOutputStream(s.foreign()))),
                throwing("newOutputStream", "READ", IllegalArgumentException.class,
                        s -> s.track(s.provider().newOutputStream(s.data(), READ))),
                throwing("newOutputStream", "a directory", java.nio.file.FileSystemException.class,
                        s -> s.track(s.provider().newOutputStream(s.dir()))),
                throwing("newFileChannel", "a directory for WRITE", java.nio.file.FileSystemException.class,
                        s -> s.track(s.provider().newFileChannel(s.dir(), Set.of(WRITE)))),
                throwing("newDirectoryStream", "foreign Path", ProviderMismatchException.class,
                        s -> s.track(s.provider().newDirectoryStream(s.foreign(), p -> true))),
                throwing("newDirectoryStream", "a regular file", NotDirectoryException.class,
                        s -> s.track(s.provider().newDirectoryStream(s.data(), p -> true))),
                throwing("newDirectoryStream", "null filter", NullPointerException.class,
                        s -> s.track(s.provider().newDirectoryStream(s.dir(), null))),
                throwing("createDirectory", "an existing file", FileAlreadyExistsException.class, s -> {
                    s.provider().createDirectory(s.data());
                    return null;
                }),
                throwing("createDirectory", "foreign Path", ProviderMismatchException.class, s -> {
                    s.provider().createDirectory(s.foreign());
                    return null;
                }),
                throwing("createDirectory", "unsupported attribute", UnsupportedOperationException.class, s -> {
                    s.provider().createDirectory(s.missing(), new BogusAttribute());
                    return null;
                }),
                throwing("createSymbolicLink", "foreign target", ProviderMismatchException.class, s -> {
                    s.provider().createSymbolicLink(s.missing(), s.foreign());
                    return null;
                }),
                throwing("createSymbolicLink", "an existing link path", FileAlreadyExistsException.class, s -> {
                    s.provider().createSymbolicLink(s.data(), s.dir());
                    return null;
                }),
                throwing("createLink", "foreign existing", ProviderMismatchException.class, s -> {
                    s.provider().createLink(s.missing(), s.foreign());
                    return null;
                }),
                throwing("createLink", "a missing existing", NoSuchFileException.class, s -> {
                    s.provider().createLink(s.dir().resolve("l"), s.missing());
                    return null;
                }),
                throwing("delete", "foreign Path", ProviderMismatchException.class, s -> {
                    s.provider().delete(s.foreign());
                    return null;
                }),
                throwing("delete", "a missing file", NoSuchFileException.class, s -> {
                    s.provider().delete(s.missing());
                    return null;
                }),
                throwing("delete", "a non-empty directory", DirectoryNotEmptyException.class, s -> {
                    Files.createFile(s.dir().resolve("f"));
                    s.provider().delete(s.dir());
                    return null;
                }),
                throwing("delete", "null", NullPointerException.class, s -> {
                    s.provider().delete(null);
                    return null;
                }),
                returning("deleteIfExists", "a missing file", s -> s.provider().deleteIfExists(s.missing())),
                throwing("deleteIfExists", "foreign Path", ProviderMismatchException.class,
                        s -> s.provider().deleteIfExists(s.foreign())),
                throwing("readSymbolicLink", "a regular file", NotLinkException.class,
                        s -> s.provider().readSymbolicLink(s.data())),
                throwing("readSymbolicLink", "foreign Path", ProviderMismatchException.class,
                        s -> s.provider().readSymbolicLink(s.foreign())),
                throwing("copy", "foreign source", ProviderMismatchException.class, s -> {
                    s.provider().copy(s.foreign(), s.missing());
                    return null;
                }),
                throwing("copy", "foreign target", ProviderMismatchException.class, s -> {
                    s.provider().copy(s.data(), s.foreign());
                    return null;
                }),
                throwing("copy", "an existing target without REPLACE_EXISTING", FileAlreadyExistsException.class,
                        s -> {
                            s.provider().copy(s.data(), s.dir());
                            return null;
                        }),
                throwing("copy", "ATOMIC_MOVE (a move option)", UnsupportedOperationException.class, s -> {
                    s.provider().copy(s.data(), s.missing(), StandardCopyOption.ATOMIC_MOVE);
                    return null;
                }),
                throwing("copy", "null option", NullPointerException.class, s -> {
                    s.provider().copy(s.data(), s.missing(), (java.nio.file.CopyOption) null);
                    return null;
                }),
                throwing("move", "foreign target", ProviderMismatchException.class, s -> {
                    s.provider().move(s.data(), s.foreign());
                    return null;
                }),
                throwing("move", "a missing source", NoSuchFileException.class, s -> {
                    s.provider().move(s.missing(), s.dir().resolve("m"));
                    return null;
                }),
                throwing("move", "unknown CopyOption", UnsupportedOperationException.class,
                        s -> {
                            s.provider().move(s.data(), s.missing(), LinkOption.NOFOLLOW_LINKS, BogusCopyOption.BOGUS);
                            return null;
                        }),
                returning("isSameFile", "a foreign Path (false, not an exception)",
                        s -> s.provider().isSameFile(s.data(), s.foreign())),
                throwing("isSameFile", "a missing file", NoSuchFileException.class,
                        s -> s.provider().isSameFile(s.data(), s.missing())),
                throwing("isHidden", "foreign Path", ProviderMismatchException.class,
                        s -> s.provider().isHidden(s.foreign())),
                throwing("getFileStore", "foreign Path", ProviderMismatchException.class,
                        s -> s.provider().getFileStore(s.foreign())),
                throwing("getFileStore", "a missing file", NoSuchFileException.class,
                        s -> s.provider().getFileStore(s.missing())),
                throwing("checkAccess", "a missing file", NoSuchFileException.class, s -> {
                    s.provider().checkAccess(s.missing(), AccessMode.READ);
                    return null;
                }),
                throwing("checkAccess", "foreign Path", ProviderMismatchException.class, s -> {
                    s.provider().checkAccess(s.foreign());
                    return null;
                }),
                throwing("checkAccess", "null mode", NullPointerException.class, s -> {
                    s.provider().checkAccess(s.data(), (AccessMode) null);
                    return null;
                }),
                returning("getFileAttributeView", "an unsupported view type (null)",
                        s -> s.provider().getFileAttributeView(s.data(), BogusView.class)),
                throwing("getFileAttributeView", "foreign Path", ProviderMismatchException.class,
                        s -> s.provider().getFileAttributeView(s.foreign(),
                                java.nio.file.attribute.BasicFileAttributeView.class)),
                throwing("readAttributes(Path, Class)", "null type", NullPointerException.class,
                        s -> s.provider().readAttributes(s.data(), (Class<BasicFileAttributes>) null)),
                throwing("readAttributes(Path, Class)", "a missing file", NoSuchFileException.class,
                        s -> s.provider().readAttributes(s.missing(), BasicFileAttributes.class)),
                throwing("readAttributes(Path, Class)", "foreign Path", ProviderMismatchException.class,
                        s -> s.provider().readAttributes(s.foreign(), BasicFileAttributes.class)),
                throwing("readAttributes(Path, String)", "unknown view", UnsupportedOperationException.class,
                        s -> s.provider().readAttributes(s.data(), "bogus:size")),
                throwing("readAttributes(Path, String)", "unknown attribute", IllegalArgumentException.class,
                        s -> s.provider().readAttributes(s.data(), "basic:bogus")),
                throwing("readAttributes(Path, String)", "empty", IllegalArgumentException.class,
                        s -> s.provider().readAttributes(s.data(), "")),
                throwing("setAttribute", "unknown attribute", IllegalArgumentException.class, s -> {
                    s.provider().setAttribute(s.data(), "basic:bogus", 1);
                    return null;
                }),
                throwing("setAttribute", "wrong value type", ClassCastException.class, s -> {
                    s.provider().setAttribute(s.data(), "basic:lastModifiedTime", "yesterday");
                    return null;
                }),
                throwing("setAttribute", "read-only attribute (size)", IllegalArgumentException.class, s -> {
                    s.provider().setAttribute(s.data(), "basic:size", 5L);
                    return null;
                }),
                throwing("setAttribute", "unknown view", UnsupportedOperationException.class, s -> {
                    s.provider().setAttribute(s.data(), "bogus:x", FileTime.fromMillis(0));
                    return null;
                }),
                throwing("setAttribute", "foreign Path", ProviderMismatchException.class, s -> {
                    s.provider().setAttribute(s.foreign(), "basic:lastModifiedTime", FileTime.fromMillis(0));
                    return null;
                }),
                throwing("Files.createFile", "posix permissions of the wrong type", ClassCastException.class,
                        s -> Files.createFile(s.missing(), new BogusPermissionsAttribute())),
                returning("Files.createFile", "posix permissions", s -> Files.getPosixFilePermissions(
                        Files.createFile(s.missing(), PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------"))))),
                returning("Files.exists", "a missing file (false)", s -> Files.exists(s.missing())));
    }

    /** A view no provider supports. */
    interface BogusView extends java.nio.file.attribute.FileAttributeView {}

    /** A copy option no provider knows. */
    enum BogusCopyOption implements java.nio.file.CopyOption { BOGUS }

    /** An attribute no provider knows. */
    static final class BogusAttribute implements java.nio.file.attribute.FileAttribute<String> {
        @Override
        public String name() {
            return "bogus:thing";
        }

        @Override
        public String value() {
            return "x";
        }
    }

    /** posix:permissions with a value of the wrong type. */
    static final class BogusPermissionsAttribute implements java.nio.file.attribute.FileAttribute<String> {
        @Override
        public String name() {
            return "posix:permissions";
        }

        @Override
        public String value() {
            return "rw-------";
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providerCases")
    void ioEngineProviderDoesWhatTheJdkDoes(DifferentialCase row) throws IOException {
        EngineKind kind = ChannelBadInputTest.engines().findFirst().orElseThrow();
        ChannelBadInputTest.checkAgainstTheJdk(row, ChannelBadInputTest.engineFileSystem(kind), tmp);
    }
}
