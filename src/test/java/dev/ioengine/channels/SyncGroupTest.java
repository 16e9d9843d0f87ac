package dev.ioengine.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.internal.linux.Errno;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit and sticky errors, with a stand-in sync whose every call the test controls: which calls share a
 * sync, that nobody is served by a sync that started before it came, fsync for metadata, and errors that stick.
 */
@Timeout(60)
class SyncGroupTest {
    /** A sync that records each call's kind and blocks until the test lets it end with the answer given. */
    private static final class ScriptedSync implements SyncGroup.Sync {
        final List<Boolean> calls = new CopyOnWriteArrayList<>();
        /** Fair: the permits go to the syncs already waiting, in order, not to one that starts meanwhile. */
        final Semaphore mayEnd = new Semaphore(0, true);
        final AtomicInteger running = new AtomicInteger();
        final AtomicLong answer = new AtomicLong();

        @Override
        public long sync(boolean metaData) {
            calls.add(metaData);
            running.incrementAndGet();
            mayEnd.acquireUninterruptibly();
            running.decrementAndGet();
            return answer.get();
        }

        void awaitCalls(int n) throws InterruptedException {
            while (calls.size() < n) {
                Thread.sleep(1);
            }
        }
    }

    private static Thread forceOn(SyncGroup group, boolean metaData, AtomicReference<Object> outcome) {
        return Thread.ofPlatform().start(() -> {
            try {
                outcome.set(group.force(metaData, true));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
    }

    /** A thread in {@code group.force(false, interruptible)}: what it got, and its interrupt status after. */
    private record Waiter(Thread thread, AtomicReference<Object> waited, AtomicReference<Boolean> statusKept) {
        static Waiter start(SyncGroup group, boolean interruptible) {
            AtomicReference<Object> waited = new AtomicReference<>();
            AtomicReference<Boolean> statusKept = new AtomicReference<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    waited.set(group.force(false, interruptible));
                } catch (IOException e) {
                    waited.set(e);
                }
                statusKept.set(Thread.currentThread().isInterrupted());
            });
            return new Waiter(thread, waited, statusKept);
        }
    }

