package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The struct layouts against /usr/include/linux/aio_abi.h (and time_types.h), whose values are copied here. */
class AioLayoutTest {

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(PathElement.groupElement(field));
    }

    @Test
    void iocbMatchesAioAbi() {
        // aio_abi.h: "}; /* 64 bytes */"
        assertThat(Iocb.LAYOUT.byteSize()).isEqualTo(64);
        assertThat(offset(Iocb.LAYOUT, "aio_data")).isEqualTo(0);
        // aio_abi.h puts aio_key first on little-endian machines, aio_rw_flags first on big-endian ones.
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        assertThat(offset(Iocb.LAYOUT, "aio_key")).isEqualTo(little ? 8 : 12);
        assertThat(offset(Iocb.LAYOUT, "aio_rw_flags")).isEqualTo(little ? 12 : 8);
        assertThat(offset(Iocb.LAYOUT, "aio_lio_opcode")).isEqualTo(16);
        assertThat(offset(Iocb.LAYOUT, "aio_reqprio")).isEqualTo(18);
        assertThat(offset(Iocb.LAYOUT, "aio_fildes")).isEqualTo(20);
        assertThat(offset(Iocb.LAYOUT, "aio_buf")).isEqualTo(24);
        assertThat(offset(Iocb.LAYOUT, "aio_nbytes")).isEqualTo(32);
        assertThat(offset(Iocb.LAYOUT, "aio_offset")).isEqualTo(40);
        assertThat(offset(Iocb.LAYOUT, "aio_reserved2")).isEqualTo(48);
        assertThat(offset(Iocb.LAYOUT, "aio_flags")).isEqualTo(56);
        assertThat(offset(Iocb.LAYOUT, "aio_resfd")).isEqualTo(60);
    }

    @Test
    void ioEventMatchesAioAbi() {
        assertThat(IoEvent.LAYOUT.byteSize()).isEqualTo(32);
        assertThat(offset(IoEvent.LAYOUT, "data")).isEqualTo(0);
        assertThat(offset(IoEvent.LAYOUT, "obj")).isEqualTo(8);
        assertThat(offset(IoEvent.LAYOUT, "res")).isEqualTo(16);
        assertThat(offset(IoEvent.LAYOUT, "res2")).isEqualTo(24);
    }

    @Test
    void timespecIsTwoLongs() {
        assertThat(Timespec.LAYOUT.byteSize()).isEqualTo(16);
        assertThat(offset(Timespec.LAYOUT, "tv_sec")).isEqualTo(0);
        assertThat(offset(Timespec.LAYOUT, "tv_nsec")).isEqualTo(8);
    }

    @Test
    void opcodesMatchAioAbi() {
        assertThat(Iocb.IOCB_CMD_PREAD).isEqualTo((short) 0);
        assertThat(Iocb.IOCB_CMD_PWRITE).isEqualTo((short) 1);
        assertThat(Iocb.IOCB_CMD_PREADV).isEqualTo((short) 7);
        assertThat(Iocb.IOCB_CMD_PWRITEV).isEqualTo((short) 8);
    }

    @Test
    void syscallNumbersMatchTheArchitecture() {
        switch (dev.ioengine.internal.linux.Native.ARCH) {
            case X86_64 -> {
                // arch/x86/entry/syscalls/syscall_64.tbl
                assertThat(AioSyscalls.NR_IO_SETUP).isEqualTo(206);
                assertThat(AioSyscalls.NR_IO_DESTROY).isEqualTo(207);
                assertThat(AioSyscalls.NR_IO_GETEVENTS).isEqualTo(208);
                assertThat(AioSyscalls.NR_IO_SUBMIT).isEqualTo(209);
            }
            case AARCH64 -> {
                // include/uapi/asm-generic/unistd.h
                assertThat(AioSyscalls.NR_IO_SETUP).isEqualTo(0);
                assertThat(AioSyscalls.NR_IO_DESTROY).isEqualTo(1);
                assertThat(AioSyscalls.NR_IO_SUBMIT).isEqualTo(2);
                assertThat(AioSyscalls.NR_IO_GETEVENTS).isEqualTo(4);
            }
            case OTHER -> assertThat(AioSyscalls.supportedArch()).isFalse();
        }
    }

    @Test
    void iocbFieldsRoundTrip() {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var iocbs = arena.allocate(Iocb.LAYOUT, 3);
            Iocb.prepare(iocbs, 2, Iocb.IOCB_CMD_PWRITEV, 7, 0x1000L, 3, 1L << 40, 1L << 33);
            assertThat(Iocb.data(iocbs, 2)).isEqualTo(1L << 33);
            assertThat(Iocb.opcode(iocbs, 2)).isEqualTo(Iocb.IOCB_CMD_PWRITEV);
            assertThat(Iocb.fildes(iocbs, 2)).isEqualTo(7);
            assertThat(Iocb.buf(iocbs, 2)).isEqualTo(0x1000L);
            assertThat(Iocb.nbytes(iocbs, 2)).isEqualTo(3);
            assertThat(Iocb.offset(iocbs, 2)).isEqualTo(1L << 40);
            assertThat(iocbs.asSlice(0, 128).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).containsOnly(0);
        }
    }
}
