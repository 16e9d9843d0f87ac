package dev.ioengine.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The fields of {@code struct stat} io-engine reads. The struct differs by architecture, so its offsets are
 * taken per architecture from the kernel's headers: x86_64 from arch/x86/include/uapi/asm/stat.h (144 bytes,
 * st_mode at 24, st_size at 48), aarch64 from include/uapi/asm-generic/stat.h (128 bytes, st_mode at 16,
 * st_size at 48).
 */
public record Stat(long device, long inode, int mode, long size) {
    /** Room for either architecture's struct stat. */
    static final long SIZE = 144;

    private static final long ST_DEV = 0;
    private static final long ST_INO = 8;
    private static final long ST_MODE = Native.ARCH == Native.Arch.AARCH64 ? 16 : 24;
    private static final long ST_SIZE = 48;

    /** S_IFMT and the file types (sys/stat.h). */
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;

    static Stat of(MemorySegment buf) {
        return new Stat(buf.get(JAVA_LONG, ST_DEV), buf.get(JAVA_LONG, ST_INO), buf.get(JAVA_INT, ST_MODE),
                buf.get(JAVA_LONG, ST_SIZE));
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }
}
