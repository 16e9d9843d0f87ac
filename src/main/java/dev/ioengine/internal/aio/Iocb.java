package dev.ioengine.internal.aio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code struct iocb} (uapi/linux/aio_abi.h), 64 bytes:
 * <pre>
 *    0 __u64 aio_data        returned in io_event.data: the engine's slot index
 *    8 __u32 aio_key         little endian: aio_key then aio_rw_flags;
 *   12 __kernel_rwf_t aio_rw_flags   big endian: aio_rw_flags then aio_key
 *   16 __u16 aio_lio_opcode  IOCB_CMD_*
 *   18 __s16 aio_reqprio
 *   20 __u32 aio_fildes
 *   24 __u64 aio_buf         buffer address, or the iovec array's for PREADV / PWRITEV
 *   32 __u64 aio_nbytes      byte count, or the iovec count for PREADV / PWRITEV
 *   40 __s64 aio_offset
 *   48 __u64 aio_reserved2
 *   56 __u32 aio_flags
 *   60 __u32 aio_resfd
 * </pre>
 * The kernel copies the iocb (and, for the vectored commands, the iovec array) during {@code io_submit}
 * (fs/aio.c: {@code io_submit_one} copies the iocb, {@code aio_setup_rw} imports the iovecs), and writes
 * {@code aio_key} back; it does not read either afterwards.
 */
final class Iocb {
    /** Opcodes, from the enum in uapi/linux/aio_abi.h. */
    static final short IOCB_CMD_PREAD = 0;
    static final short IOCB_CMD_PWRITE = 1;
    static final short IOCB_CMD_PREADV = 7;
    static final short IOCB_CMD_PWRITEV = 8;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("aio_data"),
            ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? JAVA_INT.withName("aio_key")
                    : JAVA_INT.withName("aio_rw_flags"),
            ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? JAVA_INT.withName("aio_rw_flags")
                    : JAVA_INT.withName("aio_key"),
            JAVA_SHORT.withName("aio_lio_opcode"),
            JAVA_SHORT.withName("aio_reqprio"),
            JAVA_INT.withName("aio_fildes"),
            JAVA_LONG.withName("aio_buf"),
            JAVA_LONG.withName("aio_nbytes"),
            JAVA_LONG.withName("aio_offset"),
            JAVA_LONG.withName("aio_reserved2"),
            JAVA_INT.withName("aio_flags"),
            JAVA_INT.withName("aio_resfd")).withName("iocb");

    private static final VarHandle AIO_DATA = arrayElement("aio_data");
    private static final VarHandle AIO_RW_FLAGS = arrayElement("aio_rw_flags");
    private static final VarHandle AIO_LIO_OPCODE = arrayElement("aio_lio_opcode");
    private static final VarHandle AIO_REQPRIO = arrayElement("aio_reqprio");
    private static final VarHandle AIO_FILDES = arrayElement("aio_fildes");
    private static final VarHandle AIO_BUF = arrayElement("aio_buf");
    private static final VarHandle AIO_NBYTES = arrayElement("aio_nbytes");
    private static final VarHandle AIO_OFFSET = arrayElement("aio_offset");
    private static final VarHandle AIO_FLAGS = arrayElement("aio_flags");

    private Iocb() {
    }

    private static VarHandle arrayElement(String field) {
        return LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement(field)).withInvokeExactBehavior();
    }

    /**
     * Fills element {@code index} of an iocb array for one read or write: {@code address} and {@code count} are
     * the buffer and its length, or the iovec array and its element count for the vectored commands.
     */
    static void prepare(MemorySegment iocbs, long index, short opcode, int fd, long address, long count,
            long offset, long data) {
        AIO_DATA.set(iocbs, 0L, index, data);
        AIO_RW_FLAGS.set(iocbs, 0L, index, 0);
        AIO_LIO_OPCODE.set(iocbs, 0L, index, opcode);
        AIO_REQPRIO.set(iocbs, 0L, index, (short) 0);
        AIO_FILDES.set(iocbs, 0L, index, fd);
        AIO_BUF.set(iocbs, 0L, index, address);
        AIO_NBYTES.set(iocbs, 0L, index, count);
        AIO_OFFSET.set(iocbs, 0L, index, offset);
        AIO_FLAGS.set(iocbs, 0L, index, 0);
    }

    static long data(MemorySegment iocbs, long index) {
        return (long) AIO_DATA.get(iocbs, 0L, index);
    }

    static short opcode(MemorySegment iocbs, long index) {
        return (short) AIO_LIO_OPCODE.get(iocbs, 0L, index);
    }

    static int fildes(MemorySegment iocbs, long index) {
        return (int) AIO_FILDES.get(iocbs, 0L, index);
    }

    static long buf(MemorySegment iocbs, long index) {
        return (long) AIO_BUF.get(iocbs, 0L, index);
    }

    static long nbytes(MemorySegment iocbs, long index) {
        return (long) AIO_NBYTES.get(iocbs, 0L, index);
    }

    static long offset(MemorySegment iocbs, long index) {
        return (long) AIO_OFFSET.get(iocbs, 0L, index);
    }
}
