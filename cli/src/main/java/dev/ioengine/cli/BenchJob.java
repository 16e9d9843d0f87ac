package dev.ioengine.cli;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs one {@code bench} job on its {@link BenchTarget}: creates or opens the file (read-only when the job neither
 * writes nor lays out: a read job on a block device never opens it for writing; {@code O_DIRECT} under
 * {@code --direct}), opens an engine ({@code queueDepth = iodepth * numjobs}, completions {@code INLINE}),
 * allocates one 4096-aligned buffer per in-flight request, lays the file out when the target says so, runs the
 * timed pass ({@code --numjobs} jobs), and under {@code --verify} reads every block back. Then closes the engine
 * (which drains), the file and the buffers, and removes a temporary file.
 *
 * <p>{@link #cancel()} may be called from any thread (the Ctrl-C hook): the current pass stops submitting, its
 * in-flight requests complete, and no later pass starts.
 */
final class BenchJob {
    private static final long LAYOUT_CHUNK_LIMIT = 1 << 20;
    private static final int LAYOUT_SLOTS = 8;

    private final BenchOptions options;
    private final BenchTarget target;
    private Consumer<Path> afterLayout = path -> { };
    private volatile LoadGenerator current;
    private volatile boolean cancelled;
    private final TemporaryBenchFile temporaryFile = new TemporaryBenchFile();

    /** A job on {@code target}, which {@link BenchTarget#inspect} checked against {@code options}. */
    BenchJob(BenchOptions options, BenchTarget target) {
        this.options = target.adjust(options);
        this.target = target;
    }

    /** A hook run between the layout and the timed pass (tests use it to corrupt the file). */
    BenchJob afterLayout(Consumer<Path> hook) {
        this.afterLayout = hook;
        return this;
    }

    /** Stops the job early; see the class comment. */
    void cancel() {
        cancelled = true;
        LoadGenerator generator = current;
        if (generator != null) {
            generator.cancel();
        }
    }

    /** Removes the temporary file if it still exists (the Ctrl-C hook calls this as a last resort). */
    void deleteTemporaryFile() {
        temporaryFile.delete();
    }

    /**
     * Runs the job. IO errors do not throw: they end the job and are reported in the result.
     *
     * @param progress where progress lines go (stderr), or null
     */
    BenchResult run(PrintStream progress) throws InterruptedException {
        Path file = options.filename();
        boolean temporary = target.kind() == BenchTarget.Kind.TEMPORARY;
        Builder result = new Builder();
        try {
            if (temporary) {
                file = temporaryFile.create(target.path());
            }
            result.file = file;
            runOn(file, progress, result);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            result.error = describe(e);
        } finally {
            deleteTemporaryFile();
        }
        return result.build(options, temporary);
    }

    private void runOn(Path file, PrintStream progress, Builder result) throws IOException, InterruptedException {
        IoEngineConfig config = IoEngineConfig.builder()
                .engine(options.engine())
                .queueDepth(options.iodepth() * options.numjobs())
                .completionMode(CompletionMode.INLINE)
                .name("io-engine-bench")
                .build();
        boolean layout = target.layoutNeeded(options);
        try (Arena arena = Arena.ofShared();
                IoFile open = openFile(file, options.direct(), target.opensForWriting(options))) {
            MemorySegment[] buffers = allocateBuffers(arena);
            VerifyState verify = options.verify() ? new VerifyState(options.blocks()) : null;
            try (IoEngine engine = IoEngine.open(config)) {
                result.engine = engine.kind();
                if (layout) {
                    if (progress != null) {
                        progress.println("io-engine bench: laying out " + Sizes.humanBytes(options.size())
                                + " in " + file);
                    }
                    MemorySegment[] layoutBuffers = verify == null ? allocateLayoutBuffers(arena) : buffers;
                    result.layout = pass(engine, open, LoadGenerator.Phase.LAYOUT, layoutBuffers, verify,
                            progress, () -> { });
                    if (failed(result.layout, result)) {
                        return;
                    }
                    afterLayout.accept(file);
                }
                if (cancelled) {
                    return;
                }
                EngineStats[] statsBefore = {engine.stats()};
                result.timed = pass(engine, open, LoadGenerator.Phase.TIMED, buffers, verify, progress,
                        () -> statsBefore[0] = engine.stats());
                result.cpu = result.timed.cpu();
                result.engineStats = minus(engine.stats(), statsBefore[0]);
                if (failed(result.timed, result) || cancelled) {
                    return;
                }
                if (verify != null) {
                    result.verifyPass = pass(engine, open, LoadGenerator.Phase.VERIFY, buffers, verify,
                            progress, () -> { });
                    failed(result.verifyPass, result);
                }
            } finally {
                if (verify != null) {
                    result.blocksVerified = verify.checked();
                    result.mismatches = verify.mismatches();
                    result.firstMismatches = verify.firstMismatches();
                }
            }
        }
    }

    private LoadGenerator.PassResult pass(IoEngine engine, IoFile file, LoadGenerator.Phase phase,
            MemorySegment[] buffers, VerifyState verify, PrintStream progress, Runnable onMeasureStart)
            throws InterruptedException {
        LoadGenerator generator = new LoadGenerator(engine, file, options, phase, buffers, verify)
                .onMeasureStart(onMeasureStart);
        current = generator;
        if (cancelled) {
            generator.cancel();
        }
        try {
            return generator.run(progress);
        } finally {
            current = null;
        }
    }

    private boolean failed(LoadGenerator.PassResult pass, Builder result) {
        if (pass.failure() != null) {
            result.error = pass.phase().label() + " pass failed: " + describe(pass.failure());
            return true;
        }
        return false;
    }

    private String describe(Throwable t) {
        String message = FailureMessage.of(t);
        if (options.direct() && message.contains("EINVAL")) {
            message += " (O_DIRECT needs --bs and offsets aligned to the device's logical block size, and a file "
                    + "system that supports it: tmpfs does not)";
        }
        return message;
    }

    /** One buffer per in-flight request, 4096-aligned (O_DIRECT), filled with random bytes (not zeros). */
    private MemorySegment[] allocateBuffers(Arena arena) {
        return allocateBuffers(arena, options.iodepth() * options.numjobs(), options.blockSize());
    }

    /**
     * Buffers for a layout without {@code --verify}, which writes in chunks of up to 1 MiB as fio lays files out
     * (4 KiB O_DIRECT writes would take far longer): the largest power-of-two multiple of {@code --bs} that
     * divides {@code --size}, at most {@value #LAYOUT_SLOTS} in flight.
     */
    private MemorySegment[] allocateLayoutBuffers(Arena arena) {
        long chunk = options.blockSize();
        while (chunk * 2 <= LAYOUT_CHUNK_LIMIT && options.size() % (chunk * 2) == 0) {
            chunk *= 2;
        }
        return allocateBuffers(arena, Math.min(options.iodepth(), LAYOUT_SLOTS), chunk);
    }

    private static MemorySegment[] allocateBuffers(Arena arena, int count, long size) {
        MemorySegment[] buffers = new MemorySegment[count];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < buffers.length; i++) {
            MemorySegment b = AlignedBuffers.allocate(arena, size, AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT);
            long at = 0;
            for (; at + Long.BYTES <= b.byteSize(); at += Long.BYTES) {
                b.set(ValueLayout.JAVA_LONG_UNALIGNED, at, random.nextLong());
            }
            for (; at < b.byteSize(); at++) {
                b.set(ValueLayout.JAVA_BYTE, at, (byte) random.nextInt());
            }
            buffers[i] = b;
        }
        return buffers;
    }

    private static EngineStats minus(EngineStats after, EngineStats before) {
        return new EngineStats(after.submitted() - before.submitted(), after.completed() - before.completed(),
                after.failed() - before.failed(), after.inFlight(), after.batches() - before.batches(),
                after.batchedRequests() - before.batchedRequests(), after.maxBatch(),
                after.merged() - before.merged(), after.immediate() - before.immediate(), after.latency());
    }

    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, found by name: this module does not read jdk.unsupported. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static OpenOption extendedDirect() {
        try {
            return (OpenOption) Enum.valueOf((Class) Class.forName("com.sun.nio.file.ExtendedOpenOption"), "DIRECT");
        } catch (ClassNotFoundException e) {
            throw new UnsupportedOperationException("this JDK has no com.sun.nio.file.ExtendedOpenOption.DIRECT", e);
        }
    }

    /** The file (or device) of the job, through the library's {@link IoFile}; read-only unless the job writes. */
    private static IoFile openFile(Path file, boolean direct, boolean forWriting) throws IOException {
        Set<OpenOption> options = new HashSet<>(forWriting ? Set.of(READ, WRITE, CREATE) : Set.of(READ));
        if (direct) {
            options.add(extendedDirect());
        }
        try {
            return IoFile.open(file, options);
        } catch (FileSystemException e) {
            if (direct && e.getReason() != null && e.getReason().startsWith("EINVAL")) {
                throw new IOException(file + ": O_DIRECT is not supported by this file system: "
                        + "use --filename on another file system, or leave out --direct", e);
            }
            throw e;
        }
    }

    /** Collects the parts of a {@link BenchResult} as the job goes. */
    private static final class Builder {
        Path file;
        EngineKind engine;
        LoadGenerator.PassResult layout;
        LoadGenerator.PassResult timed;
        LoadGenerator.PassResult verifyPass;
        CpuTime cpu = new CpuTime(0, 0);
        EngineStats engineStats;
        long blocksVerified;
        long mismatches;
        List<VerifyState.Mismatch> firstMismatches = List.of();
        String error;

        BenchResult build(BenchOptions options, boolean temporary) {
            return new BenchResult(options, engine, file, temporary, layout, timed, verifyPass, cpu, engineStats,
                    blocksVerified, mismatches, firstMismatches, error);
        }
    }
}
