package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_uring_sqe} (uapi/linux/io_uring.h), 64 bytes: one submission queue entry. The anonymous
 * unions are modelled as unnamed union layouts, so members keep their C names ({@code off}, {@code addr},
 * {@code rw_flags}, {@code fsync_flags}, ...).
 * <pre>
 *    0 opcode (u8)  1 flags (u8)  2 ioprio (u16)  4 fd (s32)
 *    8 off | addr2 | {cmd_op, __pad1}
 *   16 addr | splice_off_in
 *   24 len (u32)
 *   28 rw_flags | fsync_flags | poll32_events | cancel_flags | ... (u32)
 *   32 user_data (u64)
 *   40 buf_index | buf_group (u16, packed)  42 personality (u16)
 *   44 splice_fd_in | file_index | {addr_len, __pad3[1]}
 *   48 {addr3, __pad2[1]} | cmd[0]
 * </pre>
 * Each {@code set} method writes one field of the entry at byte {@code base} of the SQE array. Entries are
 * reused, so {@link SubmissionQueue} writes every field of every entry it prepares.
 */
final class IoUringSqe {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),
            JAVA_BYTE.withName("flags"),
            JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"),
            MemoryLayout.unionLayout(
                    JAVA_LONG.withName("off"),
                    JAVA_LONG.withName("addr2"),
                    MemoryLayout.structLayout(JAVA_INT.withName("cmd_op"), JAVA_INT.withName("__pad1"))),
            MemoryLayout.unionLayout(
                    JAVA_LONG.withName("addr"),
                    JAVA_LONG.withName("splice_off_in")),
            JAVA_INT.withName("len"),
            MemoryLayout.unionLayout(
                    JAVA_INT.withName("rw_flags"),
                    JAVA_INT.withName("fsync_flags"),
                    JAVA_SHORT.withName("poll_events"),
                    JAVA_INT.withName("poll32_events"),
                    JAVA_INT.withName("sync_range_flags"),
                    JAVA_INT.withName("msg_flags"),
                    JAVA_INT.withName("timeout_flags"),
                    JAVA_INT.withName("accept_flags"),
                    JAVA_INT.withName("cancel_flags"),
                    JAVA_INT.withName("open_flags"),
                    JAVA_INT.withName("statx_flags"),
                    JAVA_INT.withName("fadvise_advice"),
                    JAVA_INT.withName("splice_flags")),
            JAVA_LONG.withName("user_data"),
            MemoryLayout.unionLayout(
                    JAVA_SHORT.withName("buf_index"),
                    JAVA_SHORT.withName("buf_group")),
            JAVA_SHORT.withName("personality"),
            MemoryLayout.unionLayout(
                    JAVA_INT.withName("splice_fd_in"),
                    JAVA_INT.withName("file_index"),
                    MemoryLayout.structLayout(
                            JAVA_SHORT.withName("addr_len"),
                            MemoryLayout.sequenceLayout(1, JAVA_SHORT).withName("__pad3"))),
            MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(
                            JAVA_LONG.withName("addr3"),
                            MemoryLayout.sequenceLayout(1, JAVA_LONG).withName("__pad2")),
                    MemoryLayout.sequenceLayout(0, JAVA_BYTE).withName("cmd"))).withName("io_uring_sqe");

    private static final VarHandle OPCODE = StructFields.varHandle(LAYOUT, "opcode");
    private static final VarHandle FLAGS = StructFields.varHandle(LAYOUT, "flags");
    private static final VarHandle IOPRIO = StructFields.varHandle(LAYOUT, "ioprio");
    private static final VarHandle FD = StructFields.varHandle(LAYOUT, "fd");
    private static final VarHandle OFF = StructFields.varHandle(LAYOUT, "off");
    private static final VarHandle ADDR = StructFields.varHandle(LAYOUT, "addr");
    private static final VarHandle LEN = StructFields.varHandle(LAYOUT, "len");
    private static final VarHandle RW_FLAGS = StructFields.varHandle(LAYOUT, "rw_flags");
    private static final VarHandle FSYNC_FLAGS = StructFields.varHandle(LAYOUT, "fsync_flags");
    private static final VarHandle CANCEL_FLAGS = StructFields.varHandle(LAYOUT, "cancel_flags");
    private static final VarHandle USER_DATA = StructFields.varHandle(LAYOUT, "user_data");
    private static final VarHandle BUF_INDEX = StructFields.varHandle(LAYOUT, "buf_index");
    private static final VarHandle PERSONALITY = StructFields.varHandle(LAYOUT, "personality");
    private static final VarHandle SPLICE_FD_IN = StructFields.varHandle(LAYOUT, "splice_fd_in");
    private static final VarHandle ADDR3 = StructFields.varHandle(LAYOUT, "addr3");
    private static final VarHandle PAD2 =
            StructFields.varHandle(LAYOUT, "__pad2", MemoryLayout.PathElement.sequenceElement(0));

    private IoUringSqe() {
    }

    /**
     * Writes the whole entry at {@code base}: every field this class knows is set, the ones the operation does
     * not use to zero, so nothing from an earlier use of the entry leaks into this one.
     */
    static void set(MemorySegment sqes, long base, byte opcode, int fd, long off, long addr, int len, int opFlags,
            long userData) {
        OPCODE.set(sqes, base, opcode);
        FLAGS.set(sqes, base, (byte) 0);
        IOPRIO.set(sqes, base, (short) 0);
        FD.set(sqes, base, fd);
        OFF.set(sqes, base, off);
        ADDR.set(sqes, base, addr);
        LEN.set(sqes, base, len);
        RW_FLAGS.set(sqes, base, opFlags);
        USER_DATA.set(sqes, base, userData);
        BUF_INDEX.set(sqes, base, (short) 0);
        PERSONALITY.set(sqes, base, (short) 0);
        SPLICE_FD_IN.set(sqes, base, 0);
        ADDR3.set(sqes, base, 0L);
        PAD2.set(sqes, base, 0L);
    }

    static byte opcode(MemorySegment sqes, long base) {
        return (byte) OPCODE.get(sqes, base);
    }

    static long userData(MemorySegment sqes, long base) {
        return (long) USER_DATA.get(sqes, base);
    }

    static int fsyncFlags(MemorySegment sqes, long base) {
        return (int) FSYNC_FLAGS.get(sqes, base);
    }

    static int cancelFlags(MemorySegment sqes, long base) {
        return (int) CANCEL_FLAGS.get(sqes, base);
    }
}
