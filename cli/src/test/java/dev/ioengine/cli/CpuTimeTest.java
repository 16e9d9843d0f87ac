package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuTimeTest {
    @Test
    void parsesUtimeAndStimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) java) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 30 0 100 "
                + "1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        CpuTime cpu = CpuTime.parse(stat);
        assertThat(cpu.userNanos()).isEqualTo(250 * 10_000_000L);
        assertThat(cpu.systemNanos()).isEqualTo(75 * 10_000_000L);
        assertThat(cpu.totalNanos()).isEqualTo(325 * 10_000_000L);
    }

    @Test
    void readsThisProcess() {
        CpuTime before = CpuTime.now();
        long spin = 0;
        for (int i = 0; i < 50_000_000; i++) {
            spin += i ^ (spin >>> 3);
        }
        assertThat(spin).isNotZero();
        assertThat(CpuTime.now().minus(before).totalNanos()).isNotNegative();
        assertThat(before.totalNanos()).isPositive();
    }
}
