package dev.ioengine.races;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.races.CloseModelChecker.Buffers;
import dev.ioengine.races.CloseModelChecker.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, item 1: once {@code close()} has returned, no IO of the channel changes the file, on every engine, for
 * both channel kinds and every kind of buffer ({@link CloseModelChecker}). {@code ioengine.closemodel.rounds}
 * (default 500) rounds of each channel and buffer kind per engine: 3,000 closes per engine, or as many as
 * {@code ioengine.closemodel.seconds} (default 50) allow on a slow machine. The figures go to
 * {@code target/race-figures/close-model-ENGINE.txt}; the soak profile runs the same for minutes
 * ({@link CloseModelSoakTest}).
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseModelTest {
    private static final int ROUNDS = Integer.getInteger("ioengine.closemodel.rounds", 500);
    /**
     * A cap on each target's time, so that a slow or loaded machine keeps the default run short: the rounds stop
     * there, whatever their count (the figures say how many ran). Not an assertion on time.
     */
    private static final long SECONDS = Long.getLong("ioengine.closemodel.seconds", 50);

    @TempDir
    Path dir;

    /** The JDK's own channels pass: the check is right. */
    @Test
    void theJdksChannelsKeepTheModel() throws Exception {
        check(null, RaceSupport.SEED - 1_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ioengine.races.RaceSupport#engines")
    void noChannelChangesTheFileAfterCloseReturns(EngineKind kind) throws Exception {
        check(kind, RaceSupport.SEED + 1_000_000L * kind.ordinal());
    }

    private void check(EngineKind kind, long firstSeed) throws Exception {
        long seed = firstSeed;
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        try (CloseModelChecker checker = new CloseModelChecker(kind, dir)) {
            running:
            for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
                for (Channel channel : Channel.values()) {
                    for (Buffers buffers : Buffers.values()) {
                        if (!checker.runRound(buffers, channel, seed++)) {
                            break running;
                        }
                    }
                }
            }
            checker.finish();
            publish(kind == null ? "jdk" : kind.id(), checker.figures());
            assertThat(checker.problems()).as("%s (first seed %d; replay with -Dioengine.races.seed=%d)",
                    checker.figures(), firstSeed, RaceSupport.SEED).isEmpty();
        }
    }

    static void publish(String target, String figures) throws Exception {
        Path out = Path.of("target", "race-figures");
        Files.createDirectories(out);
        Files.writeString(out.resolve("close-model-" + target + ".txt"), figures + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
