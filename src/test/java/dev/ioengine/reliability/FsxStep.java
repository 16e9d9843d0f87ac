package dev.ioengine.reliability;

import java.util.Arrays;

/**
 * One step of an fsx sequence. Steps carry all their arguments (positions, lengths, data seeds), so a sequence
 * replays identically and any sub-sequence is still a valid sequence (the shrinker relies on that). Positions
 * may lie beyond the end of the file and some steps are deliberately invalid (a write on a read-only channel, a
 * negative position): the JDK twin says what must happen then.
 */
sealed interface FsxStep {

    /** The file (0-based) this step works on. */
    int file();

    /** A readable line for a failure report. */
    String describe();

    /** Which of a file's channels a step uses. */
    enum Chan {
        /** READ, WRITE (CREATE on first open). */
        RW,
        /** READ. */
        RO,
        /** WRITE, APPEND. */
        APPEND,
        /** An AsynchronousFileChannel: READ, WRITE. */
        ASYNC
    }

    /** The kind of buffer a read or write uses. */
    enum Buf {
        HEAP, DIRECT, SLICED_HEAP, SLICED_DIRECT, READ_ONLY_HEAP, READ_ONLY_DIRECT;

        boolean readOnly() {
            return this == READ_ONLY_HEAP || this == READ_ONLY_DIRECT;
        }
    }

    /** Relative when {@code at} is {@link #RELATIVE}. */
    long RELATIVE = Long.MIN_VALUE;

    private static String where(long at) {
        return at == RELATIVE ? "at the channel position" : "at " + at;
    }

    private static String buffer(Buf buf, int offset) {
        return buf.name().toLowerCase() + (offset == 0 ? "" : " (buffer position " + offset + ")");
    }

    record Read(int file, Chan chan, Buf buf, int offset, int length, long at) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " read " + length + " bytes into " + buffer(buf, offset) + " "
                    + where(at);
        }
    }

    record Write(int file, Chan chan, Buf buf, int offset, int length, long at, long seed) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " write " + length + " bytes (data seed " + seed + ") from "
                    + buffer(buf, offset) + " " + where(at);
        }
    }

    /** {@code read(ByteBuffer[], from, lengths.length - from)}: the first {@code from} buffers are not used. */
    record ScatterRead(int file, Chan chan, Buf buf, int[] lengths, int from) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " scattering read into " + buf.name().toLowerCase() + " buffers "
                    + Arrays.toString(lengths) + " from buffer " + from;
        }
    }

    record GatherWrite(int file, Chan chan, Buf buf, int[] lengths, int from, long seed) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " gathering write from " + buf.name().toLowerCase() + " buffers "
                    + Arrays.toString(lengths) + " from buffer " + from + " (data seed " + seed + ")";
        }
    }

    record Truncate(int file, Chan chan, long size) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " truncate to " + size;
        }
    }

    record Preallocate(int file, Chan chan, long at, long length) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " Preallocation.preallocate at " + at + ", " + length + " bytes";
        }
    }

    record Force(int file, Chan chan, boolean metaData) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " force(" + metaData + ")";
        }
    }

    /** Maps READ_ONLY a region clamped to the file's current size; {@code segment}: map(.., Arena) instead. */
    record MapRead(int file, Chan chan, long at, int length, boolean segment) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " map READ_ONLY " + (segment ? "as a segment " : "") + length
                    + " bytes at " + at + " (clamped to the file size)";
        }
    }

    record Size(int file, Chan chan) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " size()";
        }
    }

    record Position(int file, Chan chan) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " position()";
        }
    }

    record Seek(int file, Chan chan, long to) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " position(" + to + ")";
        }
    }

    /** Several asynchronous writes to disjoint ranges, all started before any is waited for. */
    record AsyncWrite(int file, Buf buf, long[] at, int[] lengths, long seed) implements FsxStep {
        public String describe() {
            return "f" + file + ".ASYNC concurrent writes from " + buf.name().toLowerCase() + " buffers at "
                    + Arrays.toString(at) + " lengths " + Arrays.toString(lengths) + " (data seed " + seed + ")";
        }
    }

    /** Several asynchronous reads, all started before any is waited for. */
    record AsyncRead(int file, Buf buf, long[] at, int[] lengths) implements FsxStep {
        public String describe() {
            return "f" + file + ".ASYNC concurrent reads into " + buf.name().toLowerCase() + " buffers at "
                    + Arrays.toString(at) + " lengths " + Arrays.toString(lengths);
        }
    }

    /**
     * Positional writes to disjoint ranges through the file's RW channel and, at the same time, positional reads of
     * other ranges through its RO channel, each from its own thread, all released at once.
     */
    record Parallel(int file, Buf buf, long[] writeAt, int[] writeLengths, long[] readAt, int[] readLengths,
            long seed) implements FsxStep {
        public String describe() {
            return "f" + file + " in parallel threads: RW writes from " + buf.name().toLowerCase() + " buffers at "
                    + Arrays.toString(writeAt) + " lengths " + Arrays.toString(writeLengths) + " (data seed " + seed
                    + "), RO reads at " + Arrays.toString(readAt) + " lengths " + Arrays.toString(readLengths);
        }
    }

    /** Closes the channel and opens it again (its position goes back to 0). */
    record Reopen(int file, Chan chan) implements FsxStep {
        public String describe() {
            return "f" + file + "." + chan + " close and reopen";
        }
    }
}
