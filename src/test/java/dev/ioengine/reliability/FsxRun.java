package dev.ioengine.reliability;

import dev.ioengine.reliability.FsxSide.BufferState;
import dev.ioengine.reliability.FsxSide.Outcome;
import dev.ioengine.reliability.FsxStep.Chan;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one fsx sequence on two sides at once, step by step: io-engine's channels on one set of files and the JDK's
 * on twin files, both checked after every step against each other (return value, exception type, buffer
 * positions, limits and contents) and against {@link FsxModel} (counts, bytes read, sizes, positions), and the
 * files' whole contents checked against the model every {@link #FULL_CHECK_EVERY} steps and at the end.
 *
 * <p>Each run uses fresh files in a fresh directory under {@code root}, and closes everything it opened.
 */
final class FsxRun {
    static final int FULL_CHECK_EVERY = 64;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path root;
    private final FileSystem engineFileSystem;
    private final boolean direct;
    /** The engine's statistics (in flight, completed...), for a hang report. */
    private final Supplier<String> engineState;

    /** Counters over all runs of a test. */
    static final class Stats {
        long operations;
        long bytesVerified;
        long mismatches;

        void add(Stats other) {
            operations += other.operations;
            bytesVerified += other.bytesVerified;
            mismatches += other.mismatches;
        }

        @Override
        public String toString() {
            return operations + " operations, " + bytesVerified + " bytes verified, " + mismatches + " mismatches";
        }
    }

    /** The first step at which the run went wrong (-1: the final check), and how. */
    record Failure(int step, String message) {
    }

    /**
     * @param engineFileSystem the file system whose channels are under test (io-engine's provider's), or the
     *     default one to check the harness itself against the JDK
     */
    FsxRun(Path root, FileSystem engineFileSystem, boolean direct, Supplier<String> engineState) {
        this.engineState = engineState;
        this.root = root;
        this.engineFileSystem = engineFileSystem;
        this.direct = direct;
    }

