package dev.ioengine.tck;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@link FileChannel} contract as the JDK's {@code FileChannelImpl} keeps it on Linux: results, buffer positions
 * and limits, file position, and the exact exception types. Channels are opened with {@code FileChannel.open}, which
 * goes through the provider under test.
 */
abstract class FileChannelContract extends ContractBase {

    private FileChannel open(Path p, java.nio.file.OpenOption... options) throws IOException {
        return FileChannel.open(p, options);
    }

    // ---- open ----

    @Test
    void openWithoutOptionsIsReadOnlyAndNeedsTheFile() throws IOException {
        assertThatThrownBy(() -> open(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        Path p = file("f", pattern(10));
        try (FileChannel ch = open(p)) {
            assertThat(ch.isOpen()).isTrue();
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        }
        assertThatThrownBy(() -> open(p, CREATE_NEW, WRITE)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void appendWithReadOrTruncateIsRefused() {
        skipIfDeviates(Deviation.OPTION_CONFLICT_EXCEPTION_TYPE);
        Path p = dir.resolve("f");
        assertThatThrownBy(() -> open(p, CREATE, READ, APPEND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> open(p, CREATE, APPEND, TRUNCATE_EXISTING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A virtual thread's IO goes through the engine (it submits and parks, its carrier free); a platform thread's
     * blocking calls are its own system calls, as the JDK's.
     */
    @Test
    void aVirtualThreadsIoGoesThroughTheEngine() throws Exception {
        assumeTrue(put.isEngineBacked(), () -> put.name() + " has no engine: contract part skipped");
        try (FileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            assumeTrue(!ch.getClass().getName().startsWith("sun.nio.ch."), () -> "io-engine " + put.name()
                    + ": FileChannel.open returned the JDK's " + ch.getClass().getName()
                    + ": the engine-backed channels have not landed: contract part skipped");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    ch.write(ByteBuffer.wrap(pattern(10)), 0);
                    long before = put.engineSubmissions().orElseThrow(
                            () -> new AssertionError("the engine is not open after a channel wrote through it"));
                    ch.write(ByteBuffer.wrap(pattern(10)), 10);
                    assertThat(ch.read(ByteBuffer.allocateDirect(20), 0)).isEqualTo(20);
                    ch.force(false);
                    assertThat(put.engineSubmissions().orElseThrow()).as("requests taken by the engine")
                            .isGreaterThanOrEqualTo(before + 2);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }).join();
            assertThat(failure.get()).isNull();
        }
    }

    // ---- relative read and write ----

    @Test
    void relativeWriteThenReadMovesPositionAndBuffers() throws IOException {
        try (FileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            ByteBuffer src = ByteBuffer.wrap(pattern(100));
            assertThat(ch.write(src)).isEqualTo(100);
            assertThat(src.position()).isEqualTo(100);
            assertThat(src.limit()).isEqualTo(100);
            assertThat(ch.position()).isEqualTo(100);
            assertThat(ch.size()).isEqualTo(100);

            ch.position(10);
            ByteBuffer dst = ByteBuffer.allocate(30);
            dst.position(5);
            assertThat(ch.read(dst)).isEqualTo(25);
            assertThat(dst.position()).isEqualTo(30);
            assertThat(ch.position()).isEqualTo(35);
            assertThat(Arrays.copyOfRange(dst.array(), 5, 30)).isEqualTo(Arrays.copyOfRange(pattern(100), 10, 35));
        }
    }

    @Test
    void readAtEndOfFileReturnsMinusOneAndLeavesTheBuffer() throws IOException {
        try (FileChannel ch = open(file("f", pattern(10)), READ)) {
            ch.position(10);
            ByteBuffer dst = ByteBuffer.allocate(8);
            assertThat(ch.read(dst)).isEqualTo(-1);
            assertThat(dst.position()).isZero();
            assertThat(dst.limit()).isEqualTo(8);
            assertThat(ch.read(dst, 10)).isEqualTo(-1);
            assertThat(ch.read(dst, 1_000)).isEqualTo(-1);
            ch.position(1_000);
            assertThat(ch.read(dst)).isEqualTo(-1);
            assertThat(ch.position()).isEqualTo(1_000);
        }
    }

    @Test
    void partialReadNearEndOfFile() throws IOException {
        for (ByteBuffer dst : List.of(ByteBuffer.allocate(16), ByteBuffer.allocateDirect(16))) {
            try (FileChannel ch = open(file("f", pattern(10)), READ)) {
                ch.position(6);
                assertThat(ch.read(dst)).isEqualTo(4);
                assertThat(dst.position()).isEqualTo(4);
                assertThat(dst.limit()).isEqualTo(16);
                assertThat(ch.position()).isEqualTo(10);
                dst.flip();
                byte[] got = new byte[4];
                dst.get(got);
                assertThat(got).containsExactly(6, 7, 8, 9);
                dst.clear();
                assertThat(ch.read(dst, 8)).isEqualTo(2);
                assertThat(dst.position()).isEqualTo(2);
            }
        }
    }

    @Test
    void zeroRemainingReadsAndWritesZeroEvenAtEndOfFile() throws IOException {
        skipIfDeviates(Deviation.ZERO_REMAINING_AT_EOF_RETURNS_MINUS_ONE);
        try (FileChannel ch = open(file("f", pattern(4)), READ, WRITE)) {
            ch.position(4);
            assertThat(ch.read(ByteBuffer.allocate(0))).isZero();
            assertThat(ch.read(ByteBuffer.allocate(0), 100)).isZero();
            assertThat(ch.write(ByteBuffer.allocate(0))).isZero();
            assertThat(ch.write(ByteBuffer.allocate(0), 100)).isZero();
            assertThat(ch.size()).isEqualTo(4);
        }
    }

    // ---- positional read and write ----

    @Test
    void positionalReadAndWriteLeaveThePositionAlone() throws IOException {
        try (FileChannel ch = open(file("f", pattern(64)), READ, WRITE)) {
            ch.position(7);
            ByteBuffer src = ByteBuffer.wrap(new byte[] {-1, -2, -3});
            assertThat(ch.write(src, 20)).isEqualTo(3);
            assertThat(src.hasRemaining()).isFalse();
            assertThat(ch.position()).isEqualTo(7);
            ByteBuffer dst = ByteBuffer.allocate(5);
            assertThat(ch.read(dst, 19)).isEqualTo(5);
            assertThat(dst.array()).containsExactly(19, -1, -2, -3, 23);
            assertThat(ch.position()).isEqualTo(7);
        }
    }

    @Test
    void writeBeyondEndLeavesAZeroFilledGap() throws IOException {
        try (FileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 100);
            assertThat(ch.size()).isEqualTo(101);
            assertThat(ch.position()).isZero();
            ch.position(200);
            ch.write(ByteBuffer.wrap(new byte[] {2}));
            assertThat(ch.size()).isEqualTo(201);
            ByteBuffer gap = ByteBuffer.allocate(99);
            assertThat(ch.read(gap, 1)).isEqualTo(99);
            assertThat(gap.array()).containsOnly(0);
        }
    }

    // ---- scattering and gathering ----

    @Test
    void scatteringAndGatheringUseEveryBufferInOrder() throws IOException {
        try (FileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            ByteBuffer[] srcs = {ByteBuffer.wrap(pattern(3)), ByteBuffer.allocateDirect(4), ByteBuffer.wrap(pattern(5))};
            srcs[1].put(new byte[] {9, 9, 9, 9}).flip();
            assertThat(ch.write(srcs)).isEqualTo(12);
            assertThat(srcs).allSatisfy(b -> assertThat(b.hasRemaining()).isFalse());
            assertThat(ch.position()).isEqualTo(12);

            ch.position(0);
            ByteBuffer[] dsts = {ByteBuffer.allocate(2), ByteBuffer.allocateDirect(5), ByteBuffer.allocate(10)};
            assertThat(ch.read(dsts)).isEqualTo(12);
            assertThat(dsts[0].position()).isEqualTo(2);
            assertThat(dsts[1].position()).isEqualTo(5);
            assertThat(dsts[2].position()).isEqualTo(5);
            assertThat(ch.read(dsts)).isEqualTo(-1);
            assertThat(dsts[0].array()).containsExactly(0, 1);
            assertThat(dsts[1].get(0)).isEqualTo((byte) 2);
            assertThat(dsts[1].get(1)).isEqualTo((byte) 9);
        }
    }

    @Test
    void scatteringAndGatheringWithOffsetAndLength() throws IOException {
        try (FileChannel ch = open(dir.resolve("f"), CREATE, READ, WRITE)) {
            ByteBuffer[] srcs = {ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2, 3}),
                ByteBuffer.wrap(new byte[] {4})};
            assertThat(ch.write(srcs, 1, 1)).isEqualTo(2);
            assertThat(srcs[0].remaining()).isEqualTo(1);
            assertThat(srcs[2].remaining()).isEqualTo(1);
            ch.position(0);
            ByteBuffer[] dsts = {ByteBuffer.allocate(1), ByteBuffer.allocate(1), ByteBuffer.allocate(1)};
            assertThat(ch.read(dsts, 2, 1)).isEqualTo(1);
            assertThat(dsts[2].array()).containsExactly(2);
            assertThat(dsts[0].position()).isZero();

            assertThatThrownBy(() -> ch.read(dsts, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ch.read(dsts, 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ch.write(srcs, 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ch.write(srcs, 1, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    // ---- buffer kinds ----

    @Test
    void heapDirectSlicedAndReadOnlyBuffersAllWork() throws IOException {
        byte[] data = pattern(200);
        ByteBuffer directSlice = ByteBuffer.allocateDirect(300).position(50).limit(250).slice();
        directSlice.put(data).flip();
        ByteBuffer heapSlice = ByteBuffer.allocate(300).position(100).slice();
        heapSlice.put(data).flip();
        List<ByteBuffer> sources = List.of(ByteBuffer.wrap(data).asReadOnlyBuffer(),
                ByteBuffer.allocateDirect(200).put(data).flip().asReadOnlyBuffer(), directSlice, heapSlice,
                ByteBuffer.wrap(new byte[400], 100, 200).put(data).position(100));
        int i = 0;
        for (ByteBuffer src : sources) {
            Path p = dir.resolve("f" + i++);
            try (FileChannel ch = open(p, CREATE, READ, WRITE)) {
                int start = src.position();
                assertThat(ch.write(src)).isEqualTo(200);
                assertThat(src.position()).isEqualTo(start + 200);
                ByteBuffer back = ByteBuffer.allocateDirect(400).position(100).limit(300).slice();
                assertThat(ch.read(back, 0)).isEqualTo(200);
                assertThat(back.position()).isEqualTo(200);
                back.flip();
                byte[] got = new byte[200];
                back.get(got);
                assertThat(got).as("round trip through %s", src).isEqualTo(data);
            }
        }
    }

    // ---- position, size, truncate ----

    @Test
    void positionAndSize() throws IOException {
        try (FileChannel ch = open(file("f", pattern(50)), READ, WRITE)) {
            assertThat(ch.position()).isZero();
            assertThat(ch.size()).isEqualTo(50);
            assertThat(ch.position(1_000)).isSameAs(ch);
            assertThat(ch.position()).isEqualTo(1_000);
            assertThat(ch.size()).as("setting the position never grows the file").isEqualTo(50);
            assertThatThrownBy(() -> ch.position(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void truncateShrinksAndClampsThePosition() throws IOException {
        try (FileChannel ch = open(file("f", pattern(100)), READ, WRITE)) {
            ch.position(80);
            assertThat(ch.truncate(50)).isSameAs(ch);
            assertThat(ch.size()).isEqualTo(50);
            assertThat(ch.position()).isEqualTo(50);

            ch.position(20);
            ch.truncate(30);
            assertThat(ch.position()).as("a position below the new size is kept").isEqualTo(20);

            ch.position(40);
            ch.truncate(100);
            assertThat(ch.size()).as("truncate never grows the file").isEqualTo(30);
            assertThat(ch.position()).as("a position below the given size is kept").isEqualTo(40);

            ch.position(200);
            ch.truncate(100);
            assertThat(ch.size()).isEqualTo(30);
            assertThat(ch.position()).as("clamped to the given size, even when the file is shorter").isEqualTo(100);
            assertThatThrownBy(() -> ch.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void truncateNeedsWriteAccess() throws IOException {
        try (FileChannel ch = open(file("f", pattern(10)), READ)) {
            assertThatThrownBy(() -> ch.truncate(5)).isInstanceOf(NonWritableChannelException.class);
        }
    }

    // ---- force ----

    @Test
    void forceOnWritableAndReadOnlyChannels() throws IOException {
        Path p = file("f", pattern(10));
        try (FileChannel ch = open(p, WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}));
            ch.force(true);
            ch.force(false);
        }
        try (FileChannel ch = open(p, READ)) {
            ch.force(true);
        }
        assertThat(Files.readAllBytes(p)[0]).isEqualTo((byte) 42);
    }

    // ---- transfers ----

    @Test
    void transferToAndFromAnotherChannelOfTheSameFileSystem() throws IOException {
        byte[] data = pattern(10_000);
        try (FileChannel src = open(file("src", data), READ);
                FileChannel dst = open(dir.resolve("dst"), CREATE, READ, WRITE)) {
            src.position(3);
            assertThat(src.transferTo(100, 5_000, dst)).isEqualTo(5_000);
            assertThat(src.position()).as("transferTo keeps the source position").isEqualTo(3);
            assertThat(dst.position()).as("transferTo advances the target position").isEqualTo(5_000);
            assertThat(src.transferTo(9_000, 5_000, dst)).as("stops at end of file").isEqualTo(1_000);
            assertThat(src.transferTo(20_000, 10, dst)).as("position past end transfers nothing").isZero();
            assertThat(dst.size()).isEqualTo(6_000);

            dst.position(1);
            src.position(0);
            assertThat(dst.transferFrom(src, 6_000, 500)).as("transferFrom appends at size").isEqualTo(500);
            assertThat(src.position()).as("transferFrom advances the source position").isEqualTo(500);
            assertThat(dst.position()).as("transferFrom keeps the target position").isEqualTo(1);
            assertThat(dst.size()).isEqualTo(6_500);
        }
        byte[] got = Files.readAllBytes(dir.resolve("dst"));
        assertThat(Arrays.copyOfRange(got, 0, 5_000)).isEqualTo(Arrays.copyOfRange(data, 100, 5_100));
        assertThat(Arrays.copyOfRange(got, 5_000, 6_000)).isEqualTo(Arrays.copyOfRange(data, 9_000, 10_000));
        assertThat(Arrays.copyOfRange(got, 6_000, 6_500)).isEqualTo(Arrays.copyOfRange(data, 0, 500));
    }

    @Test
    void transferFromPastTheSizeGrowsTheFile() throws IOException {
        skipIfDeviates(Deviation.TRANSFER_FROM_PAST_SIZE_TRANSFERS_NOTHING);
        try (FileChannel src = open(file("src", pattern(100)), READ);
                FileChannel dst = open(file("dst", pattern(50)), READ, WRITE)) {
            // JDK 25's FileChannel spec: a position at or past the size grows the file (the gap is unspecified).
            assertThat(dst.transferFrom(src, 70, 10)).isEqualTo(10);
            assertThat(dst.size()).isEqualTo(80);
            assertThat(src.position()).isEqualTo(10);
            assertThat(dst.position()).isZero();
        }
        byte[] got = Files.readAllBytes(dir.resolve("dst"));
        assertThat(Arrays.copyOfRange(got, 70, 80)).isEqualTo(Arrays.copyOf(pattern(100), 10));
    }

    @Test
    void transferToAndFromStreams() throws IOException {
        byte[] data = pattern(3_000);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (FileChannel src = open(file("src", data), READ)) {
            assertThat(src.transferTo(10, 2_000, Channels.newChannel(sink))).isEqualTo(2_000);
        }
        assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 10, 2_010));
        try (FileChannel dst = open(dir.resolve("dst"), CREATE, WRITE)) {
            assertThat(dst.transferFrom(Channels.newChannel(new java.io.ByteArrayInputStream(data)), 0, 5_000))
                    .isEqualTo(3_000);
        }
        assertThat(Files.readAllBytes(dir.resolve("dst"))).isEqualTo(data);
    }

    @Test
    void transferArgumentsAndModes() throws IOException {
        Path p = file("f", pattern(10));
        try (FileChannel ro = open(p, READ); FileChannel wo = open(dir.resolve("w"), CREATE, WRITE)) {
            assertThatThrownBy(() -> ro.transferTo(-1, 1, wo)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ro.transferTo(0, -1, wo)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> wo.transferFrom(ro, -1, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> wo.transferFrom(ro, 0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> wo.transferTo(0, 1, wo)).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> ro.transferFrom(ro, 0, 1)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.transferTo(0, 1, ro)).isInstanceOf(NonWritableChannelException.class);
        }
    }

    // ---- map ----

    @Test
    void mapReadOnlyAndReadWrite() throws IOException {
        assumeCapability(put.supportsMap(), "FileChannel.map");
        Path p = file("f", pattern(4096));
        try (FileChannel ch = open(p, READ, WRITE)) {
            MappedByteBuffer ro = ch.map(FileChannel.MapMode.READ_ONLY, 100, 200);
            assertThat(ro.isReadOnly()).isTrue();
            assertThat(ro.capacity()).isEqualTo(200);
            assertThat(ro.get(0)).isEqualTo((byte) 100);
            MappedByteBuffer rw = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8192);
            assertThat(ch.size()).as("mapping past the end grows the file").isEqualTo(8192);
            rw.put(0, (byte) -7);
            rw.force();
        }
        assertThat(Files.readAllBytes(p)[0]).isEqualTo((byte) -7);
        try (FileChannel ro = open(p, READ)) {
            assertThatThrownBy(() -> ro.map(FileChannel.MapMode.READ_WRITE, 0, 10))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.map(FileChannel.MapMode.READ_ONLY, -1, 10))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ro.map(FileChannel.MapMode.READ_ONLY, 0, -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---- locks ----

    @Test
    void lockAndTryLockOnOneChannel() throws IOException {
        try (FileChannel ch = open(file("f", pattern(100)), READ, WRITE)) {
            FileLock lock = ch.lock(0, 10, false);
            assertThat(lock.isValid()).isTrue();
            assertThat(lock.isShared()).isFalse();
            assertThat(lock.channel()).isSameAs(ch);
            assertThat(lock.position()).isZero();
            assertThat(lock.size()).isEqualTo(10);
            FileLock other = ch.tryLock(10, 10, true);
            assertThat(other).as("a non-overlapping region is free").isNotNull();
            assertThat(other.isShared()).isTrue();
            lock.release();
            assertThat(lock.isValid()).isFalse();
            lock.release();
            try (FileLock again = ch.lock(0, 10, false)) {
                assertThat(again.isValid()).isTrue();
            }
            other.release();
            assertThatThrownBy(() -> ch.lock(-1, 10, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.tryLock(0, -1, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void overlappingLocksOnOneChannelAreRefused() throws IOException {
        assumeCapability(put.supportsLocks(), "real file locks (OverlappingFileLockException)");
        try (FileChannel ch = open(file("f", pattern(100)), READ, WRITE)) {
            FileLock lock = ch.lock(0, 10, false);
            assertThatThrownBy(() -> ch.lock(5, 10, false)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> ch.tryLock(9, 1, true)).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> ch.lock()).isInstanceOf(OverlappingFileLockException.class);
            lock.release();
            ch.lock().release();
        }
    }

    @Test
    void overlappingLocksAreRefusedAcrossChannelsOfTheJvm() throws IOException {
        assumeCapability(put.supportsLocks(), "real file locks (OverlappingFileLockException across channels)");
        Path p = file("f", pattern(100));
        try (FileChannel a = open(p, READ, WRITE); FileChannel b = open(p, READ, WRITE)) {
            FileLock whole = a.lock();
            assertThat(whole.size()).isEqualTo(Long.MAX_VALUE);
            assertThatThrownBy(() -> b.tryLock()).isInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> b.lock(50, 1, true)).isInstanceOf(OverlappingFileLockException.class);
            whole.release();
            FileLock fromB = b.tryLock(0, 10, false);
            assertThat(fromB).isNotNull();
            a.close();
            assertThat(fromB.isValid()).as("closing another channel keeps b's lock").isTrue();
        }
    }

    @Test
    void lockModesAndClosedChannel() throws IOException {
        Path p = file("f", pattern(10));
        try (FileChannel ro = open(p, READ); FileChannel wo = open(p, WRITE)) {
            assertThatThrownBy(() -> ro.lock(0, 1, false)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> wo.tryLock(0, 1, true)).isInstanceOf(NonReadableChannelException.class);
        }
        FileChannel ch = open(p, READ, WRITE);
        ch.close();
        assertThatThrownBy(() -> ch.lock()).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> ch.tryLock()).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void closingTheChannelReleasesItsLocks() throws IOException {
        assumeCapability(put.supportsLocks(), "real file locks (released on close)");
        FileChannel ch = open(file("f", pattern(10)), READ, WRITE);
        FileLock lock = ch.lock();
        ch.close();
        assertThat(lock.isValid()).as("closing the channel releases its locks").isFalse();
        try (FileChannel again = open(dir.resolve("f"), READ, WRITE)) {
            assertThat(again.tryLock()).as("the region is free again").isNotNull();
        }
    }

    // ---- append ----

    @Test
    void appendWritesAtTheEndWhateverThePosition() throws IOException {
        skipIfDeviates(Deviation.APPEND_CHANNEL_STARTS_AT_ZERO);
        Path p = file("f", pattern(10));
        try (FileChannel ch = open(p, WRITE, APPEND)) {
            assertThat(ch.position()).as("an append channel starts at the end").isEqualTo(10);
            ch.position(2);
            assertThat(ch.write(ByteBuffer.wrap(new byte[] {-1, -2}))).isEqualTo(2);
            assertThat(ch.position()).isEqualTo(12);
            assertThat(ch.size()).isEqualTo(12);
            ch.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {-3}), ByteBuffer.wrap(new byte[] {-4})});
            assertThat(ch.position()).isEqualTo(14);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
        }
        byte[] got = Files.readAllBytes(p);
        assertThat(Arrays.copyOfRange(got, 0, 10)).isEqualTo(pattern(10));
        assertThat(Arrays.copyOfRange(got, 10, 14)).containsExactly(-1, -2, -3, -4);
    }

    // ---- bad arguments ----

    @Test
    void nullBuffersAreRefused() throws IOException {
        try (FileChannel ch = open(file("f", pattern(10)), READ, WRITE)) {
            assertThatThrownBy(() -> ch.read((ByteBuffer) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.read(null, 0)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.write((ByteBuffer) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.write(null, 0)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.read((ByteBuffer[]) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.write((ByteBuffer[]) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.transferTo(0, 1, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.transferFrom(null, 0, 1)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void negativePositionsAreRefused() throws IOException {
        try (FileChannel ch = open(file("f", pattern(10)), READ, WRITE)) {
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readIntoReadOnlyBufferIsRefused() throws IOException {
        skipIfDeviates(Deviation.READ_ONLY_BUFFER_EXCEPTION_TYPE);
        try (FileChannel ch = open(file("f", pattern(10)), READ)) {
            ByteBuffer readOnly = ByteBuffer.allocate(4).asReadOnlyBuffer();
            ByteBuffer readOnlyDirect = ByteBuffer.allocateDirect(4).asReadOnlyBuffer();
            for (ByteBuffer b : List.of(readOnly, readOnlyDirect)) {
                assertThatThrownBy(() -> ch.read(b)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ch.read(b, 0)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ch.read(new ByteBuffer[] {b}))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(b.position()).isZero();
            }
            assertThat(ch.position()).isZero();
        }
    }

    @Test
    void wrongModes() throws IOException {
        Path p = file("f", pattern(10));
        try (FileChannel ro = open(p, READ); FileChannel wo = open(p, WRITE)) {
            assertThatThrownBy(() -> ro.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.write(ByteBuffer.allocate(1), 0))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.write(new ByteBuffer[] {ByteBuffer.allocate(1)}))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> wo.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> wo.read(ByteBuffer.allocate(1), 0))
                    .isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> wo.read(new ByteBuffer[] {ByteBuffer.allocate(1)}))
                    .isInstanceOf(NonReadableChannelException.class);
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(pattern(10));
    }

    // ---- closed channels ----

    @Test
    void everyOperationOnAClosedChannelThrowsClosedChannelException() throws IOException {
        Path p = file("f", pattern(10));
        FileChannel ch = open(p, READ, WRITE);
        ch.close();
        assertThat(ch.isOpen()).isFalse();
        ch.close();
        List<ThrowingCall> calls = List.of(
                () -> ch.read(ByteBuffer.allocate(1)),
                () -> ch.read(ByteBuffer.allocate(1), 0),
                () -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(1)}),
                () -> ch.write(ByteBuffer.allocate(1)),
                () -> ch.write(ByteBuffer.allocate(1), 0),
                () -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(1)}),
                ch::position,
                () -> ch.position(1),
                ch::size,
                () -> ch.truncate(1),
                () -> { ch.force(true); return null; },
                () -> ch.transferTo(0, 1, Channels.newChannel(new ByteArrayOutputStream())),
                () -> ch.transferFrom(Channels.newChannel(new java.io.ByteArrayInputStream(new byte[1])), 0, 1));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::call).isInstanceOf(ClosedChannelException.class);
        }
        if (put.supportsMap()) {
            assertThatThrownBy(() -> ch.map(FileChannel.MapMode.READ_ONLY, 0, 1))
                    .isInstanceOf(ClosedChannelException.class);
        }
    }


    // ---- large files ----

    @Test
    void positionsBeyondFourGibOnASparseFile() throws IOException {
        assumeCapability(put.supportsSparseFiles(), "sparse files (a 5 GiB offset would be real memory)");
        long fiveGib = 5L << 30;
        try (FileChannel ch = open(dir.resolve("sparse"), CREATE, READ, WRITE)) {
            assertThat(ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), fiveGib)).isEqualTo(3);
            assertThat(ch.size()).isEqualTo(fiveGib + 3);
            ch.position((4L << 30) + 1);
            ByteBuffer zeros = ByteBuffer.allocateDirect(4096);
            assertThat(ch.read(zeros)).isEqualTo(4096);
            assertThat(ch.position()).isEqualTo((4L << 30) + 1 + 4096);
            zeros.flip();
            while (zeros.hasRemaining()) {
                assertThat(zeros.get()).isZero();
            }
            ByteBuffer tail = ByteBuffer.allocate(8);
            assertThat(ch.read(tail, fiveGib - 1)).isEqualTo(4);
            assertThat(Arrays.copyOf(tail.array(), 4)).containsExactly(0, 1, 2, 3);
            ch.position(fiveGib + 1);
            ch.write(ByteBuffer.wrap(new byte[] {9}));
            assertThat(ch.position()).isEqualTo(fiveGib + 2);
            ch.truncate(fiveGib + 1);
            assertThat(ch.position()).isEqualTo(fiveGib + 1);
            assertThat(ch.size()).isEqualTo(fiveGib + 1);
        }
    }

    // ---- O_DIRECT ----

    @Test
    void directIoWithAlignedBuffers() throws IOException {
        assumeCapability(put.supportsDirectIo(), "ExtendedOpenOption.DIRECT");
        Path p = dir.resolve("direct");
        int block = Math.toIntExact(Files.getFileStore(dir).getBlockSize());
        byte[] data = pattern(2 * block);
        try (FileChannel ch = FileChannel.open(p, CREATE, READ, WRITE, directOption())) {
            ByteBuffer src = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).limit(2 * block);
            src.put(data).flip();
            assertThat(ch.write(src, 0)).isEqualTo(2 * block);
            ByteBuffer dst = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).limit(block);
            assertThat(ch.read(dst, block)).isEqualTo(block);
            dst.flip();
            byte[] got = new byte[block];
            dst.get(got);
            assertThat(got).isEqualTo(Arrays.copyOfRange(data, block, 2 * block));
        }
    }

    @Test
    void directIoMisalignmentIsRefusedBeforeTheKernel() throws IOException {
        assumeCapability(put.supportsDirectIo(), "ExtendedOpenOption.DIRECT");
        int block = Math.toIntExact(Files.getFileStore(dir).getBlockSize());
        try (FileChannel ch = FileChannel.open(dir.resolve("direct"), CREATE, READ, WRITE, directOption())) {
            ByteBuffer misaligned = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).position(1).limit(block + 1);
            ByteBuffer aligned = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).limit(block);
            ByteBuffer shortLength = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).limit(block - 1);
            // The JDK's IOException or io-engine's IllegalArgumentException: either way a message about alignment,
            // never the kernel's EINVAL, and nothing written.
            for (ThrowingCall call : List.<ThrowingCall>of(() -> ch.read(misaligned, 0), () -> ch.read(aligned, 1),
                    () -> ch.write(shortLength, 0))) {
                assertThatThrownBy(call::call)
                        .isInstanceOfAny(IOException.class, IllegalArgumentException.class)
                        .hasMessageNotContaining("Invalid argument")
                        .hasMessageNotContaining("EINVAL");
            }
            assertThat(ch.size()).isZero();
        }
    }

    @Test
    void directIoMisalignmentIsAnIoException() throws IOException {
        assumeCapability(put.supportsDirectIo(), "ExtendedOpenOption.DIRECT");
        int block = Math.toIntExact(Files.getFileStore(dir).getBlockSize());
        try (FileChannel ch = FileChannel.open(dir.resolve("direct"), CREATE, READ, WRITE, directOption())) {
            ByteBuffer misaligned = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).position(1).limit(block + 1);
            assertThatThrownBy(() -> ch.read(misaligned, 0)).isInstanceOf(IOException.class)
                    .hasMessageNotContaining("Invalid argument");
            ByteBuffer aligned = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).limit(block);
            assertThatThrownBy(() -> ch.read(aligned, 1)).isInstanceOf(IOException.class)
                    .hasMessageNotContaining("Invalid argument");
            ByteBuffer shortLength = ByteBuffer.allocateDirect(4 * block).alignedSlice(block).limit(block - 1);
            assertThatThrownBy(() -> ch.write(shortLength, 0)).isInstanceOf(IOException.class)
                    .hasMessageNotContaining("Invalid argument");
        }
    }

    // ---- interrupt and asynchronous close ----

    @Test
    void interruptStatusSetClosesTheChannel() throws Exception {
        Path p = file("f", pattern(10));
        java.util.Map<String, java.util.function.Function<FileChannel, ThrowingCall>> ops = new java.util.LinkedHashMap<>();
        ops.put("read", ch -> () -> ch.read(ByteBuffer.allocate(4)));
        ops.put("read(position)", ch -> () -> ch.read(ByteBuffer.allocateDirect(4), 0));
        ops.put("write(position)", ch -> () -> ch.write(ByteBuffer.wrap(new byte[] {1}), 0));
        ops.put("write(gathering)", ch -> () -> ch.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1})}));
        ops.put("size", ch -> ch::size);
        ops.put("position", ch -> ch::position);
        ops.put("truncate", ch -> () -> ch.truncate(5));
        ops.put("force", ch -> () -> { ch.force(true); return null; });
        org.assertj.core.api.SoftAssertions softly = new org.assertj.core.api.SoftAssertions();
        for (var op : ops.entrySet()) {
            FileChannel ch = open(p, READ, WRITE);
            try {
                Outcome<Object> outcome = callWithInterruptSet(op.getValue().apply(ch)::call);
                softly.assertThat(outcome.thrown()).as("%s with the interrupt status set", op.getKey())
                        .isInstanceOf(ClosedByInterruptException.class);
                softly.assertThat(outcome.interruptedAfter()).as("interrupt status kept by %s", op.getKey()).isTrue();
                softly.assertThat(ch.isOpen()).as("interrupt closes the channel in %s", op.getKey()).isFalse();
            } finally {
                ch.close();
            }
        }
        softly.assertAll();
        assertThat(Files.readAllBytes(p)).isEqualTo(pattern(10));
    }

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: the kit is compiled inside the
     * {@code dev.ioengine} module, which does not read {@code jdk.unsupported}.
     */
    static java.nio.file.OpenOption directOption() {
        try {
            Class<?> type = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            return (java.nio.file.OpenOption) type.getField("DIRECT").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("com.sun.nio.file.ExtendedOpenOption.DIRECT not found", e);
        }
    }
}
