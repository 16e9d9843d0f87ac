package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.leaks.JvmWideResources;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Close and interrupt during transferTo / transferFrom, as OpenJDK's FileChannel/CloseDuringTransfer checks them
 * (written anew here): a transfer either returns a positive count or fails with a {@link ClosedChannelException};
 * an interrupt closes both channels ({@link ClosedByInterruptException}, interrupt status kept); closing one
 * channel leaves the other open. Each case runs several rounds with random delays, on every engine, against each
 * kind of other channel (file, socket, pipe, one the JDK does not know). The cases where the thread is
 * interrupted or the channel closed while the transfer is surely blocked follow, with the exact exception.
 */
class TransferCloseAndInterruptTest extends EngineTestSupport {
    private static final int SOURCE_SIZE = 8 * 1024 * 1024;
    private static final int ROUNDS = 6;
    private static final Random RANDOM = new Random();
    private static ScheduledExecutorService scheduler;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        scheduler = Executors.newScheduledThreadPool(4);
        JvmWideResources.adopt("the JDK's pre-close socket (sun.nio.ch.UnixDispatcher)", () -> {
            SocketChannel.open().close();
            return null;
        });
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
    }

    /** The other end of a transfer. */
    enum Kind { FILE, SOCKET, PIPE, ARBITRARY }

    /** transferTo from the engine's file channel, or transferFrom into it. */
    enum Direction { TO, FROM }

    /** What happens during the transfer. */
    enum Disturbance { CLOSE_FILE, CLOSE_OTHER, INTERRUPT }

    static Stream<Arguments> cases() {
        return engines().flatMap(e -> Stream.of(Direction.values()).flatMap(d -> Stream.of(Kind.values())
                .map(k -> Arguments.of(e, d, k))));
    }

    static Stream<Arguments> disturbedCases() {
        return cases().flatMap(c -> Stream.of(Disturbance.values())
                .map(d -> Arguments.of(c.get()[0], c.get()[1], d, c.get()[2])));
    }

    /**
     * CloseDuringTransfer's six cases: the file channel or the other channel closed, or the thread interrupted,
     * after a random delay; the transfer returns a positive count or fails as the disturbance says.
     */
    @ParameterizedTest
    @MethodSource("disturbedCases")
    void disturbedTransfer(EngineKind engineKind, Direction direction, Disturbance disturbance, Kind kind)
            throws Exception {
        IoEngine engine = open(engineKind);
        for (int round = 0; round < ROUNDS; round++) {
            FileChannel file = direction == Direction.TO ? fileSource(engine) : fileTarget(engine);
            Channel other = direction == Direction.TO ? target(engine, kind) : source(engine, kind);
            try (file; other) {
                Future<?> disturber = switch (disturbance) {
                    case CLOSE_FILE -> scheduleClose(file);
                    case CLOSE_OTHER -> scheduleClose(other);
                    case INTERRUPT -> scheduleInterrupt();
                };
                try {
                    assertThat(transfer(file, direction, other)).isPositive();
                } catch (ClosedChannelException e) {
                    switch (disturbance) {
                        case CLOSE_FILE -> assertThat(file.isOpen()).isFalse();
                        case CLOSE_OTHER -> assertThat(other.isOpen()).isFalse();
                        case INTERRUPT -> {
                            assertThat(e).isInstanceOf(ClosedByInterruptException.class);
                            assertThat(Thread.currentThread().isInterrupted()).isTrue();
                            assertThat(file.isOpen()).isFalse();
                            assertThat(other.isOpen()).isFalse();
                        }
                    }
                } finally {
                    if (disturbance == Disturbance.INTERRUPT) {
                        finishInterrupt(disturber);
                    }
                }
                if (disturbance == Disturbance.CLOSE_FILE) {
                    assertThat(other.isOpen()).isTrue();
                } else if (disturbance == Disturbance.CLOSE_OTHER) {
                    assertThat(file.isOpen()).isTrue();
                }
            }
        }
    }

    // ---- the same, where the outcome is certain --------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("cases")
    void anInterruptedThreadsTransferClosesBoth(EngineKind engineKind, Direction direction, Kind kind)
            throws Exception {
        IoEngine engine = open(engineKind);
        FileChannel file = direction == Direction.TO ? fileSource(engine) : fileTarget(engine);
        Channel other = direction == Direction.TO ? target(engine, kind) : source(engine, kind);
        try (file; other) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> transfer(file, direction, other))
                        .isInstanceOf(ClosedByInterruptException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(file.isOpen()).isFalse();
            assertThat(other.isOpen()).isFalse();
        }
    }

    private static long transfer(FileChannel file, Direction direction, Channel other) throws IOException {
        return direction == Direction.TO ? file.transferTo(0, Long.MAX_VALUE, (WritableByteChannel) other)
                : file.transferFrom((ReadableByteChannel) other, 0, Long.MAX_VALUE);
    }

    /** A socket nobody reads fills up: the transfer blocks writing it until the interrupt. */
    @ParameterizedTest
    @MethodSource("engines")
    void interruptWhileTransferToBlocksOnASocketClosesBoth(EngineKind engineKind) throws Exception {
        IoEngine engine = open(engineKind);
        try (ServerSocketChannel listener = FileTransfersTest.listener();
                SocketChannel target = SocketChannel.open(listener.getLocalAddress());
                SocketChannel stalled = listener.accept();
                FileChannel src = fileSource(engine)) {
            Thread me = Thread.currentThread();
            Future<?> interrupter = scheduler.schedule(me::interrupt, 300, TimeUnit.MILLISECONDS);
            try {
                assertThatThrownBy(() -> src.transferTo(0, Long.MAX_VALUE, target))
                        .isInstanceOf(ClosedByInterruptException.class);
                assertThat(me.isInterrupted()).isTrue();
            } finally {
                finishInterrupt(interrupter);
            }
            assertThat(src.isOpen()).isFalse();
            assertThat(target.isOpen()).isFalse();
        }
    }

    /**
     * Closing the socket a transfer is blocked writing ends the transfer: with what the socket took before the
     * close (a blocking socket's write returns what it wrote when it is closed, as the JDK's sendfile does), or
     * with {@link AsynchronousCloseException}; the file channel stays open.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void closingTheSocketWhileTransferToBlocksOnItEndsIt(EngineKind engineKind) throws Exception {
        IoEngine engine = open(engineKind);
        try (ServerSocketChannel listener = FileTransfersTest.listener();
                SocketChannel target = SocketChannel.open(listener.getLocalAddress());
                SocketChannel stalled = listener.accept();
                FileChannel src = fileSource(engine)) {
            scheduler.schedule(() -> closeQuietly(target), 300, TimeUnit.MILLISECONDS);
            try {
                assertThat(src.transferTo(0, Long.MAX_VALUE, target)).isPositive();
            } catch (ClosedChannelException e) {
                assertThat(e).isInstanceOf(AsynchronousCloseException.class)
                        .isNotInstanceOf(ClosedByInterruptException.class);
            }
            assertThat(src.isOpen()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    /** A socket that never sends: the transfer blocks reading it until the interrupt. */
    @ParameterizedTest
    @MethodSource("engines")
    void interruptWhileTransferFromBlocksOnASocketClosesBoth(EngineKind engineKind) throws Exception {
        IoEngine engine = open(engineKind);
        try (ServerSocketChannel listener = FileTransfersTest.listener();
                SocketChannel src = SocketChannel.open(listener.getLocalAddress());
                SocketChannel silent = listener.accept();
                FileChannel target = fileTarget(engine)) {
            Thread me = Thread.currentThread();
            Future<?> interrupter = scheduler.schedule(me::interrupt, 300, TimeUnit.MILLISECONDS);
            try {
                assertThatThrownBy(() -> target.transferFrom(src, 0, Long.MAX_VALUE))
                        .isInstanceOf(ClosedByInterruptException.class);
            } finally {
                finishInterrupt(interrupter);
            }
            assertThat(src.isOpen()).isFalse();
            assertThat(target.isOpen()).isFalse();
        }
    }

    // ---- channels --------------------------------------------------------------------------------------------

    private FileChannel fileSource(IoEngine engine) throws IOException {
        Path source = Files.createTempFile(dir, "source", ".dat");
        Files.write(source, new byte[SOURCE_SIZE]);
        return EngineChannels.newFileChannel(engine, source, Set.of(READ));
    }

    private FileChannel fileTarget(IoEngine engine) throws IOException {
        Path target = Files.createTempFile(dir, "target", ".dat");
        return EngineChannels.newFileChannel(engine, target, Set.of(CREATE, TRUNCATE_EXISTING, WRITE));
    }

    private WritableByteChannel target(IoEngine engine, Kind kind) throws IOException {
        return switch (kind) {
            case FILE -> fileTarget(engine);
            case SOCKET -> drainedSocket();
            case PIPE -> drainedPipe();
            case ARBITRARY -> new Unknown(fileTarget(engine));
        };
    }

    private ReadableByteChannel source(IoEngine engine, Kind kind) throws IOException {
        return switch (kind) {
            case FILE -> fileSource(engine);
            case SOCKET -> feedingSocket();
            case PIPE -> feedingPipe();
            case ARBITRARY -> new Unknown(fileSource(engine));
        };
    }

    /** A channel the JDK does not know (neither a file channel nor a selectable one): passes IO to a file channel. */
    private record Unknown(FileChannel delegate) implements ByteChannel {
        @Override
        public int read(ByteBuffer b) throws IOException {
            return delegate.read(b);
        }

        @Override
        public int write(ByteBuffer b) throws IOException {
            return delegate.write(b);
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    /** A connected socket whose peer reads everything until the end. */
    private static SocketChannel drainedSocket() throws IOException {
        return connectedSocket(true);
    }

    /** A connected socket whose peer sends {@link #SOURCE_SIZE} bytes, then closes. */
    private static SocketChannel feedingSocket() throws IOException {
        return connectedSocket(false);
    }

    private static SocketChannel connectedSocket(boolean peerDrains) throws IOException {
        try (ServerSocketChannel listener = FileTransfersTest.listener()) {
            SocketChannel near = SocketChannel.open(listener.getLocalAddress());
            SocketChannel far = listener.accept();
            scheduler.execute(() -> serve(far, peerDrains));
            return near;
        }
    }

    private static Pipe.SinkChannel drainedPipe() throws IOException {
        Pipe pipe = Pipe.open();
        scheduler.execute(() -> serve(pipe.source(), true));
        return pipe.sink();
    }

    private static Pipe.SourceChannel feedingPipe() throws IOException {
        Pipe pipe = Pipe.open();
        scheduler.execute(() -> serve(pipe.sink(), false));
        return pipe.source();
    }

    /** The far end: reads until the end, or writes {@link #SOURCE_SIZE} bytes; then closes. */
    private static void serve(Channel far, boolean drain) {
        if (drain) {
            drainAndClose((ReadableByteChannel) far);
        } else {
            feedAndClose((WritableByteChannel) far);
        }
    }

    private static void drainAndClose(ReadableByteChannel ch) {
        try (ch) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            while (ch.read(b) >= 0) {
                b.clear();
            }
        } catch (IOException expected) {
            // the near end was closed
        }
    }

    private static void feedAndClose(WritableByteChannel ch) {
        try (ch) {
            ByteBuffer b = ByteBuffer.allocate(SOURCE_SIZE);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException expected) {
            // the near end was closed
        }
    }

    // ---- scheduling ------------------------------------------------------------------------------------------

    private static Future<?> scheduleClose(Channel channel) {
        return scheduler.schedule(() -> closeQuietly(channel), RANDOM.nextInt(10), TimeUnit.MILLISECONDS);
    }

    private static Future<?> scheduleInterrupt() {
        Thread me = Thread.currentThread();
        return scheduler.schedule(me::interrupt, RANDOM.nextInt(10), TimeUnit.MILLISECONDS);
    }

    /** Waits for the interrupter to have run, then clears this thread's interrupt status. */
    private static void finishInterrupt(Future<?> interrupter) throws Exception {
        while (true) {
            try {
                interrupter.get();
                break;
            } catch (InterruptedException scheduled) {
                // the interrupt this test scheduled, arriving while waiting
            }
        }
        Thread.interrupted();
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
