package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineKind;
import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.IoEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EngineAsynchronousFileChannelTest extends EngineTestSupport {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private AsynchronousFileChannel open(IoEngine engine, Path path, ExecutorService executor, OpenOption... options)
            throws IOException {
        return EngineChannels.newAsynchronousFileChannel(engine, path, Set.of(options), executor);
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A handler completing a CompletableFuture, recording the thread it ran on. */
    private static class Handler<V> implements CompletionHandler<V, String> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        volatile Thread thread;
        volatile String attachment;

        @Override
        public void completed(V value, String attachment) {
            this.thread = Thread.currentThread();
            this.attachment = attachment;
            result.complete(value);
        }

        @Override
        public void failed(Throwable exc, String attachment) {
            this.thread = Thread.currentThread();
            this.attachment = attachment;
            result.completeExceptionally(exc);
        }

        V get() throws Exception {
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void readsAndWritesAsTheJdkDoes(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        byte[] data = bytes(50_000, 1);
        Path file = Files.write(dir.resolve("f"), data);
        try (AsynchronousFileChannel ours = open(engine, file, null, READ, WRITE);
                AsynchronousFileChannel jdk = AsynchronousFileChannel.open(file, READ)) {
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer a = direct ? ByteBuffer.allocateDirect(60_000) : ByteBuffer.allocate(60_000);
                ByteBuffer b = ByteBuffer.allocate(60_000);
                a.position(7);
                b.position(7);
                assertThat(ours.read(a, 3).get()).isEqualTo(jdk.read(b, 3).get()).isEqualTo(49_997);
                assertThat(a.position()).isEqualTo(b.position());
                assertThat(a.flip()).isEqualTo(b.flip());
            }
            assertThat(ours.read(ByteBuffer.allocate(5), 50_000).get()).isEqualTo(jdk.read(ByteBuffer.allocate(5), 50_000).get())
                    .isEqualTo(-1);
            assertThat(ours.read(ByteBuffer.allocate(0), 0).get()).isZero();
            ByteBuffer src = ByteBuffer.wrap("hello".getBytes());
            assertThat(ours.write(src, 60_000).get()).isEqualTo(5);
            assertThat(src.hasRemaining()).isFalse();
            assertThat(ours.size()).isEqualTo(jdk.size()).isEqualTo(60_005);
            ours.force(true);
            ours.force(false);
            ours.truncate(100_000);
            assertThat(ours.size()).isEqualTo(60_005);
            ours.truncate(10);
            assertThat(jdk.size()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void largeBuffersGoWhole(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        byte[] data = bytes(20 << 20, 9);
        try (AsynchronousFileChannel ch = open(engine, dir.resolve("big"), null, READ, WRITE, CREATE)) {
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
            assertThat(ch.write(direct, 0).get(30, TimeUnit.SECONDS)).isEqualTo(data.length);
            ByteBuffer heap = ByteBuffer.allocate(data.length);
            assertThat(ch.read(heap, 0).get(30, TimeUnit.SECONDS)).isEqualTo(data.length);
            assertThat(heap.array()).isEqualTo(data);
            assertThat(ch.write(ByteBuffer.wrap(data), data.length).get(30, TimeUnit.SECONDS)).isEqualTo(data.length);
            assertThat(ch.size()).isEqualTo(2L * data.length);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void handlersRunOnTheExecutorWithTheirAttachment(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), bytes(1000, 2));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "handler-pool"));
        try (AsynchronousFileChannel ch = open(engine, file, executor, READ, WRITE)) {
            Handler<Integer> read = new Handler<>();
            ch.read(ByteBuffer.allocate(100), 0, "att", read);
            assertThat(read.get()).isEqualTo(100);
            assertThat(read.thread.getName()).isEqualTo("handler-pool");
            assertThat(read.attachment).isEqualTo("att");
            Handler<Integer> write = new Handler<>();
            ch.write(ByteBuffer.allocateDirect(10), 0, "w", write);
            assertThat(write.get()).isEqualTo(10);
            assertThat(write.thread.getName()).isEqualTo("handler-pool");
            // A handler that throws hurts neither the engine nor later operations.
            ch.read(ByteBuffer.allocate(1), 0, null, new CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer result, Object attachment) {
                    throw new IllegalStateException("handler failure (expected by the test)");
                }

                @Override
                public void failed(Throwable exc, Object attachment) {
                }
            });
            assertThat(ch.read(ByteBuffer.allocate(1), 0).get()).isEqualTo(1);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), 0, null, null))
                    .isInstanceOf(NullPointerException.class);
        } finally {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void throwsTheJdksExceptions(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "hello");
        assertThatThrownBy(() -> open(engine, file, null, WRITE, APPEND))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("APPEND not allowed");
        assertThatThrownBy(() -> AsynchronousFileChannel.open(file, WRITE, APPEND))
                .isInstanceOf(UnsupportedOperationException.class);
        try (AsynchronousFileChannel readOnly = open(engine, file, null, READ);
                AsynchronousFileChannel writeOnly = open(engine, file, null, WRITE)) {
            assertThatThrownBy(() -> readOnly.write(ByteBuffer.allocate(1), 0)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> writeOnly.read(ByteBuffer.allocate(1), 0)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> readOnly.read(ByteBuffer.allocate(1), -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Negative position");
            assertThatThrownBy(() -> readOnly.read(ByteBuffer.allocate(1).asReadOnlyBuffer(), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Read-only buffer");
            assertThatThrownBy(() -> readOnly.truncate(0)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> writeOnly.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> readOnly.lock()).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> writeOnly.tryLock(0, 1, true)).isInstanceOf(NonReadableChannelException.class);
        }
        AsynchronousFileChannel closed = open(engine, file, null, READ, WRITE);
        closed.close();
        assertThat(closed.isOpen()).isFalse();
        assertThatThrownBy(() -> closed.read(ByteBuffer.allocate(1), 0).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.write(ByteBuffer.allocate(1), 0).get())
                .hasCauseInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.lock().get()).hasCauseInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(closed::size).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.force(true)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.tryLock()).isInstanceOf(ClosedChannelException.class);
        Handler<Integer> handler = new Handler<>();
        closed.read(ByteBuffer.allocate(1), 0, "x", handler);
        assertThatThrownBy(handler::get).hasCauseInstanceOf(ClosedChannelException.class);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeFailsPendingOperationsAndKeepsTheirBuffersUntilTheKernelIsDone(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(open(kind));
        Path file = Files.write(dir.resolve("f"), bytes(10_000, 3));
        long fdsBefore = openFds();
        AsynchronousFileChannel ch = open(engine, file, null, READ, WRITE);
        ByteBuffer heap = ByteBuffer.allocate(4096);
        Future<Integer> read = ch.read(heap, 0);
        Handler<Integer> write = new Handler<>();
        ch.write(ByteBuffer.wrap(new byte[10]), 0, "w", write);
        Future<Integer> cancelled = ch.read(ByteBuffer.allocate(10), 0);
        engine.awaitHeld(3);
        // A forceful cancel closes the channel, and the close waits until the kernel is done: on another thread.
        AtomicBoolean cancelAnswer = new AtomicBoolean();
        Thread canceller = Thread.ofPlatform().start(() -> cancelAnswer.set(cancelled.cancel(true)));
        assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AsynchronousCloseException.class);
        assertThatThrownBy(write::get).hasCauseInstanceOf(AsynchronousCloseException.class);
        assertThatThrownBy(cancelled::get).isInstanceOf(CancellationException.class);
        assertThat(ch.isOpen()).isFalse();
        assertThat(heap.position()).isZero();
        canceller.join(200);
        assertThat(canceller.isAlive()).isTrue();
        assertThat(openFds()).isEqualTo(fdsBefore + 1);
        engine.releaseAll();
        assertTimeoutPreemptively(BOUND, () -> canceller.join());
        assertThat(cancelAnswer.get()).isTrue();
        assertThat(openFds()).isEqualTo(fdsBefore);
        ch.close();
        assertThat(heap.position()).isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeWaitsForOperationsOnTheCallersOwnMemory(EngineKind kind) throws Exception {
        HoldingEngine engine = new HoldingEngine(open(kind));
        Path file = Files.write(dir.resolve("f"), bytes(10_000, 3));
        AsynchronousFileChannel ch = open(engine, file, null, READ, WRITE);
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        Future<Integer> read = ch.read(direct, 0);
        Handler<Integer> heapWrite = new Handler<>();
        ch.write(ByteBuffer.allocate(10), 0, "w", heapWrite);
        engine.awaitHeld(2);
        Thread closer = Closer.closeOnAnotherThread(ch);
        assertThatThrownBy(heapWrite::get).hasCauseInstanceOf(AsynchronousCloseException.class);
        closer.join(200);
        assertThat(closer.isAlive()).isTrue();
        assertThat(ch.isOpen()).isFalse();
        engine.releaseAll();
        assertTimeoutPreemptively(BOUND, () -> closer.join());
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(4096);
        assertThat(direct.position()).isEqualTo(4096);
    }

    /** Runs every task on the calling thread: handlers then run on the engine's own thread. */
    private static final class CallerRunsExecutor extends java.util.concurrent.AbstractExecutorService {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public java.util.List<Runnable> shutdownNow() {
            return java.util.List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeFromAHandlerOnTheEnginesThreadDoesNotWaitForTheEngine(EngineKind kind) throws Exception {
        // No immediate page-cache reads: the handler below must run on the engine's thread, not on this one.
        HoldingEngine engine = new HoldingEngine(open(kind, false));
        Path file = Files.write(dir.resolve("f"), bytes(10_000, 3));
        AsynchronousFileChannel ch = open(engine, file, new CallerRunsExecutor(), READ, WRITE);
        Future<Integer> stuck = ch.read(ByteBuffer.allocateDirect(100), 0);
        engine.awaitHeld(1);
        engine.releaseAll();
        assertThat(stuck.get(30, TimeUnit.SECONDS)).isEqualTo(100);
        HoldingEngine holding = new HoldingEngine(open(kind));
        AsynchronousFileChannel second = open(holding, file, new CallerRunsExecutor(), READ, WRITE);
        Future<Integer> pendingDirect = second.read(ByteBuffer.allocateDirect(100), 0);
        holding.awaitHeld(1);
        Handler<Integer> closing = new Handler<>() {
            @Override
            public void completed(Integer value, String attachment) {
                try {
                    second.close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                super.completed(value, attachment);
            }
        };
        ch.read(ByteBuffer.allocateDirect(10), 0, "c", closing);
        assertThat(closing.get()).isEqualTo(10);
        assertThatThrownBy(() -> pendingDirect.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AsynchronousCloseException.class);
        holding.releaseAll();
        ch.close();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void blockingCallsFromAHandlerOnTheEnginesThreadDoTheirIoDirectly(EngineKind kind) throws Exception {
        // No immediate page-cache reads: the handler must run on the engine's thread.
        IoEngine engine = open(kind, false);
        byte[] data = bytes(10_000, 8);
        Path file = Files.write(dir.resolve("f"), data);
        try (AsynchronousFileChannel ch = open(engine, file, new CallerRunsExecutor(), READ, WRITE);
                java.nio.channels.FileChannel sync = EngineChannels.newFileChannel(engine, file, Set.of(READ, WRITE))) {
            CompletableFuture<byte[]> inHandler = new CompletableFuture<>();
            ch.read(ByteBuffer.allocateDirect(10), 0, null, new CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer result, Object attachment) {
                    try {
                        ByteBuffer heap = ByteBuffer.allocate(100);
                        ByteBuffer[] two = {ByteBuffer.allocate(50), ByteBuffer.allocateDirect(50)};
                        assertThat(sync.read(heap, 0)).isEqualTo(100);
                        assertThat(sync.read(two)).isEqualTo(100);
                        assertThat(sync.write(ByteBuffer.wrap(new byte[] {7}), 20_000)).isEqualTo(1);
                        sync.force(true);
                        ch.force(false);
                        inHandler.complete(Arrays.copyOf(heap.array(), 100));
                    } catch (Throwable t) {
                        inHandler.completeExceptionally(t);
                    }
                }

                @Override
                public void failed(Throwable exc, Object attachment) {
                    inHandler.completeExceptionally(exc);
                }
            });
            assertThat(inHandler.get(30, TimeUnit.SECONDS)).isEqualTo(Arrays.copyOf(data, 100));
            assertThat(sync.size()).isEqualTo(20_001);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void locksAcrossChannels(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        try (AsynchronousFileChannel a = open(engine, file, null, READ, WRITE);
                AsynchronousFileChannel b = open(engine, file, null, READ, WRITE)) {
            FileLock lock = a.lock().get(30, TimeUnit.SECONDS);
            assertThat(lock.acquiredBy()).isSameAs(a);
            assertThat(lock.isValid()).isTrue();
            assertThatThrownBy(() -> b.tryLock(3, 1, true)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> b.lock(3, 1, false)).isInstanceOf(OverlappingFileLockException.class);
            lock.release();
            Handler<FileLock> handler = new Handler<>();
            b.lock(0, 5, true, "l", handler);
            FileLock shared = handler.get();
            assertThat(shared.isShared()).isTrue();
            FileLock other = a.tryLock(5, 5, false);
            assertThat(other).isNotNull();
            b.close();
            assertThat(shared.isValid()).isFalse();
            assertThat(other.isValid()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeEndsAWaitingLock(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        Process holder = lockInAnotherProcess(file);
        try {
            AsynchronousFileChannel ch = open(engine, file, null, READ, WRITE);
            assertThat(ch.tryLock()).isNull();
            Future<FileLock> waiting = ch.lock();
            Thread.sleep(100);
            assertThat(waiting.isDone()).isFalse();
            ch.close();
            assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AsynchronousCloseException.class);
            holder.getOutputStream().close();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (AsynchronousFileChannel again = open(engine, file, null, READ, WRITE)) {
                assertThat(again.lock().get(30, TimeUnit.SECONDS).isValid()).isTrue();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void directIoChecksAlignment(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        int block = (int) Files.getFileStore(dir).getBlockSize();
        try (AsynchronousFileChannel ch = open(engine, dir.resolve("d"), null, READ, WRITE, CREATE,
                ExtendedOpenOptions.DIRECT)) {
            assertThat(ch.write(ByteBuffer.allocate(block), 0).get()).isEqualTo(block);
            assertThat(ch.read(ByteBuffer.allocateDirect(block * 2).alignedSlice(block).limit(block), 0).get())
                    .isEqualTo(block);
            // Delivered through the Future as the JDK's channel delivers it, with the JDK's messages.
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(block), 100).get())
                    .hasCauseExactlyInstanceOf(IOException.class).cause()
                    .hasMessage("Channel position (100) is not a multiple of the block size (" + block + ")");
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(100), 0).get())
                    .hasCauseExactlyInstanceOf(IOException.class).cause()
                    .hasMessageContaining("Number of remaining bytes (100)");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void preallocatesAndReleasesDescriptors(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = dir.resolve("p");
        long before = openFds();
        try (AsynchronousFileChannel ch = open(engine, file, null, WRITE, CREATE)) {
            ((Preallocatable) ch).preallocate(0, 4096, true);
            assertThat(ch.size()).isZero();
            Preallocation.preallocate(ch, 0, 8192);
            assertThat(ch.size()).isEqualTo(8192);
        }
        try (AsynchronousFileChannel jdk = AsynchronousFileChannel.open(file, WRITE)) {
            Preallocation.preallocate(jdk, 8192, 8);
            assertThat(jdk.size()).isEqualTo(8200);
        }
        assertThat(openFds()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void manyConcurrentReadsComplete(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        byte[] data = bytes(1 << 20, 4);
        Path file = Files.write(dir.resolve("f"), data);
        try (AsynchronousFileChannel ch = open(engine, file, null, READ)) {
            Future<?>[] futures = new Future<?>[2000];
            ByteBuffer[] buffers = new ByteBuffer[futures.length];
            for (int i = 0; i < futures.length; i++) {
                buffers[i] = i % 2 == 0 ? ByteBuffer.allocate(512) : ByteBuffer.allocateDirect(512);
                futures[i] = ch.read(buffers[i], (long) i * 512 % data.length);
            }
            for (int i = 0; i < futures.length; i++) {
                assertThat(futures[i].get(30, TimeUnit.SECONDS)).isEqualTo(512);
                int offset = (int) ((long) i * 512 % data.length);
                byte[] got = new byte[512];
                buffers[i].flip().get(got);
                assertThat(got).isEqualTo(Arrays.copyOfRange(data, offset, offset + 512));
            }
        }
    }

    /** A thread factory the default-pool property names. */
    public static final class NamedFactory implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "named-by-property");
            t.setDaemon(true);
            return t;
        }
    }

    @Test
    void theDefaultPoolHonoursTheJdkProperties() throws Exception {
        String oldFactory = System.getProperty(DefaultExecutor.THREAD_FACTORY);
        String oldSize = System.getProperty(DefaultExecutor.INITIAL_SIZE);
        try {
            System.setProperty(DefaultExecutor.THREAD_FACTORY, NamedFactory.class.getName());
            System.setProperty(DefaultExecutor.INITIAL_SIZE, "3");
            ExecutorService pool = DefaultExecutor.create();
            try {
                assertThat(pool.submit(() -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS))
                        .isEqualTo("named-by-property");
            } finally {
                pool.shutdownNow();
            }
            System.setProperty(DefaultExecutor.INITIAL_SIZE, "three");
            assertThatThrownBy(DefaultExecutor::create).isInstanceOf(Error.class)
                    .hasMessageContaining(DefaultExecutor.INITIAL_SIZE);
            System.clearProperty(DefaultExecutor.INITIAL_SIZE);
            System.clearProperty(DefaultExecutor.THREAD_FACTORY);
            ExecutorService plain = DefaultExecutor.create();
            try {
                assertThat(plain.submit(() -> Thread.currentThread().isDaemon()).get(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                plain.shutdownNow();
            }
        } finally {
            restore(DefaultExecutor.THREAD_FACTORY, oldFactory);
            restore(DefaultExecutor.INITIAL_SIZE, oldSize);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
