package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunCommandTest {
    @Test
    void reExecutesJavaWithTheProviderAndTheClassPath() throws UsageException {
        List<String> cmd = RunCommand.command(List.of("--cp", "/opt/app.jar", "--engine=libaio", "-Dfoo=bar",
                "-J-Xmx64m", "com.example.App", "--app-flag", "x"));
        assertThat(cmd.getFirst()).isEqualTo(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java");
        assertThat(cmd).contains("--enable-native-access=ALL-UNNAMED",
                "-Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider",
                "-Dioengine.engine=aio", "-Dfoo=bar", "-Xmx64m");
        int cp = cmd.indexOf("-cp");
        assertThat(cmd.get(cp + 1)).startsWith(System.getProperty("java.class.path")).endsWith(
                File.pathSeparator + "/opt/app.jar");
        assertThat(cmd.subList(cmd.size() - 3, cmd.size())).containsExactly("com.example.App", "--app-flag", "x");
        assertThat(cmd.indexOf("com.example.App")).isGreaterThan(cp);
    }

    @Test
    void missingClassOrBadOptionIsAUsageError() {
        assertThatThrownBy(() -> RunCommand.command(List.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("needs a main class");
        assertThatThrownBy(() -> RunCommand.command(List.of("--cp"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--cp needs a class path");
        assertThatThrownBy(() -> RunCommand.command(List.of("--engine=x", "A"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("bad --engine 'x'");
        assertThatThrownBy(() -> RunCommand.command(List.of("--weird", "A"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown option '--weird'");
        Cli r = Cli.run("run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("io-engine run: ");
    }

    @Test
    void theProgramRunsWithIoEngineAsTheDefaultProvider() throws Exception {
        List<String> cmd = RunCommand.command(List.of("--engine=threads", RunTarget.class.getName(), "a", "b c"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("provider=" + RunCommand.PROVIDER_CLASS, "engine=threads", "args=a,b c",
                "read=through the provider");
    }

    @Test
    void helpDocumentsTheProperty() {
        Cli r = Cli.run("run", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("-Djava.nio.file.spi.DefaultFileSystemProvider="
                + "dev.ioengine.fs.IoEngineFileSystemProvider", "--cp");
    }
}