    /** Runs {@code steps}; null if all went as the JDK and the model say. */
    Failure run(List<FsxStep> steps, Stats stats) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(root.resolve("run-" + RUNS.incrementAndGet()));
        Path[] enginePaths = new Path[FsxGenerator.FILES];
        Path[] jdkPaths = new Path[FsxGenerator.FILES];
        Path[] realEnginePaths = new Path[FsxGenerator.FILES];
        for (int f = 0; f < FsxGenerator.FILES; f++) {
            realEnginePaths[f] = dir.resolve("engine-" + f);
            enginePaths[f] = engineFileSystem.getPath(realEnginePaths[f].toString());
            jdkPaths[f] = dir.resolve("jdk-" + f);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2,
                Thread.ofPlatform().daemon().name("fsx-handler-", 0).factory());
        // The JDK against itself (the harness check) emulates preallocation on both sides: Preallocation's fallback
        // for JDK channels is not what is under test there.
        boolean selfCheck = engineFileSystem == FileSystems.getDefault();
        try (FsxSide engine = new FsxSide("io-engine", enginePaths, direct, selfCheck, executor);
                FsxSide jdk = new FsxSide("jdk", jdkPaths, direct, true, executor)) {
            FsxModel model = new FsxModel(FsxGenerator.FILES);
            for (int i = 0; i < steps.size(); i++) {
                FsxStep step = steps.get(i);
                String problem;
                try {
                    problem = perform(step, engine, jdk, model, stats);
                    if (problem == null && (i + 1) % FULL_CHECK_EVERY == 0) {
                        problem = compareFiles(realEnginePaths, jdkPaths, model, stats);
                    }
                } catch (TimeoutException e) {
                    problem = "an operation did not complete within " + FsxSide.ASYNC_TIMEOUT_SECONDS + " s ("
                            + e.getMessage() + "): " + step.describe() + "\nengine: " + engineState.get() + "\n"
                            + threadDump();
                }
                stats.operations++;
                if (problem != null) {
                    stats.mismatches++;
                    return new Failure(i, problem);
                }
            }
            String problem = compareFiles(realEnginePaths, jdkPaths, model, stats);
            if (problem != null) {
                stats.mismatches++;
                return new Failure(-1, problem);
            }
            return null;
        } finally {
            executor.shutdownNow();
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the handler executor did not stop");
            }
            deleteTree(dir);
        }
    }

    private static String perform(FsxStep step, FsxSide engine, FsxSide jdk, FsxModel model, Stats stats)
            throws TimeoutException, InterruptedException {
        long sizeBefore = model.size(step.file());
        Outcome actual = engine.perform(step, sizeBefore);
        Outcome expected = jdk.perform(step, sizeBefore);
        String difference = difference(actual, expected);
        if (difference != null) {
            return "io-engine and the JDK differ: " + difference;
        }
        boolean invalid = invalid(step);
        if (expected.failed() != invalid) {
            return expected.failed() ? "both threw " + expected.thrown() + " where the model expects success"
                    : "both succeeded where the model expects an exception: " + expected.summary();
        }
        if (expected.failed()) {
            return null;
        }
        return checkModel(step, actual, model, stats);
    }

    /** Steps the JDK must refuse, whatever the state. */
    private static boolean invalid(FsxStep step) {
        return switch (step) {
            case FsxStep.Read r -> r.chan() == Chan.APPEND || r.buf().readOnly() || r.at() < 0 && r.at() != FsxStep.RELATIVE;
            case FsxStep.Write w -> w.chan() == Chan.RO || w.at() < 0 && w.at() != FsxStep.RELATIVE;
            case FsxStep.ScatterRead s -> s.chan() == Chan.APPEND || s.buf().readOnly() && s.from() < s.lengths().length;
            case FsxStep.GatherWrite g -> g.chan() == Chan.RO;
            case FsxStep.Truncate t -> t.chan() == Chan.RO || t.size() < 0;
            case FsxStep.MapRead m -> m.chan() == Chan.APPEND;
            case FsxStep.Seek s -> s.to() < 0;
            case FsxStep.AsyncRead r -> r.buf().readOnly();
            default -> false;
        };
    }

    private static String difference(Outcome actual, Outcome expected) {
        if (!Objects.equals(actual.thrown(), expected.thrown())
                || !Objects.equals(actual.value(), expected.value())) {
            return "io-engine " + actual.summary() + "; the JDK " + expected.summary();
        }
        for (int i = 0; i < expected.buffers().size(); i++) {
            BufferState a = actual.buffers().get(i);
            BufferState e = expected.buffers().get(i);
            if (a.position() != e.position() || a.limit() != e.limit()) {
                return "buffer " + i + ": io-engine position " + a.position() + " limit " + a.limit()
                        + "; the JDK position " + e.position() + " limit " + e.limit();
            }
            int at = Arrays.mismatch(a.contents(), e.contents());
            if (at >= 0) {
                return "buffer " + i + " contents differ first at index " + at + " (io-engine "
                        + byteAt(a.contents(), at) + ", the JDK " + byteAt(e.contents(), at) + ")";
            }
        }
        return null;
    }

    private static String byteAt(byte[] bytes, int at) {
        return at < bytes.length ? String.format("0x%02x", bytes[at] & 0xff) : "end of buffer";
    }

    /** Checks a successful step's outcome against the model, and applies its effect there. */
    private static String checkModel(FsxStep step, Outcome outcome, FsxModel model, Stats stats) {
        int f = step.file();
        switch (step) {
            case FsxStep.Read r -> {
                long at = r.at() == FsxStep.RELATIVE ? model.position(f, r.chan()) : r.at();
                int count = model.readCount(f, at, r.length());
                String problem = expectValue(outcome, count, "read count");
                if (problem == null && count > 0) {
                    problem = expectBytes(outcome.buffers().getFirst().contents(), r.offset(),
                            model.read(f, at, count), at, stats);
                }
                if (r.at() == FsxStep.RELATIVE && count > 0) {
                    model.setPosition(f, r.chan(), at + count);
                }
                return problem;
            }
            case FsxStep.Write w -> {
                long at = model.writePosition(f, w.chan(), w.at());
                model.write(f, at, FsxSide.data(w.seed(), w.length()));
                if (w.at() == FsxStep.RELATIVE) {
                    model.setPosition(f, w.chan(), at + w.length());
                }
                return expectValue(outcome, w.length(), "write count");
            }
            case FsxStep.ScatterRead s -> {
                long at = model.position(f, s.chan());
                long total = 0;
                for (int i = s.from(); i < s.lengths().length; i++) {
                    total += s.lengths()[i];
                }
                int count = model.readCount(f, at, total);
                String problem = expectValue(outcome, count, "scattering read count");
                long cursor = at;
                int left = Math.max(count, 0);
                for (int i = s.from(); i < s.lengths().length && problem == null && left > 0; i++) {
                    int part = Math.min(left, s.lengths()[i]);
                    problem = expectBytes(outcome.buffers().get(i).contents(), 0, model.read(f, cursor, part), cursor,
                            stats);
                    cursor += part;
                    left -= part;
                }
                if (count > 0) {
                    model.setPosition(f, s.chan(), at + count);
                }
                return problem;
            }
            case FsxStep.GatherWrite g -> {
                long at = model.writePosition(f, g.chan(), FsxStep.RELATIVE);
                long cursor = at;
                for (int i = g.from(); i < g.lengths().length; i++) {
                    model.write(f, cursor, FsxSide.data(g.seed() + i, g.lengths()[i]));
                    cursor += g.lengths()[i];
                }
                model.setPosition(f, g.chan(), cursor);
                return expectValue(outcome, cursor - at, "gathering write count");
            }
            case FsxStep.Truncate t -> {
                model.truncate(f, t.chan(), t.size());
                return null;
            }
            case FsxStep.Preallocate p -> {
                model.preallocate(f, p.at() + p.length());
                return null;
            }
            case FsxStep.MapRead m -> {
                long at = Math.min(m.at(), model.size(f));
                int length = (int) Math.min(m.length(), model.size(f) - at);
                return expectBytes(outcome.buffers().getFirst().contents(), 0, model.read(f, at, length), at, stats);
            }
            case FsxStep.Size s -> {
                return expectValue(outcome, model.size(f), "size");
            }
            case FsxStep.Position p -> {
                return expectValue(outcome, model.position(f, p.chan()), "position");
            }
            case FsxStep.Seek s -> {
                model.setPosition(f, s.chan(), s.to());
                return null;
            }
            case FsxStep.AsyncWrite w -> {
                StringBuilder counts = new StringBuilder("[");
                for (int i = 0; i < w.at().length; i++) {
                    model.write(f, w.at()[i], FsxSide.data(w.seed() + i, w.lengths()[i]));
                    counts.append(i == 0 ? "" : ", ").append(w.lengths()[i]);
                }
                return expectText(outcome, counts.append(']').toString(), "asynchronous write counts");
            }
            case FsxStep.AsyncRead r -> {
                StringBuilder counts = new StringBuilder("[");
                String problem = null;
                for (int i = 0; i < r.at().length; i++) {
                    int count = model.readCount(f, r.at()[i], r.lengths()[i]);
                    counts.append(i == 0 ? "" : ", ").append(count);
                    if (count > 0 && problem == null) {
                        problem = expectBytes(outcome.buffers().get(i).contents(), 0, model.read(f, r.at()[i], count),
                                r.at()[i], stats);
                    }
                }
                String countProblem = expectText(outcome, counts.append(']').toString(), "asynchronous read counts");
                return countProblem != null ? countProblem : problem;
            }
            case FsxStep.Parallel p -> {
                StringBuilder counts = new StringBuilder("[");
                int writes = p.writeAt().length;
                for (int i = 0; i < writes; i++) {
                    model.write(f, p.writeAt()[i], FsxSide.data(p.seed() + i, p.writeLengths()[i]));
                    counts.append(i == 0 ? "" : ", ").append(p.writeLengths()[i]);
                }
                String problem = null;
                for (int i = 0; i < p.readAt().length; i++) {
                    int count = model.readCount(f, p.readAt()[i], p.readLengths()[i]);
                    counts.append(", ").append(count);
                    if (count > 0 && problem == null) {
                        problem = expectBytes(outcome.buffers().get(writes + i).contents(), 0,
                                model.read(f, p.readAt()[i], count), p.readAt()[i], stats);
                    }
                }
                String countProblem = expectText(outcome, counts.append(']').toString(), "parallel counts");
                return countProblem != null ? countProblem : problem;
            }
            case FsxStep.Reopen r -> {
                model.setPosition(f, r.chan(), 0);
                return null;
            }
            case FsxStep.Force ignored -> {
                return null;
            }
        }
    }

    private static String expectValue(Outcome outcome, long expected, String what) {
        return expectText(outcome, String.valueOf(expected), what);
    }

    private static String expectText(Outcome outcome, String expected, String what) {
        return expected.equals(outcome.value()) ? null
                : "the model expects " + what + " " + expected + ", both sides returned " + outcome.value();
    }

    private static String expectBytes(byte[] buffer, int offset, byte[] expected, long filePosition, Stats stats) {
        int mismatch = Arrays.mismatch(buffer, offset, offset + expected.length, expected, 0, expected.length);
        if (mismatch >= 0) {
            return "bytes read differ from the model at file position " + (filePosition + mismatch) + ": got "
                    + byteAt(buffer, offset + mismatch) + ", expected " + byteAt(expected, mismatch);
        }
        stats.bytesVerified += expected.length;
        return null;
    }

    private static String compareFiles(Path[] enginePaths, Path[] jdkPaths, FsxModel model, Stats stats)
            throws IOException {
        for (int f = 0; f < enginePaths.length; f++) {
            byte[] expected = model.contents(f);
            byte[] engineBytes = Files.readAllBytes(enginePaths[f]);
            byte[] jdkBytes = Files.readAllBytes(jdkPaths[f]);
            String problem = compareFile("io-engine's file " + f, engineBytes, expected);
            if (problem == null) {
                problem = compareFile("the JDK's twin file " + f, jdkBytes, expected);
            }
            if (problem != null) {
                return problem;
            }
            stats.bytesVerified += 2L * expected.length;
        }
        return null;
    }

    private static String compareFile(String which, byte[] actual, byte[] expected) {
        int mismatch = Arrays.mismatch(actual, expected);
        if (mismatch < 0) {
            return null;
        }
        if (actual.length != expected.length && mismatch == Math.min(actual.length, expected.length)) {
            return which + " is " + actual.length + " bytes long, the model " + expected.length;
        }
        return which + " differs from the model first at " + mismatch + ": " + byteAt(actual, mismatch)
                + ", expected " + byteAt(expected, mismatch) + " (lengths " + actual.length + ", "
                + expected.length + ")";
    }

    /** Stacks of the engine's threads and the exerciser's, for a hang report. */
    static String threadDump() {
        StringBuilder s = new StringBuilder("threads:\n");
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            String name = thread.getName();
            if (name.startsWith("io-engine") || name.startsWith("fsx-") || name.startsWith("junit")
                    || name.equals("main")) {
                s.append("  \"").append(name).append("\" ").append(thread.getState()).append('\n');
                for (int i = 0; i < Math.min(frames.length, 14); i++) {
                    s.append("      at ").append(frames[i]).append('\n');
                }
            }
        });
        return s.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
