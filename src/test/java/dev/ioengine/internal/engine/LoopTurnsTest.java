package dev.ioengine.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine API with INLINE callbacks on the engines whose loops take turns ({@link LoopTurns}: io_uring, AIO): a
 * callback that blocks does not stall the engine, a callback may wait for room in a full engine, and close neither
 * waits for a blocked callback nor leaves a thread behind once it returns.
 */
@Timeout(60)
class LoopTurnsTest {
    private static final int BLOCK = 4096;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path dir;
    private final Arena arena = Arena.ofShared();
    private int fd = -1;

    static Stream<EngineKind> engines() {
        return Stream.of(EngineKind.IO_URING, EngineKind.AIO).filter(k -> EngineAvailability.probe(k).available());
    }

    @BeforeEach
    void openFile() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[64 * BLOCK]);
        fd = LibC.open(file.toString(), LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
    }

    @AfterEach
    void closeFile() {
        LibC.close(fd);
        arena.close();
    }

    private static IoEngine open(EngineKind kind, String name, int maxInFlight) throws Exception {
        return IoEngine.open(IoEngineConfig.builder().engine(kind).name(name).queueDepth(maxInFlight)
                .maxInFlight(maxInFlight).nowait(false).build());
    }

    private IoRequest read(int block) {
        return RequestAccess.get().prepareRead(new IoRequest(), fd, (long) block * BLOCK, arena.allocate(BLOCK));
    }

    private static List<String> threadsOf(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(name + "-"))
                .filter(Thread::isAlive).map(Thread::getName).toList();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aCallbackBlockedUntilALaterCallbackRunsDoesNotWaitForItself(EngineKind kind) throws Exception {
        String name = "turns-" + NAMES.incrementAndGet();
        try (IoEngine engine = open(kind, name, 32)) {
            CountDownLatch laterRan = new CountDownLatch(1);
            CompletableFuture<Boolean> sawIt = new CompletableFuture<>();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            IoRequest later = read(1).callback(r -> {
                threads.add(Thread.currentThread().getName());
                laterRan.countDown();
            });
            IoRequest first = read(0).callback(r -> {
                threads.add(Thread.currentThread().getName());
                try {
                    engine.submit(later);
                    sawIt.complete(laterRan.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException | RuntimeException e) {
                    sawIt.completeExceptionally(e);
                }
            });
            engine.submit(first);
            assertThat(sawIt.get(30, TimeUnit.SECONDS)).as("the later callback ran while the first blocked").isTrue();
            assertThat(threads).as("two loop threads: the blocked one and the one that took the turn").hasSize(2)
                    .allSatisfy(t -> assertThat(t).startsWith(name + "-"));
        }
        assertThat(threadsOf(name)).isEmpty();
    }

    /**
     * A callback that submits more than the engine has room for, with the blocking {@code submit}: it passes the
     * loop on and waits, where it used to be refused (only the loop could make room).
     */
    @ParameterizedTest
    @MethodSource("engines")
    void aCallbackMayWaitForRoomInAFullEngine(EngineKind kind) throws Exception {
        String name = "turns-" + NAMES.incrementAndGet();
        int room = 4;
        try (IoEngine engine = open(kind, name, room)) {
            int more = 16;
            CountDownLatch done = new CountDownLatch(more);
            CompletableFuture<Void> submitted = new CompletableFuture<>();
            IoRequest first = read(0).callback(r -> {
                try {
                    for (int i = 0; i < more; i++) {
                        engine.submit(read(1 + i).callback(x -> done.countDown()));
                    }
                    submitted.complete(null);
                } catch (InterruptedException | RuntimeException e) {
                    submitted.completeExceptionally(e);
                }
            });
            engine.submit(first);
            submitted.get(30, TimeUnit.SECONDS);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(threadsOf(name)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeDoesNotWaitForABlockedCallbackAndItsThreadEndsAfterIt(EngineKind kind) throws Exception {
        String name = "turns-" + NAMES.incrementAndGet();
        IoEngine engine = open(kind, name, 32);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        engine.submit(read(0).callback(r -> {
            blocking.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(blocking.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicInteger completed = new AtomicInteger();
        for (int i = 1; i < 33; i++) {
            IoRequest r = read(i).callback(x -> completed.incrementAndGet());
            engine.submit(r);
        }
        engine.close(); // drains the 32 others while the first callback blocks
        assertThat(completed.get()).isEqualTo(32);
        assertThat(threadsOf(name)).as("only the thread whose callback blocks").hasSize(1);
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threadsOf(name).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threadsOf(name)).isEmpty();
    }
}
