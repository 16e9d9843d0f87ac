package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
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
    void helpDocumentsTheProperty() {
        Cli r = Cli.run("run", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("-Djava.nio.file.spi.DefaultFileSystemProvider="
                + "dev.ioengine.fs.IoEngineFileSystemProvider", "--cp");
    }
}
