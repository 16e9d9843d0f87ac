package dev.ioengine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.ForkedJvm;
import dev.ioengine.Engines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JVM ends while thousands of writes are in flight ({@link ExitProgram}), on each engine: by
 * {@code System.exit}, by {@code main} returning with only the engine's daemon threads left, by
 * {@code System.exit} after {@code engine.close()}, and by {@code System.exit} with the writes in flight on an
 * {@code AsynchronousFileChannel} of io-engine's provider.
 *
 * <p>What the README documents: the engine's threads are daemon threads, there is no shutdown hook, and IO still in
 * flight when the JVM exits is not waited for (as with the JDK's own {@code AsynchronousFileChannel}); {@code close()}
 * drains. So asserted: the JVM ends, promptly (no hang: bounded by {@link ForkedJvm#TIMEOUT_SECONDS}), with the
 * status asked for, no crash log and no thread dying; every block whose completion had been reported before the exit
 * is in the file, whole; every other block is either whole or absent, never torn or foreign; after
 * {@code close()}, every block is whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmExitTest {
    /** The forked JVMs run three at a time (each is mostly one thread starting up), so the class takes seconds. */
    private static final int AT_ONCE = 3;
    private final Map<String, ForkedJvm> runs = new ConcurrentHashMap<>();

    /**
     * Each engine ends each way through the engine API; the provider's channel on io_uring only (the way its
     * engine ends is what the engine API runs show).
     */
    static Stream<Arguments> endings() {
        List<Arguments> all = new ArrayList<>();
        for (EngineKind kind : List.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)) {
            for (String mode : List.of("exit", "return", "close")) {
                all.add(Arguments.of(kind, mode));
            }
        }
        all.add(Arguments.of(EngineKind.IO_URING, "provider"));
        return all.stream();
    }

    @BeforeAll
    void runThePrograms(@TempDir Path tmp) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (Arguments a : endings().toList()) {
                EngineKind kind = (EngineKind) a.get()[0];
                String mode = (String) a.get()[1];
                Path work = tmp.resolve(kind.id() + "-" + mode);
                started.add(pool.submit(() -> runs.put(kind.id() + "-" + mode,
                        ForkedJvm.launch(ExitProgram.class).options(ForkedJvm.NATIVE_ACCESS, "-Xmx256m").withReport()
                                .arguments(work.toString(), kind.id(), mode).run(work))));
            }
            for (Future<?> f : started) {
                f.get(2 * ForkedJvm.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("endings")
    void theJvmEndsWithWritesInFlightAsDocumented(EngineKind kind, String mode, TestReporter reporter)
            throws Exception {
        Engines.assumeAvailable(kind);
        ForkedJvm jvm = runs.get(kind.id() + "-" + mode);
        Path work = jvm.work();
        jvm.assertExitedCleanly(mode.equals("return") ? 0 : ExitProgram.EXIT_STATUS).assertNoThreadDied();

        BitSet completedBeforeExit = BitSet.valueOf(Base64.getDecoder().decode(jvm.get("completedBlocks")));
        Blocks onDisk = Blocks.read(work.resolve("blocks.bin"));
        assertThat(onDisk.torn).as("blocks neither whole nor absent").isEmpty();
        BitSet lost = (BitSet) completedBeforeExit.clone();
        lost.andNot(onDisk.whole);
        assertThat(lost.stream().boxed().toList()).as("blocks reported complete before the exit, not in the file")
                .isEmpty();
        if (mode.equals("close")) {
            assertThat(onDisk.whole.cardinality()).as("close() drains: every block is written")
                    .isEqualTo(ExitProgram.BLOCKS);
        }
        String figures = kind.id() + ", " + mode + ": " + ExitProgram.BLOCKS + " submitted, "
                + completedBeforeExit.cardinality() + " reported complete before the exit, "
                + onDisk.whole.cardinality() + " whole in the file, " + onDisk.absent + " absent, 0 torn; the JVM ran "
                + String.format("%.1f", jvm.seconds()) + " s";
        reporter.publishEntry("figures", figures);
        Files.createDirectories(FIGURES.getParent());
        Files.writeString(FIGURES, figures + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static final Path FIGURES = Path.of("target", "limits", "jvm-exit.txt");

    /** The blocks of the file: which are whole, how many are absent (zeros, or past the end), which are neither. */
    private record Blocks(BitSet whole, int absent, List<Integer> torn) {
        static Blocks read(Path file) throws IOException {
            BitSet whole = new BitSet(ExitProgram.BLOCKS);
            int absent = 0;
            List<Integer> torn = new ArrayList<>();
            if (!Files.exists(file)) {
                return new Blocks(whole, ExitProgram.BLOCKS, torn);
            }
            try (FileChannel channel = FileChannel.open(file)) {
                for (int i = 0; i < ExitProgram.BLOCKS; i++) {
                    ByteBuffer block = ByteBuffer.allocate(ExitProgram.BLOCK);
                    while (block.hasRemaining()
                            && channel.read(block, (long) i * ExitProgram.BLOCK + block.position()) > 0) {
                        continue;
                    }
                    byte[] bytes = block.array();
                    if (ExitProgram.isBlock(bytes, i)) {
                        whole.set(i);
                    } else if (isZero(bytes)) {
                        absent++;
                    } else {
                        torn.add(i);
                    }
                }
            }
            return new Blocks(whole, absent, torn);
        }

        private static boolean isZero(byte[] bytes) {
            for (byte b : bytes) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
