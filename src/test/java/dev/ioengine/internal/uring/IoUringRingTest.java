package dev.ioengine.internal.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.ErrnoException;
import dev.ioengine.internal.linux.Errno;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The ring on its own, driven by hand from the test thread: setup, SQ, CQ, rewind, CQ overflow, close. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringRingTest {
    /** No kernel knows this setup flag: io_uring_setup says EINVAL. */
    private static final int UNKNOWN_FLAG = 1 << 30;

    @TempDir
    Path dir;

    private Arena arena;
    private MemorySegment state;
    private int fd;

    @BeforeEach
    void openFile() throws Exception {
        arena = Arena.ofShared();
        state = Native.newCallState(arena);
        Path file = dir.resolve("data");
        Files.write(file, new byte[64 * 1024]);
        fd = LibC.open(file.toString(), LibC.O_RDONLY, 0);
        assertThat(fd).isGreaterThanOrEqualTo(0);
    }

    @AfterEach
    void close() {
        LibC.close(fd);
        arena.close();
    }

    @Test
    void setupMovesOnFromFlagsTheKernelRefusesWithEinval() throws Exception {
        try (IoUringRing ring = IoUringRing.setUp(state, 4, new int[] {UNKNOWN_FLAG, 0}, 0)) {
            assertThat(ring.setupFlags()).isZero();
            assertThat(ring.submissionQueue().entries()).isEqualTo(4);
            assertThat(ring.completionQueue().entries()).isEqualTo(8);
            assertThat(ring.features() & IoUringConstants.IORING_FEAT_SINGLE_MMAP).isNotZero();
        }
        assertThatThrownBy(() -> IoUringRing.setUp(state, 4, new int[] {UNKNOWN_FLAG}, 0))
                .isInstanceOf(ErrnoException.class).hasMessageContaining("EINVAL");
    }

    @Test
    void aReadGoesThroughTheRingAndComesBackWithItsUserData() throws Exception {
        try (IoUringRing ring = IoUringRing.setUp(state, 4, new int[] {0}, 0)) {
            SubmissionQueue sq = ring.submissionQueue();
            CompletionQueue cq = ring.completionQueue();
            MemorySegment buffer = arena.allocate(4096);
            sq.prepareRead(fd, buffer.address(), 4096, 8192, 42);
            sq.prepareRead(fd, buffer.address(), 4096, 64 * 1024, 43);
            assertThat(sq.flush()).isEqualTo(2);
            int consumed = IoUringSyscalls.enter(state, ring.fd(), 2, 2, IoUringConstants.IORING_ENTER_GETEVENTS);
            assertThat(consumed).isEqualTo(2);
            assertThat(sq.pending()).isZero();
            long[] userData = new long[8];
            int[] res = new int[8];
            assertThat(cq.drain(userData, res, 8)).isEqualTo(2);
            assertThat(userData[0] + userData[1]).isEqualTo(85);
            assertThat(userData[0] == 42 ? res[0] : res[1]).isEqualTo(4096);
            assertThat(userData[0] == 43 ? res[0] : res[1]).as("at EOF").isZero();
            assertThat(cq.ready()).isZero();
        }
    }

    @Test
    void publishedEntriesCanBeTakenBackBeforeTheKernelSeesThem() throws Exception {
        try (IoUringRing ring = IoUringRing.setUp(state, 4, new int[] {0}, 0)) {
            SubmissionQueue sq = ring.submissionQueue();
            MemorySegment buffer = arena.allocate(16);
            sq.prepareRead(fd, buffer.address(), 16, 0, 1);
            sq.prepareRead(fd, buffer.address(), 16, 0, 2);
            sq.flush();
            int head = sq.kernelHead();
            assertThat(sq.userDataAt(head)).isEqualTo(1);
            assertThat(sq.userDataAt(head + 1)).isEqualTo(2);
            sq.rewindTo(head);
            assertThat(sq.pending()).isZero();
            assertThat(IoUringSyscalls.enter(state, ring.fd(), 0, 0, IoUringConstants.IORING_ENTER_GETEVENTS))
                    .isZero();
            assertThat(ring.completionQueue().ready()).isZero();
        }
    }

    @Test
    void aFullSubmissionQueueRefusesMoreEntries() throws Exception {
        try (IoUringRing ring = IoUringRing.setUp(state, 2, new int[] {0}, 0)) {
            SubmissionQueue sq = ring.submissionQueue();
            sq.prepareFsync(fd, false, 1);
            sq.prepareFsync(fd, true, 2);
            assertThat(sq.free()).isZero();
            assertThatThrownBy(() -> sq.prepareFsync(fd, false, 3)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void completionsBeyondTheCqWaitInTheOverflowListUntilAnEnterWithGetevents() throws Exception {
        try (IoUringRing ring = IoUringRing.setUp(state, 1, new int[] {0}, 0)) {
            assertThat(ring.features() & IoUringConstants.IORING_FEAT_NODROP).isNotZero();
            SubmissionQueue sq = ring.submissionQueue();
            CompletionQueue cq = ring.completionQueue();
            MemorySegment buffer = arena.allocate(16);
            int requests = cq.entries() + 3;
            for (int i = 0; i < requests; i++) {
                sq.prepareRead(fd, buffer.address(), 16, 0, i);
                sq.flush();
                assertThat(IoUringSyscalls.enter(state, ring.fd(), 1, 1, IoUringConstants.IORING_ENTER_GETEVENTS))
                        .isEqualTo(1);
            }
            assertThat(sq.cqOverflow()).as("IORING_SQ_CQ_OVERFLOW").isTrue();
            long[] userData = new long[requests];
            int[] res = new int[requests];
            int reaped = 0;
            while (reaped < requests) {
                int n = cq.drain(userData, res, requests);
                reaped += n;
                if (n == 0) {
                    assertThat(IoUringSyscalls.enter(state, ring.fd(), 0, 0,
                            IoUringConstants.IORING_ENTER_GETEVENTS)).isGreaterThanOrEqualTo(0);
                }
            }
            assertThat(reaped).isEqualTo(requests);
            assertThat(sq.cqOverflow()).isFalse();
            assertThat(cq.overflow()).as("nothing dropped").isZero();
        }
    }

    @Test
    void closingTheRingClosesItsDescriptor() throws Exception {
        IoUringRing ring = IoUringRing.setUp(state, 2, new int[] {0}, 0);
        int ringFd = ring.fd();
        ring.close();
        ring.close();
        assertThat(LibC.fcntl(ringFd, LibC.F_GETFL, 0)).isEqualTo(-Errno.EBADF);
    }
}
