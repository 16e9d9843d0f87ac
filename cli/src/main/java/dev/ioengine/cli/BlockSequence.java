package dev.ioengine.cli;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The order in which one job visits the blocks of the file, as fio orders them. Sequential: 0, 1, 2, ... wrapping
 * at the end. Random with fio's random map (the default): every block once, in a random order, before any block
 * again (a new order each pass over the file). Random with {@code --norandommap}: uniform, repeats allowed.
 *
 * <p>Counter-based, so thread-safe without a lock: the {@code k}th block is a function of {@code k} and the seed,
 * and {@code k} comes from one atomic counter. The random map is a bijection on the next power of two at least as
 * large as the file's block count (multiplication by an odd number and xor-shifts, keyed by the seed and the
 * pass), walked until it lands inside the file ("cycle walking"): fewer than two steps on average, no memory.
 * With {@code --randrepeat=1} (fio's default) the seed is fixed, so runs repeat their offsets.
 */
final class BlockSequence {
    private final long blocks;
    private final boolean random;
    private final boolean randomMap;
    private final long seed;
    private final int bits;
    private final long mask;
    private final AtomicLong counter = new AtomicLong();

    /**
     * @param blocks the blocks in the file
     * @param random random order ({@code randread}, {@code randwrite}, {@code randrw})
     * @param randomMap every block once per pass (fio's default), or uniform with repeats
     * @param seed the random seed (fixed under {@code --randrepeat=1})
     */
    BlockSequence(long blocks, boolean random, boolean randomMap, long seed) {
        if (blocks <= 0) {
            throw new IllegalArgumentException("no blocks");
        }
        this.blocks = blocks;
        this.random = random;
        this.randomMap = randomMap;
        this.seed = seed;
        this.bits = Math.max(1, 64 - Long.numberOfLeadingZeros(blocks - 1));
        this.mask = bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** A job's seed: fixed per job under {@code randrepeat}, else from the clock. */
    static long seed(boolean randrepeat, int job) {
        long base = randrepeat ? 0x2545F4914F6CDD1DL : System.nanoTime();
        return mix(base + job);
    }

    /** The next block. */
    long next() {
        long k = counter.getAndIncrement();
        if (!random) {
            return k % blocks;
        }
        if (!randomMap) {
            return Long.remainderUnsigned(mix(seed ^ mix(k)), blocks);
        }
        long pass = k / blocks;
        long key = mix(seed + pass);
        long x = k % blocks;
        do {
            x = permute(x, key);
        } while (x >= blocks);
        return x;
    }

    /** A bijection on [0, 2^bits): odd multiplications and xor-shifts, each invertible modulo 2^bits. */
    private long permute(long x, long key) {
        int shift = Math.max(1, bits / 2);
        long odd = key | 1;
        for (int round = 0; round < 3; round++) {
            x = (x * odd) & mask;
            x ^= x >>> shift;
            x = (x + (key >>> (round * 8))) & mask;
        }
        return x;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
