package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTest {
    @Test
    void textNamesEveryEngineTheKernelSettingsAndAutosChoice() {
        Cli r = Cli.run("info");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("kernel", "/proc/sys/kernel/osrelease", "jdk", "native access",
                "kernel.io_uring_disabled", "fs.aio-max-nr", "fs.aio-nr", "io_uring", "aio", "threads", "auto");
        assertThat(r.out()).containsPattern("threads +available");
        assertThat(r.out()).containsPattern("auto +(io_uring|aio|threads) \\(auto picks");
    }

    @Test
    void jsonParsesAndHasAnEntryPerEngine() {
        Cli r = Cli.run("info", "--output-format=json");
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Object> json = JsonReader.object(JsonReader.parse(r.out()));
        assertThat(json).containsKeys("kernel", "jdk", "io_uring_disabled", "aio_max_nr", "aio_nr", "engines",
                "auto");
        Map<String, Object> engines = JsonReader.object(json.get("engines"));
        assertThat(engines).containsOnlyKeys("io_uring", "aio", "threads");
        assertThat(JsonReader.object(engines.get("threads"))).containsEntry("available", true);
        assertThat(JsonReader.object(json.get("auto"))).containsKeys("engine", "why");
    }

    @Test
    void unknownOptionIsStatus2() {
        Cli r = Cli.run("info", "--verbose");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option '--verbose'");
    }
}
