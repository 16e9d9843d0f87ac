package dev.ioengine.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.IoRequest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The intrusive queue's cancel path: {@link RequestQueue#removeIf} takes out one descriptor's requests only. */
@Timeout(60)
class RequestQueueTest {
    private static final MemorySegment BUFFER = Arena.ofAuto().allocate(8);

    private static IoRequest on(int fd) {
        return RequestAccess.get().prepareRead(new IoRequest(), fd, 0, BUFFER);
    }

    @Test
    void removeIfTakesTheMatchingRequestsAndKeepsTheOthersInOrderAheadOfLaterOnes() {
        RequestQueue queue = new RequestQueue();
        List<IoRequest> offered = List.of(on(1), on(2), on(1), on(3), on(2), on(1));
        offered.forEach(queue::offer);
        List<IoRequest> taken = new ArrayList<>();
        queue.removeIf(r -> r.fd() == 1 && taken.add(r));
        IoRequest later = on(4);
        queue.offer(later);

        assertThat(taken).containsExactly(offered.get(0), offered.get(2), offered.get(5));
        assertThat(drain(queue)).containsExactly(offered.get(1), offered.get(3), offered.get(4), later);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void removeIfOnAnEmptyOrFullyTakenQueueLeavesItEmptyAndUsable() {
        RequestQueue queue = new RequestQueue();
        queue.removeIf(r -> true);
        assertThat(queue.isEmpty()).isTrue();
        queue.offer(on(1));
        queue.removeIf(r -> true);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
        IoRequest next = on(2);
        queue.offer(next);
        assertThat(drain(queue)).containsExactly(next);
    }

    /** Producers offer while the consumer polls and takes one descriptor's requests out: each request once. */
    @Test
    void concurrentProducersLoseNoRequestAndNoneComesOutTwice() throws Exception {
        RequestQueue queue = new RequestQueue();
        int producers = 3;
        int perProducer = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(on(i % 3));
                }
                finished.incrementAndGet();
            });
            t.start();
            threads.add(t);
        }
        Set<IoRequest> seen = new HashSet<>();
        int duplicates = 0;
        int wrongTaken = 0;
        int round = 0;
        start.countDown();
        while (finished.get() < producers || !queue.isEmpty()) {
            if (++round % 50 == 0) {
                List<IoRequest> taken = new ArrayList<>();
                queue.removeIf(r -> r.fd() == 0 && taken.add(r));
                for (IoRequest r : taken) {
                    wrongTaken += r.fd() == 0 ? 0 : 1;
                    duplicates += seen.add(r) ? 0 : 1;
                }
            } else {
                IoRequest r = queue.poll();
                if (r != null) {
                    duplicates += seen.add(r) ? 0 : 1;
                }
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(duplicates).isZero();
        assertThat(wrongTaken).isZero();
        assertThat(seen).hasSize(producers * perProducer);
    }

    private static List<IoRequest> drain(RequestQueue queue) {
        List<IoRequest> out = new ArrayList<>();
        IoRequest r;
        while ((r = queue.poll()) != null) {
            out.add(r);
        }
        return out;
    }
}
