package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class EngineAvailabilityTest {
    @Test
    void threadsAreAvailableOnLinux() {
        EngineAvailability threads = EngineAvailability.probe(EngineKind.THREADS);
        assertThat(threads.available()).as(threads.reason()).isTrue();
        assertThat(threads.kind()).isEqualTo(EngineKind.THREADS);
    }

    @Test
    void autoPicksTheFirstAvailableOfIoUringAioThreadsAndSaysWhy() {
        EngineKind picked = EngineAvailability.selectAuto();
        boolean uring = EngineAvailability.probe(EngineKind.IO_URING).available();
        boolean aio = EngineAvailability.probe(EngineKind.AIO).available();
        EngineKind expected = uring ? EngineKind.IO_URING : aio ? EngineKind.AIO : EngineKind.THREADS;
        assertThat(picked).isEqualTo(expected);
        assertThat(EngineAvailability.explainAuto()).startsWith("auto picks " + expected);
        assertThat(EngineAvailability.probe(EngineKind.AUTO).kind()).isEqualTo(expected);
    }

    @Test
    void unavailableEnginesSayWhy() {
        Engines.all().map(EngineAvailability::probe).filter(a -> !a.available())
                .forEach(a -> assertThat(a.reason()).as(a.kind() + " reason").isNotBlank());
    }

    @Test
    void probesAreCachedAndStable() {
        for (EngineKind k : EngineKind.values()) {
            assertThat(EngineAvailability.probe(k)).isEqualTo(EngineAvailability.probe(k));
        }
    }

    @Test
    void autoOpensThePickedEngine() throws IOException {
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().queueDepth(4).build())) {
            assertThat(engine.kind()).isEqualTo(EngineAvailability.selectAuto());
            assertThat(engine.isOpen()).isTrue();
        }
    }
}
