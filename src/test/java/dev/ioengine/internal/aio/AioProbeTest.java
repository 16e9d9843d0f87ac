package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.internal.linux.Errno;
import org.junit.jupiter.api.Test;

class AioProbeTest {

    @Test
    void aioIsAvailableHereWithItsLimits() {
        EngineAvailability a = AioEngine.probe();
        assertThat(a.kind()).isEqualTo(EngineKind.AIO);
        assertThat(a.available()).as(a.reason()).isTrue();
        assertThat(a.features()).anyMatch(f -> f.matches("aio-max-nr=\\d+"));
        assertThat(a.features()).anyMatch(f -> f.matches("aio-nr=\\d+"));
        assertThat(EngineAvailability.probe(EngineKind.AIO).available()).isTrue();
    }

    @Test
    void setupFailuresSayWhy() {
        assertThat(AioLimits.setupFailure(Errno.ENOSYS, 1)).contains("ENOSYS").contains("CONFIG_AIO");
        assertThat(AioLimits.setupFailure(Errno.EPERM, 1)).contains("EPERM").contains("seccomp");
        assertThat(AioLimits.setupFailure(Errno.EAGAIN, 256)).contains("EAGAIN")
                .containsPattern("fs\\.aio-nr=\\d+ of fs\\.aio-max-nr=\\d+").contains("sysctl");
        assertThat(AioLimits.setupFailure(Errno.ENOMEM, 1)).contains("ENOMEM");
    }

    @Test
    void limitsAreReadFromProc() {
        assertThat(AioLimits.readLimit(AioLimits.AIO_MAX_NR)).matches("\\d+");
        assertThat(AioLimits.readLimit("/proc/sys/fs/no-such-file")).isEqualTo("unknown");
    }
}
