package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ordering rule on its own: a barrier is released once every earlier write on its fd is done. */
class WriteBarriersTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(16);
    private final List<IoRequest> released = new ArrayList<>();
    private final WriteBarriers barriers = new WriteBarriers(released::add);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private IoRequest write(int fd) {
        IoRequest w = RawRequests.write(fd, 0, buffer);
        barriers.writeAccepted(w);
        return w;
    }

    private IoRequest fsync(int fd) {
        IoRequest f = RawRequests.fsync(fd);
        barriers.barrierAccepted(f);
        return f;
    }

    private void done(IoRequest... writes) {
        for (IoRequest w : writes) {
            barriers.writesDone(barriers.detach(w));
        }
    }

    @Test
    void aBarrierWithNoEarlierWriteIsReleasedAtOnce() {
        IoRequest f = fsync(3);
        assertThat(released).containsExactly(f);
    }

    @Test
    void aBarrierWaitsForEveryEarlierWriteInAnyCompletionOrder() {
        IoRequest w1 = write(3);
        IoRequest w2 = write(3);
        IoRequest w3 = write(3);
        IoRequest f = fsync(3);
        done(w2);
        done(w3);
        assertThat(released).isEmpty();
        done(w1);
        assertThat(released).containsExactly(f);
        assertThat(barriers.writesInFlight()).isZero();
    }

    @Test
    void laterWritesDoNotHoldAnEarlierBarrier() {
        IoRequest w1 = write(3);
        IoRequest f = fsync(3);
        IoRequest w2 = write(3);
        done(w1);
        assertThat(released).containsExactly(f);
        done(w2);
        assertThat(released).containsExactly(f);
    }

    @Test
    void aLaterBarrierWaitsForTheWritesBetweenAndKeepsItsOrder() {
        IoRequest w1 = write(3);
        IoRequest f1 = fsync(3);
        IoRequest w2 = write(3);
        IoRequest f2 = fsync(3);
        IoRequest f3 = fsync(3);
        done(w2);
        assertThat(released).isEmpty();
        done(w1);
        assertThat(released).containsExactly(f1, f2, f3);
    }

    @Test
    void otherFilesAreIndependent() {
        IoRequest a = write(3);
        IoRequest b = write(4);
        IoRequest fa = fsync(3);
        IoRequest fb = fsync(4);
        IoRequest fc = fsync(5);
        assertThat(released).containsExactly(fc);
        done(b);
        assertThat(released).containsExactly(fc, fb);
        done(a);
        assertThat(released).containsExactly(fc, fb, fa);
    }

    @Test
    void mergedWritesAreDoneTogether() {
        IoRequest w1 = write(3);
        IoRequest w2 = write(3);
        IoRequest f = fsync(3);
        barriers.writesDone(barriers.detach(w1), barriers.detach(w2));
        assertThat(released).containsExactly(f);
    }

    @Test
    void aRequestReusedAfterDetachIsTrackedAgain() {
        IoRequest w = write(3);
        Object epoch = barriers.detach(w);
        // The completed request is prepared and accepted again before the first completion is counted.
        barriers.writeAccepted(w);
        IoRequest f = fsync(3);
        barriers.writesDone(epoch);
        assertThat(released).isEmpty();
        done(w);
        assertThat(released).containsExactly(f);
    }

    @Test
    void unregisteredRequestsAreIgnored() {
        IoRequest read = RawRequests.read(3, 0, buffer);
        assertThat(barriers.detach(read)).isNull();
        barriers.writesDone((Object) null);
        assertThat(released).isEmpty();
    }
}
