package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random-size, random-offset reads and writes over several files, many in flight at once, every result
 * checked against an in-memory copy of each file. Runs on each engine at depth 1, 32 and 256, buffered and
 * O_DIRECT, with single-buffer and vectored requests, merging off and on: 100,000 operations per engine and
 * depth.
 *
 * <p>Concurrency without ambiguity: each file is cut into regions of {@link #REGION} bytes, and an operation
 * owns its region until it completes, so operations in flight never overlap and the model stays exact.
 */
class EngineRoundTripTest {
    private static final int FILES = 4;
    private static final int REGION = 64 * 1024;
    private static final int REGIONS_PER_FILE = 128;
    private static final long FILE_SIZE = (long) REGION * REGIONS_PER_FILE;
    private static final int OPS_PER_ENGINE_AND_DEPTH = 100_000;
    private static final int DIRECT_ALIGNMENT = 4096;

    @TempDir
    Path dir;

    static Stream<Arguments> enginesAndDepths() {
        return Engines.all().flatMap(kind -> Stream.of(1, 32, 256).map(depth -> Arguments.of(kind, depth)));
    }

    @ParameterizedTest(name = "{0} depth {1}")
    @MethodSource("enginesAndDepths")
    void randomReadsAndWritesMatchTheModel(EngineKind kind, int depth) throws Exception {
        Engines.assumeAvailable(kind);
        long seed = System.nanoTime();
        int quarter = OPS_PER_ENGINE_AND_DEPTH / 4;
        // Depth 1 with O_DIRECT waits on the disk for every operation: fewer of those keep the suite short.
        int directOps = depth == 1 ? quarter / 5 : quarter;
        run(kind, depth, false, 0, quarter, seed);
        run(kind, depth, false, 256 * 1024, quarter, seed + 1);
        run(kind, depth, true, 0, directOps, seed + 2);
        run(kind, depth, true, 256 * 1024, OPS_PER_ENGINE_AND_DEPTH - 3 * quarter, seed + 3);
    }

    private void run(EngineKind kind, int depth, boolean direct, int mergeLimit, int operations, long seed)
            throws Exception {
        String label = kind + " depth=" + depth + " direct=" + direct + " merge=" + mergeLimit + " seed=" + seed;
        long fdsBefore = Engines.openFds();
        IoEngineConfig.Builder settings = IoEngineConfig.builder().queueDepth(depth).mergeLimit(mergeLimit)
                .name("roundtrip");
        try (Arena arena = Arena.ofShared(); IoEngine engine = Engines.open(kind, settings)) {
            ModelFile[] files = new ModelFile[FILES];
            for (int i = 0; i < FILES; i++) {
                files[i] = ModelFile.create(dir.resolve(label.replace(' ', '_') + "-" + i), direct);
            }
            try {
                new Driver(engine, arena, files, depth, direct, seed, label).run(operations);
            } finally {
                for (ModelFile f : files) {
                    f.close();
                }
            }
            assertThat(engine.stats().failed()).as(label).isZero();
            assertThat(engine.stats().completed()).as(label).isGreaterThanOrEqualTo(operations);
        }
        assertThat(Engines.openFds()).as("open fds after " + label).isEqualTo(fdsBefore);
        assertThat(Engines.threadsNamed("roundtrip-")).as(Engines.describeThreads("roundtrip-")).isZero();
    }

    /** A file and its expected content. */
    private record ModelFile(int fd, byte[] content) {
        static ModelFile create(Path path, boolean direct) throws IOException {
            int flags = LibC.O_RDWR | LibC.O_CREAT | LibC.O_TRUNC | (direct ? LibC.O_DIRECT : 0);
            int fd = LibC.open(path.toString(), flags, 0644);
            assertThat(fd).as("open " + path).isGreaterThanOrEqualTo(0);
            assertThat(LibC.ftruncate(fd, FILE_SIZE)).isZero();
            return new ModelFile(fd, new byte[(int) FILE_SIZE]);
        }

        void close() {
            assertThat(LibC.close(fd)).isZero();
        }
    }

    /** Keeps {@code depth} non-overlapping operations in flight and checks each one as it completes. */
    private static final class Driver {
        private final IoEngine engine;
        private final ModelFile[] files;
        private final boolean direct;
        private final SplittableRandom random;
        private final String label;
        private final Semaphore slots;
        private final ConcurrentLinkedQueue<Integer> freeSlots = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Integer> freeRegions = new ConcurrentLinkedQueue<>();
        private final MemorySegment[] buffers;
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        Driver(IoEngine engine, Arena arena, ModelFile[] files, int depth, boolean direct, long seed,
                String label) {
            this.engine = engine;
            this.files = files;
            this.direct = direct;
            this.random = new SplittableRandom(seed);
            this.label = label;
            this.slots = new Semaphore(depth);
            this.buffers = new MemorySegment[depth];
            for (int i = 0; i < depth; i++) {
                buffers[i] = AlignedBuffers.allocate(arena, REGION, DIRECT_ALIGNMENT);
                freeSlots.add(i);
            }
            List<Integer> regions = new ArrayList<>();
            for (int r = 0; r < FILES * REGIONS_PER_FILE; r++) {
                regions.add(r);
            }
            java.util.Collections.shuffle(regions, new java.util.Random(seed));
            freeRegions.addAll(regions);
        }

        void run(int operations) throws InterruptedException {
            for (int n = 0; n < operations && failures.isEmpty(); n++) {
                if (!slots.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new AssertionError(label + ": no completion for 60 s; stats " + engine.stats());
                }
                int slot = freeSlots.poll();
                int region = freeRegions.poll();
                submit(slot, region);
            }
            if (!slots.tryAcquire(buffers.length, 60, TimeUnit.SECONDS)) {
                throw new AssertionError(label + ": operations still in flight after 60 s; " + engine.stats());
            }
            assertThat(failures).as(label).isEmpty();
        }

        private void submit(int slot, int region) throws InterruptedException {
            ModelFile file = files[region / REGIONS_PER_FILE];
            long regionStart = (long) (region % REGIONS_PER_FILE) * REGION;
            int unit = direct ? DIRECT_ALIGNMENT : 1;
            int units = REGION / unit;
            int offsetUnits = random.nextInt(units);
            int lengthUnits = 1 + random.nextInt(units - offsetUnits);
            long position = regionStart + (long) offsetUnits * unit;
            int length = lengthUnits * unit;
            boolean write = random.nextBoolean();
            boolean vectored = random.nextInt(4) == 0;
            MemorySegment buffer = buffers[slot].asSlice(0, length);
            IoRequest request;
            if (write) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, length);
                request = vectored ? RawRequests.writev(file.fd(), position, split(buffer, unit))
                        : RawRequests.write(file.fd(), position, buffer);
                request.callback(r -> {
                    check(r, length, "write");
                    System.arraycopy(data, 0, file.content(), (int) position, (int) r.result());
                    release(slot, region);
                });
            } else {
                request = vectored ? RawRequests.readv(file.fd(), position, split(buffer, unit))
                        : RawRequests.read(file.fd(), position, buffer);
                request.callback(r -> {
                    check(r, length, "read");
                    byte[] got = buffer.asSlice(0, r.result()).toArray(ValueLayout.JAVA_BYTE);
                    if (!java.util.Arrays.equals(got, 0, got.length, file.content(), (int) position,
                            (int) position + got.length)) {
                        failures.add(label + ": read at " + position + " length " + length + " differs from model");
                    }
                    release(slot, region);
                });
            }
            engine.submit(request);
        }

        /** Cuts a buffer into 2 to 4 pieces on {@code unit} boundaries (as O_DIRECT needs), for vectored IO. */
        private MemorySegment[] split(MemorySegment buffer, int unit) {
            long units = buffer.byteSize() / unit;
            int pieces = (int) Math.min(units, 2 + random.nextInt(3));
            if (pieces < 2) {
                return new MemorySegment[] {buffer};
            }
            MemorySegment[] out = new MemorySegment[pieces];
            long start = 0;
            for (int i = 0; i < pieces; i++) {
                long end = i == pieces - 1 ? buffer.byteSize() : (units * (i + 1) / pieces) * unit;
                out[i] = buffer.asSlice(start, end - start);
                start = end;
            }
            return out;
        }

        private void check(IoRequest r, int length, String what) {
            if (!r.isSuccess()) {
                failures.add(label + ": " + what + " failed: " + r + " " + r.exception());
            } else if (r.result() != length) {
                failures.add(label + ": short " + what + " " + r.result() + " of " + length + ": " + r);
            }
        }

        private void release(int slot, int region) {
            freeRegions.add(region);
            freeSlots.add(slot);
            slots.release();
        }
    }
}
