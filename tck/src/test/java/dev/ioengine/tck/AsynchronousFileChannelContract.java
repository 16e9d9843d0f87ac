package dev.ioengine.tck;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link AsynchronousFileChannel} contract as the JDK keeps it on Linux: Future and CompletionHandler forms, which
 * errors are thrown at once and which are delivered, locks, and close with operations still pending.
 */
abstract class AsynchronousFileChannelContract extends ContractBase {

    @BeforeEach
    final void needsAsynchronousChannels() {
        assumeCapability(put.supportsAsyncChannel(), "AsynchronousFileChannel");
    }

    private static AsynchronousFileChannel open(Path p, OpenOption... options) throws IOException {
        return AsynchronousFileChannel.open(p, options);
    }

    private static <V> V await(Future<V> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A handler completing a future, recording the thread it ran on. */
    static final class Recorder<V> implements CompletionHandler<V, String> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        volatile Thread thread;
        volatile String attachment;

        @Override
        public void completed(V value, String att) {
            thread = Thread.currentThread();
            attachment = att;
            result.complete(value);
        }

        @Override
        public void failed(Throwable exc, String att) {
            thread = Thread.currentThread();
            attachment = att;
            result.completeExceptionally(exc);
        }

        V await() throws Exception {
            return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        Throwable awaitFailure() throws Exception {
            try {
                V v = result.get(WAIT_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("expected a failure, completed with " + v);
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    private static Throwable failureOf(Future<?> f) throws Exception {
        try {
            Object v = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, completed with " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void ioGoesThroughTheEngine() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(put.isEngineBacked(),
                () -> put.name() + " has no engine: contract part skipped");
        try (AsynchronousFileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(!ch.getClass().getName().startsWith("sun.nio.ch."),
                    () -> "io-engine " + put.name() + ": AsynchronousFileChannel.open returned the JDK's "
                            + ch.getClass().getName() + ": the engine-backed channels have not landed:"
                            + " contract part skipped");
            await(ch.write(ByteBuffer.wrap(pattern(10)), 0));
            long before = put.engineSubmissions().orElseThrow(
                    () -> new AssertionError("the engine is not open after a channel wrote through it"));
            await(ch.write(ByteBuffer.wrap(pattern(10)), 10));
            assertThat(await(ch.read(ByteBuffer.allocate(20), 0))).isEqualTo(20);
            assertThat(put.engineSubmissions().orElseThrow()).as("requests taken by the engine")
                    .isGreaterThanOrEqualTo(before + 2);
        }
    }

    // ---- Future form ----

    @Test
    void futureWriteThenRead() throws Exception {
        try (AsynchronousFileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            ByteBuffer src = ByteBuffer.wrap(pattern(1000));
            assertThat(await(ch.write(src, 0))).isEqualTo(1000);
            assertThat(src.position()).isEqualTo(1000);
            assertThat(ch.size()).isEqualTo(1000);
            ByteBuffer dst = ByteBuffer.allocateDirect(300);
            dst.position(100);
            assertThat(await(ch.read(dst, 500))).isEqualTo(200);
            assertThat(dst.position()).isEqualTo(300);
            byte[] got = new byte[200];
            dst.position(100);
            dst.get(got);
            assertThat(got).isEqualTo(Arrays.copyOfRange(pattern(1000), 500, 700));
        }
    }

    @Test
    void readAtAndPastEndOfFile() throws Exception {
        try (AsynchronousFileChannel ch = open(file("f", pattern(10)), READ)) {
            ByteBuffer dst = ByteBuffer.allocate(8);
            assertThat(await(ch.read(dst, 10))).isEqualTo(-1);
            assertThat(await(ch.read(dst, 1_000_000))).isEqualTo(-1);
            assertThat(dst.position()).isZero();
            assertThat(await(ch.read(dst, 6))).as("partial read near the end").isEqualTo(4);
            assertThat(dst.position()).isEqualTo(4);
            Recorder<Integer> handler = new Recorder<>();
            ch.read(ByteBuffer.allocate(4), 10, "eof", handler);
            assertThat(handler.await()).isEqualTo(-1);
            assertThat(handler.attachment).isEqualTo("eof");
        }
    }

    @Test
    void zeroRemainingReadsZeroEvenPastEndOfFile() throws Exception {
        skipIfDeviates(Deviation.ZERO_REMAINING_AT_EOF_RETURNS_MINUS_ONE);
        try (AsynchronousFileChannel ch = open(file("f", pattern(10)), READ, WRITE)) {
            assertThat(await(ch.read(ByteBuffer.allocate(0), 100))).isZero();
            assertThat(await(ch.read(ByteBuffer.allocate(0), 0))).isZero();
            assertThat(await(ch.write(ByteBuffer.allocate(0), 100))).isZero();
            assertThat(ch.size()).isEqualTo(10);
        }
    }

    @Test
    void writeBeyondEndGrowsTheFile() throws Exception {
        try (AsynchronousFileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            assertThat(await(ch.write(ByteBuffer.wrap(new byte[] {7}), 4096))).isEqualTo(1);
            assertThat(ch.size()).isEqualTo(4097);
            ByteBuffer gap = ByteBuffer.allocate(4096);
            assertThat(await(ch.read(gap, 0))).isEqualTo(4096);
            assertThat(gap.array()).containsOnly(0);
        }
    }

    // ---- CompletionHandler form ----

    @Test
    void handlerWriteThenReadWithAttachment() throws Exception {
        try (AsynchronousFileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            Recorder<Integer> wrote = new Recorder<>();
            ch.write(ByteBuffer.wrap(pattern(64)), 0, "w", wrote);
            assertThat(wrote.await()).isEqualTo(64);
            assertThat(wrote.attachment).isEqualTo("w");
            Recorder<Integer> read = new Recorder<>();
            ByteBuffer dst = ByteBuffer.allocate(64);
            ch.read(dst, 0, "r", read);
            assertThat(read.await()).isEqualTo(64);
            assertThat(read.attachment).isEqualTo("r");
            assertThat(dst.array()).isEqualTo(pattern(64));
        }
    }

    @Test
    void handlerRunsOnTheGivenExecutor() throws Exception {
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2,
                r -> Thread.ofPlatform().daemon().name("tck-afc-executor-" + count.incrementAndGet()).unstarted(r));
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file("f", pattern(100)),
                Set.of(READ, WRITE), executor)) {
            for (int i = 0; i < 4; i++) {
                Recorder<Integer> read = new Recorder<>();
                ch.read(ByteBuffer.allocate(10), i, null, read);
                assertThat(read.await()).isEqualTo(10);
                assertThat(read.thread.getName()).startsWith("tck-afc-executor-");
                Recorder<Integer> wrote = new Recorder<>();
                ch.write(ByteBuffer.allocate(10), 200 + i, null, wrote);
                assertThat(wrote.await()).isEqualTo(10);
                assertThat(wrote.thread.getName()).startsWith("tck-afc-executor-");
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aThrowingHandlerDoesNotBreakTheChannel() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().daemon().name("tck-afc-throwing").uncaughtExceptionHandler((t, e) -> { })
                        .unstarted(r));
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file("f", pattern(100)), Set.of(READ, WRITE),
                executor)) {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            for (int i = 0; i < 3; i++) {
                ch.read(ByteBuffer.allocate(10), 0, null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer result, Void att) {
                        ran.complete(null);
                        throw new IllegalStateException("handler failure (expected by the test)");
                    }

                    @Override
                    public void failed(Throwable exc, Void att) {
                        ran.completeExceptionally(exc);
                    }
                });
            }
            ran.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(ch.isOpen()).isTrue();
            ByteBuffer dst = ByteBuffer.allocate(100);
            assertThat(await(ch.read(dst, 0))).isEqualTo(100);
            Recorder<Integer> after = new Recorder<>();
            ch.write(ByteBuffer.wrap(new byte[] {1}), 0, null, after);
            assertThat(after.await()).isEqualTo(1);
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ---- size, truncate, force ----

    @Test
    void sizeTruncateForce() throws Exception {
        try (AsynchronousFileChannel ch = open(file("f", pattern(100)), READ, WRITE)) {
            assertThat(ch.size()).isEqualTo(100);
            assertThat(ch.truncate(40)).isSameAs(ch);
            assertThat(ch.size()).isEqualTo(40);
            ch.truncate(1000);
            assertThat(ch.size()).as("truncate never grows the file").isEqualTo(40);
            ch.force(true);
            ch.force(false);
            assertThatThrownBy(() -> ch.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        }
        try (AsynchronousFileChannel ro = open(dir.resolve("f"), READ)) {
            assertThatThrownBy(() -> ro.truncate(1)).isInstanceOf(NonWritableChannelException.class);
            ro.force(true);
        }
    }

    // ---- locks ----

    @Test
    void lockAndTryLock() throws Exception {
        try (AsynchronousFileChannel ch = open(file("f", pattern(100)), READ, WRITE)) {
            FileLock lock = await(ch.lock(0, 10, false));
            assertThat(lock.isValid()).isTrue();
            assertThat(lock.acquiredBy()).isSameAs(ch);
            FileLock shared = ch.tryLock(20, 10, true);
            assertThat(shared).isNotNull();
            assertThat(shared.isShared()).isTrue();
            Recorder<FileLock> viaHandler = new Recorder<>();
            ch.lock(40, 10, false, "l", viaHandler);
            FileLock third = viaHandler.await();
            assertThat(third.position()).isEqualTo(40);
            lock.release();
            assertThat(lock.isValid()).isFalse();
            try (FileLock again = ch.tryLock(0, 10, false)) {
                assertThat(again).isNotNull();
            }
            shared.release();
            third.release();
            assertThatThrownBy(() -> ch.lock(-1, 10, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.tryLock(0, -1, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void overlappingLocksAreRefused() throws Exception {
        assumeCapability(put.supportsLocks(), "real file locks (OverlappingFileLockException)");
        Path p = file("f", pattern(100));
        try (AsynchronousFileChannel a = open(p, READ, WRITE); AsynchronousFileChannel b = open(p, READ, WRITE)) {
            FileLock held = await(a.lock(0, 50, false));
            assertThatThrownBy(() -> a.tryLock(10, 1, false)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> a.lock(49, 10, true)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> b.tryLock(0, 1, true)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> b.lock()).isInstanceOf(OverlappingFileLockException.class);
            held.release();
            assertThat(b.tryLock()).isNotNull();
        }
    }

    @Test
    void lockModes() throws Exception {
        Path p = file("f", pattern(10));
        try (AsynchronousFileChannel ro = open(p, READ); AsynchronousFileChannel wo = open(p, WRITE)) {
            assertThatThrownBy(() -> ro.lock(0, 1, false)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.tryLock(0, 1, false)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> wo.lock(0, 1, true)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> wo.tryLock(0, 1, true)).isInstanceOf(NonReadableChannelException.class);
        }
    }

    @Test
    void closingTheChannelReleasesItsLocks() throws Exception {
        assumeCapability(put.supportsLocks(), "real file locks (released on close)");
        AsynchronousFileChannel ch = open(file("f", pattern(10)), READ, WRITE);
        FileLock lock = await(ch.lock());
        ch.close();
        assertThat(lock.isValid()).as("closing the channel releases its locks").isFalse();
        try (AsynchronousFileChannel again = open(dir.resolve("f"), READ, WRITE)) {
            assertThat(again.tryLock()).as("the region is free again").isNotNull();
        }
    }

    // ---- bad arguments and modes ----

    @Test
    void badArgumentsAreThrownAtOnce() throws Exception {
        try (AsynchronousFileChannel ch = open(file("f", pattern(10)), READ, WRITE)) {
            Recorder<Integer> unused = new Recorder<>();
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), -1, null, unused))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.read(null, 0)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), 0, null, null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), 0, null, null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1).asReadOnlyBuffer(), 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocateDirect(1).asReadOnlyBuffer(), 0, null, unused))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(unused.result).isNotDone();
        }
    }

    @Test
    void nullSourceIsThrownAtOnce() throws Exception {
        skipIfDeviates(Deviation.ASYNC_NULL_SOURCE_NOT_THROWN);
        try (AsynchronousFileChannel ch = open(file("f", pattern(10)), READ, WRITE)) {
            assertThatThrownBy(() -> ch.write(null, 0)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.write(null, 0, null, new Recorder<>()))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void wrongModesAreThrownAtOnce() throws Exception {
        Path p = file("f", pattern(10));
        try (AsynchronousFileChannel ro = open(p, READ); AsynchronousFileChannel wo = open(p, WRITE)) {
            assertThatThrownBy(() -> ro.write(ByteBuffer.allocate(1), 0)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.write(ByteBuffer.allocate(1), 0, null, new Recorder<>()))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> wo.read(ByteBuffer.allocate(1), 0)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> wo.read(ByteBuffer.allocate(1), 0, null, new Recorder<>()))
                    .isInstanceOf(NonReadableChannelException.class);
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(pattern(10));
    }

    @Test
    void appendIsNotSupported() {
        skipIfDeviates(Deviation.ASYNC_APPEND_ACCEPTED);
        assertThatThrownBy(() -> open(dir.resolve("f"), CREATE, WRITE, APPEND))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- closed channels ----

    @Test
    void closedChannelDeliversClosedChannelException() throws Exception {
        AsynchronousFileChannel ch = open(file("f", pattern(10)), READ, WRITE);
        ch.close();
        ch.close();
        assertThat(ch.isOpen()).isFalse();
        assertThat(failureOf(ch.read(ByteBuffer.allocate(1), 0))).isInstanceOf(ClosedChannelException.class);
        assertThat(failureOf(ch.write(ByteBuffer.allocate(1), 0))).isInstanceOf(ClosedChannelException.class);
        Recorder<Integer> read = new Recorder<>();
        ch.read(ByteBuffer.allocate(1), 0, "a", read);
        assertThat(read.awaitFailure()).isInstanceOf(ClosedChannelException.class);
        Recorder<Integer> wrote = new Recorder<>();
        ch.write(ByteBuffer.allocate(1), 0, "a", wrote);
        assertThat(wrote.awaitFailure()).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(ch::size).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> ch.truncate(0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> ch.force(true)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> ch.tryLock()).isInstanceOf(ClosedChannelException.class);
        assertThat(failureOf(ch.lock())).isInstanceOf(ClosedChannelException.class);
    }

    /** Another process's whole-file lock on {@code p}, held until the holder is closed. */
    private LockHolder lockedElsewhere(Path p) throws IOException {
        assumeCapability(put.isBackedByHostFiles(), "locks held by another process");
        return LockHolder.lockWholeFile(p);
    }

    @Test
    void closeWithAPendingLockDeliversAsynchronousCloseException() throws Exception {
        Path p = file("f", pattern(100));
        try (LockHolder _ = lockedElsewhere(p)) {
            AsynchronousFileChannel ch = open(p, READ, WRITE);
            Future<FileLock> pendingFuture = ch.lock(0, 10, false);
            Recorder<FileLock> pendingHandler = new Recorder<>();
            ch.lock(20, 10, false, "pending", pendingHandler);
            Thread.sleep(200);
            assertThat(pendingFuture).as("a lock held by another process keeps lock() pending").isNotDone();
            assertThat(pendingHandler.result).isNotDone();
            ch.close();
            assertThat(failureOf(pendingFuture)).isInstanceOf(AsynchronousCloseException.class);
            assertThat(pendingHandler.awaitFailure()).isInstanceOf(AsynchronousCloseException.class);
            assertThat(pendingHandler.attachment).isEqualTo("pending");
        }
    }

    @Test
    void cancelOfAPendingLock() throws Exception {
        Path p = file("f", pattern(100));
        try (LockHolder _ = lockedElsewhere(p); AsynchronousFileChannel ch = open(p, READ, WRITE)) {
            Future<FileLock> pending = ch.lock(0, 10, false);
            Thread.sleep(100);
            assertThat(pending.cancel(false)).isTrue();
            assertThat(pending.isCancelled()).isTrue();
            assertThat(pending.isDone()).isTrue();
            assertThatThrownBy(() -> pending.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(ch.isOpen()).as("cancel(false) leaves the channel open").isTrue();
            assertThat(await(ch.read(ByteBuffer.allocate(10), 0))).isEqualTo(10);
        }
    }

    @Test
    void forcefulCancelClosesTheChannel() throws Exception {
        Path p = file("f", pattern(100));
        try (LockHolder _ = lockedElsewhere(p)) {
            AsynchronousFileChannel ch = open(p, READ, WRITE);
            Future<FileLock> pending = ch.lock(0, 10, false);
            Thread.sleep(100);
            // The JDK's PendingFuture closes the channel on cancel(true): "the I/O operation may be interrupted by
            // closing the channel" (AsynchronousChannel).
            assertThat(pending.cancel(true)).isTrue();
            assertThat(pending.isCancelled()).isTrue();
            assertThat(ch.isOpen()).as("cancel(true) closes the channel").isFalse();
        }
    }

    @Test
    void aSecondCancelReturnsFalse() throws Exception {
        Path p = file("f", pattern(100));
        try (LockHolder _ = lockedElsewhere(p); AsynchronousFileChannel ch = open(p, READ, WRITE)) {
            Future<FileLock> pending = ch.lock(0, 10, false);
            Thread.sleep(100);
            assertThat(pending.cancel(false)).isTrue();
            assertThat(pending.cancel(false)).as("a second cancel").isFalse();
            assertThat(pending.cancel(true)).as("a cancel(true) after a cancel").isFalse();
            assertThat(ch.isOpen()).as("nothing was left to cancel: the channel stays open").isTrue();
        }
    }

    @Test
    void cancelOfACompletedOperationReturnsFalse() throws Exception {
        try (AsynchronousFileChannel ch = open(file("f", pattern(100)), READ)) {
            Future<Integer> done = ch.read(ByteBuffer.allocate(10), 0);
            assertThat(await(done)).isEqualTo(10);
            assertThat(done.cancel(true)).isFalse();
            assertThat(done.isCancelled()).isFalse();
            assertThat(ch.isOpen()).isTrue();
        }
    }

    @Test
    void closeWithQueuedOperationsCompletesEveryOne() throws Exception {
        skipIfDeviates(Deviation.ASYNC_QUEUED_OPERATIONS_FAIL_CLOSED);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().daemon().name("tck-afc-busy").unstarted(r));
        executor.execute(() -> {
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            AsynchronousFileChannel ch = AsynchronousFileChannel.open(file("f", pattern(100)), Set.of(READ, WRITE),
                    executor);
            List<Future<Integer>> futures = new java.util.ArrayList<>();
            List<Recorder<Integer>> handlers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(ch.read(ByteBuffer.allocate(10), i * 10L));
                futures.add(ch.write(ByteBuffer.wrap(new byte[] {1}), 200 + i));
                Recorder<Integer> r = new Recorder<>();
                ch.read(ByteBuffer.allocateDirect(10), i * 10L, "q" + i, r);
                handlers.add(r);
            }
            ch.close();
            release.countDown();
            // Each operation completed before the close (a count) or was stopped by it (AsynchronousCloseException);
            // none is dropped, none fails otherwise.
            for (Future<Integer> f : futures) {
                try {
                    assertThat(f.get(WAIT_SECONDS, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(AsynchronousCloseException.class);
                }
            }
            for (Recorder<Integer> r : handlers) {
                try {
                    assertThat(r.await()).isGreaterThanOrEqualTo(0);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(AsynchronousCloseException.class);
                }
            }
        } finally {
            release.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void manyConcurrentOperationsAllComplete() throws Exception {
        int blocks = 64;
        int block = 512;
        try (AsynchronousFileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            List<Future<Integer>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                byte[] b = new byte[block];
                Arrays.fill(b, (byte) i);
                writes.add(ch.write(ByteBuffer.wrap(b), (long) i * block));
            }
            for (Future<Integer> w : writes) {
                assertThat(await(w)).isEqualTo(block);
            }
            List<ByteBuffer> buffers = new java.util.ArrayList<>();
            List<Future<Integer>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                ByteBuffer b = (i % 2 == 0) ? ByteBuffer.allocate(block) : ByteBuffer.allocateDirect(block);
                buffers.add(b);
                reads.add(ch.read(b, (long) i * block));
            }
            for (int i = 0; i < blocks; i++) {
                assertThat(await(reads.get(i))).isEqualTo(block);
                ByteBuffer b = buffers.get(i).flip();
                while (b.hasRemaining()) {
                    assertThat(b.get()).isEqualTo((byte) i);
                }
            }
        }
    }
}
