package dev.ioengine.races;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** What the race tests share: the targets, and per-operation outcome counts. */
final class RaceSupport {
    static final int BLOCK = 4096;
    /** The seed of a run: fixed with -Dioengine.races.seed=S to replay one, else fresh each run. */
    static final long SEED = Long.getLong("ioengine.races.seed", System.nanoTime());

    /** Totals of the race test class running: rounds, operations, outcomes ({@link RaceFigures} publishes them). */
    static final AtomicLong ROUNDS = new AtomicLong();
    static final AtomicLong OPERATIONS = new AtomicLong();
    static final AtomicLong SUCCEEDED = new AtomicLong();
    static final AtomicLong FAILED = new AtomicLong();
    static final AtomicLong CANCELLED = new AtomicLong();

    private RaceSupport() {
    }

    /** Every available engine, buffered and O_DIRECT. */
    static Stream<Arguments> enginesAndModes() {
        return Engines.all().filter(k -> EngineAvailability.probe(k).available())
                .flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    static Stream<EngineKind> engines() {
        return Engines.all().filter(k -> EngineAvailability.probe(k).available());
    }

    /** The pattern op {@code id} writes: every byte the same, never 0 (so an unwritten block tells). */
    static byte pattern(int id) {
        return (byte) (1 + Math.floorMod(id * 31, 255));
    }

    /** A failure a test collects from other threads and asserts once on its own thread. */
    static void assertNoProblems(ConcurrentLinkedQueue<String> problems) {
        assertThat(List.copyOf(problems)).as("problems seen by the racing threads (seed %d)", SEED).isEmpty();
    }

    /** The block at {@code position} of {@code file}, read through the JDK. */
    static ByteBuffer readBlock(Path file, long position) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.READ))) {
            while (b.hasRemaining() && ch.read(b, position + b.position()) > 0) {
                // until the block is whole or the file ends
            }
        }
        return b.flip();
    }

    /** True if the first {@code n} bytes of {@code block} are all {@code value}. */
    static boolean filledWith(ByteBuffer block, int n, byte value) {
        if (block.remaining() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (block.get(block.position() + i) != value) {
                return false;
            }
        }
        return true;
    }

    static Path sizedFile(Path dir, String name, long size) throws IOException {
        Path file = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        return file;
    }
}
