package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgPlotTest {
    private static final double[] POINTS = LatencyPercentiles.POINTS.stream().mapToDouble(Double::doubleValue)
            .toArray();

    /** A rising curve from {@code base} nanoseconds. */
    private static double[] curve(double base) {
        double[] v = new double[POINTS.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = base * (1 + i);
        }
        return v;
    }

    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    /** Parses an SVG document as XML (javax.xml); fails the test if it is not well-formed. */
    static Xml parse(String svg) throws Exception {
        Xml root = Xml.parse(svg);
        assertThat(root.name()).isEqualTo("svg");
        assertThat(root.namespace()).isEqualTo(SVG_NAMESPACE);
        return root;
    }

    /** The SVG elements named {@code tag} (and of CSS class {@code cssClass} unless null), in document order. */
    static List<Xml> elements(Xml doc, String tag, String cssClass) {
        return doc.all().stream().filter(e -> SVG_NAMESPACE.equals(e.namespace()) && e.name().equals(tag))
                .filter(e -> cssClass == null || cssClass.equals(e.attribute("class"))).toList();
    }

    static List<String> texts(Xml doc) {
        return elements(doc, "text", null).stream().map(Xml::text).toList();
    }

    @Test
    void oneLinePerContenderWithLabelsTitleAndLegend() throws Exception {
        SvgPlot.Chart chart = new SvgPlot.Chart("rw=randread, bs=4 KiB, iodepth=32", "2026-11-24 05:10 UTC",
                List.of(new SvgPlot.Series("io-engine io_uring", 81562, "1.00x fio io_uring", POINTS,
                        curve(50_000), null),
                        new SvgPlot.Series("fio io_uring", 79000, "0.97x fio io_uring", POINTS, curve(60_000), null),
                        new SvgPlot.Series("jdk-filechannel-vthreads", 41000, "77 carriers", POINTS, curve(1e6),
                                null)), "carriers: what they are");
        String svg = SvgPlot.render(chart);
        Xml doc = parse(svg);
        List<Xml> lines = elements(doc, "path", "latency-line");
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(e -> e.attribute("stroke")).doesNotHaveDuplicates();
        assertThat(lines.getFirst().attribute("d")).startsWith("M").contains(" L");
        assertThat(elements(doc, "rect", "iops-bar")).hasSize(3);
        List<String> texts = texts(doc);
        assertThat(texts).contains("rw=randread, bs=4 KiB, iodepth=32", "2026-11-24 05:10 UTC", "io-engine io_uring",
                "fio io_uring", "jdk-filechannel-vthreads", "0", "90", "99", "99.9", "99.99", "latency (log scale)",
                "IOPS");
        assertThat(texts).anySatisfy(t -> assertThat(t).startsWith("percentile"));
        assertThat(texts).anySatisfy(t -> assertThat(t).isEqualTo("81,562 IOPS · 1.00x fio io_uring"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("77 carriers"));
        assertThat(texts).contains("carriers: what they are");
        assertThat(texts).anySatisfy(t -> assertThat(t).endsWith("ms"));
        assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void aContenderWithoutFiguresHasNoLineNoBarAndNoNaN() throws Exception {
        double[] withHoles = curve(10_000);
        withHoles[2] = Double.NaN;
        withHoles[3] = Double.POSITIVE_INFINITY;
        withHoles[4] = 0;
        withHoles[5] = -5;
        SvgPlot.Chart chart = new SvgPlot.Chart("t", "s", List.of(
                new SvgPlot.Series("no ops", 0, "", POINTS, new double[POINTS.length], null),
                new SvgPlot.Series("no histogram", Double.NaN, "", null, null, null),
                new SvgPlot.Series("failed one", 0, "", null, null, "failed: EINVAL: bad\nthings"),
                new SvgPlot.Series("with holes", 1000, "", POINTS, withHoles, null)), "");
        String svg = SvgPlot.render(chart);
        Xml doc = parse(svg);
        assertThat(elements(doc, "path", "latency-line")).hasSize(1);
        assertThat(elements(doc, "rect", "iops-bar")).hasSize(1);
        assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
        List<String> texts = texts(doc);
        assertThat(texts).contains("no ops (no latency figures)", "no histogram (no latency figures)",
                "failed one (no latency figures)", "failed: EINVAL: bad things", "no IO");
        // 4 points of 17 dropped.
        assertThat(elements(doc, "path", "latency-line").getFirst().attribute("d").split(" L"))
                .hasSize(POINTS.length - 4);
    }

    @Test
    void nothingToDrawStillMakesAValidDocument() throws Exception {
        String svg = SvgPlot.render(new SvgPlot.Chart("empty", "", List.of(), ""));
        Xml doc = parse(svg);
        assertThat(elements(doc, "path", "latency-line")).isEmpty();
        assertThat(texts(doc)).contains("no latency figures");
        assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void textIsEscaped() throws Exception {
        String name = "<script>alert('x')</script> & \"q\" \u0001\uFFFF\uD800 \uD83D\uDE80";
        String svg = SvgPlot.render(new SvgPlot.Chart(name, name, List.of(
                new SvgPlot.Series(name, 5, name, POINTS, curve(1000), name)), name));
        assertThat(svg).doesNotContain("<script>");
        Xml doc = parse(svg);
        assertThat(texts(doc)).contains("<script>alert('x')</script> & \"q\"  \uD83D\uDE80");
        assertThat(SvgPlot.escape("a&b<c>d\"e'f")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&apos;f");
    }

    @Test
    void scalesAndLabels() {
        assertThat(LatencyPercentiles.nines(0)).isZero();
        assertThat(LatencyPercentiles.nines(90)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LatencyPercentiles.nines(99.99)).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LatencyPercentiles.nines(100)).isEqualTo(4);
        assertThat(LatencyPercentiles.nines(Double.NaN)).isZero();
        assertThat(SvgPlot.duration(20_000)).isEqualTo("20 µs");
        assertThat(SvgPlot.duration(1_500_000)).isEqualTo("1.5 ms");
        assertThat(SvgPlot.niceTick(81_562)).isEqualTo(20_000);
        assertThat(SvgPlot.niceTick(0)).isEqualTo(1);
        assertThat(SvgPlot.num(Double.NaN)).isEqualTo("0");
        assertThat(LatencyPercentiles.fioPercentileList()).startsWith("25:50:75:90:").endsWith(":99.99")
                .doesNotContain(":0:");
        assertThat(LatencyPercentiles.POINTS.size()).isLessThanOrEqualTo(21);
    }

    @Test
    void chartFromACompareResultHasEveryContenderAndTheSkippedOnes() throws Exception {
        String json = """
                {"schema": "io-engine-compare/1", "date": "2026-11-24T05:10:33Z", "host_cores": 2, "rounds": 1,
                 "baseline": "fio io_uring",
                 "job": {"rw": "randread", "rwmixread": 50, "bs": 4096, "iodepth": 32, "size": 1073741824,
                         "runtime_ns": 5000000000, "direct": true, "vthreads": 200},
                 "contenders": [
                   {"name": "io-engine io_uring", "iops_ratio": 1.03,
                    "mean": {"iops": 81562.0, "error": null, "carriers_peak": null,
                             "lat_percentiles_ns": [{"percentile": 0, "ns": 20000}, {"percentile": 99, "ns": 900000}]}},
                   {"name": "jdk-filechannel-vthreads", "iops_ratio": 0.5,
                    "mean": {"iops": 40000.0, "error": null, "carriers_peak": 77,
                             "lat_percentiles_ns": [{"percentile": 0, "ns": 20000}, {"percentile": 99, "ns": 9e6}]}},
                   {"name": "old", "iops_ratio": null, "mean": {"iops": 5.0, "error": null}}],
                 "skipped": [{"name": "fio libaio", "reason": "fio is not on the PATH"}]}
                """;
        SvgPlot.Chart chart = Plot.chart(JsonReader.object(JsonReader.parse(json)));
        assertThat(chart.title()).contains("randread", "4 KiB", "iodepth=32", "direct=1", "1 GiB", "5 s");
        assertThat(chart.subtitle()).contains("2026-11-24 05:10 UTC", "2 cores", "1 round", "vthreads=200");
        assertThat(chart.series()).extracting(SvgPlot.Series::name).containsExactly("io-engine io_uring",
                "jdk-filechannel-vthreads", "old", "fio libaio");
        assertThat(chart.series().get(1).note()).isEqualTo("0.50x fio io_uring · 77 carriers");
        assertThat(chart.footnote()).startsWith("carriers: ");
        Xml doc = parse(SvgPlot.render(chart));
        assertThat(elements(doc, "path", "latency-line")).hasSize(2);
        assertThat(texts(doc)).contains("not run: fio is not on the PATH", "fio libaio (no latency figures)",
                "old (no latency figures)");
        Map<String, Object> notAResult = JsonReader.object(JsonReader.parse("{\"schema\": \"x\"}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Plot.chart(notAResult))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("io-engine-compare/1");
    }
}
