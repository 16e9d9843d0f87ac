package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, items 1 and 2: once {@code close()} returns, no IO of the channel runs or can start (the file does not
 * change afterwards), and the kernel is never left holding memory the caller may free (an arena's segment) or
 * take back (a cancelled read's buffer). On every engine, with heap and direct buffers, for both channel kinds.
 */
class CloseQuiescesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int BLOCK = 1 << 20;
    private static final int BLOCKS = 12;
    private static final int ASYNC_BLOCK = 256 << 10;
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    private final List<IoEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(IoEngine::close);
    }

    static Stream<Arguments> enginesAndBuffers() {
        return EngineTestSupport.engines().flatMap(k -> Stream.of(Arguments.of(k, true), Arguments.of(k, false)));
    }

    static Stream<EngineKind> engines() {
        return EngineTestSupport.engines();
    }

    /** One worker (threads engine) and no page-cache shortcut: requests queue up in the engine. */
    private IoEngine openEngine(EngineKind kind) throws IOException {
        IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("quiesce-" + kind.id())
                .workerThreads(1).nowait(false).build());
        engines.add(engine);
        return engine;
    }

    private static ByteBuffer block(boolean heap, int round, int index) {
        ByteBuffer b = heap ? ByteBuffer.allocate(BLOCK) : ByteBuffer.allocateDirect(BLOCK);
        byte value = (byte) (round * 31 + index + 1);
        while (b.hasRemaining()) {
            b.put(value);
        }
        return b.flip();
    }

    private static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The file read right after close, then again after a pause: nothing of the closed channel may land between. */
    private static void assertStill(Path file, String what) throws Exception {
        String first = digest(file);
        Thread.sleep(300);
        assertThat(digest(file)).as("the file changed after close() returned (%s)", what).isEqualTo(first);
    }

    @ParameterizedTest
    @MethodSource("enginesAndBuffers")
    void aFileChannelClosedWithWritesPendingChangesNothingAfterClose(EngineKind kind, boolean heap) throws Exception {
        IoEngine engine = openEngine(kind);
        Path file = dir.resolve("f");
        for (int round = 0; round < ROUNDS; round++) {
            FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(WRITE, CREATE));
            CountDownLatch started = new CountDownLatch(BLOCKS);
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < BLOCKS; i++) {
                int index = i;
                int r = round;
                writers.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            ch.write(block(heap, r, index), (long) index * BLOCK);
                        }
                    } catch (IOException expected) {
                        // Closed under the writer: AsynchronousCloseException or ClosedChannelException.
                    }
                }));
            }
            started.await();
            Thread.sleep(20);
            assertTimeoutPreemptively(BOUND, ch::close);
            assertStill(file, kind + (heap ? " heap" : " direct") + ", round " + round);
            for (Thread w : writers) {
                assertTimeoutPreemptively(BOUND, () -> w.join());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("enginesAndBuffers")
    void anAsynchronousChannelClosedWithWritesPendingChangesNothingAfterClose(EngineKind kind, boolean heap)
            throws Exception {
        IoEngine engine = openEngine(kind);
        Path file = dir.resolve("f");
        for (int round = 0; round < ROUNDS; round++) {
            AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file,
                    Set.of(WRITE, CREATE), null);
            // Two contents per place, written in turn: every write changes the file, and many are still in the
            // engine when close begins.
            List<ByteBuffer> blocks = new ArrayList<>();
            for (int i = 0; i < 2 * BLOCKS; i++) {
                blocks.add(block(heap, round, i).limit(ASYNC_BLOCK));
            }
            List<Future<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 16 * BLOCKS; i++) {
                writes.add(ch.write(blocks.get(i % (2 * BLOCKS)).duplicate(), (long) (i % BLOCKS) * ASYNC_BLOCK));
            }
            assertTimeoutPreemptively(BOUND, ch::close);
            assertStill(file, kind + (heap ? " heap" : " direct") + ", round " + round);
            for (Future<Integer> w : writes) {
                assertTimeoutPreemptively(BOUND, () -> {
                    try {
                        w.get();
                    } catch (java.util.concurrent.ExecutionException expected) {
                        // AsynchronousCloseException, or ECANCELED from the engine's cancel.
                    }
                });
            }
        }
    }

    // ---- item 2: memory the caller may free never reaches the kernel ------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void theKernelIsNeverGivenAnArenasMemory(EngineKind kind) throws Exception {
        Recording engine = new Recording(openEngine(kind));
        Path file = Files.write(dir.resolve("f"), new byte[64 * 1024]);
        try (Arena arena = Arena.ofShared();
                FileChannel sync = EngineChannels.newFileChannel(engine, file, Set.of(READ, WRITE));
                AsynchronousFileChannel async = EngineChannels.newAsynchronousFileChannel(engine, file,
                        Set.of(READ, WRITE), null)) {
            MemorySegment memory = arena.allocate(8192, 4096);
            sync.read(memory.asSlice(0, 4096).asByteBuffer(), 0);
            sync.write(memory.asSlice(4096, 4096).asByteBuffer(), 0);
            async.read(memory.asSlice(0, 4096).asByteBuffer(), 0).get();
            async.write(memory.asSlice(4096, 4096).asByteBuffer(), 4096).get();
            assertThat(engine.segments).as("requests seen").hasSizeGreaterThanOrEqualTo(4);
            for (MemorySegment s : engine.segments) {
                boolean inside = s.address() < memory.address() + memory.byteSize()
                        && memory.address() < s.address() + s.byteSize();
                assertThat(inside).as("the kernel was handed the arena's memory: %s", s).isFalse();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void anArenaClosedRightAfterCloseOrCancelIsNeverWrittenByTheKernel(EngineKind kind) throws Exception {
        IoEngine engine = openEngine(kind);
        byte[] data = new byte[BLOCK];
        Arrays.fill(data, (byte) 7);
        Path file = Files.write(dir.resolve("f"), data);
        for (int round = 0; round < 20; round++) {
            Arena arena = Arena.ofShared();
            AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file, Set.of(READ), null);
            List<Future<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(ch.read(arena.allocate(BLOCK).asByteBuffer(), 0));
            }
            reads.get(0).cancel(false);
            if (round % 2 == 0) {
                ch.close();
            }
            arena.close();
            ch.close();
            for (Future<Integer> r : reads) {
                try {
                    r.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                    // Closed, cancelled, or the arena closed before the copy out: all fine, none may crash.
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aCancelledReadReturnsOnlyOnceTheKernelIsDoneWithTheBuffer(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(openEngine(kind));
        Path file = Files.write(dir.resolve("f"), new byte[4096]);
        try (AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file, Set.of(READ),
                null)) {
            ByteBuffer direct = ByteBuffer.allocateDirect(4096);
            Future<Integer> read = ch.read(direct, 0);
            engine.awaitHeld(1);
            IoRequest inTheKernel = engine.held(0);
            AtomicBoolean cancelReturned = new AtomicBoolean();
            AtomicReference<IoRequest> seen = new AtomicReference<>();
            Thread canceller = Thread.ofPlatform().start(() -> {
                read.cancel(false);
                seen.set(inTheKernel);
                cancelReturned.set(true);
            });
            canceller.join(300);
            boolean returnedEarly = cancelReturned.get();
            engine.releaseAll();
            assertThat(returnedEarly).as("cancel returned while the kernel held the buffer").isFalse();
            assertTimeoutPreemptively(BOUND, () -> canceller.join());
            assertThat(seen.get().isDone()).isTrue();
        }
    }

    /** Passes requests on, recording the memory of each. */
    private static final class Recording extends ForwardingEngine {
        final List<MemorySegment> segments = new java.util.concurrent.CopyOnWriteArrayList<>();

        Recording(IoEngine delegate) {
            super(delegate);
        }

        private void record(IoRequest r) {
            if (r.segment() != null) {
                segments.add(r.segment());
            }
            segments.addAll(Arrays.asList(r.segments()));
        }

        @Override
        public void submit(IoRequest request) throws InterruptedException {
            record(request);
            delegate.submit(request);
        }

        @Override
        public boolean trySubmit(IoRequest request) {
            record(request);
            return delegate.trySubmit(request);
        }

        @Override
        public boolean tryNow(IoRequest request) {
            record(request);
            return delegate.tryNow(request);
        }
    }
}
