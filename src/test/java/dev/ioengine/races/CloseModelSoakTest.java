package dev.ioengine.races;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.races.CloseModelChecker.Buffers;
import dev.ioengine.races.CloseModelChecker.Channel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long close-model run ({@code ./build soak}): {@link CloseModelTest}'s rounds on every available engine in
 * turn for {@code ioengine.soak.minutes} minutes (default 30), stopping at the first problems. Publishes one line
 * of figures per engine.
 */
@Tag("soak")
class CloseModelSoakTest {
    private static final double MINUTES = Double.parseDouble(System.getProperty("ioengine.soak.minutes", "30"));

    @TempDir
    Path dir;

    @Test
    void noChannelChangesTheFileAfterCloseReturns(TestReporter reporter) throws Exception {
        List<CloseModelChecker> checkers = new ArrayList<>();
        try {
            for (EngineKind kind : RaceSupport.engines().toList()) {
                checkers.add(new CloseModelChecker(kind, dir));
            }
            long deadline = System.nanoTime() + Math.round(MINUTES * 60e9);
            long seed = RaceSupport.SEED;
            boolean going = true;
            while (going && System.nanoTime() < deadline) {
                for (CloseModelChecker checker : checkers) {
                    for (Channel channel : Channel.values()) {
                        for (Buffers buffers : Buffers.values()) {
                            going &= checker.runRound(buffers, channel, seed++);
                        }
                    }
                }
            }
            List<String> problems = new ArrayList<>();
            for (CloseModelChecker checker : checkers) {
                checker.finish();
                reporter.publishEntry("close model soak", checker.figures());
                problems.addAll(checker.problems());
            }
            assertThat(problems).as("close model soak from seed %d", RaceSupport.SEED).isEmpty();
        } finally {
            for (CloseModelChecker checker : checkers) {
                checker.close();
            }
        }
    }
}
