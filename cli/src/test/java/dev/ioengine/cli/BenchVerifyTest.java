package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --verify} catches a file changed behind its back, and fails with status 1. */
class BenchVerifyTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int BS = 4096;

    @TempDir
    Path dir;

    @Test
    void aFlippedByteIsReportedWithStatus1() {
        long block = 37;
        Result r = run("randread", file -> modify(file, ch -> {
            ByteBuffer one = ByteBuffer.allocate(1);
            long at = block * BS + 1000;
            ch.read(one, at);
            one.flip();
            byte b = one.get();
            ch.write(ByteBuffer.wrap(new byte[] {(byte) ~b}), at);
        }));
        assertThat(r.cli.status()).isEqualTo(1);
        assertThat(r.mismatches()).isPositive();
        Map<String, Object> first = JsonReader.object(r.firstMismatches().getFirst());
        assertThat(first).containsEntry("block", (double) block).containsEntry("offset", (double) block * BS);
        assertThat((String) first.get("reason")).startsWith("crc32c mismatch");
        assertThat(r.cli.err()).contains("verify FAILED", "block 37 at offset " + block * BS, "crc32c mismatch");
    }

    @Test
    void aBlockCopiedToTheWrongPlaceIsReported() {
        Result r = run("read", file -> modify(file, ch -> {
            ByteBuffer b = ByteBuffer.allocate(BS);
            ch.read(b, 0);
            b.flip();
            ch.write(b, 5L * BS);
        }));
        assertThat(r.cli.status()).isEqualTo(1);
        Map<String, Object> first = JsonReader.object(r.firstMismatches().getFirst());
        assertThat(first).containsEntry("block", 5.0);
        assertThat((String) first.get("reason")).contains("belongs at offset 0");
    }

    @Test
    void aStaleBlockFromAnEarlierGenerationIsReported() {
        // The layout wrote generation 1 everywhere; a valid block of generation 2 is "an unexpected write".
        Result r = run("randread", file -> modify(file, ch -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = arena.allocate(BS);
                BlockVerifier.format(block, 9L * BS, 2);
                ch.write(block.asByteBuffer(), 9L * BS);
            }
        }));
        assertThat(r.cli.status()).isEqualTo(1);
        assertThat(r.mismatches()).isPositive();
        Map<String, Object> first = JsonReader.object(r.firstMismatches().getFirst());
        assertThat(first).containsEntry("block", 9.0);
        assertThat((String) first.get("reason")).isEqualTo("generation 2, expected 1 (unexpected write)");
    }

    @Test
    void formatAndCheckAgree() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(512);
            BlockVerifier.format(block, 512 * 7, 3);
            assertThat(BlockVerifier.check(block, 512 * 7, 3)).isNull();
            assertThat(BlockVerifier.check(block, 512 * 7, 4)).isEqualTo("generation 3, expected 4 "
                    + "(a completed write was lost)");
            assertThat(BlockVerifier.check(block, 512 * 8, 3)).contains("belongs at offset 3584");
            block.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 100, (byte) (block.get(
                    java.lang.foreign.ValueLayout.JAVA_BYTE, 100) + 1));
            assertThat(BlockVerifier.check(block, 512 * 7, 3)).startsWith("crc32c mismatch");
            block.fill((byte) 0);
            assertThat(BlockVerifier.check(block, 512 * 7, 3)).startsWith("bad magic");
        }
    }

    private record Result(Cli cli, Map<String, Object> json) {
        double mismatches() {
            return (Double) JsonReader.object(json.get("verify")).get("mismatches");
        }

        List<?> firstMismatches() {
            return (List<?>) JsonReader.object(json.get("verify")).get("first_mismatches");
        }
    }

    private Result run(String rw, Consumer<Path> corrupt) {
        Path file = dir.resolve("verify.dat");
        List<String> args = List.of("--engine=threads", "--rw=" + rw, "--size=1m", "--runtime=0.3", "--iodepth=4",
                "--verify", "--filename=" + file, "--output-format=json");
        Cli cli = assertTimeoutPreemptively(LIMIT, () -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            try (var o = new java.io.PrintStream(out, true); var e = new java.io.PrintStream(err, true)) {
                int status = Main.bench(args, o, e, job -> job.afterLayout(corrupt));
                return new Cli(status, out.toString(), err.toString());
            }
        });
        Map<String, Object> json = JsonReader.object(JsonReader.parse(cli.out()));
        assertThat(json.get("exit_status")).isEqualTo(1.0);
        return new Result(cli, json);
    }

    private interface ChannelAction {
        void apply(FileChannel channel) throws IOException;
    }

    private static void modify(Path file, ChannelAction action) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            action.apply(ch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
