package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.IoEngine;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random-size, random-offset writes and reads over several files through the AIO engine, checked byte for byte
 * against in-memory copies: at depth 1, 32 and 256, buffered and O_DIRECT, single-buffer and vectored, with
 * merging off and on. Writes in flight together never overlap (their order is not defined); each wave is waited
 * for before the next.
 */
@Timeout(180)
class AioRoundTripTest {
    private static final int FILES = 3;
    private static final int FILE_SIZE = 2 << 20;
    private static final int WAVES = 8;
    private static final int WAVE = 250;
    private static final int BLOCK = AlignedBuffers.DEFAULT_DIRECT_ALIGNMENT;

    @TempDir
    Path dir;

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (int depth : new int[] {1, 32, 256}) {
            for (boolean direct : new boolean[] {false, true}) {
                for (int merge : new int[] {0, 128 << 10}) {
                    all.add(Arguments.of(depth, direct, merge));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "depth {0}, O_DIRECT {1}, mergeLimit {2}")
    @MethodSource("configurations")
    void randomWritesAndReadsMatchTheModel(int depth, boolean direct, int mergeLimit) throws Exception {
        long fdsBefore = AioTestSupport.openFdCount();
        long ringsBefore = AioTestSupport.aioRingMappings();
        String name = AioTestSupport.uniqueName();
        SplittableRandom random = new SplittableRandom(depth * 31L + (direct ? 7 : 0) + mergeLimit);
        byte[][] model = new byte[FILES][FILE_SIZE];
        int[] fds = new int[FILES];
        for (int f = 0; f < FILES; f++) {
            fds[f] = AioTestSupport.openFile(dir.resolve("file-" + f), direct);
        }
        try (Arena arena = Arena.ofShared(); IoEngine engine = AioTestSupport.open(name, depth, mergeLimit)) {
            fillSequentially(engine, arena, fds, model, random);
            for (int wave = 0; wave < WAVES; wave++) {
                writeWave(engine, arena, fds, model, random, direct);
                readWave(engine, arena, fds, model, random, direct);
            }
            assertThat(engine.stats().completed()).isEqualTo(engine.stats().submitted());
            assertThat(engine.stats().failed()).isZero();
        } finally {
            AioTestSupport.close(fds);
        }
        assertThat(AioTestSupport.threadsOf(name)).isEmpty();
        assertThat(AioTestSupport.openFdCount()).isEqualTo(fdsBefore);
        assertThat(AioTestSupport.aioRingMappings()).isEqualTo(ringsBefore);
    }

    /** Writes every file front to back in contiguous 16 KiB writes (what merging combines), then reads it back. */
    private static void fillSequentially(IoEngine engine, Arena arena, int[] fds, byte[][] model,
            SplittableRandom random) throws Exception {
        int chunk = 4 * BLOCK;
        List<IoRequest> writes = new ArrayList<>();
        for (int f = 0; f < fds.length; f++) {
            random.nextBytes(model[f]);
            for (int position = 0; position < FILE_SIZE; position += chunk) {
                MemorySegment buffer = AlignedBuffers.allocate(arena, chunk, BLOCK);
                buffer.copyFrom(MemorySegment.ofArray(model[f]).asSlice(position, chunk));
                IoRequest w = RawRequests.write(fds[f], position, buffer);
                engine.submit(w);
                writes.add(w);
            }
        }
        AioTestSupport.awaitAll(writes);
        for (IoRequest w : writes) {
            assertThat(w.isSuccess()).as("%s", w).isTrue();
            assertThat(w.result()).isEqualTo(chunk);
        }
        for (int f = 0; f < fds.length; f++) {
            MemorySegment whole = AlignedBuffers.allocate(arena, FILE_SIZE, BLOCK);
            IoRequest r = RawRequests.read(fds[f], 0, whole);
            assertThat(engine.execute(r)).isEqualTo(FILE_SIZE);
            assertThat(whole.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(model[f]);
        }
    }

    private static void writeWave(IoEngine engine, Arena arena, int[] fds, byte[][] model, SplittableRandom random,
            boolean direct) throws Exception {
        BitSet[] used = new BitSet[fds.length];
        Arrays.setAll(used, i -> new BitSet(FILE_SIZE));
        List<IoRequest> writes = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        while (writes.size() < WAVE) {
            int f = random.nextInt(fds.length);
            int length = direct ? BLOCK * random.nextInt(1, 9) : random.nextInt(1, 20_000);
            int position = direct ? BLOCK * random.nextInt(FILE_SIZE / BLOCK - length / BLOCK + 1)
                    : random.nextInt(FILE_SIZE - length + 1);
            if (used[f].get(position, position + length).cardinality() > 0) {
                continue;
            }
            used[f].set(position, position + length);
            byte[] data = new byte[length];
            random.nextBytes(data);
            MemorySegment[] buffers = buffers(arena, length, random, direct);
            long copied = 0;
            for (MemorySegment b : buffers) {
                b.copyFrom(MemorySegment.ofArray(data).asSlice(copied, b.byteSize()));
                copied += b.byteSize();
            }
            IoRequest w = buffers.length == 1 && random.nextBoolean()
                    ? RawRequests.write(fds[f], position, buffers[0])
                    : RawRequests.writev(fds[f], position, buffers);
            System.arraycopy(data, 0, model[f], position, length);
            engine.submit(w);
            writes.add(w);
            expected.add(data);
        }
        AioTestSupport.awaitAll(writes);
        for (int i = 0; i < writes.size(); i++) {
            IoRequest w = writes.get(i);
            assertThat(w.isSuccess()).as("%s", w).isTrue();
            assertThat(w.result()).as("%s", w).isEqualTo(expected.get(i).length);
        }
    }

    private static void readWave(IoEngine engine, Arena arena, int[] fds, byte[][] model, SplittableRandom random,
            boolean direct) throws Exception {
        List<IoRequest> reads = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < WAVE; i++) {
            int f = random.nextInt(fds.length);
            int length = direct ? BLOCK * random.nextInt(1, 9) : random.nextInt(1, 20_000);
            int position = direct ? BLOCK * random.nextInt(FILE_SIZE / BLOCK - length / BLOCK + 1)
                    : random.nextInt(FILE_SIZE - length + 1);
            MemorySegment[] buffers = buffers(arena, length, random, direct);
            IoRequest r = buffers.length == 1 && random.nextBoolean()
                    ? RawRequests.read(fds[f], position, buffers[0])
                    : RawRequests.readv(fds[f], position, buffers);
            engine.submit(r);
            reads.add(r);
            ranges.add(new int[] {f, position, length});
        }
        AioTestSupport.awaitAll(reads);
        for (int i = 0; i < reads.size(); i++) {
            IoRequest r = reads.get(i);
            int[] range = ranges.get(i);
            assertThat(r.isSuccess()).as("%s", r).isTrue();
            assertThat(r.result()).as("%s", r).isEqualTo(range[2]);
            byte[] got = new byte[range[2]];
            MemorySegment[] buffers = r.segments().length > 0 ? r.segments() : new MemorySegment[] {r.segment()};
            long at = 0;
            for (MemorySegment b : buffers) {
                MemorySegment.copy(b, 0, MemorySegment.ofArray(got), at, b.byteSize());
                at += b.byteSize();
            }
            assertThat(got).as("%s", r)
                    .isEqualTo(Arrays.copyOfRange(model[range[0]], range[1], range[1] + range[2]));
        }
    }

    /** One to four buffers adding up to {@code length}; for O_DIRECT each is aligned and a multiple of a block. */
    private static MemorySegment[] buffers(Arena arena, int length, SplittableRandom random, boolean direct) {
        int unit = direct ? BLOCK : 1;
        int units = length / unit;
        int count = Math.min(units, random.nextInt(1, 5));
        MemorySegment[] buffers = new MemorySegment[count];
        int left = units;
        for (int i = 0; i < count; i++) {
            int take = i == count - 1 ? left : random.nextInt(1, left - (count - 1 - i) + 1);
            buffers[i] = AlignedBuffers.allocate(arena, (long) take * unit, direct ? BLOCK : 8);
            left -= take;
        }
        return buffers;
    }
}
