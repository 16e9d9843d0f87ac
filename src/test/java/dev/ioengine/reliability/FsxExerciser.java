package dev.ioengine.reliability;

import dev.ioengine.EngineKind;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs seeded fsx sequences on one engine and mode until a deadline, and on the first failure shrinks it and
 * describes it: seed, engine, mode, failing step and the shrunk sequence as numbered steps.
 */
final class FsxExerciser {
    static final int SHRINK_ATTEMPTS = 400;
    /** Shrinking stops after this long (a hang costs a timeout per attempt); what is left is reported. */
    static final long SHRINK_SECONDS = Long.getLong("ioengine.fsx.shrinkSeconds", 180);

    private final EngineKind kind;
    private final String target;
    private final FsxRun run;
    private final boolean direct;

    /** @param kind the engine, or null for the JDK against itself (checks the harness) */
    FsxExerciser(EngineKind kind, boolean direct, Path root) throws IOException {
        this.kind = kind;
        FileSystem fileSystem = kind == null ? FileSystems.getDefault() : FsxEngines.fileSystem(kind);
        this.target = (kind == null ? "jdk" : kind.id()) + (direct ? " O_DIRECT" : " buffered");
        this.run = new FsxRun(root, fileSystem, direct, () -> kind == null ? "the JDK" : FsxEngines.state(kind));
        this.direct = direct;
    }

    /** Requests submitted to the engine under test so far (0 for the JDK). */
    long engineRequests() {
        return kind == null ? 0 : FsxEngines.submitted(kind);
    }

    String target() {
        return target;
    }

    /** Runs one sequence of {@code length} steps from {@code seed}; null, or a full description of the failure. */
    String runOne(long seed, int length, FsxRun.Stats stats) throws Exception {
        List<FsxStep> steps = new FsxGenerator(seed, direct).sequence(length);
        FsxRun.Failure failure = run.run(steps, stats);
        if (failure == null) {
            return null;
        }
        List<FsxStep> prefix = failure.step() < 0 ? steps : steps.subList(0, failure.step() + 1);
        long shrinkDeadline = System.nanoTime() + SHRINK_SECONDS * 1_000_000_000L;
        FsxShrinker shrinker = new FsxShrinker(candidate -> System.nanoTime() < shrinkDeadline
                && run.run(candidate, new FsxRun.Stats()) != null, SHRINK_ATTEMPTS);
        List<FsxStep> shrunk = shrinker.shrink(prefix);
        FsxRun.Failure shrunkFailure = run.run(shrunk, new FsxRun.Stats());
        return "fsx failure on " + target + ", seed " + seed + " (rerun with -Dioengine.fsx.seed=" + seed
                + " -Dioengine.fsx.length=" + length + "), at step "
                + (failure.step() < 0 ? "final check" : (failure.step() + 1) + " of " + length) + ": "
                + failure.message() + "\nshrunk to " + shrunk.size() + " steps in " + shrinker.attempts()
                + " attempts; it fails with: "
                + (shrunkFailure == null ? "(no longer reproduces)" : shrunkFailure.message()) + "\n"
                + FsxShrinker.describe(shrunk);
    }
}
