package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) throws UsageException {
        return BenchOptions.parse(List.of(args));
    }

    @Test
    void defaultsAreFios() throws UsageException {
        BenchOptions o = parse();
        assertThat(o.engine()).isEqualTo(EngineKind.AUTO);
        assertThat(o.rw()).isEqualTo(BenchOptions.Rw.READ);
        assertThat(o.rwmixread()).isEqualTo(50);
        assertThat(o.blockSize()).isEqualTo(4096);
        assertThat(o.iodepth()).isEqualTo(32);
        assertThat(o.size()).isEqualTo(1L << 30);
        assertThat(o.runtimeNanos()).isEqualTo(10_000_000_000L);
        assertThat(o.direct()).isFalse();
        assertThat(o.verify()).isFalse();
        assertThat(o.filename()).isNull();
        assertThat(o.jsonOutput()).isFalse();
        assertThat(o.helpRequested()).isFalse();
    }

    @Test
    void everyOptionIsParsed() throws UsageException {
        BenchOptions o = parse("--engine=threads", "--rw=randrw", "--rwmixread=70", "--bs=8k", "--iodepth=16",
                "--size=16m", "--runtime=2", "--direct", "--verify", "--filename=/tmp/x", "--output-format=json",
                "--name=job1", "--time_based");
        assertThat(o.engine()).isEqualTo(EngineKind.THREADS);
        assertThat(o.rw()).isEqualTo(BenchOptions.Rw.RANDRW);
        assertThat(o.rwmixread()).isEqualTo(70);
        assertThat(o.blockSize()).isEqualTo(8192);
        assertThat(o.iodepth()).isEqualTo(16);
        assertThat(o.size()).isEqualTo(16L << 20);
        assertThat(o.runtimeNanos()).isEqualTo(2_000_000_000L);
        assertThat(o.direct()).isTrue();
        assertThat(o.verify()).isTrue();
        assertThat(o.filename()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.jsonOutput()).isTrue();
        assertThat(o.jobName()).isEqualTo("job1");
        assertThat(o.blocks()).isEqualTo(2048);
    }

    @Test
    void valuesMayFollowAsSeparateArguments() throws UsageException {
        BenchOptions o = parse("--rw", "write", "--bs", "1m", "--iodepth", "4", "--engine", "aio");
        assertThat(o.rw()).isEqualTo(BenchOptions.Rw.WRITE);
        assertThat(o.blockSize()).isEqualTo(1 << 20);
        assertThat(o.iodepth()).isEqualTo(4);
        assertThat(o.engine()).isEqualTo(EngineKind.AIO);
    }

    @Test
    void fioSpellingsAreAccepted() throws UsageException {
        assertThat(parse("--ioengine=libaio").engine()).isEqualTo(EngineKind.AIO);
        assertThat(parse("--ioengine=io_uring").engine()).isEqualTo(EngineKind.IO_URING);
        assertThat(parse("--ioengine=psync").engine()).isEqualTo(EngineKind.THREADS);
        assertThat(parse("--direct=1").direct()).isTrue();
        assertThat(parse("--direct=0").direct()).isFalse();
        assertThat(parse("--verify=crc32c").verify()).isTrue();
        assertThat(parse("--verify=0").verify()).isFalse();
        assertThat(parse("--rwmixwrite=30").rwmixread()).isEqualTo(70);
        assertThat(parse("--output-format=normal").jsonOutput()).isFalse();
        assertThat(parse("--help").helpRequested()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"read", "write", "randread", "randwrite", "randrw"})
    void everyRwModeParses(String rw) throws UsageException {
        assertThat(parse("--rw=" + rw).rw().id()).isEqualTo(rw);
    }

    @ParameterizedTest
    @CsvSource({"512,512", "4k,4096", "4K,4096", "4kb,4096", "4KiB,4096", "1m,1048576", "1g,1073741824",
            "2t,2199023255552", "0k,0"})
    void sizesArePowersOf1024(String text, long bytes) throws UsageException {
        assertThat(Sizes.parseBytes("--size", text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"10,10000000000", "1.5,1500000000", "500ms,500000000", "2s,2000000000", "1m,60000000000"})
    void durations(String text, long nanos) throws UsageException {
        assertThat(Sizes.parseDurationNanos("--runtime", text)).isEqualTo(nanos);
    }

    @Test
    void sizeIsRoundedDownToTheBlockSize() throws UsageException {
        assertThat(parse("--size=10000", "--bs=4k").size()).isEqualTo(8192);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--frobnicate                  | unknown option '--frobnicate'",
        "--frobnicate=3                | unknown option '--frobnicate=3'",
        "stray                         | unexpected argument 'stray'",
        "--engine=spdk                 | bad --engine 'spdk': expected io_uring, aio, threads or auto",
        "--rw=trim                     | --rw=trim is not supported: io-engine does not issue trims",
        "--rw=sideways                 | bad --rw 'sideways': expected read, write, randread, randwrite, rw/readwrite or randrw",
        "--bs=4x                       | bad size '4x' for --bs",
        "--bs=0                        | --bs must be positive",
        "--bs=-4k                      | bad size '-4k' for --bs",
        "--bs=2g                       | --bs must be at most 1g",
        "--size=lots                   | bad size 'lots' for --size",
        "--size=99999999999999999999   | size '99999999999999999999' for --size is too large",
        "--size=16777216t              | is too large",
        "--size=1k                     | --size (1024) must be at least --bs (4096)",
        "--iodepth=0                   | --iodepth must be in [1, 32768], not 0",
        "--iodepth=-1                  | --iodepth must be in [1, 32768], not -1",
        "--iodepth=100000              | --iodepth must be in [1, 32768], not 100000",
        "--iodepth=many                | bad --iodepth 'many': expected a whole number",
        "--runtime=0                   | --runtime must be positive",
        "--runtime=-1                  | bad duration '-1' for --runtime",
        "--runtime=soon                | bad duration 'soon' for --runtime",
        "--rwmixread=101               | --rwmixread must be in [0, 100], not 101",
        "--direct=maybe                | bad --direct='maybe': expected 1 or 0",
        "--verify=md5                  | unsupported --verify='md5'",
        "--output-format=terse         | bad --output-format 'terse': expected normal, json, json+ or markdown",
        "--filename=                   | --filename must not be empty",
        "--bs                          | --bs needs a value",
    })
    void badOptionsGiveOneLineMessages(String arg, String message) {
        assertThatThrownBy(() -> parse(arg.strip()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message.strip())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anOptionIsNotTakenAsTheValueOfTheOneBefore() {
        assertThatThrownBy(() -> parse("--name", "--rw=read"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--name needs a value (--name=VALUE)");
    }

    @Test
    void directNeedsSectorMultiples() {
        assertThatThrownBy(() -> parse("--direct", "--bs=1000"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--direct needs --bs to be a multiple of 512");
    }

    @Test
    void verifyNeedsRoomForTheHeader() {
        assertThatThrownBy(() -> parse("--verify", "--bs=16"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--verify needs --bs of at least 32");
    }

    @ParameterizedTest
    @CsvSource({"--iodepth=0", "--bogus", "--bs=1q", "--runtime=0", "--size=abc", "--engine=nope"})
    void badOptionsExitWithStatus2AndOneLine(String arg) {
        Cli r = Cli.run("bench", arg);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("io-engine bench: ").endsWith("\n");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void helpPrintsEveryOptionAndExits0() {
        Cli r = Cli.run("bench", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--engine", "--rw", "--rwmixread", "--bs", "--iodepth", "--size", "--runtime",
                "--direct", "--filename", "--verify", "--output-format");
    }

    @Test
    void topLevelUsage() {
        assertThat(Cli.run().status()).isEqualTo(2);
        Cli unknown = Cli.run("frob");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frob'");
        Cli help = Cli.run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("info", "bench", "run");
    }

    @Test
    void plotVthreadsAndOutputFormats() throws UsageException {
        BenchOptions o = parse("--compare", "--plot=/tmp/x.svg", "--vthreads", "10000", "--markdown");
        assertThat(o.plotFile()).isEqualTo(Path.of("/tmp/x.svg"));
        assertThat(o.vthreads()).isEqualTo(10000);
        assertThat(o.outputFormat()).isEqualTo(BenchOptions.OutputFormat.MARKDOWN);
        assertThat(parse("--json").jsonOutput()).isTrue();
        assertThat(parse("--compare", "--output-format=markdown").outputFormat())
                .isEqualTo(BenchOptions.OutputFormat.MARKDOWN);
        assertThat(parse().plotFile()).isNull();
        assertThat(parse().vthreads()).isZero();
        assertThatThrownBy(() -> parse("--markdown")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--compare");
        assertThatThrownBy(() -> parse("--vthreads=-1")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parse("--vthreads=abc")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parse("--plot")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--plot needs a value");
    }
}
