package dev.ioengine.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching of completion handlers onto an executor: every handler runs once, on the executor, never lost. */
class HandlerDispatcherTest {
    private final List<ExecutorService> executors = new ArrayList<>();

    private ExecutorService cachedPool() {
        ExecutorService e = Executors.newCachedThreadPool();
        executors.add(e);
        return e;
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        for (ExecutorService e : executors) {
            e.shutdownNow();
            assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void everyHandlerFromManyThreadsRunsExactlyOnceOnTheExecutor() throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) cachedPool();
        HandlerDispatcher dispatcher = new HandlerDispatcher(pool);
        int producers = 4;
        int perProducer = 50_000;
        AtomicInteger[] runs = new AtomicInteger[producers * perProducer];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = new AtomicInteger();
        }
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(runs.length);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int id = base + i;
                    dispatcher.dispatch(() -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        runs[id].incrementAndGet();
                        ranOn.add(Thread.currentThread());
                        running.decrementAndGet();
                        all.countDown();
                    });
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(all.await(30, TimeUnit.SECONDS)).as("every handler ran").isTrue();
        for (AtomicInteger r : runs) {
            assertThat(r.get()).isEqualTo(1);
        }
        assertThat(ranOn).doesNotContainAnyElementsOf(threads);
        assertThat(mostAtOnce.get()).as("at most one drainer per core, at least two")
                .isLessThanOrEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(pool.getCompletedTaskCount()).as("handlers ran many to a task")
                .isLessThan(runs.length);
    }

    @Test
    void aHandlerDispatchedFromADrainerRunsThereDirectlyUpToSixteenDeep() throws Exception {
        HandlerDispatcher dispatcher = new HandlerDispatcher(cachedPool());
        AtomicInteger deepest = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(1);
        int chain = 100;
        class Chained implements Runnable {
            final int n;

            Chained(int n) {
                this.n = n;
            }

            @Override
            public void run() {
                threads.add(Thread.currentThread());
                long nested = StackWalker.getInstance().walk(frames -> frames
                        .filter(f -> f.getClassName().equals(Chained.class.getName())
                                && f.getMethodName().equals("run"))
                        .count());
                deepest.accumulateAndGet((int) nested, Math::max);
                if (n == chain) {
                    done.countDown();
                    return;
                }
                dispatcher.dispatch(new Chained(n + 1));
            }
        }
        dispatcher.dispatch(new Chained(1));
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        // The drainer ran the chain itself: the one it took from the queue, 16 nested in it at most, and then
        // the next from its queue, and so on; never a second thread.
        assertThat(deepest.get()).isEqualTo(17);
        assertThat(threads).hasSize(1);
    }

    @Test
    void aHandlerWaitingForALaterOneIsNotLeftWaitingBehindItself() throws Exception {
        HandlerDispatcher dispatcher = new HandlerDispatcher(cachedPool());
        CountDownLatch later = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        dispatcher.dispatch(() -> {
            try {
                if (later.await(30, TimeUnit.SECONDS)) {
                    firstDone.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The first handler is running (or about to) and blocks; these queue behind it, and must find a drainer.
        Thread.sleep(50);
        dispatcher.dispatch(() -> { });
        dispatcher.dispatch(later::countDown);
        assertThat(firstDone.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aThrowingHandlerDoesNotStopTheOthers() throws Exception {
        HandlerDispatcher dispatcher = new HandlerDispatcher(cachedPool());
        CountDownLatch ran = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int id = i;
            dispatcher.dispatch(() -> {
                ran.countDown();
                if (id % 3 == 0) {
                    throw new IllegalStateException("handler " + id + " throws, as handlers may");
                }
            });
        }
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void handlersStillRunWhenTheExecutorWasShutDown() throws Exception {
        ExecutorService pool = cachedPool();
        pool.shutdown();
        HandlerDispatcher dispatcher = new HandlerDispatcher(pool);
        CountDownLatch ran = new CountDownLatch(100);
        AtomicReference<Thread> on = new AtomicReference<>();
        for (int i = 0; i < 100; i++) {
            dispatcher.dispatch(() -> {
                on.set(Thread.currentThread());
                ran.countDown();
            });
        }
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(on.get()).isNotSameAs(Thread.currentThread());
        assertThat(on.get().isVirtual()).isTrue();
    }
}
