package dev.ioengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long fsx run ({@code ./build soak}): {@code ioengine.soak.minutes} minutes (default 30) of sequences of
 * {@code ioengine.fsx.length} steps (default 1000), taking each available engine, buffered and O_DIRECT, in turn.
 * Stops at the first failure (reported with its seed and shrunk sequence). Ends with one summary line
 * ({@code fsx soak: ... operations, ... bytes verified, ... mismatches, ... leaks}) and one line per target, logged
 * and published as a report entry.
 */
@Tag("soak")
class FsxSoakTest {
    @AfterAll
    static void closeEngines() throws InterruptedException {
        FsxEngines.closeAll();
    }

    private static final double MINUTES = Double.parseDouble(System.getProperty("ioengine.soak.minutes", "30"));
    private static final int LENGTH = Integer.getInteger("ioengine.fsx.length", 1000);
    private static final System.Logger LOG = System.getLogger(FsxSoakTest.class.getName());

    @TempDir
    Path dir;

    @Test
    void soak(TestReporter reporter) throws Exception {
        List<FsxExerciser> targets = new ArrayList<>();
        for (EngineKind kind : FsxEngines.kinds().toList()) {
            EngineAvailability availability = EngineAvailability.probe(kind);
            if (!availability.available()) {
                LOG.log(System.Logger.Level.WARNING, "fsx soak skips " + kind + ": " + availability.reason());
                continue;
            }
            targets.add(new FsxExerciser(kind, false, dir));
            targets.add(new FsxExerciser(kind, true, dir));
        }
        FsxLeaks.Snapshot before = FsxLeaks.take();
        Map<String, FsxRun.Stats> perTarget = new LinkedHashMap<>();
        Map<String, Integer> sequences = new LinkedHashMap<>();
        Duration length = Duration.ofSeconds(Math.round(MINUTES * 60));
        Long fixed = Long.getLong("ioengine.fsx.seed");
        long firstSeed = fixed != null ? fixed : System.nanoTime();
        String failure = assertTimeoutPreemptively(length.plusMinutes(15), () -> {
            long deadline = System.nanoTime() + length.toNanos();
            long seed = firstSeed;
            while (System.nanoTime() < deadline) {
                for (FsxExerciser target : targets) {
                    FsxRun.Stats stats = perTarget.computeIfAbsent(target.target(), t -> new FsxRun.Stats());
                    sequences.merge(target.target(), 1, Integer::sum);
                    String found = target.runOne(seed++, LENGTH, stats);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        });
        String leaks = FsxLeaks.leaksSince(before);
        FsxRun.Stats total = new FsxRun.Stats();
        perTarget.values().forEach(total::add);
        String summary = String.format("fsx soak: %.1f minutes from seed %d, %d operations, %d bytes verified,"
                + " %d mismatches, %d leaks", MINUTES, firstSeed, total.operations, total.bytesVerified,
                total.mismatches, leaks == null ? 0 : 1);
        LOG.log(System.Logger.Level.INFO, summary);
        reporter.publishEntry("fsx soak", summary);
        perTarget.forEach((target, stats) -> {
            String line = "fsx soak " + target + ": " + sequences.get(target) + " sequences, " + stats;
            LOG.log(System.Logger.Level.INFO, line);
            reporter.publishEntry("fsx soak " + target, line);
        });
        assertThat(failure).as(summary).isNull();
        assertThat(leaks).as(summary).isNull();
    }
}
