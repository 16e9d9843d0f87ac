package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
    @TempDir
    Path dir;

    @Test
    void aSavedCompareResultPlotsAsTheLiveRunDid() throws Exception {
        Path file = dir.resolve("data.dat");
        Path live = dir.resolve("live.svg");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("bench",
                "--contenders=threads,jdk-filechannel", "--rw=randrw", "--size=1m", "--runtime=0.3", "--iodepth=2",
                "--filename=" + file, "--json", "--plot=" + live));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        Path saved = dir.resolve("result.json");
        Files.writeString(saved, r.out());
        Path fromJson = Files.createDirectories(dir.resolve("out")).resolve("from-json.svg");
        Cli plot = Cli.run("plot", "--from=" + saved, "--out", fromJson.toString());
        assertThat(plot.status()).as(plot.err()).isZero();
        assertThat(plot.err()).contains("plot written to " + fromJson);
        assertThat(Files.readString(fromJson)).isEqualTo(Files.readString(live));
        Xml doc = SvgPlotTest.parse(Files.readString(fromJson));
        assertThat(SvgPlotTest.elements(doc, "path", "latency-line")).hasSize(2);
        assertThat(SvgPlotTest.texts(doc)).contains("io-engine threads", "jdk-filechannel");
        assertThat(SvgPlotTest.texts(doc).getFirst()).contains("randrw (50% reads)", "bs=4 KiB");
    }

    @Test
    void plainBenchPlotsItsOneContender() throws Exception {
        Path svg = dir.resolve("bench.svg");
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("bench", "--engine=threads",
                "--rw=randread", "--size=1m", "--runtime=0.3", "--iodepth=2", "--plot=" + svg));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        Xml doc = SvgPlotTest.parse(Files.readString(svg));
        assertThat(SvgPlotTest.elements(doc, "path", "latency-line")).hasSize(1);
        assertThat(SvgPlotTest.elements(doc, "rect", "iops-bar")).hasSize(1);
        assertThat(SvgPlotTest.texts(doc)).contains("io-engine threads");
        Path json = dir.resolve("bench.json");
        Cli j = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("bench", "--engine=threads",
                "--rw=randwrite", "--size=1m", "--runtime=0.3", "--iodepth=2", "--output-format=json"));
        Files.writeString(json, j.out());
        Path fromJson = dir.resolve("bench-from-json.svg");
        assertThat(Cli.run("plot", "--from=" + json, "--out=" + fromJson).status()).isZero();
        assertThat(SvgPlotTest.elements(SvgPlotTest.parse(Files.readString(fromJson)), "path", "latency-line"))
                .hasSize(1);
    }

    @Test
    void anOlderResultWithoutPercentilesStillPlots() throws Exception {
        Path json = dir.resolve("old.json");
        Files.writeString(json, """
                {"schema": "io-engine-compare/1", "rounds": 1, "baseline": "fio io_uring",
                 "job": {"rw": "randread", "rwmixread": 50, "bs": 4096, "iodepth": 32, "size": 1073741824,
                         "runtime_ns": 5000000000, "direct": true},
                 "contenders": [{"name": "io-engine io_uring", "iops_ratio": 1.19,
                                 "mean": {"iops": 98038.0, "lat_p99_ns": 1496100.0, "error": null}},
                                {"name": "fio io_uring", "iops_ratio": 1.0,
                                 "mean": {"iops": 82238.0, "error": null}}]}
                """);
        Path svg = dir.resolve("old.svg");
        Cli r = Cli.run("plot", "--from=" + json, "--out=" + svg);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("no latency percentiles");
        Xml doc = SvgPlotTest.parse(Files.readString(svg));
        assertThat(SvgPlotTest.elements(doc, "rect", "iops-bar")).hasSize(2);
        assertThat(SvgPlotTest.texts(doc)).contains("98,038 IOPS · 1.19x fio io_uring",
                "io-engine io_uring (no latency figures)");
        assertThat(SvgPlotTest.texts(doc).get(1)).contains("date not recorded", "host cores not recorded");
    }

    @Test
    void badUseAndBadInput() throws Exception {
        assertThat(Cli.run("plot").status()).isEqualTo(2);
        assertThat(Cli.run("plot", "--from=x.json").status()).isEqualTo(2);
        assertThat(Cli.run("plot", "--from=x.json", "--out").status()).isEqualTo(2);
        assertThat(Cli.run("plot", "--from=x.json", "--out=y.svg", "--size=3").status()).isEqualTo(2);
        assertThat(Cli.run("plot", "--help").out()).contains("--from=RESULT.json");
        Cli missing = Cli.run("plot", "--from=" + dir.resolve("missing.json"), "--out=" + dir.resolve("m.svg"));
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("io-engine plot: " + dir.resolve("missing.json")
                + ": No such file or directory\n");
        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "{\"schema\": \"something-else\"}");
        Cli wrong = Cli.run("plot", "--from=" + notJson, "--out=" + dir.resolve("w.svg"));
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err()).contains("not an io-engine bench result");
        Files.writeString(notJson, "{truncated");
        assertThat(Cli.run("plot", "--from=" + notJson, "--out=" + dir.resolve("w.svg")).status()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("w.svg"))).isFalse();
        assertThat(List.of(Cli.run("bench", "--plot=").status(), Cli.run("bench", "--markdown").status(),
                Cli.run("bench", "--output-format=xml").status())).containsOnly(2);
    }
}
