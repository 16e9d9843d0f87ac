package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
        Properties results = run("auto");
        assertThat(results.getProperty("defaultProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
        assertThat(results.getProperty("defaultScheme")).isEqualTo("file");
        assertThat(results.getProperty("engineKind")).isNotEmpty();
        assertThat(results.getProperty("unixDomainSocketAddress"))
                .as("as the README says, the JDK refuses Unix-domain socket paths under a custom default provider")
                .isEqualTo("refused");
        if (!results.getProperty("fileChannelClass").startsWith("sun.nio.ch.")) {
            assertThat(Long.parseLong(results.getProperty("engineSubmitted")))
                    .as("IO reached the engine: %s", results.getProperty("engineStats")).isPositive();
        }
    }

    @Test
    void theEnginePropertyChoosesTheEngine() throws Exception {
        assertThat(run("threads").getProperty("engineKind")).isEqualTo("threads");
    }

    @Test
    void withoutNativeAccessFileIoStillWorksOnTheJdksChannels() throws Exception {
        Properties results = run("denied", "--illegal-native-access=deny");
        assertThat(results.getProperty("defaultProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
        assertThat(results.getProperty("engineKind")).isEqualTo("none");
    }

    private Properties run(String engine) throws IOException, InterruptedException, URISyntaxException {
        return run(engine, "--enable-native-access=ALL-UNNAMED", "-Dioengine.engine=" + engine);
    }

    private Properties run(String name, String... jvmOptions)
            throws IOException, InterruptedException, URISyntaxException {
        Path work = Files.createDirectory(tmp.resolve("work-" + name));
        Path report = tmp.resolve("report-" + name + ".properties");
        Path log = tmp.resolve("output-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(classpathOf(IoEngineFileSystemProvider.class) + File.pathSeparator
                + classpathOf(DropInProgram.class));
        command.add(DropInProgram.class.getName());
        command.add(report.toString());
        command.add(work.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("the drop-in program did not finish in 120 s; its output:%n%s", Files.readString(log));
        }
        assertThat(process.exitValue()).as("exit status; output:%n%s", Files.readString(log)).isZero();
        Properties results = new Properties();
        try (Reader in = Files.newBufferedReader(report)) {
            results.load(in);
        }
        return results;
    }

    private static String classpathOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
