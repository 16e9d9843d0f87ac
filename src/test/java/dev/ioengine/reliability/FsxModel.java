package dev.ioengine.reliability;

import dev.ioengine.reliability.FsxStep.Chan;
import java.util.Arrays;

/**
 * What the files must hold: each file's bytes and size, and each synchronous channel's position. Pure Java, no
 * IO: the oracle both sides are checked against.
 */
final class FsxModel {
    private final byte[][] bytes;
    private final long[] sizes;
    /** Positions of the RW and RO channels of each file; an APPEND channel's position is its file's size. */
    private final long[][] positions;

    FsxModel(int files) {
        bytes = new byte[files][0];
        sizes = new long[files];
        positions = new long[files][2];
    }

    long size(int file) {
        return sizes[file];
    }

    long position(int file, Chan chan) {
        return chan == Chan.APPEND ? sizes[file] : positions[file][chan.ordinal()];
    }

    void setPosition(int file, Chan chan, long position) {
        if (chan == Chan.RW || chan == Chan.RO) {
            positions[file][chan.ordinal()] = position;
        }
    }

    /** Where a write through {@code chan} at {@code at} lands. */
    long writePosition(int file, Chan chan, long at) {
        if (chan == Chan.APPEND) {
            return sizes[file];
        }
        return at == FsxStep.RELATIVE ? position(file, chan) : at;
    }

    /** The bytes at [at, at + length), which must lie within the file. */
    byte[] read(int file, long at, int length) {
        return Arrays.copyOfRange(bytes[file], Math.toIntExact(at), Math.toIntExact(at + length));
    }

    /** What a read of {@code length} bytes at {@code at} returns: the count, or -1 at or past the end. */
    int readCount(int file, long at, long length) {
        if (length == 0) {
            return 0;
        }
        if (at >= sizes[file]) {
            return -1;
        }
        return (int) Math.min(length, sizes[file] - at);
    }

    void write(int file, long at, byte[] data) {
        if (data.length == 0) {
            return;
        }
        long end = at + data.length;
        ensure(file, end);
        System.arraycopy(data, 0, bytes[file], Math.toIntExact(at), data.length);
        sizes[file] = Math.max(sizes[file], end);
    }

    /** Shrinks the file if longer; a channel's position beyond the new size comes back to it (JDK truncate). */
    void truncate(int file, Chan chan, long size) {
        if (size < sizes[file]) {
            Arrays.fill(bytes[file], Math.toIntExact(size), Math.toIntExact(sizes[file]), (byte) 0);
            sizes[file] = size;
        }
        if (chan == Chan.RW || chan == Chan.RO) {
            positions[file][chan.ordinal()] = Math.min(positions[file][chan.ordinal()], size);
        }
    }

    /** fallocate(mode 0): the file grows, with zeros, to {@code end} if shorter. */
    void preallocate(int file, long end) {
        if (end > sizes[file]) {
            ensure(file, end);
            sizes[file] = end;
        }
    }

    /** The whole file as the model has it. */
    byte[] contents(int file) {
        return Arrays.copyOf(bytes[file], Math.toIntExact(sizes[file]));
    }

    private void ensure(int file, long end) {
        if (end > bytes[file].length) {
            bytes[file] = Arrays.copyOf(bytes[file], Math.toIntExact(Math.max(end, bytes[file].length * 3L / 2)));
        }
    }
}
