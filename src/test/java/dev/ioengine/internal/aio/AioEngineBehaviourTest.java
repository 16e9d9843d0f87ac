package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Barrier ordering, errors, batching, merging and close on the AIO engine. */
@Timeout(120)
class AioEngineBehaviourTest {
    private static final int BLOCK = AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT;

    @TempDir
    Path dir;

    private long fdsBefore;
    private long ringsBefore;
    private final List<String> engineNames = new ArrayList<>();
    private final Arena arena = Arena.ofShared();

    @BeforeEach
    void baseline() {
        fdsBefore = AioTestSupport.openFdCount();
        ringsBefore = AioTestSupport.aioRingMappings();
    }

    @AfterEach
    void backToBaseline() {
        arena.close();
        for (String name : engineNames) {
            assertThat(AioTestSupport.threadsOf(name)).as("threads of %s", name).isEmpty();
        }
        assertThat(AioTestSupport.openFdCount()).isEqualTo(fdsBefore);
        assertThat(AioTestSupport.aioRingMappings()).isEqualTo(ringsBefore);
    }

    private IoEngine engine(int depth, int mergeLimit) throws Exception {
        return AioTestSupport.open(IoEngineConfig.builder().engine(EngineKind.AIO).name(registerName())
                .queueDepth(depth).mergeLimit(mergeLimit).maxInFlight(Math.max(4 * depth, 1024)).build());
    }

    private String lastName() {
        return engineNames.getLast();
    }

    private MemorySegment block(int size, int fill) {
        MemorySegment b = AlignedBuffers.allocate(arena, size, BLOCK);
        b.fill((byte) fill);
        return b;
    }

    // ---- barriers: fsync, fdatasync, fallocate --------------------------------------------------------------

    @Test
    void barriersCompleteOnlyAfterEveryEarlierWriteOnTheirFile() throws Exception {
        int a = AioTestSupport.openFile(dir.resolve("a"), false);
        int b = AioTestSupport.openFile(dir.resolve("b"), false);
        List<IoRequest> completionOrder = Collections.synchronizedList(new ArrayList<>());
        try (IoEngine engine = engine(64, 0)) {
            List<IoRequest> all = new ArrayList<>();
            List<IoRequest> earlierOnA = new ArrayList<>();
            List<IoRequest> earlierOnB = new ArrayList<>();
            IoRequest fsyncA;
            IoRequest fdatasyncB;
            IoRequest fallocateA;
            try (SubmitterGate gate = new SubmitterGate(engine, lastName())) {
                // Held at the gate, none of these writes can complete before the barriers are accepted.
                for (int i = 0; i < 600; i++) {
                    int fd = i % 2 == 0 ? a : b;
                    IoRequest w = RawRequests.write(fd, (long) (i / 2) * BLOCK, block(BLOCK, i)).callback(completionOrder::add);
                    engine.submit(w);
                    all.add(w);
                    (fd == a ? earlierOnA : earlierOnB).add(w);
                }
                fsyncA = RawRequests.fsync(a).callback(completionOrder::add);
                fdatasyncB = RawRequests.fdatasync(b).callback(completionOrder::add);
                engine.submit(fsyncA);
                engine.submit(fdatasyncB);
                all.add(fsyncA);
                all.add(fdatasyncB);
                for (int i = 0; i < 100; i++) {
                    IoRequest w = RawRequests.write(a, (long) (300 + i) * BLOCK, block(BLOCK, i)).callback(completionOrder::add);
                    engine.submit(w);
                    all.add(w);
                }
                fallocateA = RawRequests.fallocate(a, LibC.FALLOC_FL_KEEP_SIZE, 0, 1 << 20).callback(completionOrder::add);
                engine.submit(fallocateA);
                all.add(fallocateA);
                // Time for a barrier that does not wait (the seed crate's) to run and complete: it must not.
                Thread.sleep(200);
                assertThat(fsyncA.isDone()).isFalse();
                assertThat(fdatasyncB.isDone()).isFalse();
            }
            AioTestSupport.awaitAll(all);
            awaitCallbacks(completionOrder, all.size());
            for (IoRequest r : all) {
                assertThat(r.isSuccess()).as("%s", r).isTrue();
            }
            List<IoRequest> order = List.copyOf(completionOrder);
            for (IoRequest w : earlierOnA) {
                assertThat(order.indexOf(w)).as("write before fsync").isLessThan(order.indexOf(fsyncA));
            }
            for (IoRequest w : earlierOnB) {
                assertThat(order.indexOf(w)).as("write before fdatasync").isLessThan(order.indexOf(fdatasyncB));
            }
            for (IoRequest w : all) {
                if (w.fd() == a && w.op() == IoOp.WRITE) {
                    assertThat(order.indexOf(w)).as("write before fallocate").isLessThan(order.indexOf(fallocateA));
                }
            }
            assertThat(order.indexOf(fsyncA)).isLessThan(order.indexOf(fallocateA));
        } finally {
            AioTestSupport.close(a, b);
        }
    }

