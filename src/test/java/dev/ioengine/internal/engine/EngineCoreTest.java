package dev.ioengine.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.ErrnoException;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine core's contract, on a backend the test drives by hand: backpressure, exactly-once completion,
 * delivery modes, callbacks that throw, executors that reject, merged requests split back, and close that
 * drains.
 */
class EngineCoreTest {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(64 * 1024);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    /** Holds what it is given until the test completes it. */
    private static final class ManualBackend extends EngineCore {
        final LinkedBlockingQueue<IoRequest> given = new LinkedBlockingQueue<>();
        final AtomicInteger backendCloses = new AtomicInteger();

        ManualBackend(IoEngineConfig config) {
            super(EngineKind.THREADS, config);
        }

        @Override
        protected void enqueue(IoRequest request) {
            given.add(request);
        }

        @Override
        protected void closeBackend() {
            backendCloses.incrementAndGet();
        }

        IoRequest take() throws InterruptedException {
            IoRequest r = given.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a request reached the backend").isNotNull();
            return r;
        }

        void completeNext(long result) throws InterruptedException {
            complete(take(), result);
        }

        void completeWith(IoRequest r, long result) {
            complete(r, result);
        }
    }

    private static IoEngineConfig.Builder settings() {
        return IoEngineConfig.builder().queueDepth(2).maxInFlight(2);
    }

    @Test
    void trySubmitRefusesWhenFullAndAcceptsOnceACompletionFreesRoom() throws Exception {
        ManualBackend engine = new ManualBackend(settings().build());
        assertThat(engine.trySubmit(RawRequests.read(3, 0, buffer))).isTrue();
        assertThat(engine.trySubmit(RawRequests.read(3, 0, buffer))).isTrue();
        IoRequest third = RawRequests.read(3, 0, buffer);
        assertThat(engine.trySubmit(third)).isFalse();
        assertThat(third.isDone()).isFalse();

        engine.completeNext(10);
        assertThat(engine.trySubmit(third)).isTrue();
        assertThat(engine.stats().inFlight()).isEqualTo(2);
        engine.completeNext(0);
        engine.completeNext(0);
        engine.close();
    }

