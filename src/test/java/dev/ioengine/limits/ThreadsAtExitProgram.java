package dev.ioengine.limits;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Run by {@link ThreadsAtExitTest} in a JVM of its own: opens an engine of the kind named by its second argument, reads
 * through it, and returns from {@code main}. A shutdown hook of its own then watches the engine's threads: once the
 * JVM's exit has begun, each must wait parked in Java (WAITING or TIMED_WAITING), not in a system call
 * (RUNNABLE), or HotSpot's exit waits for it. Then the hook reads through the engine once more: the engine still
 * serves other shutdown hooks. Reports {@code parked}, the threads' last states, and {@code readDuringExit}.
 */
public final class ThreadsAtExitProgram {
    private ThreadsAtExitProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        EngineKind kind = EngineKind.valueOf(args[1]);
        IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("exit").nowait(false).build());
        Path file = Files.writeString(report.resolveSibling("data"), "exit");
        FileChannel channel = EngineChannels.newFileChannel(engine, file, Set.of(StandardOpenOption.READ));
        channel.read(ByteBuffer.allocate(4), 0);
        List<Thread> engineThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("exit-")).toList();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Properties results = new Properties();
            boolean parked = false;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!parked && System.nanoTime() < deadline) {
                parked = engineThreads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                        || t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.TERMINATED);
                if (!parked) {
                    Thread.onSpinWait();
                }
            }
            results.setProperty("parked", Boolean.toString(parked));
            StringBuilder states = new StringBuilder();
            engineThreads.forEach(t -> states.append(t.getName()).append('=').append(t.getState()).append(' '));
            results.setProperty("states", states.toString().trim());
            try {
                ByteBuffer b = ByteBuffer.allocate(4);
                channel.read(b, 0);
                results.setProperty("readDuringExit", new String(b.array(), 0, b.position()));
                try (Writer out = Files.newBufferedWriter(report)) {
                    results.store(out, null);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }
}
