package dev.ioengine.internal.uring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Sizes and offsets of the io_uring structs against include/uapi/linux/io_uring.h (as installed in
 * /usr/include/linux/io_uring.h; the values below are read off that header's declarations).
 */
class IoUringLayoutTest {

    private static void assertOffsets(GroupLayout layout, Object... nameOffsetPairs) {
        for (int i = 0; i < nameOffsetPairs.length; i += 2) {
            String name = (String) nameOffsetPairs[i];
            long expected = ((Number) nameOffsetPairs[i + 1]).longValue();
            assertThat(StructFields.offset(layout, name)).as(layout.name().orElseThrow() + "." + name)
                    .isEqualTo(expected);
        }
    }

    @Test
    void ioUringSqeIs64BytesWithTheHeadersOffsets() {
        assertThat(IoUringSqe.LAYOUT.byteSize()).isEqualTo(64);
        assertOffsets(IoUringSqe.LAYOUT,
                "opcode", 0, "flags", 1, "ioprio", 2, "fd", 4,
                "off", 8, "addr2", 8, "cmd_op", 8, "__pad1", 12,
                "addr", 16, "splice_off_in", 16,
                "len", 24,
                "rw_flags", 28, "fsync_flags", 28, "poll32_events", 28, "cancel_flags", 28,
                "user_data", 32,
                "buf_index", 40, "buf_group", 40, "personality", 42,
                "splice_fd_in", 44, "file_index", 44, "addr_len", 44, "__pad3", 46,
                "addr3", 48, "__pad2", 56, "cmd", 48);
    }

    @Test
    void settingAnSqeWritesAll64BytesSoNothingOfAnEarlierUseRemains() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sqes = arena.allocate(IoUringSqe.LAYOUT, 2);
            sqes.fill((byte) 0xff);
            IoUringSqe.set(sqes, 64, IoUringConstants.IORING_OP_FSYNC, 7, 0, 0, 0,
                    IoUringConstants.IORING_FSYNC_DATASYNC, 99);
            assertThat(IoUringSqe.opcode(sqes, 64)).isEqualTo(IoUringConstants.IORING_OP_FSYNC);
            assertThat(IoUringSqe.fsyncFlags(sqes, 64)).isEqualTo(IoUringConstants.IORING_FSYNC_DATASYNC);
            assertThat(IoUringSqe.cancelFlags(sqes, 64)).as("same union").isEqualTo(1);
            assertThat(IoUringSqe.userData(sqes, 64)).isEqualTo(99);
            assertThat(sqes.get(ValueLayout.JAVA_INT, 64 + 4)).as("fd").isEqualTo(7);
            for (long offset = 0; offset < 64; offset++) {
                long at = 64 + offset;
                boolean set = offset == 0 || (offset >= 4 && offset < 8) || offset == 28 || offset == 32;
                if (!set) {
                    assertThat(sqes.get(ValueLayout.JAVA_BYTE, at)).as("byte " + offset).isZero();
                }
            }
            assertThat(sqes.get(ValueLayout.JAVA_BYTE, 0)).as("the entry before is untouched").isEqualTo((byte) 0xff);
        }
    }

    @Test
    void ioUringCqeIs16Bytes() {
        assertThat(IoUringCqe.LAYOUT.byteSize()).isEqualTo(16);
        assertOffsets(IoUringCqe.LAYOUT, "user_data", 0, "res", 8, "flags", 12, "big_cqe", 16);
    }

    @Test
    void ringOffsetStructsAre40Bytes() {
        assertThat(IoSqringOffsets.LAYOUT.byteSize()).isEqualTo(40);
        assertOffsets(IoSqringOffsets.LAYOUT, "head", 0, "tail", 4, "ring_mask", 8, "ring_entries", 12, "flags", 16,
                "dropped", 20, "array", 24, "resv1", 28, "resv2", 32);
        assertThat(IoCqringOffsets.LAYOUT.byteSize()).isEqualTo(40);
        assertOffsets(IoCqringOffsets.LAYOUT, "head", 0, "tail", 4, "ring_mask", 8, "ring_entries", 12,
                "overflow", 16, "cqes", 20, "flags", 24, "resv1", 28, "resv2", 32);
    }

    @Test
    void ioUringParamsIs120Bytes() {
        assertThat(IoUringParams.LAYOUT.byteSize()).isEqualTo(120);
        assertOffsets(IoUringParams.LAYOUT, "sq_entries", 0, "cq_entries", 4, "flags", 8, "sq_thread_cpu", 12,
                "sq_thread_idle", 16, "features", 20, "wq_fd", 24, "resv", 28, "sq_off", 40, "cq_off", 80);
    }

    @Test
    void probeStructsMatch() {
        assertThat(IoUringProbeOp.LAYOUT.byteSize()).isEqualTo(8);
        assertOffsets(IoUringProbeOp.LAYOUT, "op", 0, "resv", 1, "flags", 2, "resv2", 4);
        assertThat(IoUringProbe.LAYOUT.byteSize()).isEqualTo(16);
        assertOffsets(IoUringProbe.LAYOUT, "last_op", 0, "ops_len", 1, "resv", 2, "resv2", 4, "ops", 16);
    }

    @Test
    void opcodesAndFlagsMatchTheHeader() {
        // enum io_uring_op: NOP=0, READV=1, WRITEV=2, FSYNC=3, ..., ASYNC_CANCEL=14, ..., FALLOCATE=17, ...,
        // READ=22, WRITE=23.
        assertThat(IoUringConstants.IORING_OP_READV).isEqualTo((byte) 1);
        assertThat(IoUringConstants.IORING_OP_WRITEV).isEqualTo((byte) 2);
        assertThat(IoUringConstants.IORING_OP_FSYNC).isEqualTo((byte) 3);
        assertThat(IoUringConstants.IORING_OP_ASYNC_CANCEL).isEqualTo((byte) 14);
        assertThat(IoUringConstants.IORING_OP_FALLOCATE).isEqualTo((byte) 17);
        assertThat(IoUringConstants.IORING_OP_READ).isEqualTo((byte) 22);
        assertThat(IoUringConstants.IORING_OP_WRITE).isEqualTo((byte) 23);
        assertThat(IoUringConstants.IORING_OFF_SQES).isEqualTo(0x10000000L);
        assertThat(IoUringConstants.IORING_OFF_CQ_RING).isEqualTo(0x8000000L);
        assertThat(IoUringConstants.IORING_SETUP_DEFER_TASKRUN).isEqualTo(1 << 13);
        assertThat(IoUringConstants.IORING_SETUP_SINGLE_ISSUER).isEqualTo(1 << 12);
        assertThat(IoUringConstants.IORING_REGISTER_PROBE).isEqualTo(8);
    }
}
