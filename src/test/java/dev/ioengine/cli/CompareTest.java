package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {
    /** The shape of fio 3.33's --output-format=json --lat_percentiles=1, cut down to what Compare reads. */
    private static final String FIO_JSON = """
            {
              "fio version" : "fio-3.33",
              "jobs" : [
                {
                  "jobname" : "io-engine-compare",
                  "job_runtime" : 2000,
                  "usr_cpu" : 10.0,
                  "sys_cpu" : 40.0,
                  "read" : {
                    "bw_bytes" : 419430400, "iops" : 102400.0, "total_ios" : 204800,
                    "lat_ns" : {"min" : 1000, "max" : 90000, "mean" : 300000.0,
                                "percentile" : {"50.000000" : 250000, "99.000000" : 800000}}
                  },
                  "write" : {
                    "bw_bytes" : 104857600, "iops" : 25600.0, "total_ios" : 51200,
                    "lat_ns" : {"min" : 1000, "max" : 90000, "mean" : 500000.0,
                                "percentile" : {"99.000000" : 900000}}
                  }
                }
              ]
            }
            """;

    @TempDir
    Path dir;

    @Test
    void readsFiosJson() {
        Compare.Run run = Compare.parseFio(FIO_JSON);
        assertThat(run.error()).isNull();
        assertThat(run.iops()).isEqualTo(128000.0);
        assertThat(run.mibPerSecond()).isEqualTo(500.0);
        assertThat(run.meanLatencyNanos()).isCloseTo((300000.0 * 204800 + 500000.0 * 51200) / 256000, within(1e-6));
        assertThat(run.p99LatencyNanos()).isEqualTo(900000.0);
        // 50% of one CPU for 2 s = 1 s of CPU over 256000 IOs.
        assertThat(run.cpuNanosPerIo()).isCloseTo(1e9 / 256000, within(1e-6));
    }

    @Test
    void meanSkipsFailedRunsAndTheBaselineIsFioIoUring() {
        List<Compare.Contender> contenders = List.of(new Compare.Contender("io-engine threads",
                dev.ioengine.EngineKind.THREADS, null), new Compare.Contender("fio libaio", null, "libaio"),
                new Compare.Contender("fio io_uring", null, "io_uring"));
        Compare.Run a = new Compare.Run(100, 1, 10, 20, 5, null);
        Compare.Run b = new Compare.Run(300, 3, 30, 40, 7, null);
        List<List<Compare.Run>> runs = List.of(List.of(a, b, Compare.Run.failed("boom")), List.of(a), List.of(b));
        Compare.Run mean = Compare.mean(runs.getFirst());
        assertThat(mean.error()).isNull();
        assertThat(mean.iops()).isEqualTo(200.0);
        assertThat(mean.p99LatencyNanos()).isEqualTo(30.0);
        assertThat(Compare.baseline(contenders, runs)).isEqualTo(2);
        assertThat(Compare.mean(List.of(Compare.Run.failed("x"))).error()).isEqualTo("x");
        assertThat(Compare.baseline(contenders.subList(0, 1), runs.subList(0, 1))).isZero();
    }

    @Test
    void fioGetsTheSameJob() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of("--compare", "--rw=randrw", "--rwmixread=70", "--bs=8k",
                "--iodepth=16", "--size=64m", "--runtime=1.5", "--direct"));
        List<String> cmd = new Compare(o, System.err).fioCommand("io_uring", Path.of("/data/f:1"));
        assertThat(cmd).containsExactly("fio", "--name=io-engine-compare", "--ioengine=io_uring", "--direct=1",
                "--rw=randrw", "--bs=8192", "--iodepth=16", "--size=67108864", "--runtime=1500ms", "--time_based",
                "--filename=/data/f\\:1", "--output-format=json", "--lat_percentiles=1", "--rwmixread=70");
    }

    @Test
    void aShortComparisonRunsEveryContender() {
        Path file = dir.resolve("compare.dat");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("bench", "--compare",
                "--rw=randread", "--size=4m", "--runtime=0.2", "--iodepth=4", "--filename=" + file,
                "--output-format=json"));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        assertThat(json.get("schema")).isEqualTo(Compare.SCHEMA);
        List<?> contenders = (List<?>) json.get("contenders");
        assertThat(contenders).extracting(c -> JsonReader.object(c).get("name")).contains("io-engine threads");
        for (Object c : contenders) {
            Map<String, Object> mean = JsonReader.object(JsonReader.object(c).get("mean"));
            assertThat(mean.get("error")).isNull();
            assertThat((Double) mean.get("iops")).isPositive();
        }
    }

    @Test
    void compareAndVerifyDoNotMix() {
        Cli r = Cli.run("bench", "--compare", "--verify");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--compare measures speed and does not combine with --verify");
        assertThat(Cli.run("bench", "--compare=0").status()).isEqualTo(2);
    }
}