    @Test
    void barrierWaitsForEarlierWritesEvenWhenTheyFail() throws Exception {
        int direct = AioTestSupport.openFile(dir.resolve("direct"), true);
        List<IoRequest> completionOrder = Collections.synchronizedList(new ArrayList<>());
        try (IoEngine engine = engine(8, 0)) {
            IoRequest misaligned;
            IoRequest fsync;
            try (SubmitterGate gate = new SubmitterGate(engine, lastName())) {
                misaligned = RawRequests.write(direct, 1, block(BLOCK, 1)).callback(completionOrder::add);
                engine.submit(misaligned);
                fsync = RawRequests.fsync(direct).callback(completionOrder::add);
                engine.submit(fsync);
                // Time for a barrier that does not wait (the seed crate's) to run and complete: it must not.
                Thread.sleep(200);
                assertThat(fsync.isDone()).isFalse();
            }
            assertThat(fsync.await(30, TimeUnit.SECONDS)).isTrue();
            awaitCallbacks(completionOrder, 2);
            assertThat(misaligned.errno()).isEqualTo(Errno.EINVAL);
            assertThat(fsync.isSuccess()).isTrue();
            assertThat(completionOrder).containsExactly(misaligned, fsync);
        } finally {
            AioTestSupport.close(direct);
        }
    }

    /** A request is done (await returns) just before its callback runs: wait for the callbacks too. */
    private static void awaitCallbacks(List<IoRequest> completionOrder, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (completionOrder.size() < expected) {
            assertThat(System.nanoTime()).as("callbacks run").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void barriersWithoutEarlierWritesRunAtOnce() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("f"), false);
        try (IoEngine engine = engine(4, 0)) {
            // The very first operation is an fsync: the seed crate dropped it (its side worker did not exist yet).
            assertThat(engine.execute(RawRequests.fsync(fd))).isZero();
            assertThat(engine.execute(RawRequests.fdatasync(fd))).isZero();
            assertThat(engine.execute(RawRequests.fallocate(fd, 0, 0, 8192))).isZero();
            assertThat(LibC.size(fd)).isEqualTo(8192);
        } finally {
            AioTestSupport.close(fd);
        }
    }

