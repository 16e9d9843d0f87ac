package dev.ioengine.internal.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawFiles;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The io_uring engine against real files on this machine (io_uring works here). */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringEngineTest {
    private static final int BLOCK = 4096;
    private static final int REGIONS = 512;
    private static final long FILE_SIZE = (long) BLOCK * REGIONS;
    private static final String NAME = "uringtest";

    @TempDir
    Path dir;

    @RegisterExtension
    final RawFiles raw = new RawFiles();

    private static IoEngine open(IoEngineConfig.Builder settings) throws IOException {
        return IoUringEngine.open(settings.engine(EngineKind.IO_URING).name(NAME).build());
    }

    /** Opens a file under the temp dir; -errno if that fails. */
    private int tryOpen(String name, int flags) {
        return raw.tryOpen(dir.resolve(name), flags);
    }

    private int open(String name, int flags) {
        return raw.open(dir.resolve(name), flags);
    }

    /** Submits {@code r} and waits for it, for a thread of its own: an AssertionError if it fails or never ends. */
    private static void submitAndAwaitSuccess(IoEngine engine, IoRequest r) throws InterruptedException {
        engine.submit(r);
        if (!r.await(60, TimeUnit.SECONDS) || !r.isSuccess()) {
            throw new AssertionError("not completed or failed: " + r + " in " + engine);
        }
    }

    private static void await(IoRequest r) throws InterruptedException {
        assertThat(r.await(60, TimeUnit.SECONDS)).as("completed: " + r).isTrue();
    }

    // ---- round trips against an in-memory model ----------------------------------------------------------

    static Stream<Arguments> roundTrips() {
        List<Arguments> args = new ArrayList<>();
        for (int depth : new int[] {1, 32, 256}) {
            for (int merge : new int[] {0, 64 * 1024}) {
                for (boolean direct : new boolean[] {false, true}) {
                    args.add(Arguments.of(depth, merge, direct));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "depth {0} merge {1} direct {2}")
    @MethodSource("roundTrips")
    void randomWritesAndReadsMatchTheModel(int depth, int mergeLimit, boolean direct) throws Exception {
        int flags = LibC.O_RDWR | LibC.O_CREAT | LibC.O_TRUNC | (direct ? LibC.O_DIRECT : 0);
        int fd = tryOpen("model", flags);
        assumeThat(fd).as("O_DIRECT on the temp dir's file system").isNotEqualTo(-Errno.EINVAL);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
        byte[] model = new byte[(int) FILE_SIZE];
        long seed = System.nanoTime();
        int operations = depth == 1 ? 600 : 3000;
        String label = "depth=" + depth + " merge=" + mergeLimit + " direct=" + direct + " seed=" + seed;
        long fdsBefore = openFds();
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(depth).mergeLimit(mergeLimit))) {
            new ModelDriver(engine, fd, model, depth, direct, new SplittableRandom(seed), label).run(operations);
            EngineStats stats = engine.stats();
            assertThat(stats.failed()).as(label).isZero();
            assertThat(stats.completed()).as(label).isGreaterThanOrEqualTo(operations);
            assertThat(stats.batches()).as(label).isPositive();
        }
        assertThat(Files.readAllBytes(dir.resolve("model"))).as(label).isEqualTo(model);
        assertThat(openFds()).as("fds after " + label).isEqualTo(fdsBefore);
        assertThat(threadsNamed(NAME)).isZero();
    }

    /** Rounds of up to {@code depth} operations on distinct 4 KiB regions, each round checked at its end. */
    private final class ModelDriver {
        private final IoEngine engine;
        private final int fd;
        private final byte[] model;
        private final int depth;
        private final boolean direct;
        private final SplittableRandom random;
        private final String label;
        private final MemorySegment[] buffers;

        ModelDriver(IoEngine engine, int fd, byte[] model, int depth, boolean direct, SplittableRandom random,
                String label) {
            this.engine = engine;
            this.fd = fd;
            this.model = model;
            this.depth = depth;
            this.direct = direct;
            this.random = random;
            this.label = label;
            this.buffers = new MemorySegment[Math.min(depth, REGIONS)];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = AlignedBuffers.allocate(raw.arena(), BLOCK, BLOCK);
            }
        }

        void run(int operations) throws InterruptedException {
            int done = 0;
            while (done < operations) {
                int n = Math.min(buffers.length, operations - done);
                round(n);
                done += n;
            }
        }

        private void round(int n) throws InterruptedException {
            boolean sequential = random.nextInt(3) == 0;
            int sameKind = random.nextInt(2); // in sequential rounds, all single writes or all single reads
            int[] regions = pickRegions(n, sequential);
            IoRequest[] requests = new IoRequest[n];
            long[] offsets = new long[n];
            for (int i = 0; i < n; i++) {
                int inner = direct || sequential ? 0 : random.nextInt(BLOCK);
                int length = direct || sequential ? BLOCK : 1 + random.nextInt(BLOCK - inner);
                long offset = (long) regions[i] * BLOCK + inner;
                MemorySegment buffer = buffers[i].asSlice(0, length);
                int kind = sequential ? sameKind * 2 : random.nextInt(4);
                offsets[i] = offset;
                requests[i] = switch (kind) {
                    case 0 -> RawRequests.write(fd, offset, fillRandom(buffer));
                    case 1 -> RawRequests.writev(fd, offset, split(fillRandom(buffer)));
                    case 2 -> RawRequests.read(fd, offset, buffer);
                    default -> RawRequests.readv(fd, offset, split(buffer));
                };
                engine.submit(requests[i]);
            }
            for (int i = 0; i < n; i++) {
                IoRequest r = requests[i];
                await(r);
                assertThat(r.isSuccess()).as(label + " " + r).isTrue();
                assertThat(r.result()).as(label + " " + r).isEqualTo(r.length());
                int length = (int) r.length();
                int offset = (int) offsets[i];
                MemorySegment bytes = buffers[i].asSlice(0, length);
                if (r.op().isWrite()) {
                    MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, model, offset, length);
                } else {
                    long mismatch = MemorySegment.mismatch(bytes, 0, length, MemorySegment.ofArray(model), offset,
                            offset + length);
                    assertThat(mismatch).as(label + " read mismatch in " + r).isEqualTo(-1);
                }
            }
        }

        private int[] pickRegions(int n, boolean sequential) {
            int[] regions = new int[n];
            if (sequential) {
                int start = random.nextInt(REGIONS - n + 1);
                for (int i = 0; i < n; i++) {
                    regions[i] = start + i;
                }
                return regions;
            }
            int[] all = new int[REGIONS];
            for (int i = 0; i < REGIONS; i++) {
                all[i] = i;
            }
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(REGIONS - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
                regions[i] = all[i];
            }
            return regions;
        }

        private MemorySegment fillRandom(MemorySegment buffer) {
            byte[] bytes = new byte[(int) buffer.byteSize()];
            random.nextBytes(bytes);
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return buffer;
        }

        /** Two or three pieces (one for O_DIRECT, whose pieces must stay block-aligned). */
        private MemorySegment[] split(MemorySegment buffer) {
            long size = buffer.byteSize();
            if (direct || size < 3) {
                return new MemorySegment[] {buffer};
            }
            long a = 1 + random.nextLong(size - 2);
            long b = a + 1 + random.nextLong(size - a - 1);
            return new MemorySegment[] {buffer.asSlice(0, a), buffer.asSlice(a, b - a), buffer.asSlice(b)};
        }
    }

    // ---- sync and space -------------------------------------------------------------------------------------

    @Test
    void fsyncFdatasyncAndFallocateWork() throws Exception {
        int fd = open("sync", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(8))) {
            MemorySegment data = raw.arena().allocateFrom("ten bytes!", java.nio.charset.StandardCharsets.US_ASCII)
                    .asSlice(0, 10);
            assertThat(engine.execute(RawRequests.write(fd, 0, data))).isEqualTo(10);
            assertThat(engine.execute(RawRequests.fsync(fd))).isZero();
            assertThat(engine.execute(RawRequests.fdatasync(fd))).isZero();
            assertThat(engine.execute(RawRequests.fallocate(fd, 0, 0, 1 << 20))).isZero();
            assertThat(LibC.size(fd)).isEqualTo(1 << 20);
            assertThat(engine.execute(RawRequests.fallocate(fd, LibC.FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20)))
                    .isZero();
            assertThat(LibC.size(fd)).as("KEEP_SIZE leaves the size").isEqualTo(1 << 20);
            // A 64-bit offset and a length past 4 GiB: the SQE carries both in full.
            assertThat(engine.execute(RawRequests.fallocate(fd, 0, 5L << 30, 4096))).isZero();
            assertThat(LibC.size(fd)).isEqualTo((5L << 30) + 4096);
            assertThat(engine.stats().failed()).isZero();
        }
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    @Test
    void aBadDescriptorFailsWithEbadf() throws Exception {
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(8))) {
            IoRequest r = RawRequests.read(Integer.MAX_VALUE, 0, raw.arena().allocate(16));
            engine.submit(r);
            await(r);
            assertThat(r.errno()).isEqualTo(Errno.EBADF);
            assertThat(r.exception()).hasMessageContaining("EBADF");
            assertThat(engine.stats().failed()).isEqualTo(1);
        }
    }

    /**
     * A descriptor number a caller closed may be handed to the engine's own eventfd or ring; IO on it must fail
     * as on a closed descriptor, not read the ring thread's wake-ups (which would hang the engine).
     */
    @Test
    void theEnginesOwnDescriptorsAreNotTheCallersAndFailWithEbadf() throws Exception {
        Map<Integer, String> before = fdLinks();
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(8))) {
            List<Integer> own = newFds(before, "anon_inode:[eventfd]", "anon_inode:[io_uring]");
            assertThat(own).as("the engine's eventfd and ring").hasSize(2);
            for (int fd : own) {
                IoRequest r = RawRequests.read(fd, 0, raw.arena().allocate(16));
                engine.submit(r);
                await(r);
                assertThat(r.errno()).as("fd " + fd).isEqualTo(Errno.EBADF);
            }
            assertThat(engine.execute(RawRequests.fsync(open("other", LibC.O_RDWR | LibC.O_CREAT)))).isZero();
        }
    }

    @Test
    void readingAWriteOnlyDescriptorFailsWithEbadf() throws Exception {
        int wo = open("wo", LibC.O_WRONLY | LibC.O_CREAT);
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(8))) {
            IoRequest r = RawRequests.read(wo, 0, raw.arena().allocate(16));
            engine.submit(r);
            await(r);
            assertThat(r.errno()).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void readsPastTheEndAreEofAndReadsAcrossItAreShort() throws Exception {
        int fd = open("short", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(8))) {
            assertThat(engine.execute(RawRequests.write(fd, 0, raw.arena().allocate(100)))).isEqualTo(100);
            IoRequest past = RawRequests.read(fd, 4096, raw.arena().allocate(4096));
            assertThat(engine.execute(past)).isZero();
            assertThat(past.isEof()).isTrue();
            IoRequest across = RawRequests.readv(fd, 50, raw.arena().allocate(30), raw.arena().allocate(30));
            assertThat(engine.execute(across)).isEqualTo(50);
            assertThat(across.isShort()).isTrue();
            assertThat(across.remaining()).isEqualTo(10);
        }
    }

    @Test
    void aThrowingCallbackDoesNotStopTheRing() throws Exception {
        int fd = open("callback", LibC.O_RDWR | LibC.O_CREAT);
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(4))) {
            IoRequest throwing = RawRequests.write(fd, 0, raw.arena().allocate(8)).callback(r -> {
                throw new IllegalStateException("callback failure, on purpose");
            });
            engine.submit(throwing);
            await(throwing);
            assertThat(engine.execute(RawRequests.read(fd, 0, raw.arena().allocate(8)))).isEqualTo(8);
        }
    }

    // ---- batching, threads, close ------------------------------------------------------------------------------

    @Test
    void requestsQueuedTogetherGoToTheKernelInOneEnter() throws Exception {
        int fd = open("batch", LibC.O_RDWR | LibC.O_CREAT);
        assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
        Map<Integer, String> before = fdLinks();
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(32))) {
            List<Integer> rings = newFds(before, "anon_inode:[io_uring]");
            assertThat(rings).as("the engine's io_uring instance").hasSize(1);
            // Linux 5.18+: the ring it asks for first; never tied to one thread (the loop's turn moves).
            assertThat(engine.toString()).contains("SUBMIT_ALL").doesNotContain("SINGLE_ISSUER", "DEFER_TASKRUN");
            List<IoRequest> batch = new ArrayList<>();
            for (int i = 0; i < 31; i++) {
                batch.add(RawRequests.read(fd, (long) i * BLOCK, raw.arena().allocate(BLOCK)));
            }
            // The gate's callback runs on the ring thread and queues 31 reads there: the ring thread takes them
            // all in its next pass, so they go to the kernel in one io_uring_enter.
            IoRequest gate = RawRequests.read(fd, 0, raw.arena().allocate(BLOCK)).callback(r -> {
                for (IoRequest b : batch) {
                    assertThat(engine.trySubmit(b)).isTrue();
                }
            });
            engine.submit(gate);
            await(gate);
            for (IoRequest b : batch) {
                await(b);
                assertThat(b.result()).isEqualTo(BLOCK);
            }
            EngineStats stats = engine.stats();
            assertThat(stats.batches()).isPositive();
            assertThat(stats.maxBatch()).isEqualTo(31);
            assertThat(stats.meanBatchSize()).isGreaterThan(1);
            // The kernel's own account of the ring (/proc/self/fdinfo): it consumed our SQEs and posted CQEs.
            assertThat(ringCounter(rings.getFirst(), "SqHead")).isGreaterThanOrEqualTo(32);
            assertThat(ringCounter(rings.getFirst(), "CqTail")).isGreaterThanOrEqualTo(32);
        }
        assertThat(newFds(before, "anon_inode:[io_uring]")).as("closed with the engine").isEmpty();
    }

    /**
     * Chains of requests that each callback resubmits (on the ring thread, as the bench does) share the ring
     * with requests from other threads: every one of both kinds completes, and none is stranded in either queue.
     */
    @Test
    void callbackResubmissionsAndOtherThreadsSubmissionsAllComplete() throws Exception {
        int fd = open("chains", LibC.O_RDWR | LibC.O_CREAT);
        assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
        int chains = 8;
        int perChain = 500;
        int threads = 2;
        int perThread = 1000;
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(8).maxInFlight(64));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch chainsDone = new CountDownLatch(chains);
            for (int c = 0; c < chains; c++) {
                AtomicInteger left = new AtomicInteger(perChain);
                IoRequest r = RawRequests.read(fd, (long) c * BLOCK, raw.arena().allocate(BLOCK));
                r.callback(done -> {
                    if (!done.isSuccess() || done.result() != BLOCK) {
                        failure.compareAndSet(null, new AssertionError("failed: " + done));
                    }
                    if (left.decrementAndGet() == 0) {
                        chainsDone.countDown();
                    } else if (!engine.trySubmit(done)) {
                        failure.compareAndSet(null, new AssertionError("trySubmit refused in " + engine));
                    }
                });
                engine.submit(r);
            }
            CountDownLatch threadsDone = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        MemorySegment buffer = raw.arena().allocate(BLOCK);
                        for (int i = 0; i < perThread; i++) {
                            IoRequest r = RawRequests.read(fd, (long) (i % REGIONS) * BLOCK, buffer);
                            submitAndAwaitSuccess(engine, r);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        threadsDone.countDown();
                    }
                });
            }
            assertThat(chainsDone.await(120, TimeUnit.SECONDS)).as("chains done in " + engine).isTrue();
            assertThat(threadsDone.await(120, TimeUnit.SECONDS)).as("threads done in " + engine).isTrue();
            assertThat(failure.get()).isNull();
            EngineStats stats = engine.stats();
            assertThat(stats.completed()).isEqualTo((long) chains * perChain + (long) threads * perThread);
            assertThat(stats.failed()).isZero();
            assertThat(stats.inFlight()).isZero();
        }
    }

    static Stream<Arguments> submitterSettings() {
        return Stream.of(Arguments.of(8, false), Arguments.of(1, false), Arguments.of(1, true), Arguments.of(4, true));
    }

    /**
     * Submitters racing the ring thread's sleep: every request is taken and completed. (Under SQPOLL this once
     * stranded a request: the kernel thread posts a CQE before it moves the SQ head.)
     */
    @ParameterizedTest(name = "depth {0} sqPoll {1}")
    @MethodSource("submitterSettings")
    void manySubmittingThreadsNeverStrandARequest(int depth, boolean sqPoll) throws Exception {
        int fd = open("threads", LibC.O_RDWR | LibC.O_CREAT);
        assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
        int threads = 4;
        int perThread = 4000;
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(depth).maxInFlight(depth).sqPoll(sqPoll));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.execute(() -> {
                    try {
                        MemorySegment buffer = raw.arena().allocate(512);
                        for (int i = 0; i < perThread; i++) {
                            long position = (long) ((thread * perThread + i) % REGIONS) * BLOCK;
                            IoRequest r = RawRequests.read(fd, position, buffer);
                            submitAndAwaitSuccess(engine, r);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(150, TimeUnit.SECONDS)).isTrue();
            assertThat(failure.get()).isNull();
            assertThat(engine.stats().completed()).isEqualTo((long) threads * perThread);
        }
    }

    @Test
    void closeWithThousandsInFlightCompletesEveryRequestAndLeaksNothing() throws Exception {
        int fd = open("close", LibC.O_RDWR | LibC.O_CREAT);
        assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
        long fdsBefore = openFds();
        long workersBefore = kernelWorkers();
        List<IoRequest> requests = new ArrayList<>();
        AtomicInteger callbacks = new AtomicInteger();
        IoEngine engine = open(IoEngineConfig.builder().queueDepth(32).maxInFlight(8192));
        MemorySegment buffer = raw.arena().allocate(BLOCK);
        for (int i = 0; i < 6000; i++) {
            long position = (long) (i % REGIONS) * BLOCK;
            IoRequest r = i % 2 == 0 ? RawRequests.read(fd, position, buffer) : RawRequests.write(fd, position, buffer);
            r.callback(c -> callbacks.incrementAndGet());
            engine.submit(r);
            requests.add(r);
        }
        engine.close();
        for (IoRequest r : requests) {
            assertThat(r.isDone()).as(r.toString()).isTrue();
            assertThat(r.isSuccess()).as(r.toString()).isTrue();
        }
        assertThat(callbacks.get()).isEqualTo(6000);
        assertThat(engine.stats().completed()).isEqualTo(6000);
        assertThat(openFds()).isEqualTo(fdsBefore);
        assertThat(threadsNamed(NAME)).isZero();
        assertThat(awaitKernelWorkersAtMost(workersBefore)).as("io_uring kernel worker threads left")
                .isLessThanOrEqualTo(workersBefore);
    }

    @Test
    void openingAndClosingEnginesLeavesFdsAndThreadsAsTheyWere() throws Exception {
        int fd = open("cycle", LibC.O_RDWR | LibC.O_CREAT);
        long fdsBefore = openFds();
        for (int i = 0; i < 5; i++) {
            try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(16))) {
                assertThat(engine.execute(RawRequests.write(fd, 0, raw.arena().allocate(64)))).isEqualTo(64);
                assertThat(openFds()).isEqualTo(fdsBefore + 2); // the ring and its eventfd
            }
        }
        assertThat(openFds()).isEqualTo(fdsBefore);
        assertThat(threadsNamed(NAME)).isZero();
    }

    // ---- options and completion modes ----------------------------------------------------------------------

    @Test
    void sqPollRingsWork() throws Exception {
        int fd = open("sqpoll", LibC.O_RDWR | LibC.O_CREAT);
        assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
        byte[] model = new byte[(int) FILE_SIZE];
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(32).sqPoll(true))) {
            new ModelDriver(engine, fd, model, 32, false, new SplittableRandom(7), "sqpoll").run(2000);
            assertThat(engine.stats().failed()).isZero();
        }
        assertThat(Files.readAllBytes(dir.resolve("sqpoll"))).isEqualTo(model);
        assertThat(threadsNamed(NAME)).isZero();
    }

    @Test
    void executorAndPolledModesDeliver() throws Exception {
        int fd = open("modes", LibC.O_RDWR | LibC.O_CREAT);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(4).completionExecutor(executor))) {
            CountDownLatch called = new CountDownLatch(1);
            engine.submit(RawRequests.write(fd, 0, raw.arena().allocate(8)).callback(r -> called.countDown()));
            assertThat(called.await(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            executor.shutdown();
        }
        try (IoEngine engine = open(IoEngineConfig.builder().queueDepth(4).completionMode(CompletionMode.POLLED))) {
            IoRequest r = RawRequests.read(fd, 0, raw.arena().allocate(8));
            engine.submit(r);
            assertThat(engine.poll(60, TimeUnit.SECONDS)).isSameAs(r);
            assertThat(r.result()).isEqualTo(8);
        }
    }

    // ---- process-level checks --------------------------------------------------------------------------------

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** This process's descriptors and what they point to ("anon_inode:[io_uring]", a path, ...). */
    private static Map<Integer, String> fdLinks() throws IOException {
        Map<Integer, String> links = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> {
                try {
                    links.put(Integer.valueOf(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // closed while we looked (the directory's own descriptor, for one)
                }
            });
        }
        return links;
    }

    /** Descriptors opened since {@code before} that point to one of {@code kinds}. */
    private static List<Integer> newFds(Map<Integer, String> before, String... kinds) throws IOException {
        List<String> wanted = List.of(kinds);
        List<Integer> found = new ArrayList<>();
        fdLinks().forEach((fd, link) -> {
            if (wanted.contains(link) && !link.equals(before.get(fd))) {
                found.add(fd);
            }
        });
        return found;
    }

    /** A counter from the kernel's fdinfo of an io_uring descriptor ("SqHead:\t42"). */
    private static long ringCounter(int ringFd, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + ringFd))) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in the io_uring fdinfo");
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /**
     * The kernel's io_uring worker threads (iou-wrk-*, iou-sqp-*) of this process, once at most {@code limit}
     * are left (other rings of this JVM may keep theirs), or after 20 seconds.
     */
    private static long awaitKernelWorkersAtMost(long limit) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long count;
        do {
            count = kernelWorkers();
            if (count <= limit) {
                return count;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return count;
    }

    private static long kernelWorkers() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("iou-");
                } catch (IOException e) {
                    return false; // the thread exited while we looked
                }
            }).count();
        }
    }
}
