package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Short real runs of {@code bench} in-process on the threads engine. */
class BenchRunTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"read", "write", "randread", "randwrite", "randrw"})
    void verifiedRunOnThreadsReportsIosAndNoMismatches(String rw) throws IOException {
        long fdsBefore = openFds();
        Path file = dir.resolve("bench-" + rw + ".dat");
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=" + rw,
                "--size=8m", "--runtime=1", "--iodepth=8", "--verify", "--filename=" + file,
                "--output-format=json"));
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        assertThat(json).containsOnlyKeys("schema", "date", "host_cores", "job", "elapsed_ns", "cancelled", "read",
                "write", "sync", "total", "jobs", "cpu", "engine_stats", "layout", "verify", "error", "exit_status");
        assertThat((String) json.get("date")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat((Double) json.get("host_cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.get("schema")).isEqualTo(BenchReport.SCHEMA);
        assertThat(json.get("exit_status")).isEqualTo(0.0);
        assertThat(json.get("error")).isNull();
        Map<String, Object> job = JsonReader.object(json.get("job"));
        assertThat(job).containsOnlyKeys("name", "engine_requested", "engine", "rw", "ioengine", "rwmixread", "bs",
                "iodepth", "numjobs", "group_reporting", "size", "io_size", "time_based", "runtime_ns",
                "ramp_time_ns", "fsync", "randrepeat", "norandommap", "direct", "verify", "filename",
                "temporary_file");
        assertThat(job).containsEntry("engine", "threads").containsEntry("rw", rw).containsEntry("bs", 4096.0)
                .containsEntry("size", 8.0 * 1024 * 1024).containsEntry("verify", true);
        Map<String, Object> total = JsonReader.object(json.get("total"));
        assertThat(total).containsOnlyKeys("ios", "bytes", "iops", "bw_bytes_per_s", "bw_mib_per_s", "lat_ns",
                "lat_percentiles_ns");
        List<?> percentiles = (List<?>) total.get("lat_percentiles_ns");
        assertThat(percentiles).hasSize(LatencyPercentiles.POINTS.size());
        assertThat(percentiles).extracting(p -> JsonReader.object(p).get("percentile"))
                .containsExactlyElementsOf(LatencyPercentiles.POINTS);
        assertThat(JsonReader.object(percentiles.getFirst()).get("ns"))
                .isEqualTo(JsonReader.object(total.get("lat_ns")).get("min"));
        assertThat(percentiles).extracting(p -> (Double) JsonReader.object(p).get("ns")).isSorted();
        assertThat((Double) total.get("ios")).isPositive();
        assertThat((Double) total.get("iops")).isPositive();
        assertThat(JsonReader.object(total.get("lat_ns")))
                .containsOnlyKeys("min", "mean", "p50", "p90", "p99", "p99_9", "max");
        assertThat((Double) JsonReader.object(total.get("lat_ns")).get("max")).isPositive();
        Map<String, Object> read = JsonReader.object(json.get("read"));
        Map<String, Object> write = JsonReader.object(json.get("write"));
        if (rw.contains("read") || rw.equals("randrw")) {
            assertThat((Double) read.get("ios")).isPositive();
        } else {
            assertThat((Double) read.get("ios")).isZero();
        }
        if (rw.contains("write") || rw.equals("randrw")) {
            assertThat((Double) write.get("ios")).isPositive();
        } else {
            assertThat((Double) write.get("ios")).isZero();
        }
        Map<String, Object> verify = JsonReader.object(json.get("verify"));
        assertThat(verify).containsEntry("enabled", true).containsEntry("mismatches", 0.0)
                .containsEntry("first_mismatches", List.of());
        // Every block is read back at the end, on top of the reads of the run.
        assertThat((Double) verify.get("blocks_checked")).isGreaterThanOrEqualTo(2048.0);
        Map<String, Object> stats = JsonReader.object(json.get("engine_stats"));
        assertThat((Double) stats.get("completed")).isGreaterThanOrEqualTo((Double) total.get("ios"));
        assertThat((Double) stats.get("batches")).isPositive();
        assertThat(JsonReader.object(json.get("cpu"))).containsKeys("user_ns", "system_ns", "ns_per_io");
        assertThat(JsonReader.object(json.get("layout"))).containsEntry("done", true)
                .containsEntry("bytes", 8.0 * 1024 * 1024);
        assertThat(r.err()).contains("laying out");
        assertThat(Files.size(file)).isEqualTo(8L << 20);
        assertThat(openFds()).isEqualTo(fdsBefore);
    }

    @Test
    void textReportOnATemporaryFileWhichIsRemoved() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        List<Path> before = benchFiles(tmp);
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=randrw",
                "--rwmixread=70", "--size=4m", "--runtime=0.5", "--iodepth=4", "--bs=8k"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("rw=randrw, rwmixread=70", "engine: threads", "(temporary, removed)",
                "read: IOPS=", "write: IOPS=", "lat (usec): min=", "p99.9=", "cpu: usr=", "CPU per IO",
                "engine stats: ", "mean batch");
        assertThat(benchFiles(tmp)).isEqualTo(before);
    }

    @Test
    void anExistingLargeEnoughFileIsNotLaidOutAgain() throws IOException {
        Path file = dir.resolve("existing.dat");
        Files.write(file, new byte[1 << 20]);
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=read",
                "--size=1m", "--runtime=0.2", "--filename=" + file, "--output-format=json"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(JsonReader.object(JsonReader.parse(r.out())).get("layout")).isEqualTo(
                Map.of("done", false, "elapsed_ns", 0.0, "bytes", 0.0));
        assertThat(Files.readAllBytes(file)).containsOnly(0);
    }

    @Test
    void aFileThatCannotBeOpenedFailsWithStatus1AndSaysWhy() {
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--size=1m",
                "--runtime=0.2", "--filename=" + dir.resolve("no/such/dir/file")));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("io-engine bench: " + dir.resolve("no/such/dir/file")
                + ": No such file or directory\n");
    }

    private static List<Path> benchFiles(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("io-engine-bench-")).sorted().toList();
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
