package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) during {@code bench}: the report still prints and the temporary file is removed. */
class BenchInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void sigintStopsTheRunPrintsTheReportAndRemovesTheTemporaryFile() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "bench", "--engine=threads",
                "--rw=randrw", "--size=8m", "--runtime=60", "--time_based");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String output = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                StringBuilder seen = new StringBuilder();
                var in = p.getInputStream();
                // Wait until the timed pass runs (its first progress line), then interrupt.
                while (!seen.toString().contains("[run ")) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    seen.append((char) c);
                }
                assertThat(benchFiles()).hasSize(1);
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                seen.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                return seen.toString();
            });
            assertThat(p.exitValue()).as(output).isEqualTo(130);
            assertThat(output).contains("(stopped early by an interrupt)", "read: IOPS=", "write: IOPS=");
            assertThat(benchFiles()).isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }

    private List<Path> benchFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith("io-engine-bench-")).toList();
        }
    }
}