    /** Waits until {@code t} is parked: a caller waiting for its round. */
    private static void awaitParked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING) {
            assertThat(t.isAlive()).isTrue();
            Thread.sleep(1);
        }
    }

    @Test
    void callersArrivingWhileTwoSyncsRunShareTheNextOneAndAreNotServedByTheRunningOnes() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        // A second sync may start at once (SyncGroup.IN_FLIGHT): the kernel queues its flush behind the first.
        List<AtomicReference<Object>> leaderOutcomes = new ArrayList<>();
        List<Thread> leaders = twoRunning(group, sync, leaderOutcomes);
        List<Thread> joiners = new ArrayList<>();
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread t = forceOn(group, false, outcome);
            awaitParked(t);
            joiners.add(t);
            outcomes.add(outcome);
        }
        assertThat(sync.calls).as("no third sync while two run").hasSize(2);
        sync.mayEnd.release(2);
        for (Thread t : leaders) {
            t.join();
        }
        assertThat(leaderOutcomes).allSatisfy(o -> assertThat(o.get()).isEqualTo(true));
        // The running syncs started before they came: none of them may return on those.
        sync.awaitCalls(3);
        for (AtomicReference<Object> outcome : outcomes) {
            assertThat(outcome.get()).isNull();
        }
        sync.mayEnd.release();
        for (Thread t : joiners) {
            t.join();
        }
        for (AtomicReference<Object> outcome : outcomes) {
            assertThat(outcome.get()).isEqualTo(true);
        }
        assertThat(sync.calls).as("12 forces, 3 syncs").hasSize(3);
    }

    @Test
    void aRoundWithAMetadataCallerIsAnFsync() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        List<Thread> threads = new ArrayList<>(twoRunning(group, sync, new ArrayList<>()));
        AtomicReference<Object> data = new AtomicReference<>();
        AtomicReference<Object> meta = new AtomicReference<>();
        Thread dataOnly = forceOn(group, false, data);
        awaitParked(dataOnly);
        Thread withMetadata = forceOn(group, true, meta);
        awaitParked(withMetadata);
        sync.mayEnd.release(3);
        threads.addAll(List.of(dataOnly, withMetadata));
        for (Thread t : threads) {
            t.join();
        }
        assertThat(sync.calls).containsExactly(false, false, true);
        assertThat(meta.get()).isEqualTo(true);
        assertThat(data.get()).isEqualTo(true);
    }

    @Test
    void anFdatasyncNeverServesAForceOfMetadataEvenAlone() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        sync.mayEnd.release(2);
        assertThat(group.force(false, true)).isTrue();
        assertThat(group.force(true, true)).isTrue();
        assertThat(sync.calls).containsExactly(false, true);
    }

    /** Starts two forces whose syncs block, as many as may run at once: the next caller must wait. */
    private static List<Thread> twoRunning(SyncGroup group, ScriptedSync sync, List<AtomicReference<Object>> outcomes)
            throws InterruptedException {
        List<Thread> leaders = new ArrayList<>();
        for (int i = 0; i < SyncGroup.IN_FLIGHT; i++) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            leaders.add(forceOn(group, false, outcome));
            sync.awaitCalls(i + 1);
        }
        return leaders;
    }

    @Test
    void aFailedSyncFailsItsCallersAndTheWaitingOnesAndEveryLaterForce() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>(twoRunning(group, sync, outcomes));
        AtomicReference<Object> waiting = new AtomicReference<>();
        Thread waiter = forceOn(group, false, waiting);
        awaitParked(waiter);
        threads.add(waiter);
        outcomes.add(waiting);
        sync.answer.set(-Errno.EIO);
        sync.mayEnd.release(10);
        for (Thread t : threads) {
            t.join();
        }
        for (AtomicReference<Object> outcome : outcomes) {
            assertThat(outcome.get()).isInstanceOf(FileSystemException.class);
            assertThat((Throwable) outcome.get()).hasStackTraceContaining("EIO");
        }
        // The kernel would now say success (the pages it dropped are clean): the error sticks all the same.
        sync.answer.set(0);
        for (boolean metaData : new boolean[] {false, true, false}) {
            assertThatThrownBy(() -> group.force(metaData, true)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("/f").hasMessageContaining("write-back error")
                    .cause().hasMessageContaining("EIO");
        }
        assertThat(sync.calls).as("no sync after the failure").hasSize(2);
    }

    @Test
    void aWriteThatFailedWithEioOrEnospcMakesEveryLaterForceThrow() throws Exception {
        for (int errno : new int[] {Errno.EIO, Errno.ENOSPC, Errno.EDQUOT}) {
            ScriptedSync sync = new ScriptedSync();
            sync.mayEnd.release(10);
            SyncGroup group = new SyncGroup("/f", sync);
            assertThat(group.force(false, true)).isTrue();
            group.writeFailed(errno);
            assertThatThrownBy(() -> group.force(false, true)).isInstanceOf(FileSystemException.class)
                    .cause().hasMessageContaining(Errno.name(errno));
            assertThatThrownBy(() -> group.force(true, true)).isInstanceOf(FileSystemException.class);
        }
    }

    @Test
    void otherWriteErrorsDoNotConcernDurability() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        sync.mayEnd.release(10);
        SyncGroup group = new SyncGroup("/f", sync);
        group.writeFailed(Errno.EINVAL);
        group.writeFailed(Errno.EBADF);
        assertThat(group.force(false, true)).isTrue();
    }

    @Test
    void roundsThatDidNotHappenTellTheirCallersSoAndTheWaitingOnesLeadTheirOwn() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>(twoRunning(group, sync, outcomes));
        AtomicReference<Object> waiting = new AtomicReference<>();
        Thread waiter = forceOn(group, false, waiting);
        awaitParked(waiter);
        sync.answer.set(SyncGroup.NOT_DONE);
        sync.mayEnd.release(3);
        for (Thread t : threads) {
            t.join();
        }
        waiter.join();
        for (AtomicReference<Object> outcome : outcomes) {
            assertThat(outcome.get()).isEqualTo(false);
        }
        assertThat(waiting.get()).isEqualTo(false);
        assertThat(sync.calls).as("the waiter made its own").hasSize(3);
    }

    @Test
    void manyConcurrentForcesAreAllServedBySyncsThatStartedAfterThem() throws Exception {
        // Each caller records when it arrived; each sync when it started: the sync a caller returned on must be
        // one that started after it arrived (a logical clock, no timing).
        AtomicLong clock = new AtomicLong();
        List<Long> syncStarts = new CopyOnWriteArrayList<>();
        SyncGroup group = new SyncGroup("/f", metaData -> {
            syncStarts.add(clock.incrementAndGet());
            Thread.yield();
            return 0;
        });
        int threads = 16;
        int rounds = 200;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        long arrived = clock.incrementAndGet();
                        assertThat(group.force(false, true)).isTrue();
                        assertThat(syncStarts).anyMatch(started -> started > arrived);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread t : all) {
            assertThat(t.join(java.time.Duration.ofSeconds(50))).isTrue();
        }
        assertThat(failure.get()).isNull();
        assertThat(syncStarts.size()).isLessThanOrEqualTo(threads * rounds);
    }

    @Test
    void anInterruptedWaiterOfAnInterruptibleChannelStopsWaitingWithItsStatusKept() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> leaders = twoRunning(group, sync, outcomes);
        Waiter waiter = Waiter.start(group, true);
        awaitParked(waiter.thread());
        waiter.thread().interrupt();
        assertThat(waiter.thread().join(java.time.Duration.ofSeconds(30))).isTrue();
        assertThat(waiter.waited().get()).isEqualTo(false);
        assertThat(waiter.statusKept().get()).isTrue();
        sync.mayEnd.release(2);
        for (Thread t : leaders) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(outcomes).allSatisfy(o -> assertThat(o.get()).isEqualTo(true));
    }

    @Test
    void anUninterruptibleWaiterWaitsOnAndKeepsItsInterruptStatus() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncGroup group = new SyncGroup("/f", sync);
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> leaders = twoRunning(group, sync, outcomes);
        Waiter waiter = Waiter.start(group, false);
        awaitParked(waiter.thread());
        waiter.thread().interrupt();
        awaitParked(waiter.thread());
        assertThat(waiter.waited().get()).as("still waiting for a sync that started after it came").isNull();
        sync.mayEnd.release(3);
        assertThat(waiter.thread().join(java.time.Duration.ofSeconds(30))).isTrue();
        assertThat(waiter.waited().get()).isEqualTo(true);
        assertThat(waiter.statusKept().get()).isTrue();
        assertThat(sync.calls).hasSize(3);
        for (Thread t : leaders) {
            t.join();
        }
    }
}
