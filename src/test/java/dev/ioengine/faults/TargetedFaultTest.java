package dev.ioengine.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ioengine.EngineKind;
import dev.ioengine.ErrnoException;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.engine.FaultInjection;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.engine.RequestAccess;
import dev.ioengine.internal.linux.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One fault at a time, placed on a known request or submission, and what the engine promises for it. */
@Timeout(60)
class TargetedFaultTest {
    private static final int BLOCK = 4096;
    private static final int COUNT = 64;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    @RegisterExtension
    final EngineLeakCheck leaks = new EngineLeakCheck();
    private int fd;

    @BeforeEach
    void open() throws Exception {
        fd = FaultEngines.openFile(dir.resolve("file"));
    }

    /** Runs before {@link EngineLeakCheck} counts what is left. */
    @AfterEach
    void close() throws Exception {
        FaultEngines.close(fd);
        arena.close();
    }

    /** The engines whose submissions the seam reaches. */
    static Stream<EngineKind> submittingEngines() {
        return Stream.of(EngineKind.AIO, EngineKind.THREADS);
    }

    private IoEngine engine(EngineKind kind, int mergeLimit, FaultInjector injector) throws Exception {
        String name = leaks.uniqueName(kind);
        return FaultEngines.open(kind, IoEngineConfig.builder().name(name).queueDepth(32).mergeLimit(mergeLimit)
                .workerThreads(2), injector);
    }

    /** A submission hook from a function of the call number (0, 1, ...): its answer, or the count when 0. */
    private static FaultInjector onSubmit(IntUnaryOperator answerForCall, AtomicInteger calls) {
        return new FaultInjector() {
            @Override
            public int onSubmitBatch(int count) {
                int answer = answerForCall.applyAsInt(calls.getAndIncrement());
                return answer == 0 ? count : answer;
            }

            @Override
            public long onComplete(IoRequest request, long kernelResult) {
                return kernelResult;
            }
        };
    }

    /** A completion hook that changes the first completion of {@code op} at {@code position} into {@code answer}. */
    private static FaultInjector onceAt(IoOp op, long position, long answer) {
        AtomicInteger done = new AtomicInteger();
        return new FaultInjector() {
            @Override
            public int onSubmitBatch(int count) {
                return count;
            }

            @Override
            public long onComplete(IoRequest request, long kernelResult) {
                if (request.position() == position && request.op() == op && done.getAndIncrement() == 0) {
                    return answer;
                }
                return kernelResult;
            }
        };
    }

    private MemorySegment block(int fill) {
        MemorySegment b = arena.allocate(BLOCK, BLOCK);
        b.fill((byte) fill);
        return b;
    }

