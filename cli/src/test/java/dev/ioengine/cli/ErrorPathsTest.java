package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure is one line on stderr with the system's reason, a non-zero exit status, and is found before the run
 * where it can be: missing directories, unwritable plot paths, a fio that hangs, fio JSON without a field, Ctrl-C
 * during {@code --compare}.
 */
class ErrorPathsTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsOneLineWithTheReasonForBenchAndCompare() {
        Path file = dir.resolve("no/such/dir/file");
        for (Cli r : List.of(Cli.run("bench", "--filename=" + file, "--runtime=0.2"),
                Cli.run("bench", "--compare", "--contenders=threads,jdk-async", "--filename=" + file))) {
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("io-engine bench: " + file + ": No such file or directory\n");
        }
        Cli directory = Cli.run("bench", "--filename=" + dir, "--runtime=0.2");
        assertThat(directory.status()).isEqualTo(1);
        assertThat(directory.err()).isEqualTo("io-engine bench: " + dir + ": Is a directory\n");
    }

    @Test
    void plotOutInAMissingDirectoryCreatesNothing() throws IOException {
        Path result = dir.resolve("r.json");
        Files.writeString(result, "{\"schema\": \"io-engine-bench/1\"}");
        Path missing = Path.of("/io-engine-no-such-dir-" + UUID.randomUUID());
        Cli r = Cli.run("plot", "--from=" + result, "--out=" + missing.resolve("x.svg"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("io-engine plot: " + missing.resolve("x.svg") + ": No such file or directory\n");
        assertThat(missing).doesNotExist();
    }

    @Test
    void anUnwritablePlotFailsBeforeTheRun() throws IOException {
        // /proc takes no new files whoever asks (root included); a read-only directory would not stop root.
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--plot=/proc/io-engine-plot.svg",
                "--size=1m", "--runtime=5", "--time_based", "--output-format=json"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("io-engine bench: --plot: /proc/io-engine-plot.svg: No such file or directory\n");
        Path readOnly = Files.createDirectory(dir.resolve("ro"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        Cli denied = Cli.run("plot", "--from=" + readOnly, "--out=/sys/io-engine.svg");
        assertThat(denied.status()).isEqualTo(1);
        assertThat(denied.err().lines()).hasSize(1);
    }

    @Test
    void aHungFioIsStoppedAtTheLimit() throws Exception {
        Path fio = fakeFio("exec sleep 600");
        Cli r = compareWithFio(fio, 1);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("fio io_uring", "failed: fio did not finish within 1 s; stopped it");
    }

    @Test
    void fioJsonWithoutAFieldFailsLoudly() throws Exception {
        String withoutIops = CompareTest.FIO_JSON.replace("\"iops\" : 102400.0,", "");
        assertThatThrownBy(() -> Compare.parseFio(withoutIops)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fio's JSON has no jobs[0].read.iops");
        Path json = dir.resolve("fio.json");
        Files.writeString(json, withoutIops);
        Cli r = compareWithFio(fakeFio("cat '" + json + "'"), 30);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("fio io_uring", "failed: cannot read fio's output: fio's JSON has no "
                + "jobs[0].read.iops");
        String noJobs = "{\"fio version\": \"fio-3.33\", \"jobs\": []}";
        assertThatThrownBy(() -> Compare.parseFio(noJobs)).hasMessage("fio's JSON has no jobs[0]");
    }

    @Test
    void ctrlCDuringCompareStopsCleanly() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "bench", "--compare",
                "--contenders=threads,jdk-async", "--size=4m", "--runtime=60", "--iodepth=2");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        try {
            String out = assertTimeoutPreemptively(LIMIT, () -> {
                while (!Files.readString(err).contains("round 1/1")) {
                    Thread.sleep(100);
                    assertThat(p.isAlive()).as("the compare run is still going").isTrue();
                }
                Thread.sleep(3000);
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                return stdout;
            });
            String stderr = Files.readString(err);
            assertThat(p.exitValue()).as(stderr).isEqualTo(130);
            assertThat(stderr).contains("interrupted; the table has the rounds that finished")
                    .doesNotContain("Exception", "Stream closed", "\tat ");
            assertThat(out).contains("compare: rw=read");
            assertThat(p.descendants().filter(ProcessHandle::isAlive)).isEmpty();
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("io-engine-"))).isEmpty();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** A fio that answers --version and then runs {@code body}. */
    private Path fakeFio(String body) throws IOException {
        Path fio = dir.resolve("fio");
        Files.writeString(fio, "#!/bin/sh\ncase \"$1\" in --version) echo fio-3.33; exit 0;; esac\n" + body + "\n");
        fio.toFile().setExecutable(true);
        return fio;
    }

    private Cli compareWithFio(Path fio, long graceSeconds) throws Exception {
        BenchOptions o = BenchOptions.parse(List.of("--contenders=fio-io_uring", "--rw=randread", "--size=1m",
                "--runtime=0.2", "--iodepth=2", "--filename=" + dir.resolve("data.dat")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = assertTimeoutPreemptively(LIMIT, () -> new Compare(o, BenchTarget.inspect(o),
                new PrintStream(err, true, StandardCharsets.UTF_8), fio.toString())
                .graceNanos(TimeUnit.SECONDS.toNanos(graceSeconds))
                .run(new PrintStream(out, true, StandardCharsets.UTF_8)));
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
