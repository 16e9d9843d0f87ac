package dev.ioengine;

/** The operations an {@link IoRequest} can carry. */
public enum IoOp {
    /** Positional read into one buffer ({@code pread}). */
    READ,
    /** Positional write from one buffer ({@code pwrite}). */
    WRITE,
    /** Positional read scattered into several buffers ({@code preadv}). */
    READV,
    /** Positional write gathered from several buffers ({@code pwritev}). */
    WRITEV,
    /** Flush data and metadata ({@code fsync}). */
    FSYNC,
    /** Flush data and the metadata needed to read it back ({@code fdatasync}). */
    FDATASYNC,
    /** Preallocate or manipulate file space ({@code fallocate}). */
    FALLOCATE;

    /** True for the operations that move bytes to or from memory. */
    public boolean transfersData() {
        return this == READ || this == WRITE || this == READV || this == WRITEV;
    }

    /** True for the operations that read from the file into memory. */
    public boolean isRead() {
        return this == READ || this == READV;
    }

    /** True for the operations that write memory into the file. */
    public boolean isWrite() {
        return this == WRITE || this == WRITEV;
    }
}
