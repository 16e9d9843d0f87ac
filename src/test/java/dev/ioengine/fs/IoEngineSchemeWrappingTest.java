package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.leaks.JvmWideResources;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wrapping contract on the installed provider, scheme {@code ioengine}, as ServiceLoader made it. */
class IoEngineSchemeWrappingTest extends WrappedFileSystemContract {
    /**
     * The installed provider lives as long as the JVM, and so does its engine: opened here, by a first channel, and
     * adopted as JVM-wide, so the leak check after this class does not count it.
     */
    @BeforeAll
    static void openTheInstalledProvidersEngine() throws Exception {
        JvmWideResources.adopt("the installed ioengine: provider's engine", () -> {
            Path file = Files.createTempFile("ioengine-scheme", ".bin");
            try (FileChannel channel = FileChannel.open(ioengine().getPath(file.toString()), StandardOpenOption.READ)) {
                return channel.size();
            } finally {
                Files.delete(file);
            }
        });
    }

    static FileSystem ioengine() {
        return FileSystems.getFileSystem(URI.create("ioengine:///"));
    }

    @Override
    Path wrap(Path jdkPath) {
        return ioengine().getPath(jdkPath.toString());
    }

    @Override
    String scheme() {
        return "ioengine";
    }

    @Test
    void pathOfAnIoengineUriIsOurs() throws IOException {
        Path file = Files.createFile(dir().resolve("named"));
        URI uri = URI.create("ioengine://" + jdkDir.resolve("named").toUri().getRawPath());
        Path viaPathOf = Path.of(uri);
        assertOurs(viaPathOf);
        assertThat(viaPathOf).isEqualTo(file);
        assertThat(Path.of(file.toUri())).isEqualTo(file);
        assertThat(viaPathOf.getFileSystem()).isSameAs(ioengine());
    }

    @Test
    void oneFileSystemThatAlreadyExists() {
        assertThat(ioengine()).isSameAs(dir().getFileSystem());
        assertThatThrownBy(() -> FileSystems.newFileSystem(URI.create("ioengine:///"), Map.of()))
                .isInstanceOf(FileSystemAlreadyExistsException.class);
        for (String bad : new String[] {"ioengine:///tmp", "ioengine://host/", "ioengine:///?q", "ioengine:///#f"}) {
            assertThatThrownBy(() -> FileSystems.getFileSystem(URI.create(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Path.of(URI.create("ioengine://host/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Path.of(URI.create("ioengine:relative"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dir().getFileSystem().provider().getPath(URI.create("file:///x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrapsTheJdkDefaultAndNotTheDefaultFileSystem() {
        assertThat(dir().getFileSystem()).isNotSameAs(FileSystems.getDefault());
        assertThat(((IoEngineFileSystem) dir().getFileSystem()).delegateProvider())
                .isSameAs(FileSystems.getDefault().provider());
        assertThatThrownBy(() -> dir().toFile()).isInstanceOf(UnsupportedOperationException.class);
    }
}
