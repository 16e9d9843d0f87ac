package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
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
    void numbersAreNumbersAndEveryIoUringFeatureIsNamed() {
        Map<String, Object> json = JsonReader.object(JsonReader.parse(Cli.run("info", "--json").out()));
        assertThat(json.get("cpus")).isEqualTo((double) Runtime.getRuntime().availableProcessors());
        assertThat(json.get("native_access")).isEqualTo(true);
        for (String key : new String[] {"io_uring_disabled", "aio_max_nr", "aio_nr", "memlock_bytes"}) {
            assertThat(json.get(key)).as(key).satisfiesAnyOf(v -> assertThat(v).isInstanceOf(Double.class),
                    v -> assertThat(v).isNull());
        }
        assertThat(json.get("aio_max_nr")).isInstanceOf(Double.class);
        List<?> features = (List<?>) JsonReader.required(json, "info", "engines", "io_uring", "features");
        assertThat(features).allSatisfy(f -> assertThat((String) f).doesNotContain("BIT_"));
    }

    @Test
    void warnsWhenTheTemporaryDirectoryIsOnTmpfs() throws Exception {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"),
                "no tmpfs at /dev/shm");
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", shm.toString());
        try {
            Cli r = Cli.run("info");
            assertThat(r.out()).contains("tmpfs is memory: bench --direct there measures memory, not a device");
            Cli bench = Cli.run("bench", "--direct", "--size=1m", "--runtime=0.1", "--engine=threads");
            assertThat(bench.err()).contains("io-engine bench: note: java.io.tmpdir (/dev/shm) is on tmpfs: "
                    + "--direct there reads and writes memory, not a device");
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }

    @Test
    void unknownOptionIsStatus2() {
        Cli r = Cli.run("info", "--verbose");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option '--verbose'");
    }
}
