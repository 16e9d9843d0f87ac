package dev.ioengine.internal.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct io_uring_probe_op} (uapi/linux/io_uring.h), 8 bytes: one opcode's entry in
 * {@link IoUringProbe}.
 * <pre>
 *   0 op (u8)  1 resv (u8)  2 flags (u16, IO_URING_OP_SUPPORTED)  4 resv2 (u32)
 * </pre>
 */
final class IoUringProbeOp {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"),
            JAVA_BYTE.withName("resv"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("resv2")).withName("io_uring_probe_op");

    private IoUringProbeOp() {
    }
}
