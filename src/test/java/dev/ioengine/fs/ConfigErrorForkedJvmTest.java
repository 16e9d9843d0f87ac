package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.ForkedJvm;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A malformed {@code ioengine.*} property under the drop-in: the JVM lives (the JDK reads its own files through the
 * provider at start-up), and the property is said once, in one line naming it, its value and the values accepted.
 * Each case runs {@link ConfigErrorProgram} in a JVM of its own.
 */
class ConfigErrorForkedJvmTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            ioengine.engine     | foo    | io_uring, aio, threads or auto
            ioengine.nowait     | maybe  | true or false
            ioengine.sqpoll     | yes    | true or false
            ioengine.queueDepth | 0      | an integer from 1 to 32768
            ioengine.threads    | 99999  | an integer from 1 to 4096
            ioengine.mergeLimit | lots   | an integer from 0 up
            ioengine.fileChannels | all  | auto, virtual or engine
            """)
    void aMalformedPropertyIsSaidOnceAndTheJvmLives(String key, String value, String accepted) throws Exception {
        String output = run(key, ConfigErrorProgram.class, ForkedJvm.NATIVE_ACCESS,
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName(),
                "-D" + key + "=" + value);
        String line = key + "=" + value + " is not valid; accepted: " + accepted;
        assertThat(output.lines().filter(l -> l.contains(line)))
                .as("one line naming the property, in:%n%s", output).hasSize(1);
        assertThat(output).contains("program ran").doesNotContain("Exception").doesNotContain("Error:");
    }

    @Test
    void deniedNativeAccessIsReportedAsSuch() throws Exception {
        String output = run("denied", NativeAccessProgram.class, "--illegal-native-access=deny");
        assertThat(output).contains("IoEngine.open: java.io.IOException: io-engine: the threads engine is "
                + "unavailable: native access denied").contains("--enable-native-access=ALL-UNNAMED")
                .contains("IoFile.open: java.lang.IllegalCallerException: io-engine: native access denied")
                .doesNotContain("ExceptionInInitializerError").doesNotContain("NoClassDefFoundError");
    }

    /** Opens an engine and a file without native access, printing what each throws. */
    public static final class NativeAccessProgram {
        public static void main(String[] args) throws Exception {
            Path file = Files.writeString(Path.of(args[0]).resolve("file"), "x");
            for (int attempt = 0; attempt < 2; attempt++) {
                try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(EngineKind.THREADS).build())) {
                    System.out.println("IoEngine.open: opened " + engine);
                } catch (Exception e) {
                    System.out.println("IoEngine.open: " + e);
                }
                try (IoFile opened = IoFile.open(file)) {
                    System.out.println("IoFile.open: opened " + opened);
                } catch (Exception e) {
                    System.out.println("IoFile.open: " + e);
                }
            }
        }
    }

    /** Runs {@code program} with {@code jvmOptions} under the drop-in's class path; returns its output. */
    private String run(String name, Class<?> program, String... jvmOptions) throws IOException, InterruptedException {
        Path work = tmp.resolve(name);
        return ForkedJvm.launch(program).options(jvmOptions)
                .classPath(ForkedJvm.locationOf(IoEngineFileSystemProvider.class),
                        ForkedJvm.locationOf(ConfigErrorProgram.class))
                .arguments(work.toString()).run(work).assertExitedCleanly(0).output();
    }
}