    @Test
    void fallocateTakesA64BitLength() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("big"), false);
        try (IoEngine engine = engine(4, 0)) {
            long length = (1L << 32) + 8192; // truncated to 32 bits this would be 8192
            IoRequest r = RawRequests.fallocate(fd, 0, 0, length);
            engine.submit(r);
            assertThat(r.await(60, TimeUnit.SECONDS)).isTrue();
            if (r.errno() == Errno.ENOSPC || r.errno() == Errno.EOPNOTSUPP) {
                return; // the temp file system cannot hold it; nothing to check
            }
            assertThat(r.isSuccess()).as("%s", r).isTrue();
            assertThat(LibC.size(fd)).isEqualTo(length);
        } finally {
            LibC.ftruncate(fd, 0);
            AioTestSupport.close(fd);
        }
    }

    @Test
    void barrierOnABadFdFailsWithEbadf() throws Exception {
        try (IoEngine engine = engine(4, 0)) {
            IoRequest r = RawRequests.fsync(1_000_000);
            engine.submit(r);
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.errno()).isEqualTo(Errno.EBADF);
        }
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    @Test
    void readOnABadFdFailsWithEbadf() throws Exception {
        try (IoEngine engine = engine(4, 0)) {
            IoRequest r = RawRequests.read(1_000_000, 0, block(512, 0));
            engine.submit(r);
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.errno()).isEqualTo(Errno.EBADF);
            assertThat(r.exception()).hasMessageContaining("EBADF");
            // The engine goes on.
            assertThat(engine.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void misalignedDirectIoFailsWithEinval() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("direct"), true);
        try (IoEngine engine = engine(8, 0)) {
            assertThat(engine.execute(RawRequests.write(fd, 0, block(2 * BLOCK, 7)))).isEqualTo(2 * BLOCK);
            IoRequest badPosition = RawRequests.read(fd, 1, block(BLOCK, 0));
            IoRequest badLength = RawRequests.read(fd, 0, block(BLOCK, 0).asSlice(0, 100));
            IoRequest badAddress = RawRequests.read(fd, 0, block(2 * BLOCK, 0).asSlice(1, BLOCK));
            for (IoRequest r : List.of(badPosition, badLength, badAddress)) {
                engine.submit(r);
            }
            AioTestSupport.awaitAll(List.of(badPosition, badLength, badAddress));
            assertThat(badPosition.errno()).isEqualTo(Errno.EINVAL);
            assertThat(badLength.errno()).isEqualTo(Errno.EINVAL);
            assertThat(badAddress.errno()).isEqualTo(Errno.EINVAL);
        } finally {
            AioTestSupport.close(fd);
        }
    }

    @Test
    void readsAtAndAcrossEndOfFileAreShort() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("small"), false);
        try (IoEngine engine = engine(4, 0)) {
            assertThat(engine.execute(RawRequests.write(fd, 0, block(100, 3)))).isEqualTo(100);
            IoRequest pastEnd = RawRequests.read(fd, 1000, block(4096, 0));
            assertThat(engine.execute(pastEnd)).isZero();
            assertThat(pastEnd.isEof()).isTrue();
            IoRequest across = RawRequests.read(fd, 40, block(4096, 0));
            assertThat(engine.execute(across)).isEqualTo(60);
            assertThat(across.isShort()).isTrue();
            assertThat(across.isEof()).isFalse();
            IoRequest empty = RawRequests.read(fd, 0, block(0, 0));
            assertThat(engine.execute(empty)).isZero();
            assertThat(empty.isEof()).isFalse();
        } finally {
            AioTestSupport.close(fd);
        }
    }

    @Test
    void aFailingIocbInTheMiddleOfABatchFailsOnlyItsRequest() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("f"), false);
        try (IoEngine engine = engine(32, 0)) {
            assertThat(engine.execute(RawRequests.write(fd, 0, block(64 * 1024, 5)))).isEqualTo(64 * 1024);
            List<IoRequest> good = new ArrayList<>();
            IoRequest bad;
            try (SubmitterGate gate = new SubmitterGate(engine, lastName())) {
                for (int i = 0; i < 7; i++) {
                    good.add(RawRequests.read(fd, i * 1024L, block(1024, 0)));
                }
                bad = RawRequests.read(1_000_000, 0, block(1024, 0));
                for (int i = 7; i < 14; i++) {
                    good.add(RawRequests.read(fd, i * 1024L, block(1024, 0)));
                }
                for (int i = 0; i < 7; i++) {
                    engine.submit(good.get(i));
                }
                engine.submit(bad);
                for (int i = 7; i < 14; i++) {
                    engine.submit(good.get(i));
                }
            }
            AioTestSupport.awaitAll(good);
            assertThat(bad.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(bad.errno()).isEqualTo(Errno.EBADF);
            for (IoRequest r : good) {
                assertThat(r.isSuccess()).as("%s", r).isTrue();
                assertThat(r.result()).isEqualTo(1024);
            }
            // All fifteen went in one batch: io_submit took the seven before the bad one in one call.
            assertThat(engine.stats().maxBatch()).isGreaterThanOrEqualTo(7);
            // Every slot came back: a full depth of requests still goes through.
            List<IoRequest> more = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                IoRequest r = RawRequests.read(fd, 0, block(512, 0));
                engine.submit(r);
                more.add(r);
            }
            AioTestSupport.awaitAll(more);
            assertThat(more).allMatch(IoRequest::isSuccess);
        } finally {
            AioTestSupport.close(fd);
        }
    }

    // ---- batching and merging --------------------------------------------------------------------------------

    @Test
    void queuedContiguousWritesAreMergedAndSplitBack() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("merged"), false);
        try (IoEngine engine = engine(32, 1 << 20)) {
            List<IoRequest> writes = new ArrayList<>();
            try (SubmitterGate gate = new SubmitterGate(engine, lastName())) {
                for (int i = 0; i < 64; i++) {
                    IoRequest w = RawRequests.write(fd, i * 1000L, block(1000, i));
                    engine.submit(w);
                    writes.add(w);
                }
            }
            AioTestSupport.awaitAll(writes);
            for (IoRequest w : writes) {
                assertThat(w.isSuccess()).isTrue();
                assertThat(w.result()).isEqualTo(1000);
            }
            assertThat(engine.stats().merged()).isPositive();
            MemorySegment back = block(64_000, 0);
            assertThat(engine.execute(RawRequests.read(fd, 0, back))).isEqualTo(64_000);
            for (int i = 0; i < 64; i++) {
                assertThat(back.get(ValueLayout.JAVA_BYTE, i * 1000L)).isEqualTo((byte) i);
                assertThat(back.get(ValueLayout.JAVA_BYTE, i * 1000L + 999)).isEqualTo((byte) i);
            }
        } finally {
            AioTestSupport.close(fd);
        }
    }

    // ---- close -----------------------------------------------------------------------------------------------

    @Test
    void closeWithThousandsInFlightCompletesEveryOne() throws Exception {
        int a = AioTestSupport.openFile(dir.resolve("a"), false);
        int b = AioTestSupport.openFile(dir.resolve("b"), true);
        List<IoRequest> all = new ArrayList<>();
        IoEngine engine = AioTestSupport.open(IoEngineConfig.builder().engine(EngineKind.AIO)
                .name(registerName()).queueDepth(64).maxInFlight(8192).build());
        try {
            for (int i = 0; i < 6000; i++) {
                IoRequest r = switch (i % 5) {
                    case 0, 1 -> RawRequests.write(a, (i % 512) * 512L, block(512, i));
                    case 2 -> RawRequests.write(b, (i % 256) * (long) BLOCK, block(BLOCK, i));
                    case 3 -> RawRequests.read(b, (i % 256) * (long) BLOCK, block(BLOCK, 0));
                    default -> i % 100 == 4 ? RawRequests.fsync(a) : RawRequests.read(a, 0, block(512, 0));
                };
                engine.submit(r);
                all.add(r);
            }
        } finally {
            engine.close();
        }
        assertThat(engine.isOpen()).isFalse();
        assertThat(all).allMatch(IoRequest::isDone);
        assertThat(all).allMatch(IoRequest::isSuccess);
        assertThat(engine.stats().completed()).isEqualTo(6000);
        assertThat(engine.stats().inFlight()).isZero();
        AioTestSupport.close(a, b);
    }

    @Test
    void closeFromACallbackStopsEverything() throws Exception {
        int fd = AioTestSupport.openFile(dir.resolve("f"), false);
        try {
            IoEngine engine = engine(8, 0);
            IoRequest r = RawRequests.write(fd, 0, block(512, 1)).callback(done -> engineCloser(done));
            r.attachment(engine);
            engine.submit(r);
            assertThat(r.await(30, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!AioTestSupport.threadsOf(lastName()).isEmpty()) {
                assertThat(System.nanoTime()).as("engine threads stop").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(engine.isOpen()).isFalse();
            engine.close();
        } finally {
            AioTestSupport.close(fd);
        }
    }

    private static void engineCloser(IoRequest done) {
        ((IoEngine) done.attachment()).close();
    }

    @Test
    void zeroLengthReadsAreOrdinaryRequests() throws Exception {
        // The seed crate used a zero-length read as its exit signal; here it is just a read of nothing.
        int fd = AioTestSupport.openFile(dir.resolve("f"), false);
        try (IoEngine engine = engine(4, 0)) {
            for (int i = 0; i < 20; i++) {
                IoRequest r = RawRequests.read(fd, 0, block(0, 0));
                assertThat(engine.execute(r)).isZero();
            }
            assertThat(engine.execute(RawRequests.write(fd, 0, block(10, 1)))).isEqualTo(10);
            assertThat(engine.isOpen()).isTrue();
        } finally {
            AioTestSupport.close(fd);
        }
    }

    private String registerName() {
        String name = AioTestSupport.uniqueName();
        engineNames.add(name);
        return name;
    }
}
