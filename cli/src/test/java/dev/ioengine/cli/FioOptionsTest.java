package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** fio's options with fio's meaning, and fio command lines from fio's documentation run unchanged. */
class FioOptionsTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static BenchOptions parse(String... args) throws UsageException {
        return BenchOptions.parse(List.of(args));
    }

    @Test
    void parsesFiosOptions() throws UsageException {
        BenchOptions o = parse("--numjobs=4", "--group_reporting", "--ramp_time=2", "--fsync=8", "--io_size=1p",
                "--randrepeat=0", "--norandommap", "--readwrite=readwrite", "--output-format=json+", "--size=2p");
        assertThat(o.numjobs()).isEqualTo(4);
        assertThat(o.groupReporting()).isTrue();
        assertThat(o.rampNanos()).isEqualTo(2_000_000_000L);
        assertThat(o.fsyncEvery()).isEqualTo(8);
        assertThat(o.ioSize()).isEqualTo(1L << 50);
        assertThat(o.size()).isEqualTo(2L << 50);
        assertThat(o.randrepeat()).isFalse();
        assertThat(o.randommap()).isFalse();
        assertThat(o.rw()).isEqualTo(BenchOptions.Rw.RW);
        assertThat(o.outputFormat()).isEqualTo(BenchOptions.OutputFormat.JSON_PLUS);
        assertThat(o.jsonOutput()).isTrue();
        assertThat(parse("--rw=rw").rw()).isEqualTo(BenchOptions.Rw.RW);
        BenchOptions d = parse();
        assertThat(d.randrepeat()).isTrue();
        assertThat(d.randommap()).isTrue();
        assertThat(d.timeBased()).isFalse();
        assertThat(d.bytesPerJob()).isEqualTo(d.size());
        assertThat(parse("--time_based").bytesPerJob()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "psync", "posixaio"})
    void fiosSynchronousEnginesRunOnTheThreadsEngine(String engine) throws UsageException {
        BenchOptions o = parse("--ioengine=" + engine);
        assertThat(o.engine()).isEqualTo(EngineKind.THREADS);
        assertThat(o.fioEngine()).isEqualTo(engine);
        assertThat(parse("--ioengine=libaio").engine()).isEqualTo(EngineKind.AIO);
        assertThat(parse("--ioengine=io_uring").engine()).isEqualTo(EngineKind.IO_URING);
    }

    @Test
    void refusedOptionsSaySo() {
        assertThatThrownBy(() -> parse("--ioengine=mmap")).hasMessageStartingWith("--ioengine=mmap is not supported");
        assertThatThrownBy(() -> parse("--thinktime=3"))
                .hasMessage("fio's --thinktime is not supported by io-engine bench (README: \"fio options not "
                        + "taken\")");
        assertThatThrownBy(() -> parse("--readonly", "--rw=write")).hasMessageContaining("--readonly refuses");
        assertThatThrownBy(() -> parse("--compare", "--numjobs=2")).hasMessageContaining("--numjobs");
        assertThatThrownBy(() -> parse("--compare", "--fsync=1")).hasMessageContaining("--fsync");
        assertThatThrownBy(() -> parse("--numjobs=0")).hasMessage("--numjobs must be in [1, 1024], not 0");
    }

    @Test
    void theRandomMapVisitsEveryBlockOncePerPassAndRandrepeatRepeats() {
        for (long blocks : new long[] {1, 2, 3, 1000, 4096, 100_003}) {
            BlockSequence s = new BlockSequence(blocks, true, true, BlockSequence.seed(true, 0));
            Set<Long> seen = new HashSet<>();
            for (long i = 0; i < blocks; i++) {
                long b = s.next();
                assertThat(b).isBetween(0L, blocks - 1);
                assertThat(seen.add(b)).as("block %d visited twice in one pass of %d", b, blocks).isTrue();
            }
        }
        long[] first = draw(new BlockSequence(1000, true, true, BlockSequence.seed(true, 3)), 3000);
        long[] again = draw(new BlockSequence(1000, true, true, BlockSequence.seed(true, 3)), 3000);
        assertThat(again).isEqualTo(first);
        assertThat(draw(new BlockSequence(1000, true, true, BlockSequence.seed(true, 4)), 3000)).isNotEqualTo(first);
        long[] norandommap = draw(new BlockSequence(1000, true, false, BlockSequence.seed(true, 3)), 1000);
        assertThat(LongStream.of(norandommap).distinct().count()).as("uniform draws repeat").isLessThan(1000);
        assertThat(draw(new BlockSequence(5, false, true, 1), 7)).containsExactly(0, 1, 2, 3, 4, 0, 1);
    }

    private static long[] draw(BlockSequence s, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.next();
        }
        return out;
    }

    @Test
    void numjobsReportsEachJobAndTheGroupAndIoSizeEndsEachJob() {
        Path file = dir.resolve("jobs.dat");
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=randrw",
                "--numjobs=3", "--iodepth=2", "--size=1m", "--io_size=256k", "--filename=" + file, "--json"));
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        List<?> jobs = (List<?>) json.get("jobs");
        assertThat(jobs).hasSize(3);
        for (Object job : jobs) {
            assertThat(JsonReader.requiredNumber(job, "job", "total", "bytes")).isEqualTo(256 * 1024.0);
        }
        assertThat(JsonReader.requiredNumber(json, "result", "total", "bytes")).isEqualTo(3 * 256 * 1024.0);
        Cli text = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=read",
                "--numjobs=2", "--size=1m", "--filename=" + file));
        assertThat(text.out()).contains("numjobs=2", "job 0:", "job 1:", "all 2 jobs:");
        Cli grouped = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=read",
                "--numjobs=2", "--group_reporting", "--size=1m", "--filename=" + file));
        assertThat(grouped.out()).contains("all 2 jobs:").doesNotContain("job 0:");
    }

    @Test
    void rampTimeIsLeftOutOfTheFiguresAndFsyncFollowsEveryNWrites() {
        Path file = dir.resolve("ramp.dat");
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--engine=threads", "--rw=write",
                "--iodepth=1", "--size=1m", "--ramp_time=2", "--runtime=0.3", "--time_based", "--fsync=4",
                "--filename=" + file,
                "--output-format=json+"));
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        double elapsed = JsonReader.requiredNumber(json, "result", "elapsed_ns");
        // At least the runtime (time based: 1 MiB may be written well within it), and without the 2 s ramp (which
        // would make it 2.3 s or more).
        assertThat(elapsed).as("the measured phase only").isGreaterThanOrEqualTo(0.3e9).isLessThan(2e9);
        double writes = JsonReader.requiredNumber(json, "result", "write", "ios");
        double syncs = JsonReader.requiredNumber(json, "result", "sync", "ios");
        assertThat(syncs).isPositive().isBetween(writes / 4 - 2, writes / 4 + 2);
        assertThat((List<?>) JsonReader.required(json, "result", "write", "lat_bins_ns")).isNotEmpty();
    }

    /** fio's HOWTO and widely used command lines, unchanged (the HOWTO's random-writers writes 4 x 64 MiB). */
    @Test
    void fioCommandLinesRunUnchanged() {
        List<List<String>> lines = List.of(
                List.of("--name=random-writers", "--ioengine=libaio", "--iodepth=4", "--rw=randwrite", "--bs=32k",
                        "--direct=0", "--size=64m", "--numjobs=4"),
                List.of("--ioengine=libaio", "--direct=1", "--rw=write", "--numjobs=1", "--bs=16k", "--iodepth=1",
                        "--size=20M", "--name=write"),
                List.of("--randrepeat=1", "--ioengine=psync", "--gtod_reduce=1", "--name=test", "--bs=4k",
                        "--iodepth=64", "--size=16m", "--readwrite=randrw", "--rwmixread=75"));
        for (List<String> line : lines) {
            String[] args = new String[line.size() + 1];
            args[0] = "bench";
            for (int i = 0; i < line.size(); i++) {
                args[i + 1] = line.get(i);
            }
            Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run(args));
            assertThat(r.status()).as(line + "\n" + r.out() + r.err()).isZero();
            assertThat(r.out()).contains("IOPS=");
        }
    }
}
