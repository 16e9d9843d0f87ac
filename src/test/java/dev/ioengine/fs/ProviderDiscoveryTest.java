package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The installed provider is found through {@code META-INF/services}, also by a class loader of its own. */
class ProviderDiscoveryTest {
    @Test
    void installedProvidersHaveTheIoengineScheme() {
        assertThat(FileSystemProvider.installedProviders())
                .filteredOn(provider -> provider.getScheme().equals("ioengine"))
                .singleElement()
                .isInstanceOf(IoEngineFileSystemProvider.class);
    }

    @Test
    void serviceLoaderFindsItInAClassLoaderOfItsOwn() throws Exception {
        URL classes = IoEngineFileSystemProvider.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            List<FileSystemProvider> found = ServiceLoader.load(FileSystemProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(provider -> provider.getScheme().equals("ioengine"))
                    .toList();
            assertThat(found).singleElement().satisfies(provider -> {
                assertThat(provider.getClass().getName()).isEqualTo(IoEngineFileSystemProvider.class.getName());
                assertThat(provider.getClass().getClassLoader()).isSameAs(loader);
                Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
                URI uri = URI.create("ioengine://" + tmp.toUri().getRawPath());
                Path path = provider.getPath(uri);
                assertThat(path.getFileSystem().provider()).isSameAs(provider);
                assertThat(path.toUri()).isEqualTo(uri);
                assertThat(path.toString()).isEqualTo(tmp.toString());
                FileSystem fileSystem = provider.getFileSystem(URI.create("ioengine:///"));
                assertThat(fileSystem).isSameAs(path.getFileSystem());
                assertThat(Files.isDirectory(path)).isTrue();
            });
        }
    }
}
