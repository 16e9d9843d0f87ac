package dev.ioengine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.ErrnoException;
import dev.ioengine.IoCallback;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.engine.FaultInjector;
import dev.ioengine.internal.linux.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * io_uring's io_uring_enter through the fault seam: transient refusals (EINTR, EAGAIN, EBUSY) are retried and
 * never reported, a partial take is continued, and a failing enter (EIO, ENOMEM, EBADF) fails exactly the
 * requests it was offered, with an {@link ErrnoException}, while the engine goes on serving later requests.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UringEnterFaultTest {
    private static final int BLOCK = 4096;
    private static final int COUNT = 256;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    @RegisterExtension
    final EngineLeakCheck leaks = new EngineLeakCheck();
    private int fd;

    @BeforeEach
    void open() throws Exception {
        Engines.assumeAvailable(EngineKind.IO_URING);
        fd = FaultEngines.openFile(dir.resolve("file"));
    }

    /** Runs before {@link EngineLeakCheck} counts what is left. */
    @AfterEach
    void close() throws Exception {
        FaultEngines.close(fd);
        arena.close();
    }

    /**
     * An enter hook answering, for the enters that offer at least one request besides the ring's eventfd read
     * (count of 2 or more, or any count once {@code everyEnter}), what {@code answer} says for that call number.
     */
    private static final class EnterFaults implements FaultInjector {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger injected = new AtomicInteger();
        final AtomicLong failedEntries = new AtomicLong();
        private final IntUnaryOperator answer;

        EnterFaults(IntUnaryOperator answerForCall) {
            this.answer = answerForCall;
        }

        @Override
        public int onSubmitBatch(int count) {
            int a = answer.applyAsInt(calls.getAndIncrement());
            if (a == 0 || (a > 0 && a >= count)) {
                return count;
            }
            injected.incrementAndGet();
            if (a < 0 && a != -Errno.EINTR && a != -Errno.EAGAIN && a != -Errno.EBUSY) {
                failedEntries.addAndGet(count);
            }
            return a;
        }

        @Override
        public long onComplete(IoRequest request, long kernelResult) {
            return kernelResult;
        }
    }

    private IoEngine engine(FaultInjector injector) throws Exception {
        String name = leaks.uniqueName(EngineKind.IO_URING);
        return FaultEngines.open(EngineKind.IO_URING, IoEngineConfig.builder().name(name).queueDepth(32)
                .maxInFlight(COUNT), injector);
    }

    private MemorySegment block(int fill) {
        MemorySegment b = arena.allocate(BLOCK, BLOCK);
        b.fill((byte) fill);
        return b;
    }

    /** Submits COUNT block writes, each counting its callbacks; asserts each ran exactly once. */
    private List<IoRequest> writeBlocks(IoEngine engine) throws InterruptedException {
        AtomicIntegerArray callbacks = new AtomicIntegerArray(COUNT);
        Semaphore done = new Semaphore(0);
        IoCallback counter = r -> {
            callbacks.incrementAndGet((Integer) r.attachment());
            done.release();
        };
        List<IoRequest> requests = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            IoRequest r = RawRequests.write(fd, (long) i * BLOCK, block(i + 1)).attachment(i).callback(counter);
            engine.submit(r);
            requests.add(r);
        }
        assertThat(done.tryAcquire(COUNT, 30, TimeUnit.SECONDS)).as("every callback ran").isTrue();
        assertThat(done.tryAcquire(1, 50, TimeUnit.MILLISECONDS)).as("a callback ran twice").isFalse();
        for (int i = 0; i < COUNT; i++) {
            assertThat(callbacks.get(i)).as("callbacks of block %d", i).isEqualTo(1);
        }
        return requests;
    }

    private void assertBlocksRead(IoEngine engine) throws Exception {
        for (int i = 0; i < COUNT; i++) {
            MemorySegment into = arena.allocate(BLOCK, BLOCK);
            IoRequest r = RawRequests.read(fd, (long) i * BLOCK, into);
            assertThat(engine.execute(r)).isEqualTo(BLOCK);
            assertThat(into.mismatch(block(i + 1))).as("block %d", i).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EINTR", "EAGAIN", "EBUSY"})
    void aTransientEnterRefusalIsRetriedAndNeverReported(String errnoName) throws Exception {
        int errno = switch (errnoName) {
            case "EINTR" -> Errno.EINTR;
            case "EAGAIN" -> Errno.EAGAIN;
            default -> Errno.EBUSY;
        };
        EnterFaults faults = new EnterFaults(call -> call < 4 || call % 2 == 0 ? -errno : 0);
        try (IoEngine engine = engine(faults)) {
            List<IoRequest> requests = writeBlocks(engine);
            assertThat(requests).allSatisfy(r -> {
                assertThat(r.isSuccess()).as("%s", r.exception()).isTrue();
                assertThat(r.result()).isEqualTo(BLOCK);
            });
            assertThat(faults.injected.get()).isGreaterThanOrEqualTo(4);
            assertBlocksRead(engine);
            assertThat(engine.stats().failed()).isZero();
            assertThat(engine.stats().completed()).isEqualTo(engine.stats().submitted());
        }
    }

    @Test
    void aPartialTakeIsContinuedWithTheRest() throws Exception {
        EnterFaults faults = new EnterFaults(call -> call % 3 == 2 ? 0 : 1);
        try (IoEngine engine = engine(faults)) {
            List<IoRequest> requests = writeBlocks(engine);
            assertThat(requests).allSatisfy(r -> assertThat(r.isSuccess()).as("%s", r.exception()).isTrue());
            assertThat(faults.injected.get()).isPositive();
            assertBlocksRead(engine);
            assertThat(engine.stats().failed()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EIO", "ENOMEM", "EBADF"})
    void aFailingEnterFailsTheRequestsItWasOfferedAndTheEngineGoesOn(String errnoName) throws Exception {
        int errno = switch (errnoName) {
            case "EIO" -> Errno.EIO;
            case "ENOMEM" -> Errno.ENOMEM;
            default -> Errno.EBADF;
        };
        // Every third enter fails until 20 have: spread over the run, so some enters offer several requests.
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean injecting = new AtomicBoolean(true);
        EnterFaults faults = new EnterFaults(call -> injecting.get() && call % 3 == 1
                && failures.getAndIncrement() < 20 ? -errno : 0);
        try (IoEngine engine = engine(faults)) {
            List<IoRequest> requests = writeBlocks(engine);
            List<IoRequest> failed = requests.stream().filter(r -> !r.isSuccess()).toList();
            assertThat(faults.injected.get()).isPositive();
            assertThat(failed).as("requests failed by failing enters").isNotEmpty()
                    .hasSizeLessThanOrEqualTo((int) faults.failedEntries.get());
            assertThat(failed).allSatisfy(r -> {
                assertThat(r.errno()).isEqualTo(errno);
                assertThat(r.exception()).isInstanceOf(ErrnoException.class).hasMessageStartingWith(errnoName);
                assertThat(r.result()).isZero();
            });
            assertThat(requests).filteredOn(IoRequest::isSuccess)
                    .allSatisfy(r -> assertThat(r.result()).isEqualTo(BLOCK));
            // The engine goes on: the failed blocks written again, and everything read back.
            injecting.set(false);
            for (IoRequest r : failed) {
                RawRequests.prepareWrite(r, fd, r.position(), r.segment()).callback(null);
                assertThat(engine.execute(r)).isEqualTo(BLOCK);
            }
            assertBlocksRead(engine);
            assertThat(engine.stats().completed()).isEqualTo(engine.stats().submitted());
            assertThat(engine.stats().inFlight()).isZero();
        }
    }
}
