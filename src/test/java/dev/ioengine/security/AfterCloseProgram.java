package dev.ioengine.security;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.channels.EngineChannels;
import dev.ioengine.internal.linux.LibC;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Run in a JVM of its own by {@link SecurityTest}: uses engines, requests and memory after they were closed or
 * freed, and records what each misuse threw. If any of them reached freed native memory the JVM would crash
 * instead, and the test sees the exit status. Writes {@code <engine>.<misuse>=<exception class>} and
 * {@code survived=true}.
 */
public final class AfterCloseProgram {
    static final List<String> MISUSES = List.of("submitAfterClose", "trySubmitAfterClose", "executeAfterClose",
            "reuseRequestAfterClose", "closedArenaOnLiveEngine", "closedArenaInVectorOnLiveEngine",
            "resultMemoryAfterArenaClosed", "channelAfterEngineClose", "allocateInClosedArena", "closeTwice");

    private AfterCloseProgram() {
    }

    @FunctionalInterface
    private interface Misuse {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Properties results = new Properties();
        Path dir = Path.of(args[1]);
        Path file = Files.write(dir.resolve("after-close"), new byte[8192]);
        for (EngineKind kind : List.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)) {
            if (!EngineAvailability.probe(kind).available()) {
                continue;
            }
            int fd = LibC.open(file.toString(), LibC.O_RDWR, 0);
            IoEngineConfig config = IoEngineConfig.builder().engine(kind).name("after-close-" + kind.id()).build();
            IoEngine engine = IoEngine.open(config);
            IoEngine live = IoEngine.open(config.toBuilder().name("after-close-live-" + kind.id()).build());
            Arena arena = Arena.ofShared();
            MemorySegment block = arena.allocate(4096, 4096);
            IoRequest done = RawRequests.read(fd, 0, block);
            engine.execute(done);
            FileChannel channel = EngineChannels.newFileChannel(engine, file, Set.of(StandardOpenOption.READ));
            engine.close();
            String p = kind.id() + ".";
            record(results, p + "submitAfterClose", () -> engine.submit(RawRequests.read(fd, 0, block)));
            record(results, p + "trySubmitAfterClose", () -> {
                if (!engine.trySubmit(RawRequests.read(fd, 0, block))) {
                    throw new IllegalStateException("trySubmit refused");
                }
            });
            record(results, p + "executeAfterClose", () -> engine.execute(RawRequests.write(fd, 0, block)));
            record(results, p + "reuseRequestAfterClose", () -> engine.submit(RawRequests.prepareRead(done, fd, 4096, block)));
            Arena gone = Arena.ofShared();
            MemorySegment freed = gone.allocate(4096, 4096);
            gone.close();
            record(results, p + "closedArenaOnLiveEngine", () -> live.execute(RawRequests.read(fd, 0, freed)));
            record(results, p + "closedArenaInVectorOnLiveEngine",
                    () -> live.execute(RawRequests.readv(fd, 0, block, freed)));
            arena.close();
            record(results, p + "resultMemoryAfterArenaClosed", () -> done.segment().get(ValueLayout.JAVA_BYTE, 0));
            // On a virtual thread, where the channel's calls are the engine's requests (a platform thread's are its
            // own system calls, which need no engine).
            record(results, p + "channelAfterEngineClose", () -> onVirtualThread(
                    () -> channel.read(ByteBuffer.allocate(16), 0)));
            record(results, p + "allocateInClosedArena", () -> AlignedBuffers.allocate(gone, 4096, 4096));
            record(results, p + "closeTwice", () -> {
                engine.close();
                channel.close();
                channel.close();
                throw new IllegalStateException("closed twice without harm");
            });
            live.close();
            LibC.close(fd);
        }
        results.setProperty("survived", "true");
        try (Writer out = Files.newBufferedWriter(Path.of(args[0]))) {
            results.store(out, "misuse after close");
        }
    }

    private static void onVirtualThread(Misuse misuse) throws Exception {
        Exception[] failure = new Exception[1];
        Thread.ofVirtual().start(() -> {
            try {
                misuse.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        }).join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void record(Properties results, String key, Misuse misuse) {
        try {
            misuse.run();
            results.setProperty(key, "NO EXCEPTION");
        } catch (Exception e) {
            results.setProperty(key, e.getClass().getName() + ": " + e.getMessage());
        } catch (Throwable t) {
            results.setProperty(key, "UNEXPECTED " + t);
        }
    }
}
