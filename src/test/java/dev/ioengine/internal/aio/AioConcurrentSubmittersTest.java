package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoOp;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several threads submitting writes and barriers to shared files at once: every barrier completes after every
 * write its thread submitted before it on that file, and the files hold what each thread wrote.
 */
@Timeout(120)
class AioConcurrentSubmittersTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 40;
    private static final int WRITES_PER_ROUND = 12;
    private static final int FILES = 2;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mergeLimit {0}")
    @ValueSource(ints = {0, 1 << 20})
    void barriersFollowTheirThreadsEarlierWrites(int mergeLimit) throws Exception {
        String name = AioTestSupport.uniqueName();
        int[] fds = new int[FILES];
        for (int f = 0; f < FILES; f++) {
            fds[f] = AioTestSupport.openFile(dir.resolve("f" + f), false);
        }
        AtomicLong clock = new AtomicLong();
        Map<IoRequest, Long> completedAt = new ConcurrentHashMap<>();
        IoEngineConfig config = IoEngineConfig.builder().engine(EngineKind.AIO).name(name).queueDepth(16)
                .maxInFlight(4096).mergeLimit(mergeLimit).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Arena arena = Arena.ofShared(); IoEngine engine = AioTestSupport.open(config)) {
            List<Future<List<IoRequest>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<IoRequest> mine = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int f = 0; f < FILES; f++) {
                            for (int i = 0; i < WRITES_PER_ROUND; i++) {
                                // Each thread owns a stripe of each file; contiguous within a round, so mergeable.
                                long slotIndex = ((long) thread * ROUNDS + round) * WRITES_PER_ROUND + i;
                                MemorySegment b = AlignedBuffers.allocate(arena, 512, 8);
                                b.fill((byte) (thread * 31 + round + i));
                                IoRequest w = RawRequests.write(fds[f], slotIndex * 512, b)
                                        .callback(r -> completedAt.put(r, clock.incrementAndGet()));
                                engine.submit(w);
                                mine.add(w);
                            }
                            IoRequest barrier = switch (round % 3) {
                                case 0 -> RawRequests.fsync(fds[f]);
                                case 1 -> RawRequests.fdatasync(fds[f]);
                                default -> RawRequests.fallocate(fds[f], LibC.FALLOC_FL_KEEP_SIZE, 0, 4096);
                            };
                            barrier.callback(r -> completedAt.put(r, clock.incrementAndGet()));
                            engine.submit(barrier);
                            mine.add(barrier);
                        }
                    }
                    return mine;
                }));
            }
            List<List<IoRequest>> perThread = new ArrayList<>();
            for (Future<List<IoRequest>> f : results) {
                perThread.add(f.get(60, TimeUnit.SECONDS));
            }
            int total = 0;
            for (List<IoRequest> mine : perThread) {
                AioTestSupport.awaitAll(mine);
                total += mine.size();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (completedAt.size() < total) {
                assertThat(System.nanoTime()).as("callbacks run").isLessThan(deadline);
                Thread.sleep(1);
            }
            for (List<IoRequest> mine : perThread) {
                for (int i = 0; i < mine.size(); i++) {
                    IoRequest barrier = mine.get(i);
                    assertThat(barrier.isSuccess()).as("%s", barrier).isTrue();
                    if (barrier.op().transfersData()) {
                        continue;
                    }
                    for (int k = 0; k < i; k++) {
                        IoRequest earlier = mine.get(k);
                        if (earlier.op() == IoOp.WRITE && earlier.fd() == barrier.fd()) {
                            assertThat(completedAt.get(earlier)).as("%s before %s", earlier, barrier)
                                    .isLessThan(completedAt.get(barrier));
                        }
                    }
                }
            }
            for (List<IoRequest> mine : perThread) {
                for (IoRequest w : mine) {
                    if (w.op() == IoOp.WRITE) {
                        MemorySegment back = arena.allocate(512);
                        assertThat(engine.execute(RawRequests.read(w.fd(), w.position(), back))).isEqualTo(512);
                        assertThat(back.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo(w.segment().get(ValueLayout.JAVA_BYTE, 0));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            AioTestSupport.close(fds);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
    }
}
