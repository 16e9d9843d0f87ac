package dev.ioengine.cli;

import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import java.nio.file.Path;
import java.util.List;

/**
 * What one {@code bench} job did: the options, the engine it ran on, the passes, CPU time, engine counters and
 * verification. Passes not run are null.
 *
 * @param options the job
 * @param engine the engine that ran it (never auto), or null if none could be opened
 * @param file the file used
 * @param temporaryFile true if the file was created for the job (and removed after it)
 * @param layout the layout pass, or null if the file was not laid out
 * @param timed the timed pass, or null if the job failed before it
 * @param verifyPass the read-back of every block under {@code --verify}, or null
 * @param cpu process CPU time during the timed pass
 * @param engineStats the engine's counters over the timed pass ({@code maxBatch} is over the whole job)
 * @param blocksVerified blocks read and checked in all passes
 * @param mismatches verify mismatches found in all passes
 * @param firstMismatches the first few mismatches
 * @param error the error that stopped the job, or null
 */
record BenchResult(BenchOptions options, EngineKind engine, Path file, boolean temporaryFile,
        LoadGenerator.PassResult layout, LoadGenerator.PassResult timed, LoadGenerator.PassResult verifyPass,
        CpuTime cpu, EngineStats engineStats, long blocksVerified, long mismatches,
        List<VerifyState.Mismatch> firstMismatches, String error) {

    /** This result with {@code message} as its error (the first error stays when there is one). */
    BenchResult withError(String message) {
        return new BenchResult(options, engine, file, temporaryFile, layout, timed, verifyPass, cpu, engineStats,
                blocksVerified, mismatches, firstMismatches, error != null ? error : message);
    }

    /** 0 for success, 1 for an IO error or a verify mismatch. */
    int exitStatus() {
        return error != null || mismatches > 0 ? 1 : 0;
    }

    /** True if the timed pass was stopped early by Ctrl-C. */
    boolean cancelled() {
        return timed != null && timed.cancelled();
    }
}