    private List<IoRequest> writeBlocks(IoEngine engine, int count) throws InterruptedException {
        List<IoRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            IoRequest r = RawRequests.write(fd, (long) i * BLOCK, block(i + 1));
            engine.submit(r);
            requests.add(r);
        }
        for (IoRequest r : requests) {
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
        }
        return requests;
    }

    private void assertBlocksRead(IoEngine engine, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            MemorySegment into = arena.allocate(BLOCK, BLOCK);
            IoRequest r = RawRequests.read(fd, (long) i * BLOCK, into);
            engine.submit(r);
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.isSuccess()).as("%s: %s", r, r.exception()).isTrue();
            assertThat(r.result()).isEqualTo(BLOCK);
            assertThat(into.mismatch(block(i + 1))).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("submittingEngines")
    void eintrAtSubmissionIsRetriedAndNeverReported(EngineKind kind) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (IoEngine engine = engine(kind, 0, onSubmit(call -> call < 5 || call % 3 == 0 ? -Errno.EINTR : 0, calls))) {
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            assertThat(requests).allSatisfy(r -> assertThat(r.isSuccess()).as("%s", r.exception()).isTrue());
            assertThat(calls.get()).isGreaterThan(5);
            assertBlocksRead(engine, COUNT);
            assertThat(engine.stats().failed()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("submittingEngines")
    void eagainAtSubmissionIsBackpressureAndRetried(EngineKind kind) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (IoEngine engine = engine(kind, 0, onSubmit(call -> call < 8 || call % 2 == 0 ? -Errno.EAGAIN : 0,
                calls))) {
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            assertThat(requests).allSatisfy(r -> assertThat(r.isSuccess()).as("%s", r.exception()).isTrue());
            assertBlocksRead(engine, COUNT);
            assertThat(engine.stats().failed()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("submittingEngines")
    void aFailingSubmissionFailsExactlyTheRequestItConcernsAndTheEngineGoesOn(EngineKind kind) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (IoEngine engine = engine(kind, 0, onSubmit(call -> call <= 1 ? -Errno.EBADF : 0, calls))) {
            // Calls 0 and 1 always happen: 64 requests, and a failed call takes none of them.
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            List<IoRequest> failed = requests.stream().filter(r -> !r.isSuccess()).toList();
            assertThat(failed).as("one request per failed submission").hasSize(2);
            assertThat(failed).allSatisfy(r -> {
                assertThat(r.errno()).isEqualTo(Errno.EBADF);
                assertThat(r.exception()).isInstanceOf(ErrnoException.class).hasMessageStartingWith("EBADF");
            });
            for (IoRequest r : failed) {
                RawRequests.prepareWrite(r, fd, r.position(), r.segment());
                engine.submit(r);
                assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(r.isSuccess()).isTrue();
            }
            assertBlocksRead(engine, COUNT);
            assertThat(engine.stats().completed()).isEqualTo(engine.stats().submitted());
        }
    }

    @Test
    void aPartialIoSubmitIsContinuedWithTheRest() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (IoEngine engine = engine(EngineKind.AIO, 0, onSubmit(call -> call % 2 == 0 ? 1 : 0, calls))) {
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            assertThat(requests).allSatisfy(r -> assertThat(r.isSuccess()).as("%s", r.exception()).isTrue());
            assertBlocksRead(engine, COUNT);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.Engines#all")
    void eioReachesExactlyTheAffectedRequest(EngineKind kind) throws Exception {
        long victim = 7L * BLOCK;
        try (IoEngine engine = engine(kind, 0, onceAt(IoOp.WRITE, victim, -Errno.EIO))) {
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            for (IoRequest r : requests) {
                if (r.position() == victim) {
                    assertThat(r.isSuccess()).isFalse();
                    assertThat(r.errno()).isEqualTo(Errno.EIO);
                    assertThat(r.exception()).isInstanceOf(ErrnoException.class).hasMessageStartingWith("EIO")
                            .hasMessageContaining("position=" + victim);
                    RawRequests.prepareWrite(r, fd, victim, r.segment());
                    engine.submit(r);
                    assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
                }
                assertThat(r.isSuccess()).as("%s", r).isTrue();
            }
            assertBlocksRead(engine, COUNT);
            assertThat(engine.stats().failed()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.Engines#all")
    void aShortWriteIsReportedExactlyAndPrepareRemainderFinishesIt(EngineKind kind) throws Exception {
        long at = 3L * BLOCK;
        try (IoEngine engine = engine(kind, 0, onceAt(IoOp.WRITE, at, 100))) {
            IoRequest w = RawRequests.write(fd, at, block(4));
            engine.submit(w);
            assertThat(w.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(w.result()).as("the short count, exactly").isEqualTo(100);
            assertThat(w.isShort()).isTrue();
            assertThat(w.remaining()).isEqualTo(BLOCK - 100);
            engine.submit(w.prepareRemainder());
            assertThat(w.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(w.position()).isEqualTo(at + 100);
            assertThat(w.result()).isEqualTo(BLOCK - 100);

            MemorySegment into = arena.allocate(BLOCK, BLOCK);
            IoRequest r = RawRequests.read(fd, at, into);
            engine.submit(r);
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.result()).isEqualTo(BLOCK);
            assertThat(into.mismatch(block(4))).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ioengine.Engines#all")
    void aShortReadIsReportedExactlyAndPrepareRemainderFinishesIt(EngineKind kind) throws Exception {
        long at = 3L * BLOCK;
        try (IoEngine engine = engine(kind, 0, onceAt(IoOp.READV, at, BLOCK + 100))) {
            writeBlocks(engine, 6);
            MemorySegment first = arena.allocate(BLOCK, BLOCK);
            MemorySegment second = arena.allocate(BLOCK, BLOCK);
            IoRequest r = RawRequests.readv(fd, at, first, second);
            engine.submit(r);
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.result()).as("the short count, exactly").isEqualTo(BLOCK + 100);
            assertThat(r.isShort()).isTrue();
            assertThat(r.isEof()).isFalse();
            engine.submit(r.prepareRemainder());
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.result()).isEqualTo(BLOCK - 100);
            assertThat(first.mismatch(block(4))).isEqualTo(-1);
            assertThat(second.mismatch(block(5))).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("submittingEngines")
    void eioOnAMergedRequestReachesEachOfItsPartsAndNoOther(EngineKind kind) throws Exception {
        List<IoRequest> mergedSeen = new ArrayList<>();
        FaultInjector everyMerged = new FaultInjector() {
            @Override
            public int onSubmitBatch(int count) {
                return count;
            }

            @Override
            public long onComplete(IoRequest request, long kernelResult) {
                if (RequestAccess.get().mergedParts(request) != null) {
                    synchronized (mergedSeen) {
                        mergedSeen.add(request);
                    }
                    return -Errno.EIO;
                }
                return kernelResult;
            }
        };
        try (IoEngine engine = engine(kind, 1 << 20, everyMerged)) {
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            List<IoRequest> parts = new ArrayList<>();
            synchronized (mergedSeen) {
                for (IoRequest merged : mergedSeen) {
                    parts.addAll(List.of(RequestAccess.get().mergedParts(merged)));
                }
            }
            for (IoRequest r : requests) {
                boolean part = parts.stream().anyMatch(p -> p == r);
                assertThat(r.errno()).as("%s, part of a failed merged request: %s", r, part)
                        .isEqualTo(part ? Errno.EIO : 0);
            }
            assertThat(engine.stats().completed()).isEqualTo(engine.stats().submitted());
            // Whether a burst gets merged depends on timing; with no merge, the checks above still held (no errno).
            assumeTrue(!parts.isEmpty(), "no contiguous writes were merged in this run: nothing merged to fail");
        }
    }

    @ParameterizedTest
    @MethodSource("submittingEngines")
    void aShortMergedWriteIsSplitExactlyOverItsPartsAndEachPartIsContinued(EngineKind kind) throws Exception {
        List<IoRequest> mergedSeen = new ArrayList<>();
        FaultInjector shortenMerged = new FaultInjector() {
            @Override
            public int onSubmitBatch(int count) {
                return count;
            }

            @Override
            public long onComplete(IoRequest request, long kernelResult) {
                if (kernelResult > BLOCK + 100 && RequestAccess.get().mergedParts(request) != null) {
                    synchronized (mergedSeen) {
                        mergedSeen.add(request);
                    }
                    return BLOCK + 100;
                }
                return kernelResult;
            }
        };
        try (IoEngine engine = engine(kind, 1 << 20, shortenMerged)) {
            List<IoRequest> requests = writeBlocks(engine, COUNT);
            List<IoRequest[]> merges;
            synchronized (mergedSeen) {
                merges = mergedSeen.stream().map(m -> RequestAccess.get().mergedParts(m)).toList();
            }
            assertThat(merges).as("contiguous writes were merged").isNotEmpty();
            for (IoRequest[] parts : merges) {
                assertThat(parts[0].result()).isEqualTo(BLOCK);
                assertThat(parts[1].result()).isEqualTo(100);
                for (int i = 2; i < parts.length; i++) {
                    assertThat(parts[i].result()).isZero();
                    assertThat(parts[i].isShort()).isTrue();
                }
            }
            for (IoRequest r : requests) {
                assertThat(r.isSuccess()).isTrue();
                if (r.isShort()) {
                    engine.submit(r.prepareRemainder());
                    assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(r.isSuccess()).isTrue();
                }
            }
        }
        try (IoEngine plain = engine(kind, 0, new ScheduledFaults(0))) {
            assertBlocksRead(plain, COUNT);
        }
    }

    @Test
    void anInjectorServesOnlyTheNextEngineOfItsNameAndProductionEnginesHaveNone() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String name = leaks.uniqueName(EngineKind.THREADS);
        IoEngineConfig config = IoEngineConfig.builder().engine(EngineKind.THREADS).name(name).workerThreads(1)
                .build();
        FaultInjection.install(name, onSubmit(call -> 0, calls));
        try (IoEngine first = IoEngine.open(config)) {
            assertThat(FaultInjection.uninstall(name)).as("taken by the first engine").isFalse();
            writeBlocks(first, 2);
        }
        int seenByFirst = calls.get();
        assertThat(seenByFirst).isEqualTo(2);
        try (IoEngine second = IoEngine.open(config)) {
            writeBlocks(second, 2);
        }
        assertThat(calls.get()).as("the second engine of that name has no injector").isEqualTo(seenByFirst);
    }
}
