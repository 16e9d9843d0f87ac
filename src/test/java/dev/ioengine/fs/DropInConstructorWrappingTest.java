package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Jimfs;
import java.net.URI;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The wrapping contract on a provider built as the JDK builds the drop-in (scheme {@code file}, given the platform
 * provider), here without being the default: the forked JVM test runs it as the default.
 */
class DropInConstructorWrappingTest extends WrappedFileSystemContract {
    static final IoEngineFileSystemProvider PROVIDER = new IoEngineFileSystemProvider(
            FileSystems.getDefault().provider());

    @AfterAll
    static void closeEngine() {
        PROVIDER.engine().close();
    }

    @Override
    Path wrap(Path jdkPath) {
        return PROVIDER.getFileSystem(URI.create("file:///")).getPath(jdkPath.toString());
    }

    @Override
    String scheme() {
        return "file";
    }

    @Test
    void fileUrisAreChecksAsTheJdkChecksThem() {
        assertThat(PROVIDER.getFileSystem(URI.create("file:///"))).isSameAs(dir().getFileSystem());
        assertThatThrownBy(() -> PROVIDER.newFileSystem(URI.create("file:///"), Map.of()))
                .isInstanceOf(FileSystemAlreadyExistsException.class);
        assertThatThrownBy(() -> PROVIDER.getFileSystem(URI.create("file:///x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PROVIDER.getPath(URI.create("ioengine:///x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PROVIDER.getPath(URI.create("file:///x"))).isEqualTo(dir().getFileSystem().getPath("/x"));
    }

    @Test
    void onlyTheFileProviderCanBeWrapped() {
        assertThatThrownBy(() -> new IoEngineFileSystemProvider(Jimfs.newFileSystem().provider()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jimfs");
        assertThatThrownBy(() -> new IoEngineFileSystemProvider(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pathsOfTheTwoIoEngineProvidersDoNotMix() {
        Path dropIn = dir().resolve("x");
        Path scheme = IoEngineSchemeWrappingTest.ioengine().getPath(jdkDir.toString(), "x");
        assertThat(dropIn).isNotEqualTo(scheme);
        assertThatThrownBy(() -> dropIn.resolve(scheme)).isInstanceOf(java.nio.file.ProviderMismatchException.class);
        assertThatThrownBy(() -> dropIn.compareTo(scheme)).isInstanceOf(ClassCastException.class);
    }

    @Test
    void notTheDefaultSoNoFile() {
        assertThatThrownBy(() -> dir().toFile()).isInstanceOf(UnsupportedOperationException.class);
    }
}
