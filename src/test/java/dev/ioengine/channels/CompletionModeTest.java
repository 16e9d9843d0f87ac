package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The channels work on engines delivering on an executor as well as inline, and refuse polled engines. */
class CompletionModeTest extends EngineTestSupport {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("engines")
    void channelsWorkWithExecutorCompletion(EngineKind kind) throws Exception {
        ExecutorService completions = Executors.newFixedThreadPool(2);
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).completionExecutor(completions)
                .build())) {
            Path file = dir.resolve("f");
            try (FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(READ, WRITE, CREATE))) {
                assertThat(ch.write(ByteBuffer.wrap("hello".getBytes()))).isEqualTo(5);
                ByteBuffer b = ByteBuffer.allocate(5);
                assertThat(ch.read(b, 0)).isEqualTo(5);
                assertThat(new String(b.array())).isEqualTo("hello");
            }
            try (AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file, Set.of(READ),
                    null)) {
                ByteBuffer b = ByteBuffer.allocateDirect(5);
                assertThat(ch.read(b, 0).get(30, TimeUnit.SECONDS)).isEqualTo(5);
            }
        } finally {
            completions.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void polledEnginesAreRefused(EngineKind kind) throws Exception {
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind)
                .completionMode(CompletionMode.POLLED).build())) {
            assertThatThrownBy(() -> EngineChannels.newFileChannel(engine, dir.resolve("f"), Set.of(WRITE, CREATE)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("POLLED");
        }
    }
}
