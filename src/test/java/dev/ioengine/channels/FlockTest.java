package dev.ioengine.channels;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** struct flock against /usr/include/asm-generic/fcntl.h (x86_64 and aarch64 share it; no __ARCH_FLOCK_PAD). */
class FlockTest {
    @Test
    void layoutMatchesTheUapiHeader() {
        assertThat(Flock.LAYOUT.byteSize()).isEqualTo(32);
        assertThat(Flock.LAYOUT.byteOffset(groupElement("l_type"))).isEqualTo(0);
        assertThat(Flock.LAYOUT.byteOffset(groupElement("l_whence"))).isEqualTo(2);
        assertThat(Flock.LAYOUT.byteOffset(groupElement("l_start"))).isEqualTo(8);
        assertThat(Flock.LAYOUT.byteOffset(groupElement("l_len"))).isEqualTo(16);
        assertThat(Flock.LAYOUT.byteOffset(groupElement("l_pid"))).isEqualTo(24);
    }

    @Test
    void constantsMatchTheUapiHeader() {
        // asm-generic/fcntl.h: F_GETLK 5, F_SETLK 6, F_SETLKW 7; F_RDLCK 0, F_WRLCK 1, F_UNLCK 2.
        assertThat(new int[] {Flock.F_GETLK, Flock.F_SETLK, Flock.F_SETLKW}).containsExactly(5, 6, 7);
        assertThat(new int[] {Flock.F_RDLCK, Flock.F_WRLCK, Flock.F_UNLCK}).containsExactly(0, 1, 2);
    }
}
