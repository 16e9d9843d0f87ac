package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct io_uring_probe} (uapi/linux/io_uring.h), 16 bytes plus a flexible array of
 * {@link IoUringProbeOp}: what IORING_REGISTER_PROBE fills in, one entry per opcode the kernel knows.
 * <pre>
 *    0 last_op (u8)  1 ops_len (u8)  2 resv (u16)  4 resv2[3] (u32)
 *   16 ops[] (struct io_uring_probe_op, 8 bytes each)
 * </pre>
 */
final class IoUringProbe {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"),
            JAVA_BYTE.withName("ops_len"),
            JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2"),
            MemoryLayout.sequenceLayout(0, IoUringProbeOp.LAYOUT).withName("ops")).withName("io_uring_probe");

    /** Entries to ask for: opcodes are a u8, so 256 covers every kernel. */
    static final int MAX_OPS = 256;

    static final long OPS_OFFSET = StructFields.offset(LAYOUT, "ops");

    private static final VarHandle OPS_LEN = StructFields.varHandle(LAYOUT, "ops_len");
    private static final VarHandle OP_OP = IoUringProbeOp.LAYOUT.arrayElementVarHandle(
            PathElement.groupElement("op")).withInvokeExactBehavior();
    private static final VarHandle OP_FLAGS = IoUringProbeOp.LAYOUT.arrayElementVarHandle(
            PathElement.groupElement("flags")).withInvokeExactBehavior();

    private IoUringProbe() {
    }

    /** A zeroed probe with room for {@link #MAX_OPS} entries. */
    static MemorySegment allocate(Arena arena) {
        return arena.allocate(OPS_OFFSET + MAX_OPS * IoUringProbeOp.LAYOUT.byteSize(), LAYOUT.byteAlignment());
    }

    static int opsLen(MemorySegment probe) {
        return Byte.toUnsignedInt((byte) OPS_LEN.get(probe, 0L));
    }

    /** True if the kernel reported {@code opcode} with IO_URING_OP_SUPPORTED. */
    static boolean supports(MemorySegment probe, int opcode) {
        if (opcode >= opsLen(probe)) {
            return false;
        }
        int op = Byte.toUnsignedInt((byte) OP_OP.get(probe, OPS_OFFSET, (long) opcode));
        short flags = (short) OP_FLAGS.get(probe, OPS_OFFSET, (long) opcode);
        return op == opcode && (flags & IoUringConstants.IO_URING_OP_SUPPORTED) != 0;
    }
}
