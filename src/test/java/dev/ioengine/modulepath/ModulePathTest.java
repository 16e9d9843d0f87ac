package dev.ioengine.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.ForkedJvm;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's JPMS descriptor, exercised: {@link ModulePathProgram} runs in a JVM of its own with the library's
 * classes on the module path ({@code -p}, the named module {@code dev.ioengine}, native access granted to that
 * module only), both as the drop-in default provider and through the {@code ioengine} scheme, which only the
 * descriptor's {@code provides} clause registers on the module path.
 */
class ModulePathTest {
    @TempDir
    Path tmp;

    @Test
    void theLibraryRunsAsANamedModuleAsTheDropInDefault() throws Exception {
        ForkedJvm results = run("drop-in",
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName());
        assertThat(results.get("module")).isEqualTo("dev.ioengine");
        assertThat(results.get("nativeAccess")).isEqualTo("true");
        assertThat(results.get("defaultProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
        assertThat(results.get("fileChannelClass")).as("a platform thread's, by default the JDK's own")
                .startsWith("sun.nio.ch.");
        assertThat(results.get("asyncChannelClass")).startsWith("dev.ioengine.");
        assertThat(Long.parseLong(results.get("engineSubmitted"))).as("IO reached the engine").isPositive();
    }

    @Test
    void theLibraryRunsAsANamedModuleWithEngineChannelsOnPlatformThreads() throws Exception {
        ForkedJvm results = run("drop-in-engine",
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName(),
                "-Dioengine.fileChannels=engine");
        assertThat(results.get("module")).isEqualTo("dev.ioengine");
        assertThat(results.get("fileChannelClass")).startsWith("dev.ioengine.");
        assertThat(results.get("asyncChannelClass")).startsWith("dev.ioengine.");
        assertThat(Long.parseLong(results.get("engineSubmitted"))).as("IO reached the engine").isPositive();
    }

    @Test
    void theSchemeIsFoundThroughTheModulesProvidesClause() throws Exception {
        ForkedJvm results = run("scheme");
        assertThat(results.get("module")).isEqualTo("dev.ioengine");
        assertThat(results.get("defaultProvider")).startsWith("sun.nio.fs.");
        assertThat(results.get("fileChannelClass")).startsWith("sun.nio.ch.");
        assertThat(results.get("schemeProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
    }

    private ForkedJvm run(String name, String... jvmOptions) throws IOException, InterruptedException {
        Path work = tmp.resolve(name);
        return ForkedJvm.launch(ModulePathProgram.class)
                .options("--enable-native-access=dev.ioengine", "--illegal-native-access=deny").options(jvmOptions)
                .options("-p", ForkedJvm.locationOf(IoEngineFileSystemProvider.class), "--add-modules", "dev.ioengine")
                .classPath(ForkedJvm.locationOf(ModulePathProgram.class)).withReport().arguments(work.toString())
                .run(work).assertExitedCleanly(0);
    }
}
