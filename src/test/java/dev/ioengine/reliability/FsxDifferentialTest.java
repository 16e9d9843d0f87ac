package dev.ioengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fsx-style differential exerciser, bounded for CI: on each engine, buffered and O_DIRECT, random seeded sequences
 * of reads, writes, scattering and gathering, truncate, preallocate, force, map, size, position, append and
 * asynchronous IO over several files and channels at once, each step checked against the JDK's own channels on
 * twin files and against an in-memory model. A failure names its seed and shows the shrunk sequence.
 *
 * <p>Each case runs sequences for {@code ioengine.fsx.seconds} (default 9) seconds; {@code ioengine.fsx.seed}
 * replays one seed, {@code ioengine.fsx.length} sets the steps per sequence (default 300).
 */
class FsxDifferentialTest {
    @AfterAll
    static void closeEngines() throws InterruptedException {
        FsxEngines.closeAll();
    }

    private static final long SECONDS = Long.getLong("ioengine.fsx.seconds", 9);
    private static final int LENGTH = Integer.getInteger("ioengine.fsx.length", 300);
    private static final System.Logger LOG = System.getLogger(FsxDifferentialTest.class.getName());

    @TempDir
    Path dir;

    static Stream<Arguments> targets() {
        return FsxEngines.kinds().flatMap(kind -> Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
    }

    @ParameterizedTest(name = "{0}, direct={1}")
    @MethodSource("targets")
    void engineMatchesTheJdkAndTheModel(EngineKind kind, boolean direct, TestReporter reporter) throws Exception {
        FsxExerciser exerciser = new FsxExerciser(kind, direct, dir);
        exercise(exerciser, SECONDS, reporter);
    }

    /** The harness checked against itself: the JDK's channels on both sides must never differ. */
    @ParameterizedTest(name = "direct={0}")
    @MethodSource("directOrNot")
    void theJdkMatchesItselfAndTheModel(boolean direct, TestReporter reporter) throws Exception {
        exercise(new FsxExerciser(null, direct, dir), 2, reporter);
    }

    static Stream<Boolean> directOrNot() {
        return Stream.of(false, true);
    }

    @Test
    void shrinkerFindsTheOneBadStep() throws Exception {
        List<FsxStep> steps = new FsxGenerator(42, false).sequence(200);
        FsxStep bad = steps.get(137);
        FsxShrinker shrinker = new FsxShrinker(candidate -> candidate.contains(bad), 1000);
        assertThat(shrinker.shrink(steps)).containsExactly(bad);
    }

    @Test
    void shrinkerKeepsStepsThatMustGoTogether() throws Exception {
        List<FsxStep> steps = new FsxGenerator(7, true).sequence(120);
        FsxStep first = steps.get(10);
        FsxStep second = steps.get(99);
        FsxShrinker shrinker = new FsxShrinker(c -> c.contains(first) && c.contains(second), 1000);
        assertThat(shrinker.shrink(steps)).containsExactly(first, second);
    }

    @Test
    void sameSeedSameSequence() {
        List<String> a = new FsxGenerator(99, true).sequence(50).stream().map(FsxStep::describe).toList();
        List<String> b = new FsxGenerator(99, true).sequence(50).stream().map(FsxStep::describe).toList();
        assertThat(a).isEqualTo(b);
    }

    private void exercise(FsxExerciser exerciser, long seconds, TestReporter reporter) throws Exception {
        FsxLeaks.Snapshot before = FsxLeaks.take();
        long requestsBefore = exerciser.engineRequests();
        FsxRun.Stats stats = new FsxRun.Stats();
        List<Long> seeds = new ArrayList<>();
        String failure = assertTimeoutPreemptively(Duration.ofSeconds(seconds + 300), () -> {
            Long fixed = Long.getLong("ioengine.fsx.seed");
            long next = fixed != null ? fixed : System.nanoTime() ^ System.identityHashCode(this);
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            do {
                seeds.add(next);
                String found = exerciser.runOne(next, LENGTH, stats);
                if (found != null) {
                    return found;
                }
                next++;
            } while (Long.getLong("ioengine.fsx.seed") == null && System.nanoTime() < deadline);
            return null;
        });
        String summary = "fsx " + exerciser.target() + ": " + seeds.size() + " sequences of " + LENGTH
                + " steps from seed " + seeds.getFirst() + ": " + stats;
        LOG.log(System.Logger.Level.INFO, summary);
        reporter.publishEntry("fsx", summary);
        assertThat(failure).as(summary).isNull();
        if (!exerciser.target().startsWith("jdk")) {
            assertThat(exerciser.engineRequests()).as("requests the engine was given").isGreaterThan(requestsBefore);
        }
        assertThat(FsxLeaks.leaksSince(before)).as("leaks after " + summary).isNull();
    }
}
