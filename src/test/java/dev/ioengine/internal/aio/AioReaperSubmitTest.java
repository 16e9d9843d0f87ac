package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests submitted by completion callbacks on the reaper thread, which the reaper submits itself: chains of
 * resubmissions, a kernel with less room than the engine has slots, more requests in flight than slots while
 * other threads submit too, and barriers submitted from callbacks.
 */
@Timeout(120)
class AioReaperSubmitTest {
    private static final int BLOCK = AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT;

    @TempDir
    Path dir;

    /**
     * {@code chains} requests each rewrite block {@code chain * rounds + k} for k = 0..rounds-1, resubmitting
     * themselves from their own callback; returns when every chain has ended (or fails the test).
     */
    private static void writeInChains(IoEngine engine, Arena arena, int fd, int chains, int rounds)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(chains);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Set<String> callbackThreads = ConcurrentHashMap.newKeySet();
        for (int c = 0; c < chains; c++) {
            int chain = c;
            MemorySegment buffer = AlignedBuffers.allocate(arena, BLOCK, BLOCK);
            AtomicInteger round = new AtomicInteger();
            IoRequest request = new IoRequest();
            request.callback(done -> {
                callbackThreads.add(Thread.currentThread().getName());
                if (!done.isSuccess() || done.result() != BLOCK) {
                    failure.compareAndSet(null, new AssertionError("chain " + chain + ": " + done));
                    ended.countDown();
                    return;
                }
                int next = round.incrementAndGet();
                if (next == rounds) {
                    ended.countDown();
                    return;
                }
                buffer.fill((byte) (chain * rounds + next));
                RawRequests.prepareWrite(done, fd, (long) (chain * rounds + next) * BLOCK, buffer);
                if (!engine.trySubmit(done)) {
                    failure.compareAndSet(null, new AssertionError("engine full for chain " + chain));
                    ended.countDown();
                }
            });
            buffer.fill((byte) (chain * rounds));
            RawRequests.prepareWrite(request, fd, (long) chain * rounds * BLOCK, buffer);
            engine.submit(request);
        }
        assertThat(ended.await(60, TimeUnit.SECONDS)).as("every chain ended").isTrue();
        assertThat(failure.get()).isNull();
        // INLINE completion: every resubmission came from the reaper thread.
        assertThat(callbackThreads).allMatch(name -> name.endsWith("-reaper"));
    }

    private static void assertBlocks(IoEngine engine, Arena arena, int fd, int blocks) throws Exception {
        MemorySegment back = AlignedBuffers.allocate(arena, (long) blocks * BLOCK, BLOCK);
        assertThat(engine.execute(RawRequests.read(fd, 0, back))).isEqualTo((long) blocks * BLOCK);
        for (int i = 0; i < blocks; i++) {
            assertThat(back.get(ValueLayout.JAVA_BYTE, (long) i * BLOCK)).as("block %d", i).isEqualTo((byte) i);
            assertThat(back.get(ValueLayout.JAVA_BYTE, (long) i * BLOCK + BLOCK - 1)).isEqualTo((byte) i);
        }
    }

    @ParameterizedTest(name = "O_DIRECT {0}")
    @ValueSource(booleans = {false, true})
    void chainsResubmittedFromCallbacksAllComplete(boolean direct) throws Exception {
        String name = AioTestSupport.uniqueName();
        int fd = AioTestSupport.openFile(dir.resolve("f"), direct);
        try (Arena arena = Arena.ofShared();
                IoEngine engine = AioTestSupport.open(name, 32, 0)) {
            writeInChains(engine, arena, fd, 32, 8);
            assertBlocks(engine, arena, fd, 32 * 8);
            assertThat(engine.stats().completed()).isEqualTo(32 * 8 + 1);
        } finally {
            AioTestSupport.close(fd);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }

    @Test
    void aFullKernelOnTheReaperMeansReapFirstThenResubmit() throws Exception {
        String name = AioTestSupport.uniqueName();
        int fd = AioTestSupport.openFile(dir.resolve("f"), true);
        IoEngineConfig config = IoEngineConfig.builder().engine(EngineKind.AIO).name(name).queueDepth(1024)
                .maxInFlight(1024).build();
        try (Arena arena = Arena.ofShared();
                // io_setup(1): about 126 requests fit in the kernel, far below the 512 chains.
                AioEngine engine = AioEngine.openWithContextEvents(config, 1)) {
            writeInChains(engine, arena, fd, 512, 6);
            assertBlocks(engine, arena, fd, 512 * 6);
            System.getLogger("dev.ioengine.test").log(System.Logger.Level.INFO,
                    "AIO reaper kernel-full test: " + engine.kernelFullWaits() + " EAGAIN, "
                            + engine.reaperHandOffs() + " hand-offs");
        } finally {
            AioTestSupport.close(fd);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }

    @Test
    void moreInFlightThanSlotsWhileOtherThreadsSubmitToo() throws Exception {
        String name = AioTestSupport.uniqueName();
        int fd = AioTestSupport.openFile(dir.resolve("f"), true);
        IoEngineConfig config = IoEngineConfig.builder().engine(EngineKind.AIO).name(name).queueDepth(8)
                .maxInFlight(4096).build(); // permits for all: only the 8 slots are short
        try (Arena arena = Arena.ofShared(); IoEngine engine = AioTestSupport.open(config)) {
            List<IoRequest> external = Collections.synchronizedList(new ArrayList<>());
            Thread outsider = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        IoRequest r = RawRequests.read(fd, 0, AlignedBuffers.allocate(arena, BLOCK, BLOCK));
                        engine.submit(r);
                        external.add(r);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            writeInChains(engine, arena, fd, 64, 20);
            outsider.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(outsider.isAlive()).isFalse();
            assertThat(external).hasSize(2000);
            AioTestSupport.awaitAll(external);
            assertThat(external).allMatch(IoRequest::isSuccess);
            assertBlocks(engine, arena, fd, 64 * 20);
        } finally {
            AioTestSupport.close(fd);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }

    @Test
    void aBarrierSubmittedFromACallbackWaitsForTheWritesAcceptedBeforeIt() throws Exception {
        String name = AioTestSupport.uniqueName();
        int fd = AioTestSupport.openFile(dir.resolve("f"), true);
        List<IoRequest> completionOrder = Collections.synchronizedList(new ArrayList<>());
        try (Arena arena = Arena.ofShared(); IoEngine engine = AioTestSupport.open(name, 16, 0)) {
            List<IoRequest> writes = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<IoRequest> fsync = new AtomicReference<>();
            CountDownLatch submitted = new CountDownLatch(1);
            IoRequest first = RawRequests.write(fd, 0, AlignedBuffers.allocate(arena, BLOCK, BLOCK)).callback(done -> {
                completionOrder.add(done);
                // On the reaper: 40 writes (more than the 16 slots), then the barrier, all from this callback.
                for (int i = 1; i <= 40; i++) {
                    IoRequest w = RawRequests.write(fd, (long) i * BLOCK, AlignedBuffers.allocate(arena, BLOCK, BLOCK))
                            .callback(completionOrder::add);
                    writes.add(w);
                    assertThat(engine.trySubmit(w)).isTrue();
                }
                IoRequest barrier = RawRequests.fsync(fd).callback(completionOrder::add);
                fsync.set(barrier);
                assertThat(engine.trySubmit(barrier)).isTrue();
                submitted.countDown();
            });
            engine.submit(first);
            assertThat(submitted.await(60, TimeUnit.SECONDS)).isTrue();
            AioTestSupport.awaitAll(writes);
            assertThat(fsync.get().await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(fsync.get().isSuccess()).isTrue();
            assertThat(writes).allMatch(w -> w.isSuccess() && w.op() == IoOp.WRITE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completionOrder.size() < 42 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            List<IoRequest> order = List.copyOf(completionOrder);
            assertThat(order).hasSize(42);
            for (IoRequest w : writes) {
                assertThat(order.indexOf(w)).as("write before fsync").isLessThan(order.indexOf(fsync.get()));
            }
        } finally {
            AioTestSupport.close(fd);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }
}
