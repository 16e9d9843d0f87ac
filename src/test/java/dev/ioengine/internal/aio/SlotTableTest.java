package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.IoRequest;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlotTableTest {

    @Test
    void everySlotIsHandedOutOnceUntilReleased() {
        SlotTable table = new SlotTable(4);
        Set<Integer> taken = new HashSet<>();
        IoRequest[] requests = new IoRequest[4];
        for (int i = 0; i < 4; i++) {
            requests[i] = new IoRequest();
            taken.add(table.acquire(requests[i]));
        }
        assertThat(taken).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(table.inUse()).isEqualTo(4);
        assertThatThrownBy(() -> table.acquire(new IoRequest())).isInstanceOf(IllegalStateException.class);
        int slot = taken.iterator().next();
        IoRequest back = table.release(slot);
        assertThat(back).isNotNull();
        assertThat(table.release(slot)).as("released twice").isNull();
        assertThat(table.awaitFree()).isEqualTo(1);
        assertThat(table.acquire(back)).isEqualTo(slot);
    }

    @Test
    void eventsForUnknownSlotsAreRefused() {
        SlotTable table = new SlotTable(2);
        assertThat(table.release(-1)).isNull();
        assertThat(table.release(2)).isNull();
        assertThat(table.release(1L << 32)).as("not truncated to a valid index").isNull();
        assertThat(table.release(0)).as("free slot").isNull();
    }

    @Test
    void aReleaseWakesAWaiter() throws Exception {
        SlotTable table = new SlotTable(1);
        int slot = table.acquire(new IoRequest());
        long seen = table.releases();
        Thread releaser = Thread.ofPlatform().start(() -> table.release(slot));
        table.awaitReleaseAfter(seen, TimeUnit.SECONDS.toNanos(30));
        releaser.join();
        assertThat(table.releases()).isEqualTo(seen + 1);
        assertThat(table.awaitFree()).isEqualTo(1);
    }
}
