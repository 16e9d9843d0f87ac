package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CompletionHandler path's reused operations (EngineAsynchronousFileChannel's transfer slots): a chain of
 * operations, each started by the previous one's handler, reuses one slot whatever road its operations take (served
 * at once or through the engine), so it allocates no operation of its own; and a slot whose operation close
 * abandoned is not reused before the kernel is done with its request. Counts, not timings.
 */
class TransferSlotReuseTest extends EngineTestSupport {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 16;
    private static final int CHAIN = 300;

    @TempDir
    Path dir;

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private EngineAsynchronousFileChannel open(IoEngine engine, Path file) throws IOException {
        return (EngineAsynchronousFileChannel) EngineChannels.newAsynchronousFileChannel(engine, file,
                Set.of(READ, WRITE), null);
    }

    /** Reads block after block, each read started by the previous one's handler, and checks every byte. */
    private static final class Chain implements CompletionHandler<Integer, Integer> {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final EngineAsynchronousFileChannel channel;
        final ByteBuffer buffer;
        final byte[] expected;
        int maxInUse;

        Chain(EngineAsynchronousFileChannel channel, ByteBuffer buffer, byte[] expected) {
            this.channel = channel;
            this.buffer = buffer;
            this.expected = expected;
        }

        void start(int step) {
            buffer.clear();
            channel.read(buffer, (long) (step % BLOCKS) * BLOCK, step, this);
        }

        @Override
        public void completed(Integer n, Integer step) {
            maxInUse = Math.max(maxInUse, channel.transferSlotsInUse());
            int at = (step % BLOCKS) * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                if (buffer.get(i) != expected[at + i]) {
                    done.completeExceptionally(new AssertionError("step " + step + ": byte " + i + " differs"));
                    return;
                }
            }
            if (n != BLOCK) {
                done.completeExceptionally(new AssertionError("step " + step + ": " + n + " bytes"));
            } else if (step + 1 == CHAIN) {
                done.complete(step + 1);
            } else {
                start(step + 1);
            }
        }

        @Override
        public void failed(Throwable exc, Integer step) {
            done.completeExceptionally(exc);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aChainOfHandlerReadsReusesOneSlot(EngineKind kind) throws Exception {
        byte[] content = bytes(BLOCK * BLOCKS);
        Path file = Files.write(dir.resolve("f"), content);
        for (boolean nowait : new boolean[] {true, false}) {
            for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocateDirect(BLOCK), ByteBuffer.allocate(BLOCK)}) {
                try (EngineAsynchronousFileChannel ch = open(open(kind, nowait), file)) {
                    Chain chain = new Chain(ch, buffer, content);
                    chain.start(0);
                    assertThat(chain.done.get(30, TimeUnit.SECONDS)).isEqualTo(CHAIN);
                    assertThat(ch.transferSlotsMade()).as("slots made, nowait " + nowait).isEqualTo(1);
                    // Freed before each handler runs: the handler's next read finds it free.
                    assertThat(chain.maxInUse).isZero();
                    assertThat(ch.transferSlotsInUse()).isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aSlotWhoseOperationCloseAbandonedWaitsForTheKernel(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(open(kind));
        Path file = Files.write(dir.resolve("f"), bytes(BLOCK));
        EngineAsynchronousFileChannel ch = open(engine, file);
        CompletableFuture<Integer> write = new CompletableFuture<>();
        // A heap buffer goes through a bounce buffer: close abandons the operation at once, its handler fails.
        ch.write(ByteBuffer.allocate(10), 0, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void a) {
                write.complete(n);
            }

            @Override
            public void failed(Throwable exc, Void a) {
                write.completeExceptionally(exc);
            }
        });
        engine.awaitHeld(1);
        Thread closer = Closer.closeOnAnotherThread(ch);
        assertThatThrownBy(() -> write.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AsynchronousCloseException.class);
        // The handler has run, and the request is still the kernel's: the slot must not be free.
        assertThat(ch.transferSlotsInUse()).isEqualTo(1);
        engine.releaseAll();
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive()).isFalse();
        // The completion drops the descriptor (which ends close) just before it frees the slot: wait for that.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.transferSlotsInUse() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(ch.transferSlotsInUse()).isZero();
    }
}