    @Test
    void submitBlocksWhileFullUntilACompletion() throws Exception {
        ManualBackend engine = new ManualBackend(settings().build());
        engine.submit(RawRequests.read(3, 0, buffer));
        engine.submit(RawRequests.read(3, 0, buffer));
        CountDownLatch accepted = new CountDownLatch(1);
        Thread blocked = Thread.ofVirtual().start(() -> {
            try {
                engine.submit(RawRequests.read(3, 0, buffer));
                accepted.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(accepted.await(200, TimeUnit.MILLISECONDS)).as("accepted while full").isFalse();
        engine.completeNext(1);
        assertThat(accepted.await(10, TimeUnit.SECONDS)).isTrue();
        blocked.join(10_000);
        engine.completeNext(1);
        engine.completeNext(1);
        engine.close();
    }

    @Test
    void anInterruptedSubmitLeavesTheRequestUnsubmitted() throws Exception {
        ManualBackend engine = new ManualBackend(settings().maxInFlight(2).build());
        engine.submit(RawRequests.read(3, 0, buffer));
        engine.submit(RawRequests.read(3, 0, buffer));
        IoRequest waiting = RawRequests.read(3, 0, buffer);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> engine.submit(waiting)).isInstanceOf(InterruptedException.class);
        assertThat(engine.stats().submitted()).isEqualTo(2);
        engine.completeNext(1);
        engine.completeNext(1);
        engine.close();
    }

    @Test
    void resultsAndErrnoReachTheRequest() throws Exception {
        ManualBackend engine = new ManualBackend(settings().build());
        IoRequest ok = RawRequests.read(3, 0, buffer.asSlice(0, 100));
        IoRequest failed = RawRequests.write(3, 0, buffer.asSlice(0, 100));
        engine.submit(ok);
        engine.submit(failed);
        engine.completeNext(40);
        engine.completeNext(-Errno.ENOSPC);

        assertThat(ok.isSuccess()).isTrue();
        assertThat(ok.result()).isEqualTo(40);
        assertThat(ok.isShort()).isTrue();
        assertThat(ok.remaining()).isEqualTo(60);
        assertThat(failed.isSuccess()).isFalse();
        assertThat(failed.errno()).isEqualTo(Errno.ENOSPC);
        assertThat(failed.exception()).isInstanceOf(ErrnoException.class).hasMessageContaining("ENOSPC")
                .hasMessageContaining("No space left on device");
        assertThat(engine.stats().failed()).isEqualTo(1);
        assertThat(engine.stats().completed()).isEqualTo(2);
        engine.close();
    }

    @Test
    void aThrowingCallbackDoesNotStopLaterCompletions() throws Exception {
        ManualBackend engine = new ManualBackend(settings().build());
        List<String> seen = new CopyOnWriteArrayList<>();
        engine.submit(RawRequests.read(3, 0, buffer).callback(r -> {
            seen.add("first");
            throw new IllegalStateException("callback bug");
        }));
        engine.submit(RawRequests.read(3, 0, buffer).callback(r -> seen.add("second")));
        engine.completeNext(1);
        engine.completeNext(1);
        assertThat(seen).containsExactly("first", "second");
        engine.close();
    }

    @Test
    void executorModeRunsCallbacksOnTheExecutorAndInlineWhenItRejects() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Executor rejectSecond = task -> {
            if (calls.incrementAndGet() == 2) {
                throw new RejectedExecutionException("full");
            }
            Thread.ofPlatform().name("completion-executor").start(task);
        };
        ManualBackend engine = new ManualBackend(settings().completionExecutor(rejectSecond).build());
        CountDownLatch both = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            engine.submit(RawRequests.read(3, 0, buffer).callback(r -> {
                threads.add(Thread.currentThread().getName());
                both.countDown();
            }));
        }
        engine.completeNext(1);
        engine.completeNext(1);
        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).containsExactlyInAnyOrder("completion-executor", Thread.currentThread().getName());
        engine.close();
    }

    @Test
    void polledModeQueuesCompletionsForTheCaller() throws Exception {
        ManualBackend engine = new ManualBackend(settings().completionMode(CompletionMode.POLLED).build());
        List<String> callbackThreads = new ArrayList<>();
        IoRequest r = RawRequests.read(3, 0, buffer).callback(x -> callbackThreads.add(Thread.currentThread().getName()));
        engine.submit(r);
        assertThat(engine.poll()).isNull();
        Thread.ofPlatform().name("reaper").start(() -> {
            try {
                engine.completeNext(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).join(10_000);
        assertThat(callbackThreads).as("callbacks wait for the poller").isEmpty();
        assertThat(engine.poll(10, TimeUnit.SECONDS)).isSameAs(r);
        assertThat(callbackThreads).containsExactly(Thread.currentThread().getName());
        engine.close();
    }

    @Test
    void pollIsRefusedOutsidePolledMode() {
        ManualBackend engine = new ManualBackend(settings().build());
        assertThatThrownBy(engine::poll).isInstanceOf(IllegalStateException.class).hasMessageContaining("POLLED");
        engine.close();
    }

    @Test
    void mergedRequestsAreSplitBackInOrder() throws Exception {
        ManualBackend engine = new ManualBackend(IoEngineConfig.builder().queueDepth(8).build());
        IoRequest[] parts = {
            RawRequests.read(3, 0, buffer.asSlice(0, 100)),
            RawRequests.read(3, 100, buffer.asSlice(100, 100)),
            RawRequests.read(3, 200, buffer.asSlice(200, 100)),
        };
        for (IoRequest p : parts) {
            engine.submit(p);
        }
        IoRequest[] batch = {engine.take(), engine.take(), engine.take()};
        int n = new RequestMerger(1 << 20).merge(batch, 3);
        assertThat(n).isEqualTo(1);
        assertThat(batch[0].segments()).hasSize(3);
        assertThat(batch[0].length()).isEqualTo(300);

        engine.completeWith(batch[0], 150); // a short read: EOF at 150
        assertThat(parts[0].result()).isEqualTo(100);
        assertThat(parts[1].result()).isEqualTo(50);
        assertThat(parts[2].result()).isZero();
        assertThat(parts[2].isEof()).isTrue();
        assertThat(engine.stats().merged()).isEqualTo(2);
        assertThat(engine.stats().inFlight()).isZero();
        engine.close();
    }

    @Test
    void aFailedMergedRequestFailsEveryPart() throws Exception {
        ManualBackend engine = new ManualBackend(IoEngineConfig.builder().queueDepth(8).build());
        IoRequest a = RawRequests.write(3, 0, buffer.asSlice(0, 10));
        IoRequest b = RawRequests.write(3, 10, buffer.asSlice(10, 10));
        engine.submit(a);
        engine.submit(b);
        IoRequest[] batch = {engine.take(), engine.take()};
        assertThat(new RequestMerger(1 << 20).merge(batch, 2)).isEqualTo(1);
        engine.completeWith(batch[0], -Errno.EIO);
        assertThat(a.errno()).isEqualTo(Errno.EIO);
        assertThat(b.errno()).isEqualTo(Errno.EIO);
        engine.close();
    }

    @Test
    void closeWaitsForEveryAcceptedRequestThenReleasesTheBackendOnce() throws Exception {
        ManualBackend engine = new ManualBackend(settings().build());
        IoRequest r = RawRequests.read(3, 0, buffer);
        engine.submit(r);
        Thread closer = Thread.ofPlatform().start(engine::close);
        closer.join(200);
        assertThat(closer.isAlive()).as("close returned with a request in flight").isTrue();
        assertThat(engine.isOpen()).isFalse();
        assertThatThrownBy(() -> engine.submit(RawRequests.read(3, 0, buffer)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(engine.backendCloses.get()).isZero();

        engine.completeNext(1);
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(r.isDone()).isTrue();
        assertThat(engine.backendCloses.get()).isEqualTo(1);
        engine.close();
        assertThat(engine.backendCloses.get()).isEqualTo(1);
    }

    @Test
    void aRequestCannotBeSubmittedTwiceWhileInFlight() throws Exception {
        ManualBackend engine = new ManualBackend(settings().build());
        IoRequest r = RawRequests.read(3, 0, buffer);
        engine.submit(r);
        assertThatThrownBy(() -> engine.submit(r)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in flight");
        assertThat(engine.stats().inFlight()).isEqualTo(1);
        engine.completeNext(1);
        engine.submit(r); // reusable once complete
        engine.completeNext(1);
        engine.close();
    }

    @Test
    void readingIntoReadOnlyMemoryIsRefusedAtSubmit() {
        ManualBackend engine = new ManualBackend(settings().build());
        IoRequest r = RawRequests.read(3, 0, buffer.asReadOnly());
        assertThatThrownBy(() -> engine.submit(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read-only");
        assertThat(engine.stats().inFlight()).isZero();
        engine.close();
    }

    @Test
    void memoryOfAClosedArenaIsRefusedAtSubmit() {
        ManualBackend engine = new ManualBackend(settings().build());
        Arena other = Arena.ofConfined();
        MemorySegment freed = other.allocate(8);
        other.close();
        assertThatThrownBy(() -> engine.submit(RawRequests.write(3, 0, freed)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("arena is closed");
        assertThatThrownBy(() -> engine.submit(RawRequests.writev(3, 0, buffer, freed)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("arena is closed");
        assertThat(engine.stats().inFlight()).isZero();
        engine.close();
    }
}
