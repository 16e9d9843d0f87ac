package dev.ioengine.internal.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.internal.linux.Errno;
import org.junit.jupiter.api.Test;

/** The probe on this machine, where io_uring works (kernel 6.x, io_uring_disabled=0). */
class IoUringProbeTest {

    @Test
    void ioUringIsAvailableWithTheOpcodesIoEngineNeeds() {
        EngineAvailability a = IoUringEngine.probe();
        assertThat(a.kind()).isEqualTo(EngineKind.IO_URING);
        assertThat(a.available()).as(a.reason()).isTrue();
        assertThat(a.reason()).startsWith("io_uring on Linux ");
        assertThat(a.features()).contains("IORING_FEAT_SINGLE_MMAP", "IORING_FEAT_NODROP", "IORING_OP_READ",
                "IORING_OP_WRITE", "IORING_OP_READV", "IORING_OP_WRITEV", "IORING_OP_FSYNC", "IORING_OP_FALLOCATE");
    }

    @Test
    void theProbeReportsTheSetupFlagsThisKernelAccepts() {
        // Linux 6.1 and later accept all four.
        assertThat(IoUringEngine.probe().features()).contains("IORING_SETUP_SUBMIT_ALL", "IORING_SETUP_COOP_TASKRUN",
                "IORING_SETUP_SINGLE_ISSUER", "IORING_SETUP_DEFER_TASKRUN");
    }

    @Test
    void setupFailuresAreExplained() {
        assertThat(KernelSupport.setupFailure(Errno.ENOSYS)).contains("ENOSYS", "CONFIG_IO_URING");
        assertThat(KernelSupport.setupFailure(Errno.EPERM)).contains("EPERM", "kernel.io_uring_disabled");
        assertThat(KernelSupport.setupFailure(Errno.EINVAL)).contains("EINVAL");
    }

    @Test
    void featureNamesFollowTheHeader() {
        assertThat(IoUringConstants.featureNames(IoUringConstants.IORING_FEAT_SINGLE_MMAP
                | IoUringConstants.IORING_FEAT_EXT_ARG | (1 << 30)))
                .containsExactly("IORING_FEAT_SINGLE_MMAP", "IORING_FEAT_EXT_ARG", "IORING_FEAT_BIT_30");
    }
}
