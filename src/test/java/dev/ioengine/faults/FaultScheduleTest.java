package dev.ioengine.faults;

import static dev.ioengine.faults.ScheduledFaults.Kind.RESULT_EIO;
import static dev.ioengine.faults.ScheduledFaults.Kind.RESULT_SHORT;
import static dev.ioengine.faults.ScheduledFaults.Kind.SUBMIT_EAGAIN;
import static dev.ioengine.faults.ScheduledFaults.Kind.SUBMIT_EINTR;
import static dev.ioengine.faults.ScheduledFaults.Kind.SUBMIT_FAIL;
import static dev.ioengine.faults.ScheduledFaults.Kind.SUBMIT_PARTIAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.Engines;
import dev.ioengine.ErrnoException;
import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random fault schedules over thousands of requests on each engine: every block of a file is written,
 * then read back, while the injector turns completions into EIO or short counts and submissions into EINTR,
 * EAGAIN, a failure or a partial take. Failed requests are submitted again, short ones continued with
 * {@link IoRequest#prepareRemainder()}, until every block is done. Checked: every submission completes exactly
 * once; each completion is classified exactly (EIO only on the requests that drew it, the submission errno once
 * per failed submission, short counts exactly as injected, no EINTR or EAGAIN ever reported, everything else
 * whole); the data read equals the data written; descriptors and threads are back to their baseline. Each
 * engine runs twice: without merging, and with contiguous requests merged, where a fault on a merged request
 * reaches each of its parts (a short count split over them first parts first) and no other request.
 *
 * <p>{@code -Dioengine.faults.blocks=N} (default 2000) sets the blocks per engine, {@code -Dioengine.faults.seed}
 * the seed. Each run writes its figures to {@code target/fault-figures/<engine>.txt}.
 */
@Timeout(120)
class FaultScheduleTest {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = Integer.getInteger("ioengine.faults.blocks", 2000);
    private static final long SEED = Long.getLong("ioengine.faults.seed", 20261124L);
    /** A generous bound: at the rates below a block needs a few attempts at most. */
    private static final int MAX_ROUNDS = 200;
    private static final int MERGE_LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    /** What one engine's run saw, for the assertions and the figures file. */
    private static final class Tally {
        long submissions;
        long eioSeen;
        long shortSeen;
        long submitFailuresSeen;
        long rounds;
    }

    /** Each engine without merging, then with contiguous requests merged up to 64 KiB. */
    static Stream<Arguments> schedules() {
        return Stream.of(0, MERGE_LIMIT).flatMap(merge -> Engines.all().map(kind -> Arguments.of(kind, merge)));
    }

    @ParameterizedTest(name = "{0}, merge limit {1}")
    @MethodSource("schedules")
    void everySubmissionCompletesExactlyOnceUnderARandomFaultSchedule(EngineKind kind, int mergeLimit)
            throws Exception {
        Engines.assumeAvailable(kind);
        long fdsBefore = Engines.openFds();
        // AIO asks once per io_submit of up to 64 requests, io_uring once per io_uring_enter that submits, the
        // thread pool once per request: their submission rates are higher so that each kind is drawn often
        // enough in a short run.
        double perSubmit = kind == EngineKind.THREADS ? 1 : 4;
        ScheduledFaults faults = new ScheduledFaults(SEED + kind.ordinal())
                .rate(RESULT_EIO, 0.02).rate(RESULT_SHORT, 0.04)
                .rate(SUBMIT_EINTR, 0.03 * perSubmit).rate(SUBMIT_EAGAIN, 0.02 * perSubmit)
                .rate(SUBMIT_FAIL, 0.015 * perSubmit).rate(SUBMIT_PARTIAL, 0.05 * perSubmit);
        String name = FaultEngines.uniqueName(kind);
        Tally tally = new Tally();
        int fd = FaultEngines.openFile(dir.resolve("blocks"));
        EngineStats stats;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment written = arena.allocate((long) BLOCK * BLOCKS, BLOCK);
            MemorySegment read = arena.allocate((long) BLOCK * BLOCKS, BLOCK);
            SplittableRandom bytes = new SplittableRandom(SEED);
            for (long i = 0; i < written.byteSize(); i += 8) {
                written.set(ValueLayout.JAVA_LONG_UNALIGNED, i, bytes.nextLong());
            }
            try (IoEngine engine = FaultEngines.open(kind, IoEngineConfig.builder().name(name).queueDepth(64)
                    .maxInFlight(512).workerThreads(4).mergeLimit(mergeLimit), faults)) {
                boolean wholeSubmissionFails = kind == EngineKind.IO_URING;
                runPhase(engine, faults, fd, written, true, mergeLimit > 0, wholeSubmissionFails, tally);
                runPhase(engine, faults, fd, read, false, mergeLimit > 0, wholeSubmissionFails, tally);
                stats = engine.stats();
            }
            assertThat(read.mismatch(written)).as("first byte read that differs from the bytes written").isEqualTo(-1);
        } finally {
            FaultEngines.close(fd);
        }

        assertThat(stats.submitted()).isEqualTo(tally.submissions);
        assertThat(stats.completed()).isEqualTo(tally.submissions);
        assertThat(stats.inFlight()).isZero();
        assertThat(faults.count(RESULT_EIO)).isPositive();
        assertThat(faults.count(RESULT_SHORT)).isPositive();
        assertThat(tally.eioSeen).isEqualTo(faults.marked(RESULT_EIO));
        assertThat(tally.shortSeen).isEqualTo(faults.marked(RESULT_SHORT));
        if (kind == EngineKind.IO_URING) {
            if (mergeLimit == 0) {
                assertThat(tally.submitFailuresSeen).isLessThanOrEqualTo(faults.failedSubmissionEntries());
                assertThat(faults.marked(RESULT_EIO)).isEqualTo(faults.count(RESULT_EIO));
            }
        } else if (mergeLimit > 0) {
            assertThat(tally.submitFailuresSeen).isGreaterThanOrEqualTo(faults.count(SUBMIT_FAIL));
        } else {
            assertThat(faults.marked(RESULT_EIO)).isEqualTo(faults.count(RESULT_EIO));
            assertThat(tally.submitFailuresSeen).isEqualTo(faults.count(SUBMIT_FAIL));
        }
        assertThat(faults.count(SUBMIT_EINTR)).isPositive();
        assertThat(faults.count(SUBMIT_EAGAIN)).isPositive();
        assertThat(faults.count(SUBMIT_FAIL)).isPositive();
        if (kind != EngineKind.THREADS) {
            assertThat(faults.count(SUBMIT_PARTIAL)).as("partial io_submit takes").isPositive();
        }
        assertThat(Engines.threadsNamed(name + "-")).as(Engines.describeThreads(name + "-")).isZero();
        assertThat(Engines.openFds()).isEqualTo(fdsBefore);
        writeFigures(kind, mergeLimit, faults, tally, stats);
    }

    /**
     * Writes (or reads) every block, as single or (every fourth block) two-buffer vectored requests, until each
     * block is whole; checks each completion against what the injector did to it.
     */
    private static void runPhase(IoEngine engine, ScheduledFaults faults, int fd, MemorySegment memory,
            boolean write, boolean merging, boolean wholeSubmissionFails, Tally tally) throws InterruptedException {
        AtomicIntegerArray completions = new AtomicIntegerArray(BLOCKS);
        Semaphore callbacks = new Semaphore(0);
        IoCallback counter = r -> {
            completions.incrementAndGet((Integer) r.attachment());
            callbacks.release();
        };
        int[] attempts = new int[BLOCKS];
        IoRequest[] requests = new IoRequest[BLOCKS];
        long[] positions = new long[BLOCKS];
        MemorySegment[][] remaining = new MemorySegment[BLOCKS][];
        boolean[] continued = new boolean[BLOCKS];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            requests[i] = new IoRequest().attachment(i).callback(counter);
            positions[i] = (long) i * BLOCK;
            MemorySegment block = memory.asSlice(positions[i], BLOCK);
            remaining[i] = i % 4 == 0 ? new MemorySegment[] {block.asSlice(0, BLOCK / 2), block.asSlice(BLOCK / 2)}
                    : new MemorySegment[] {block};
            pending.add(i);
        }
        for (int round = 0; !pending.isEmpty(); round++) {
            assertThat(round).as("rounds to finish every block").isLessThan(MAX_ROUNDS);
            tally.rounds++;
            long submitFailuresBefore = faults.count(SUBMIT_FAIL);
            long failedEntriesBefore = faults.failedSubmissionEntries();
            for (int i : pending) {
                IoRequest r = requests[i];
                if (!continued[i]) {
                    prepare(r, write, fd, positions[i], remaining[i]);
                }
                attempts[i]++;
                tally.submissions++;
                engine.submit(r);
            }
            // The callback runs after the request is marked done: wait for the callbacks, not the requests.
            assertThat(callbacks.tryAcquire(pending.size(), 60, TimeUnit.SECONDS)).as("every callback ran").isTrue();
            List<Integer> next = new ArrayList<>();
            long submitFailures = 0;
            for (int i : pending) {
                IoRequest r = requests[i];
                assertThat(completions.get(i)).as("completions of block %d", i).isEqualTo(attempts[i]);
                ScheduledFaults.Injected injected = faults.takeInjected(r);
                if (!r.isSuccess()) {
                    if (r.errno() == Errno.EIO) {
                        assertThat(injected).as("EIO only where injected: %s", r).isNotNull();
                        assertThat(injected.kind()).isEqualTo(RESULT_EIO);
                        assertThat(r.exception()).isInstanceOf(ErrnoException.class).hasMessageStartingWith("EIO");
                        tally.eioSeen++;
                    } else if (r.errno() == ScheduledFaults.SUBMIT_ERRNO) {
                        assertThat(injected).isNull();
                        submitFailures++;
                    } else {
                        fail("unexpected failure of block " + i + ": " + r + ": " + r.exception());
                    }
                    continued[i] = false;
                    next.add(i);
                } else if (injected != null) {
                    assertThat(injected.kind()).isEqualTo(RESULT_SHORT);
                    assertThat(r.result()).as("short count reported exactly").isEqualTo(injected.result());
                    tally.shortSeen++;
                    if (!r.isShort()) {
                        continue; // a merged part the short count still covered whole
                    }
                    r.prepareRemainder();
                    positions[i] = r.position();
                    remaining[i] = r.segments().length > 0 ? r.segments() : new MemorySegment[] {r.segment()};
                    continued[i] = true;
                    next.add(i);
                } else {
                    assertThat(r.result()).as("whole transfer of block %d", i).isEqualTo(r.length());
                }
            }
            // One request per failed submission; with merging, that request may be a merged one of several parts.
            long submissionsFailed = faults.count(SUBMIT_FAIL) - submitFailuresBefore;
            if (wholeSubmissionFails && merging) {
                // A failing io_uring_enter fails every entry it was offered, and each entry may be a merged
                // request of many parts: no bound but that each of them says the injected errno (checked above).
                assertThat(submitFailures == 0 || submissionsFailed > 0).as("failures only from failing enters")
                        .isTrue();
            } else if (wholeSubmissionFails) {
                // A failing io_uring_enter fails every entry it was offered: the requests among them.
                assertThat(submitFailures).as("requests failed by failing enters").isLessThanOrEqualTo(
                        faults.failedSubmissionEntries() - failedEntriesBefore);
            } else if (merging) {
                assertThat(submitFailures).as("requests failed by failing submissions").isGreaterThanOrEqualTo(
                        submissionsFailed);
            } else {
                assertThat(submitFailures).as("requests failed by failing submissions").isEqualTo(submissionsFailed);
            }
            tally.submitFailuresSeen += submitFailures;
            pending = next;
        }
        assertThat(faults.pendingInjected()).as("injected faults no request reported").isZero();
        for (int i = 0; i < BLOCKS; i++) {
            assertThat(completions.get(i)).as("completions of block %d, after the phase", i).isEqualTo(attempts[i]);
        }
    }

    private static void prepare(IoRequest r, boolean write, int fd, long position, MemorySegment[] buffers) {
        if (buffers.length == 1) {
            if (write) {
                RawRequests.prepareWrite(r, fd, position, buffers[0]);
            } else {
                RawRequests.prepareRead(r, fd, position, buffers[0]);
            }
        } else if (write) {
            RawRequests.prepareWritev(r, fd, position, buffers);
        } else {
            RawRequests.prepareReadv(r, fd, position, buffers);
        }
    }

    private static void writeFigures(EngineKind kind, int mergeLimit, ScheduledFaults faults, Tally tally,
            EngineStats stats) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("engine=").append(kind.id()).append(" mergeLimit=").append(mergeLimit).append(" blocks=")
                .append(BLOCKS).append(" seed=").append(SEED).append('\n');
        text.append("submissions=").append(tally.submissions).append(" completed=").append(stats.completed())
                .append(" failed=").append(stats.failed()).append(" merged=").append(stats.merged())
                .append(" rounds=").append(tally.rounds).append('\n');
        text.append("requests seeing EIO=").append(tally.eioSeen).append(" short=").append(tally.shortSeen)
                .append(" submission errno=").append(tally.submitFailuresSeen).append('\n');
        text.append("kernel submissions asked=").append(faults.submitCalls()).append(" completions asked=")
                .append(faults.completeCalls()).append('\n');
        for (Map.Entry<ScheduledFaults.Kind, Long> e : faults.counts().entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        text.append("every submission completed exactly once; data read back equal to data written\n");
        Path out = Path.of("target", "fault-figures");
        Files.createDirectories(out);
        Files.writeString(out.resolve(kind.id() + (mergeLimit > 0 ? "-merged" : "") + ".txt"), text);
    }
}
