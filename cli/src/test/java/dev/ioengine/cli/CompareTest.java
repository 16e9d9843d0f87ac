package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompareTest {
    /** The shape of fio 3.33's --output-format=json --lat_percentiles=1, cut down to what Compare reads. */
    static final String FIO_JSON = """
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
        // Percentiles: the larger of read and write at each point; p0 is fio's min; points fio left out are 0.
        double[] p = run.latencyPercentiles();
        assertThat(p).hasSize(LatencyPercentiles.POINTS.size());
        assertThat(p[0]).isEqualTo(1000.0);
        assertThat(p[LatencyPercentiles.POINTS.indexOf(50.0)]).isEqualTo(250000.0);
        assertThat(p[LatencyPercentiles.POINTS.indexOf(99.0)]).isEqualTo(900000.0);
        assertThat(p[LatencyPercentiles.POINTS.indexOf(99.99)]).isZero();
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
        List<String> cmd = new Compare(o, null, System.err).fioCommand("io_uring", Path.of("/data/f:1"));
        assertThat(cmd).containsExactly("fio", "--name=io-engine-compare", "--ioengine=io_uring", "--direct=1",
                "--rw=randrw", "--bs=8192", "--iodepth=16", "--size=67108864", "--runtime=1500ms", "--time_based",
                "--filename=/data/f\\:1", "--output-format=json", "--lat_percentiles=1",
                "--percentile_list=" + LatencyPercentiles.fioPercentileList(), "--randrepeat=1", "--rwmixread=70");
        BenchOptions read = BenchOptions.parse(List.of("--compare", "--rw=randread", "--ramp_time=2",
                "--norandommap", "--randrepeat=0"));
        assertThat(new Compare(read, null, System.err).fioCommand("libaio", Path.of("/dev/loop0")))
                .contains("--ramp_time=2000ms", "--norandommap", "--randrepeat=0", "--readonly");
    }

    @Test
    void aShortComparisonRunsEveryContender() {
        Path file = dir.resolve("compare.dat");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> Cli.run("bench", "--compare",
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
    void contendersOptionParsesKnownIdsInOrderAndImpliesCompare() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of("--contenders=jdk-async, io_uring,IO-ENGINE-ASYNC,jdk-async"));
        assertThat(o.contenders()).containsExactly("jdk-async", "io_uring", "io-engine-async");
        assertThat(o.compareRounds()).isEqualTo(1);
        BenchOptions all = BenchOptions.parse(List.of("--compare=3", "--contenders",
                String.join(",", Compare.CONTENDER_IDS)));
        assertThat(all.contenders()).containsExactlyElementsOf(Compare.CONTENDER_IDS);
        assertThat(all.compareRounds()).isEqualTo(3);
        assertThat(BenchOptions.parse(List.of("--compare")).contenders()).isEmpty();
        assertThat(BenchOptions.parse(List.of("--contenders=io-engine-async:libaio,io-engine-filechannel:threads"))
                .contenders()).containsExactly("io-engine-async:libaio", "io-engine-filechannel:threads");
        assertThat(Compare.select(Compare.contenders(false), List.of("io-engine-async:libaio")))
                .extracting(Compare.Contender::id).containsExactly("io-engine-async:aio");
    }

    @Test
    void unknownContenderIsAUsageError() {
        Cli r = Cli.run("bench", "--compare", "--contenders=io_uring,nio2");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown contender 'nio2'", "jdk-async", "io-engine-filechannel");
        assertThat(Cli.run("bench", "--contenders=").status()).isEqualTo(2);
        assertThat(Cli.run("bench", "--contenders=io-engine-async:spdk").status()).isEqualTo(2);
        assertThat(Cli.run("bench", "--contenders=jdk-async:aio").status()).isEqualTo(2);
        assertThat(Cli.run("bench", "--contenders").status()).isEqualTo(2);
        Cli verify = Cli.run("bench", "--contenders=jdk-async", "--verify");
        assertThat(verify.status()).isEqualTo(2);
        assertThat(verify.err()).contains("does not combine with --verify");
    }

    @Test
    void selectKeepsTheAskedOrderOfAvailableContenders() {
        List<Compare.Contender> available = Compare.contenders(false);
        assertThat(available).extracting(Compare.Contender::id).contains("jdk-async", "jdk-filechannel",
                "io-engine-async", "io-engine-filechannel", "threads").doesNotContain("fio-io_uring");
        assertThat(Compare.select(available, List.of("io-engine-async", "threads", "fio-libaio")))
                .extracting(Compare.Contender::id).containsExactly("io-engine-async", "threads");
        assertThat(Compare.select(available, List.of())).isEqualTo(available);
    }

    @Test
    void channelContendersRunAndHaveBothRatiosInJson() {
        Path file = dir.resolve("channels.dat");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(240), () -> Cli.run("bench", "--compare",
                "--contenders=threads,jdk-async,jdk-filechannel,io-engine-async,io-engine-filechannel",
                "--rw=randread", "--size=4m", "--runtime=1", "--iodepth=8", "--filename=" + file,
                "--output-format=json"));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        assertThat(json.get("jdk_async_baseline")).isEqualTo("jdk-async");
        assertThat(json.get("baseline")).isEqualTo("io-engine threads");
        List<?> contenders = (List<?>) json.get("contenders");
        assertThat(contenders).extracting(c -> JsonReader.object(c).get("id")).containsExactly("threads",
                "jdk-async", "jdk-filechannel", "io-engine-async", "io-engine-filechannel");
        for (Object c : contenders) {
            Map<String, Object> contender = JsonReader.object(c);
            Map<String, Object> mean = JsonReader.object(contender.get("mean"));
            assertThat(mean.get("error")).as(contender.get("id").toString()).isNull();
            assertThat((Double) mean.get("iops")).as(contender.get("id").toString()).isPositive();
            assertThat((Double) mean.get("lat_p99_ns")).isPositive();
            assertThat((Double) contender.get("iops_ratio")).isPositive();
            assertThat((Double) contender.get("iops_ratio_jdk_async")).isPositive();
        }
        assertThat(JsonReader.object(contenders.get(1)).get("iops_ratio_jdk_async")).isEqualTo(1.0);
        assertThat(JsonReader.object(contenders.get(3)).get("tool")).isEqualTo("io-engine-provider");
    }

    @Test
    void channelContendersTableHasBothRatioColumns() {
        Path file = dir.resolve("table.dat");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> Cli.run("bench",
                "--contenders=jdk-async,io-engine-async,io-engine-filechannel:aio", "--rw=randread", "--size=4m",
                "--runtime=1",
                "--iodepth=4", "--filename=" + file));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(1)).contains("IOPS", "vs jdk-async", "CPU/IO");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  jdk-async ").contains("1.00x"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  io-engine-async ").matches(
                ".* [0-9.]+x +[0-9.]+x$"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  io-engine-filechannel:aio ").matches(
                ".* [0-9.]+x +[0-9.]+x$"));
    }

    @Test
    void jdkChannelContendersCloseWhatTheyOpenAndDirectWorks() throws IOException {
        Path file = dir.resolve("fds.dat");
        long before = openFds();
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> Cli.run("bench",
                "--contenders=jdk-async,jdk-filechannel", "--rw=randrw", "--size=1m", "--runtime=0.3",
                "--iodepth=4", "--filename=" + file, "--output-format=json"));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(openFds()).isEqualTo(before);
        // O_DIRECT where the file system allows it (not tmpfs): then both drivers must still do IO.
        Path directFile = Path.of("/var/tmp").resolve("io-engine-compare-test-" + ProcessHandle.current().pid());
        try {
            Cli direct = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> Cli.run("bench",
                    "--contenders=jdk-async,jdk-filechannel", "--rw=randread", "--direct", "--size=1m",
                    "--runtime=0.3", "--iodepth=4", "--filename=" + directFile, "--output-format=json"));
            if (direct.status() == 0) {
                for (Object c : (List<?>) JsonReader.object(JsonReader.parse(direct.out())).get("contenders")) {
                    Map<String, Object> mean = JsonReader.object(JsonReader.object(c).get("mean"));
                    assertThat((Double) mean.get("iops")).isPositive();
                }
            } else {
                assertThat(direct.out()).contains("O_DIRECT");
            }
        } finally {
            Files.deleteIfExists(directFile);
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void compareAndVerifyDoNotMix() {
        Cli r = Cli.run("bench", "--compare", "--verify");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--compare measures speed and does not combine with --verify");
        assertThat(Cli.run("bench", "--compare=0").status()).isEqualTo(2);
    }

    @Test
    void virtualThreadContendersReportCarriersAndPlot() throws Exception {
        Path file = dir.resolve("vthreads.dat");
        Path svg = Files.createDirectories(dir.resolve("plots")).resolve("vthreads.svg");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(240), () -> Cli.run("bench", "--vthreads=200",
                "--contenders=threads,jdk-filechannel-vthreads,io-engine-filechannel-vthreads", "--rw=randread",
                "--size=4m", "--runtime=1", "--iodepth=4", "--filename=" + file, "--output-format=json",
                "--plot=" + svg));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        assertThat(JsonReader.object(json.get("job")).get("vthreads")).isEqualTo(200.0);
        List<?> contenders = (List<?>) json.get("contenders");
        assertThat(contenders).extracting(c -> JsonReader.object(c).get("id")).containsExactly("threads",
                "jdk-filechannel-vthreads", "io-engine-filechannel-vthreads");
        for (Object c : contenders) {
            Map<String, Object> contender = JsonReader.object(c);
            Map<String, Object> mean = JsonReader.object(contender.get("mean"));
            String id = contender.get("id").toString();
            assertThat(mean.get("error")).as(id).isNull();
            assertThat((Double) mean.get("iops")).as(id).isPositive();
            assertThat((List<?>) mean.get("lat_percentiles_ns")).as(id).hasSize(LatencyPercentiles.POINTS.size());
            if (id.endsWith("-vthreads")) {
                assertThat((Double) mean.get("carriers_peak")).as(id).isGreaterThanOrEqualTo(1.0);
                assertThat((Double) mean.get("carriers_live_peak")).as(id)
                        .isGreaterThanOrEqualTo((Double) mean.get("carriers_peak"));
                assertThat((Double) mean.get("vthreads_with_io")).as(id).isBetween(1.0, 200.0);
            } else {
                assertThat(mean.get("carriers_peak")).as(id).isNull();
                assertThat(mean.get("vthreads_with_io")).as(id).isNull();
            }
        }
        Xml doc = SvgPlotTest.parse(Files.readString(svg));
        assertThat(SvgPlotTest.elements(doc, "path", "latency-line")).hasSize(3);
        assertThat(SvgPlotTest.texts(doc)).anySatisfy(t -> assertThat(t).matches(".*IOPS .*[0-9]+ carriers?"));
        assertThat(r.err()).contains("plot written to " + svg);
    }

    @Test
    void theTableAndMarkdownHaveACarriersColumnForVirtualThreads() {
        Path file = dir.resolve("vtable.dat");
        Cli text = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> Cli.run("bench", "--vthreads=50",
                "--contenders=threads,jdk-filechannel-vthreads", "--rw=randread", "--size=1m", "--runtime=0.3",
                "--iodepth=2", "--filename=" + file));
        assertThat(text.status()).as(text.out() + text.err()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.getFirst()).contains("vthreads=50");
        assertThat(lines.get(1)).endsWith("carriers");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  jdk-filechannel-vthreads ").matches(
                ".* [0-9]+$"));
        Cli md = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> Cli.run("bench", "--vthreads=50",
                "--contenders=threads,jdk-filechannel-vthreads", "--rw=randread", "--size=1m", "--runtime=0.3",
                "--iodepth=2", "--filename=" + file, "--markdown"));
        assertThat(md.status()).as(md.out() + md.err()).isZero();
        List<String> rows = md.out().lines().filter(l -> l.startsWith("|")).toList();
        assertThat(rows.getFirst()).startsWith("| contender | IOPS |").endsWith("| carriers |");
        assertThat(rows.get(1)).startsWith("|:--|--:|");
        assertThat(rows.get(2)).startsWith("| io-engine threads |").endsWith("|  |");
        assertThat(rows.get(3)).startsWith("| jdk-filechannel-vthreads |").matches(".*\\| [0-9]+ \\|$");
        assertThat(rows).allSatisfy(row -> assertThat(row.split("(?<!\\\\)\\|", -1)).hasSize(11));
    }

    @Test
    void withoutFioTheTableSaysSoInTheFioRows() throws Exception {
        Path file = dir.resolve("nofio.dat");
        BenchOptions o = BenchOptions.parse(List.of("--contenders=threads,fio-io_uring", "--rw=randread",
                "--size=1m", "--runtime=0.2", "--iodepth=2", "--filename=" + file.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> new Compare(o, BenchTarget.inspect(o),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir.resolve("no-such-fio").toString())
                .run(new PrintStream(out, true, StandardCharsets.UTF_8)));
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(table + err).isZero();
        assertThat(table.lines()).anySatisfy(l -> assertThat(l).startsWith("  fio io_uring ")
                .contains("not run: fio is not on the PATH"));
        assertThat(table).doesNotContain("fio libaio");
        BenchOptions json = BenchOptions.parse(List.of("--compare", "--contenders=threads,fio-libaio",
                "--rw=randread", "--size=1m", "--runtime=0.2", "--iodepth=2", "--filename=" + file,
                "--output-format=json"));
        ByteArrayOutputStream jsonOut = new ByteArrayOutputStream();
        new Compare(json, BenchTarget.inspect(json),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                dir.resolve("no-such-fio").toString()).run(new PrintStream(jsonOut, true, StandardCharsets.UTF_8));
        Map<String, Object> root = JsonReader.object(JsonReader.parse(jsonOut.toString(StandardCharsets.UTF_8)));
        assertThat((List<?>) root.get("skipped")).singleElement()
                .satisfies(e -> assertThat(JsonReader.object(e).get("name")).isEqualTo("fio libaio"));
    }

    /** The target jobs: every contender runs them (fio too, where it is installed). */
    @ParameterizedTest
    @CsvSource({"randwrite, 4k, 32", "read, 128k, 8", "randread, 4k, 1"})
    void theTargetJobsRun(String rw, String bs, int iodepth) {
        Path file = dir.resolve("target-" + rw + ".dat");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(240), () -> Cli.run("bench",
                "--contenders=io_uring,threads,jdk-async,jdk-filechannel,io-engine-async,io-engine-filechannel,"
                        + "fio-io_uring",
                "--rw=" + rw, "--bs=" + bs, "--iodepth=" + iodepth, "--size=4m", "--runtime=0.3",
                "--filename=" + file, "--output-format=json"));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        for (Object c : (List<?>) JsonReader.object(JsonReader.parse(r.out())).get("contenders")) {
            Map<String, Object> contender = JsonReader.object(c);
            Map<String, Object> mean = JsonReader.object(contender.get("mean"));
            assertThat(mean.get("error")).as(contender.get("id").toString()).isNull();
            assertThat((Double) mean.get("iops")).as(contender.get("id").toString()).isPositive();
        }
    }

    @Test
    void virtualThreadContenderIdsParse() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of("--vthreads=300"));
        assertThat(o.vthreads()).isEqualTo(300);
        assertThat(o.compareRounds()).isEqualTo(1);
        assertThat(Compare.contenders(false, true)).extracting(Compare.Contender::id)
                .contains("jdk-filechannel-vthreads", "io-engine-filechannel-vthreads");
        assertThat(Compare.contenders(false)).extracting(Compare.Contender::id)
                .doesNotContain("jdk-filechannel-vthreads", "io-engine-filechannel-vthreads");
        BenchOptions named = BenchOptions.parse(List.of("--contenders=io-engine-filechannel-vthreads:threads"));
        assertThat(named.virtualThreads()).isEqualTo(BenchOptions.DEFAULT_VTHREADS);
        assertThat(Compare.select(Compare.contenders(false, true), named.contenders())).singleElement()
                .satisfies(c -> {
                    assertThat(c.driver()).isEqualTo(Compare.Driver.PROVIDER_FILECHANNEL_VTHREADS);
                    assertThat(c.engine()).isEqualTo(dev.ioengine.EngineKind.THREADS);
                });
        assertThat(Cli.run("bench", "--vthreads=0").status()).isEqualTo(2);
        assertThat(Cli.run("bench", "--contenders=jdk-filechannel-vthreads:aio").status()).isEqualTo(2);
    }
}
