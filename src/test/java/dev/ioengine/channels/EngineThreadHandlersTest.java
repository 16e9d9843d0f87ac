package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code -Dioengine.handlers=engine-thread}: handlers of engine completions run on the engine's thread. */
class EngineThreadHandlersTest extends EngineTestSupport {
    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(DefaultExecutor.HANDLERS);
    }

    private static AsynchronousFileChannel openDefault(IoEngine engine, Path file) throws Exception {
        return EngineChannels.newAsynchronousFileChannel(engine, file, Set.of(READ, WRITE), null);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aChainOfReadsStartedFromHandlersRunsOnTheEnginesThreadAndReadsTheRightBytes(EngineKind kind)
            throws Exception {
        System.setProperty(DefaultExecutor.HANDLERS, "engine-thread");
        IoEngine engine = open(kind, false); // every read completes through the engine, none at once
        byte[] data = new byte[64 * 4096];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("chain"), data);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            ByteBuffer whole = ByteBuffer.allocateDirect(data.length);
            AtomicInteger reads = new AtomicInteger();
            ch.read(whole.slice(0, 4096), 0, 0, new CompletionHandler<Integer, Integer>() {
                @Override
                public void completed(Integer n, Integer block) {
                    threads.add(Thread.currentThread().getName());
                    reads.incrementAndGet();
                    int next = block + 1;
                    if (n != 4096) {
                        done.completeExceptionally(new AssertionError("short read " + n + " of block " + block));
                    } else if (next == 64) {
                        byte[] got = new byte[data.length];
                        whole.get(0, got);
                        done.complete(got);
                    } else {
                        ch.read(whole.slice(next * 4096, 4096), next * 4096L, next, this);
                    }
                }

                @Override
                public void failed(Throwable exc, Integer block) {
                    done.completeExceptionally(exc);
                }
            });
            assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(data);
            assertThat(reads.get()).isEqualTo(64);
        }
        // Engines name their threads "<engine name>-<kind>-<role>": every handler ran on one of them.
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("test-" + kind.id() + "-"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aHandlerThatThrowsOnTheEnginesThreadLeavesTheEngineServing(EngineKind kind) throws Exception {
        System.setProperty(DefaultExecutor.HANDLERS, "engine-thread");
        IoEngine engine = open(kind, false);
        byte[] data = new byte[8192];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("throws"), data);
        try (AsynchronousFileChannel ch = openDefault(engine, file)) {
            CompletableFuture<Integer> first = new CompletableFuture<>();
            ch.read(ByteBuffer.allocateDirect(4096), 0, null, new CompletionHandler<Integer, Object>() {
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
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(4096);
            ByteBuffer second = ByteBuffer.allocateDirect(4096);
            assertThat(ch.read(second, 4096).get(30, TimeUnit.SECONDS)).isEqualTo(4096);
            byte[] got = new byte[4096];
            second.get(0, got);
            assertThat(got).isEqualTo(Arrays.copyOfRange(data, 4096, 8192));
        }
    }

    @Test
    void anUnknownValueIsRefusedAtOpenWithoutLeakingTheFile() throws Exception {
        System.setProperty(DefaultExecutor.HANDLERS, "event-loop");
        IoEngine engine = open(EngineKind.THREADS);
        Path file = Files.write(dir.resolve("bad"), new byte[10]);
        long before = openFds();
        assertThatThrownBy(() -> openDefault(engine, file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioengine.handlers").hasMessageContaining("event-loop");
        assertThat(openFds()).isEqualTo(before);
    }
}
