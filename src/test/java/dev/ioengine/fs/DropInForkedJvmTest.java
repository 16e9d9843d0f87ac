package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link DropInProgram}, a plain NIO program, in a JVM of its own with
 * {@code -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider}: the JDK must
 * build the provider at start-up, and the program's IO must go through it.
 */
class DropInForkedJvmTest {
    @TempDir
    Path tmp;

    @Test
    void aPlainNioProgramRunsOnTheDropInProvider() throws Exception {
        ForkedJvm results = run("auto");
        assertThat(results.get("defaultProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
        assertThat(results.get("defaultScheme")).isEqualTo("file");
        assertThat(results.get("engineKind")).isNotEmpty();
        assertThat(results.get("unixDomainSocketAddress"))
                .as("as the README says, the JDK refuses Unix-domain socket paths under a custom default provider")
                .isEqualTo("refused");
        if (!results.get("fileChannelClass").startsWith("sun.nio.ch.")) {
            assertThat(Long.parseLong(results.get("engineSubmitted")))
                    .as("IO reached the engine: %s", results.get("engineStats")).isPositive();
        }
    }

    @Test
    void theEnginePropertyChoosesTheEngine() throws Exception {
        assertThat(run("threads").get("engineKind")).isEqualTo("threads");
    }

    @Test
    void withoutNativeAccessFileIoStillWorksOnTheJdksChannels() throws Exception {
        ForkedJvm results = run("denied", "--illegal-native-access=deny");
        assertThat(results.get("defaultProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
        assertThat(results.get("engineKind")).isEqualTo("none");
    }

    private ForkedJvm run(String engine) throws IOException, InterruptedException {
        return run(engine, ForkedJvm.NATIVE_ACCESS, "-Dioengine.engine=" + engine);
    }

    private ForkedJvm run(String name, String... jvmOptions) throws IOException, InterruptedException {
        Path work = tmp.resolve(name);
        // A directory of the program's own: it counts what it finds there, and the JVM's output is written to work.
        Path files = Files.createDirectories(work.resolve("files"));
        return ForkedJvm.launch(DropInProgram.class).options(jvmOptions)
                .options("-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName())
                .classPath(ForkedJvm.locationOf(IoEngineFileSystemProvider.class),
                        ForkedJvm.locationOf(DropInProgram.class))
                .withReport().arguments(files.toString()).run(work).assertExitedCleanly(0);
    }
}
