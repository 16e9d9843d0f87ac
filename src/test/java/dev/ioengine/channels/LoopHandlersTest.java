package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Handlers of channels opened without an executor run on the engine's thread that completed the operation: on
 * io_uring and AIO the loop thread, which passes its turn to another thread when a handler blocks
 * (dev.ioengine.internal.engine.LoopTurns); on the threads engine the worker that did the IO. Either way a handler
 * may block, as the JDK's contract allows.
 */
@Timeout(60)
class LoopHandlersTest extends EngineTestSupport {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    private static AsynchronousFileChannel openDefault(IoEngine engine, Path file) throws Exception {
        return EngineChannels.newAsynchronousFileChannel(engine, file, Set.of(READ, WRITE), null);
    }

    private Path randomFile(String name, int blocks, long seed) throws Exception {
        byte[] data = new byte[blocks * BLOCK];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aChainOfReadsStartedFromHandlersReadsTheRightBytesOnTheLoopThread(EngineKind kind) throws Exception {
        IoEngine engine = open(kind, false); // every read completes through the engine, none at once
        Path file = randomFile("chain", 64, 7);
        byte[] data = Files.readAllBytes(file);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            ByteBuffer whole = ByteBuffer.allocateDirect(data.length);
            ch.read(whole.slice(0, BLOCK), 0, 0, new CompletionHandler<Integer, Integer>() {
                @Override
                public void completed(Integer n, Integer block) {
                    threads.add(Thread.currentThread().getName());
                    int next = block + 1;
                    if (n != BLOCK) {
                        done.completeExceptionally(new AssertionError("short read " + n + " of block " + block));
                    } else if (next == 64) {
                        byte[] got = new byte[data.length];
                        whole.get(0, got);
                        done.complete(got);
                    } else {
                        ch.read(whole.slice(next * BLOCK, BLOCK), (long) next * BLOCK, next, this);
                    }
                }

                @Override
                public void failed(Throwable exc, Integer block) {
                    done.completeExceptionally(exc);
                }
            });
            assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(data);
        }
        // Engines name their threads "<engine name>-<kind>-<role>": every handler ran on one of them.
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("test-" + kind.id() + "-"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aHandlerThatThrowsLeavesTheEngineServing(EngineKind kind) throws Exception {
        IoEngine engine = open(kind, false);
        Path file = randomFile("throws", 2, 3);
        byte[] data = Files.readAllBytes(file);
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            CompletableFuture<Integer> first = new CompletableFuture<>();
            ch.read(ByteBuffer.allocateDirect(BLOCK), 0, null, new CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer n, Object a) {
                    first.complete(n);
                    throw new IllegalStateException("a handler that throws, on the engine's thread");
                }

                @Override
                public void failed(Throwable exc, Object a) {
                    first.completeExceptionally(exc);
                }
            });
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(BLOCK);
            ByteBuffer second = ByteBuffer.allocateDirect(BLOCK);
            assertThat(ch.read(second, BLOCK).get(30, TimeUnit.SECONDS)).isEqualTo(BLOCK);
            byte[] got = new byte[BLOCK];
            second.get(0, got);
            assertThat(got).isEqualTo(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK));
        }
    }

    /**
     * A handler that waits for a later handler (started after it began waiting) must not wait for itself: the later
     * operation completes and its handler runs while the first still blocks. On the loop this needs the turn to pass
     * on (the standby sees the same callback for a whole check period); with handlers kept on the engine's thread
     * and no turns it hung.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void aHandlerBlockedOnALaterHandlerDoesNotStallIt(EngineKind kind) throws Exception {
        IoEngine engine = open(kind, false);
        Path file = randomFile("blocked", 4, 11);
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            CountDownLatch laterRan = new CountDownLatch(1);
            CompletableFuture<Boolean> firstSawLater = new CompletableFuture<>();
            AtomicReference<String> laterThread = new AtomicReference<>();
            ch.read(ByteBuffer.allocateDirect(BLOCK), 0, null, handler((n, a) -> {
                ch.read(ByteBuffer.allocateDirect(BLOCK), BLOCK, null, handler((m, b) -> {
                    laterThread.set(Thread.currentThread().getName());
                    laterRan.countDown();
                }, firstSawLater));
                try {
                    // Plain blocking (not a call io-engine knows about): only the standby's watch can see it.
                    firstSawLater.complete(laterRan.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    firstSawLater.completeExceptionally(e);
                }
            }, firstSawLater));
            assertThat(firstSawLater.get(30, TimeUnit.SECONDS)).as("the later handler ran while the first blocked")
                    .isTrue();
            assertThat(laterThread.get()).startsWith("test-" + kind.id() + "-");
        }
    }

    /** A handler waiting on the Future of another operation of the same channel: the turn passes on at once. */
    @ParameterizedTest
    @MethodSource("engines")
    void aHandlerWaitingOnAFutureOfTheSameChannelGetsItsResult(EngineKind kind) throws Exception {
        IoEngine engine = open(kind, false);
        Path file = randomFile("future", 4, 13);
        byte[] data = Files.readAllBytes(file);
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            ch.read(ByteBuffer.allocateDirect(BLOCK), 0, null, handler((n, a) -> {
                ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
                try {
                    Future<Integer> f = ch.read(b, 3 * BLOCK);
                    assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(BLOCK);
                    byte[] bytes = new byte[BLOCK];
                    b.get(0, bytes);
                    got.complete(bytes);
                } catch (Exception | AssertionError e) {
                    got.completeExceptionally(e);
                }
            }, got));
            assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOfRange(data, 3 * BLOCK, 4 * BLOCK));
        }
    }

    /**
     * 32 chains of reads in flight, some handlers sleeping for longer than the standby's check period (so the turn
     * moves many times, also while other completions wait to be delivered): every operation's handler runs exactly
     * once, with the right count, and every chain ends.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void everyHandlerRunsExactlyOnceWhileTheTurnMoves(EngineKind kind) throws Exception {
        IoEngine engine = open(kind, false);
        int blocks = 256;
        int chains = 32;
        int perChain = 40;
        Path file = randomFile("once", blocks, 17);
        AtomicIntegerArray calls = new AtomicIntegerArray(chains * perChain);
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(chains);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            for (int c = 0; c < chains; c++) {
                int chain = c;
                ch.read(ByteBuffer.allocateDirect(BLOCK), (long) (chain % blocks) * BLOCK, 0,
                        new CompletionHandler<Integer, Integer>() {
                            @Override
                            public void completed(Integer n, Integer step) {
                                threads.add(Thread.currentThread().getName());
                                calls.incrementAndGet(chain * perChain + step);
                                if (n != BLOCK) {
                                    wrong.incrementAndGet();
                                }
                                if (step % 7 == 3) {
                                    sleepMillis(3); // longer than a check period: the standby takes the turn
                                }
                                int next = step + 1;
                                if (next == perChain) {
                                    ended.countDown();
                                } else {
                                    long at = (long) ((chain * 31 + next * 7) % blocks) * BLOCK;
                                    ch.read(ByteBuffer.allocateDirect(BLOCK), at, next, this);
                                }
                            }

                            @Override
                            public void failed(Throwable exc, Integer step) {
                                wrong.incrementAndGet();
                                ended.countDown();
                            }
                        });
            }
            assertThat(ended.await(40, TimeUnit.SECONDS)).as("every chain ended").isTrue();
        }
        assertThat(wrong.get()).isZero();
        List<Integer> notOnce = new ArrayList<>();
        for (int i = 0; i < calls.length(); i++) {
            if (calls.get(i) != 1) {
                notOnce.add(i);
            }
        }
        assertThat(notOnce).as("operations whose handler did not run exactly once").isEmpty();
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("test-" + kind.id() + "-"))
                .as("the loop moved between threads (or several workers ran handlers)").hasSizeGreaterThan(1);
    }

    /**
     * Closing the channel (then the engine) while a handler blocks: close does not wait for the blocked handler,
     * every other operation gets its result or AsynchronousCloseException, and once the handler returns, the engine's
     * threads are all gone.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void closeWhileAHandlerBlocksCompletesTheRestAndEndsTheThreads(EngineKind kind) throws Exception {
        // An engine of its own name: its threads are told apart from other tests' by name.
        String name = "close-blocked";
        IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name(name).nowait(false).build());
        Path file = randomFile("close", 64, 19);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger outcomes = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        CompletableFuture<Void> blockerDone = new CompletableFuture<>();
        AsynchronousFileChannel ch = openDefault(engine, file);
        ch.read(ByteBuffer.allocateDirect(BLOCK), 0, null, handler((n, a) -> {
            blocking.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            blockerDone.complete(null);
        }, blockerDone));
        assertThat(blocking.await(30, TimeUnit.SECONDS)).isTrue();
        int others = 63;
        CountDownLatch settled = new CountDownLatch(others);
        for (int i = 1; i <= others; i++) {
            ch.read(ByteBuffer.allocateDirect(BLOCK), (long) i * BLOCK, null,
                    new CompletionHandler<Integer, Object>() {
                        @Override
                        public void completed(Integer n, Object a) {
                            outcomes.incrementAndGet();
                            settled.countDown();
                        }

                        @Override
                        public void failed(Throwable exc, Object a) {
                            if (!(exc instanceof AsynchronousCloseException)) {
                                unexpected.incrementAndGet();
                            }
                            outcomes.incrementAndGet();
                            settled.countDown();
                        }
                    });
        }
        ch.close();
        assertThat(settled.await(30, TimeUnit.SECONDS)).as("every other operation settled while one handler blocks")
                .isTrue();
        assertThat(outcomes.get()).isEqualTo(others);
        assertThat(unexpected.get()).isZero();
        engine.close(); // does not wait for the blocked handler either
        assertThat(blockerDone).isNotDone();
        release.countDown();
        blockerDone.get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engineThreads(name) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(engineThreads(name)).as(() -> "threads of the closed engine: " + Thread.getAllStackTraces()
                .entrySet().stream().filter(e -> e.getKey().getName().startsWith(name + "-"))
                .map(e -> e.getKey().getName() + " " + Arrays.toString(e.getValue())).toList()).isZero();
    }

    private static long engineThreads(String engineName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(engineName + "-") && t.isAlive()).count();
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A handler running {@code body} on success, failing {@code onFailure} otherwise. */
    private static <A> CompletionHandler<Integer, A> handler(java.util.function.BiConsumer<Integer, A> body,
            CompletableFuture<?> onFailure) {
        return new CompletionHandler<>() {
            @Override
            public void completed(Integer n, A a) {
                body.accept(n, a);
            }

            @Override
            public void failed(Throwable exc, A a) {
                onFailure.completeExceptionally(exc);
            }
        };
    }
}
