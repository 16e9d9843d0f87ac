package dev.ioengine.limits;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.internal.linux.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Run by {@link JvmExitTest}: submits {@value #BLOCKS} writes of one 4 KiB block each to a file, and then, without
 * waiting for them, ends the JVM while they are in flight. Before it ends, it writes down (with the JDK's own IO)
 * which blocks had completed by then.
 *
 * <p>Arguments: the report file, the directory to work in, the engine ({@code io_uring}, {@code aio},
 * {@code threads}), and how to end:
 * <ul>
 *   <li>{@code exit}: {@code System.exit(EXIT_STATUS)} right after the last submission;</li>
 *   <li>{@code return}: {@code main} returns; only the engine's (daemon) threads are left;</li>
 *   <li>{@code close}: {@code engine.close()} (which drains), then {@code System.exit(EXIT_STATUS)};</li>
 *   <li>{@code provider}: the writes go through an {@link AsynchronousFileChannel} of io-engine's provider instead,
 *       then {@code System.exit(EXIT_STATUS)}.</li>
 * </ul>
 */
public final class ExitProgram {
    static final int BLOCKS = 4000;
    static final int BLOCK = 4096;
    static final int EXIT_STATUS = 42;

    private ExitProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path file = Path.of(args[1]).resolve("blocks.bin");
        EngineKind kind = EngineKind.parse(args[2]);
        String mode = args[3];
        AtomicIntegerArray completed = new AtomicIntegerArray(BLOCKS);
        Outcomes outcomes = new Outcomes();
        if (mode.equals("provider")) {
            submitThroughProvider(kind, file, completed);
        } else {
            IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("exit-" + kind.id()).build());
            int fd = LibC.open(file.toString(), LibC.O_RDWR | LibC.O_CREAT, 0600);
            Arena arena = Arena.ofShared();
            MemorySegment blocks = arena.allocate((long) BLOCKS * BLOCK, BLOCK);
            for (int i = 0; i < BLOCKS; i++) {
                MemorySegment block = blocks.asSlice((long) i * BLOCK, BLOCK);
                fill(block.asByteBuffer(), i);
                int index = i;
                engine.submit(RawRequests.write(fd, (long) i * BLOCK, block).callback(r -> {
                    if (r.isSuccess() && r.result() == BLOCK) {
                        completed.set(index, 1);
                    }
                }));
            }
            if (mode.equals("close")) {
                engine.close();
            }
        }
        BitSet done = new BitSet(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            if (completed.get(i) == 1) {
                done.set(i);
            }
        }
        outcomes.put("submitted", BLOCKS);
        outcomes.put("completedBeforeExit", done.cardinality());
        outcomes.put("completedBlocks", java.util.Base64.getEncoder().encodeToString(done.toByteArray()));
        outcomes.write(report);
        if (!mode.equals("return")) {
            System.exit(EXIT_STATUS);
        }
    }

    private static void submitThroughProvider(EngineKind kind, Path file, AtomicIntegerArray completed)
            throws Exception {
        IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        Path path = provider.getFileSystem(URI.create("file:///")).getPath(file.toString());
        System.setProperty("ioengine.engine", kind.id());
        AsynchronousFileChannel channel = AsynchronousFileChannel.open(path, Set.of(CREATE, WRITE), null);
        for (int i = 0; i < BLOCKS; i++) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            fill(block, i);
            channel.write(block.flip(), (long) i * BLOCK, i, new CompletionHandler<Integer, Integer>() {
                @Override
                public void completed(Integer written, Integer index) {
                    if (written == BLOCK) {
                        completed.set(index, 1);
                    }
                }

                @Override
                public void failed(Throwable failure, Integer index) {
                    // Not counted as completed: the test then accepts the block whole or absent.
                }
            });
        }
    }

    /** Block {@code index}'s bytes: its index, then bytes that depend on it and on their place. */
    static void fill(ByteBuffer block, int index) {
        block.clear();
        block.putInt(index);
        while (block.hasRemaining()) {
            block.put((byte) (index * 7 + block.position()));
        }
    }

    /** Whether {@code bytes} is block {@code index} exactly. */
    static boolean isBlock(byte[] bytes, int index) {
        ByteBuffer expected = ByteBuffer.allocate(BLOCK);
        fill(expected, index);
        return ByteBuffer.wrap(bytes).equals(expected.flip());
    }
}
