package dev.ioengine.reliability;

import dev.ioengine.reliability.FsxStep.Buf;
import dev.ioengine.reliability.FsxStep.Chan;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes random, seeded fsx sequences. Buffered sequences use any position, length and buffer offset; O_DIRECT
 * sequences only multiples of {@link #BLOCK} and block-aligned buffers (the JDK's own channel refuses anything
 * else). Most steps are valid; a few are wrong on purpose (a write on a read-only channel, a read on an append
 * channel, a negative position, a read into a read-only buffer) so that exceptions are compared too.
 */
final class FsxGenerator {
    static final int BLOCK = 4096;
    static final int FILES = 3;
    /** Positions are drawn below this; files stay around it, with a rare large transfer beyond. */
    private static final long SPAN = 512 * 1024;

    /**
     * {@code ioengine.fsx.mix=concurrent}: only the steps that put several requests in flight at once (parallel
     * threads, concurrent asynchronous reads and writes), to chase races.
     */
    private static final boolean CONCURRENT_ONLY = "concurrent".equals(System.getProperty("ioengine.fsx.mix"));

    private final SplittableRandom random;
    private final boolean direct;

    FsxGenerator(long seed, boolean direct) {
        this.random = new SplittableRandom(seed);
        this.direct = direct;
    }

    List<FsxStep> sequence(int steps) {
        List<FsxStep> sequence = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            sequence.add(next());
        }
        return sequence;
    }

    FsxStep next() {
        int file = random.nextInt(FILES);
        int pick = CONCURRENT_ONLY ? 77 + random.nextInt(18) + (random.nextInt(4) == 0 ? 5 : 0) : random.nextInt(100);
        if (CONCURRENT_ONLY && pick >= 95) {
            return parallel(file);
        }
        if (pick < 18) {
            return new FsxStep.Read(file, readChan(), readBuf(), offset(), length(), positionOrRelative());
        }
        if (pick < 40) {
            Chan chan = writeChan();
            long at = chan == Chan.APPEND ? FsxStep.RELATIVE : positionOrRelative();
            return new FsxStep.Write(file, chan, writeBuf(), offset(), length(), at, random.nextLong());
        }
        if (pick < 45) {
            return new FsxStep.ScatterRead(file, readChan(), readBuf(), lengths(), random.nextInt(2));
        }
        if (pick < 51) {
            return new FsxStep.GatherWrite(file, writeChan(), writeBuf(), lengths(), random.nextInt(2),
                    random.nextLong());
        }
        if (pick < 55) {
            long size = random.nextInt(50) == 0 ? -1 : align(random.nextLong(SPAN));
            return new FsxStep.Truncate(file, anyChanForMetadata(true), size);
        }
        if (pick < 58) {
            Chan chan = switch (random.nextInt(3)) {
                case 0 -> Chan.RW;
                case 1 -> Chan.APPEND;
                default -> Chan.ASYNC;
            };
            return new FsxStep.Preallocate(file, chan, align(random.nextLong(SPAN)), alignUp(1 + random.nextInt(65536)));
        }
        if (pick < 61) {
            return new FsxStep.Force(file, anyChanForMetadata(false), random.nextBoolean());
        }
        if (pick < 66) {
            Chan chan = random.nextInt(10) == 0 ? Chan.APPEND : random.nextBoolean() ? Chan.RW : Chan.RO;
            return new FsxStep.MapRead(file, chan, random.nextLong(SPAN), 1 + random.nextInt(65536),
                    random.nextBoolean());
        }
        if (pick < 70) {
            return new FsxStep.Size(file, anyChanForMetadata(false));
        }
        if (pick < 73) {
            return new FsxStep.Position(file, syncChan());
        }
        if (pick < 77) {
            long to = random.nextInt(50) == 0 ? -1 : align(random.nextLong(SPAN + SPAN / 8));
            return new FsxStep.Seek(file, syncChan(), to);
        }
        if (pick < 87) {
            int count = 1 + random.nextInt(4);
            long[] at = new long[count];
            int[] lengths = new int[count];
            long cursor = align(random.nextLong(SPAN));
            for (int i = 0; i < count; i++) {
                lengths[i] = length();
                at[i] = cursor;
                cursor = align(cursor + lengths[i] + random.nextInt(BLOCK * 2));
            }
            shuffle(at, lengths);
            return new FsxStep.AsyncWrite(file, asyncBuf(false), at, lengths, random.nextLong());
        }
        if (pick < 95) {
            int count = 1 + random.nextInt(4);
            long[] at = new long[count];
            int[] lengths = new int[count];
            for (int i = 0; i < count; i++) {
                at[i] = align(random.nextLong(SPAN + SPAN / 8));
                lengths[i] = length();
            }
            return new FsxStep.AsyncRead(file, asyncBuf(true), at, lengths);
        }
        if (pick < 97) {
            return new FsxStep.Reopen(file, Chan.values()[random.nextInt(Chan.values().length)]);
        }
        return parallel(file);
    }

    /** Writes to disjoint ranges of the first half of the span, reads from the second half. */
    private FsxStep parallel(int file) {
        int writes = 1 + random.nextInt(4);
        long[] writeAt = new long[writes];
        int[] writeLengths = new int[writes];
        long cursor = align(random.nextLong(SPAN / 4));
        for (int i = 0; i < writes; i++) {
            writeLengths[i] = direct ? BLOCK * (1 + random.nextInt(8)) : 1 + random.nextInt(3 * BLOCK);
            writeAt[i] = cursor;
            cursor = align(cursor + writeLengths[i] + random.nextInt(BLOCK));
        }
        shuffle(writeAt, writeLengths);
        int reads = random.nextInt(4);
        long[] readAt = new long[reads];
        int[] readLengths = new int[reads];
        for (int i = 0; i < reads; i++) {
            readAt[i] = align(SPAN / 2 + random.nextLong(SPAN / 2));
            readLengths[i] = direct ? BLOCK * (1 + random.nextInt(8)) : 1 + random.nextInt(3 * BLOCK);
        }
        Buf buf = direct ? (random.nextBoolean() ? Buf.DIRECT : Buf.HEAP) : writeBuf();
        return new FsxStep.Parallel(file, buf, writeAt, writeLengths, readAt, readLengths, random.nextLong());
    }

    private void shuffle(long[] at, int[] lengths) {
        for (int i = at.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long a = at[i];
            at[i] = at[j];
            at[j] = a;
            int l = lengths[i];
            lengths[i] = lengths[j];
            lengths[j] = l;
        }
    }

    private Chan readChan() {
        int p = random.nextInt(100);
        return p < 60 ? Chan.RW : p < 95 ? Chan.RO : Chan.APPEND;
    }

    private Chan writeChan() {
        int p = random.nextInt(100);
        return p < 70 ? Chan.RW : p < 95 ? Chan.APPEND : Chan.RO;
    }

    private Chan syncChan() {
        return Chan.values()[random.nextInt(3)];
    }

    private Chan anyChanForMetadata(boolean writing) {
        int p = random.nextInt(100);
        if (writing) {
            return p < 55 ? Chan.RW : p < 75 ? Chan.ASYNC : p < 95 ? Chan.APPEND : Chan.RO;
        }
        return Chan.values()[p % 4];
    }

    private Buf readBuf() {
        if (random.nextInt(40) == 0) {
            return random.nextBoolean() ? Buf.READ_ONLY_HEAP : Buf.READ_ONLY_DIRECT;
        }
        return Buf.values()[random.nextInt(4)];
    }

    private Buf writeBuf() {
        return Buf.values()[random.nextInt(Buf.values().length)];
    }

    /**
     * Any buffer, but under O_DIRECT only direct ones: the JDK's own AsynchronousFileChannel does not copy heap
     * buffers through aligned memory, so O_DIRECT heap transfers fail there (EINVAL) and there is no twin to compare
     * with.
     */
    private Buf asyncBuf(boolean reading) {
        if (direct) {
            int p = random.nextInt(reading ? 2 : 3);
            return p == 0 ? Buf.DIRECT : p == 1 ? Buf.SLICED_DIRECT : Buf.READ_ONLY_DIRECT;
        }
        return reading ? Buf.values()[random.nextInt(4)] : writeBuf();
    }

    private int offset() {
        if (direct) {
            return random.nextInt(4) == 0 ? BLOCK : 0;
        }
        return random.nextInt(3) == 0 ? 0 : random.nextInt(1, 18);
    }

    /** Mostly small, sometimes tens of KiB, rarely more than a bounce buffer (1 MiB). */
    private int length() {
        int p = random.nextInt(200);
        int length;
        if (p == 0) {
            length = 1024 * 1024 + random.nextInt(512 * 1024);
        } else if (p < 30) {
            length = 1 + random.nextInt(96 * 1024);
        } else if (p < 32) {
            length = 0;
        } else {
            length = 1 + random.nextInt(3 * BLOCK);
        }
        return direct ? alignUp(length) : length;
    }

    private int[] lengths() {
        int[] lengths = new int[1 + random.nextInt(5)];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = direct ? BLOCK * (1 + random.nextInt(4)) : random.nextInt(1, 3 * BLOCK);
        }
        return lengths;
    }

    private long positionOrRelative() {
        int p = random.nextInt(100);
        if (p < 35) {
            return FsxStep.RELATIVE;
        }
        if (p == 35) {
            return -1 - random.nextInt(BLOCK);
        }
        return align(random.nextLong(SPAN + SPAN / 8));
    }

    private long align(long position) {
        return direct ? position - position % BLOCK : position;
    }

    private int alignUp(int length) {
        return direct ? (length + BLOCK - 1) / BLOCK * BLOCK : length;
    }
}
