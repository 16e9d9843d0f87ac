package dev.ioengine.internal.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.IoEngine;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.internal.linux.LibC;
import dev.ioengine.internal.linux.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Holds an AIO engine's submitter inside {@code io_submit}, so that requests submitted meanwhile queue up and go
 * to the kernel together, in one batch, once the gate opens: a read of an empty eventfd blocks in
 * {@code io_submit} (eventfd has no asynchronous read) until {@link #open()} writes to it.
 */
final class SubmitterGate implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int eventFd;
    private final IoRequest gate;
    private boolean opened;

    SubmitterGate(IoEngine engine, String engineName) throws InterruptedException {
        eventFd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        assertThat(eventFd).isGreaterThanOrEqualTo(0);
        gate = RawRequests.read(eventFd, 0, arena.allocate(8));
        engine.submit(gate);
        Thread submitter = AioTestSupport.threadsOf(engineName).stream()
                .filter(t -> t.getName().endsWith("-submitter")).findFirst().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!insideIoSubmit(submitter)) {
            assertThat(System.nanoTime()).as("submitter enters io_submit").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private static boolean insideIoSubmit(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("ioSubmit"));
    }

    /** Lets the held io_submit return, and waits for the gate's read to complete. */
    void open() throws InterruptedException {
        MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        assertThat(LibC.write(Native.callState(), eventFd, one, 8)).isEqualTo(8);
        assertThat(gate.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.result()).isEqualTo(8);
        opened = true;
    }

    @Override
    public void close() throws InterruptedException {
        if (!opened) {
            open();
        }
        LibC.close(eventFd);
        arena.close();
    }
}
