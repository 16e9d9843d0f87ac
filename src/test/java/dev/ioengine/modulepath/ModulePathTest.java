package dev.ioengine.modulepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ioengine.fs.IoEngineFileSystemProvider;
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
        Properties results = run("drop-in",
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName());
        assertThat(results.getProperty("module")).isEqualTo("dev.ioengine");
        assertThat(results.getProperty("nativeAccess")).isEqualTo("true");
        assertThat(results.getProperty("defaultProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
        assertThat(results.getProperty("fileChannelClass")).as("a platform thread's, by default the JDK's own")
                .startsWith("sun.nio.ch.");
        assertThat(results.getProperty("asyncChannelClass")).startsWith("dev.ioengine.");
        assertThat(Long.parseLong(results.getProperty("engineSubmitted"))).as("IO reached the engine").isPositive();
    }

    @Test
    void theLibraryRunsAsANamedModuleWithEngineChannelsOnPlatformThreads() throws Exception {
        Properties results = run("drop-in-engine",
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName(),
                "-Dioengine.platformThreads=engine");
        assertThat(results.getProperty("module")).isEqualTo("dev.ioengine");
        assertThat(results.getProperty("fileChannelClass")).startsWith("dev.ioengine.");
        assertThat(results.getProperty("asyncChannelClass")).startsWith("dev.ioengine.");
        assertThat(Long.parseLong(results.getProperty("engineSubmitted"))).as("IO reached the engine").isPositive();
    }

    @Test
    void theSchemeIsFoundThroughTheModulesProvidesClause() throws Exception {
        Properties results = run("scheme");
        assertThat(results.getProperty("module")).isEqualTo("dev.ioengine");
        assertThat(results.getProperty("defaultProvider")).startsWith("sun.nio.fs.");
        assertThat(results.getProperty("fileChannelClass")).startsWith("sun.nio.ch.");
        assertThat(results.getProperty("schemeProvider")).isEqualTo(IoEngineFileSystemProvider.class.getName());
    }

    private Properties run(String name, String... jvmOptions)
            throws IOException, InterruptedException, URISyntaxException {
        Path work = Files.createDirectory(tmp.resolve("work-" + name));
        Path report = tmp.resolve("report-" + name + ".properties");
        Path log = tmp.resolve("output-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=dev.ioengine");
        command.add("--illegal-native-access=deny");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-p", locationOf(IoEngineFileSystemProvider.class), "--add-modules", "dev.ioengine"));
        command.addAll(List.of("-cp", locationOf(ModulePathProgram.class)));
        command.add(ModulePathProgram.class.getName());
        command.add(report.toString());
        command.add(work.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("the module-path program did not finish in 120 s; its output:%n%s", Files.readString(log));
        }
        assertThat(process.exitValue()).as("exit status; output:%n%s", Files.readString(log)).isZero();
        Properties results = new Properties();
        try (Reader in = Files.newBufferedReader(report)) {
            results.load(in);
        }
        return results;
    }

    /** The directory or jar a class was loaded from: the library's holds its module-info.class. */
    private static String locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
