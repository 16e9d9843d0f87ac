package dev.ioengine.reliability;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import dev.ioengine.leaks.JvmWideResources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.FileLock;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, item 3: a lock taken through io-engine's channels is seen held by another process ({@link LockProbe},
 * a JVM on the JDK's own provider) after every operation of the channel, those that may open or close a descriptor
 * inside included (map, transfers, size, truncate, force...), and seen free once released. POSIX record locks
 * belong to the process and file: closing any descriptor of the file drops them all, so no operation may open and
 * close one of its own. The JDK's own channels run the same list and pass: the test is right.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LockVisibilityTest {
    private static final int SIZE = 64 * 1024;
    private static final Set<OpenOption> READ_WRITE = Set.of(READ, WRITE);

    private static Process probe;
    private static PrintStream toProbe;
    private static BufferedReader fromProbe;

    @TempDir
    Path dir;

    private IoEngine engine;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A channel operation, given the locked file's channel and another file's path. */
    private interface Operation {
        void run(FileChannel ch, Path other) throws Exception;
    }

    private interface AsyncOperation {
        void run(AsynchronousFileChannel ch) throws Exception;
    }

    @BeforeAll
    static void startProbe(@TempDir Path scratch) throws Exception {
        JvmWideResources.adopt("the JDK's FileChannel.transferTo to a pipe keeps a socket open for the JVM's life",
                () -> {
                    Path file = Files.write(scratch.resolve("to-pipe"), new byte[10]);
                    Pipe pipe = Pipe.open();
                    try (FileChannel ch = FileChannel.open(file, READ); Pipe.SinkChannel sink = pipe.sink();
                            Pipe.SourceChannel source = pipe.source()) {
                        ch.transferTo(0, 10, sink);
                    }
                    return null;
                });
        String java = ProcessHandle.current().info().command().orElseGet(
                () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toProbe = new PrintStream(probe.getOutputStream(), true, StandardCharsets.UTF_8);
        fromProbe = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
        assertThat(fromProbe.readLine()).isEqualTo("ready");
    }

    @AfterAll
    static void stopProbe() throws Exception {
        if (probe != null) {
            toProbe.close();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            fromProbe.close();
            probe.getErrorStream().close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** "held", "free" or "error ...": what the other process finds when it tries to lock {@code file}. */
    private static String seenByAnotherProcess(Path file) throws IOException {
        toProbe.println(file);
        String answer = fromProbe.readLine();
        assertThat(answer).as("the probe process's answer").isNotNull();
        return answer;
    }

    static Stream<String> targets() {
        return Stream.concat(Stream.of("jdk"), Engines.all().map(EngineKind::id));
    }

    private Path file(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, new byte[SIZE]);
        return file;
    }

    private FileChannel open(String target, Path file, Set<OpenOption> options) throws IOException {
        FileChannel ch = target.equals("jdk") ? FileChannel.open(file, options)
                : EngineChannels.newFileChannel(engine(target), file, options);
        toClose.add(ch);
        return ch;
    }

    private IoEngine engine(String target) throws IOException {
        if (engine == null) {
            engine = Engines.open(kindOf(target), IoEngineConfig.builder().name("lock-visibility"));
        }
        return engine;
    }

    private static EngineKind kindOf(String target) {
        return Engines.all().filter(k -> k.id().equals(target)).findFirst().orElseThrow();
    }

    /** Every FileChannel operation, by name, in the order run. */
    private Map<String, Operation> fileChannelOperations(String target) {
        Map<String, Operation> ops = new LinkedHashMap<>();
        ops.put("size", (ch, o) -> ch.size());
        ops.put("position", (ch, o) -> ch.position());
        ops.put("position(long)", (ch, o) -> ch.position(10));
        ops.put("read", (ch, o) -> ch.read(ByteBuffer.allocate(100)));
        ops.put("read at", (ch, o) -> ch.read(ByteBuffer.allocate(100), 1000));
        ops.put("read direct at", (ch, o) -> ch.read(ByteBuffer.allocateDirect(4096), 4096));
        ops.put("scattering read", (ch, o) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(10),
                ByteBuffer.allocateDirect(10)}));
        ops.put("write", (ch, o) -> ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        ops.put("write at", (ch, o) -> ch.write(ByteBuffer.wrap(new byte[] {4, 5, 6}), 2000));
        ops.put("write direct at", (ch, o) -> ch.write(ByteBuffer.allocateDirect(4096), 8192));
        ops.put("gathering write", (ch, o) -> ch.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {7}),
                ByteBuffer.allocateDirect(7)}));
        ops.put("write past the end", (ch, o) -> ch.write(ByteBuffer.wrap(new byte[] {8}), SIZE + 100));
        ops.put("truncate", (ch, o) -> ch.truncate(SIZE));
        ops.put("force(true)", (ch, o) -> ch.force(true));
        ops.put("force(false)", (ch, o) -> ch.force(false));
        ops.put("map READ_ONLY", (ch, o) -> keep(ch.map(MapMode.READ_ONLY, 0, SIZE)));
        ops.put("map READ_WRITE", (ch, o) -> keep(ch.map(MapMode.READ_WRITE, 4096, 4096)).put(0, (byte) 9));
        ops.put("map PRIVATE", (ch, o) -> keep(ch.map(MapMode.PRIVATE, 0, 4096)));
        ops.put("map to a segment, arena closed", (ch, o) -> {
            try (Arena arena = Arena.ofConfined()) {
                ch.map(MapMode.READ_WRITE, 0, 4096, arena).set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                        (byte) 10);
            }
        });
        ops.put("transferTo a file", (ch, o) -> {
            try (FileChannel to = FileChannel.open(o, WRITE)) {
                ch.transferTo(0, SIZE, to);
            }
        });
        ops.put("transferTo io-engine's channel of a file", (ch, o) -> {
            try (FileChannel to = open(target, o, READ_WRITE)) {
                ch.transferTo(0, SIZE, to);
            }
        });
        ops.put("transferTo a pipe", (ch, o) -> {
            Pipe pipe = Pipe.open();
            try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
                ch.transferTo(0, 1000, sink);
                source.read(ByteBuffer.allocate(1000));
            }
        });
        ops.put("transferFrom a file", (ch, o) -> {
            try (FileChannel from = FileChannel.open(o, READ)) {
                ch.transferFrom(from, 0, SIZE);
            }
        });
        ops.put("transferFrom io-engine's channel of a file", (ch, o) -> {
            try (FileChannel from = open(target, o, Set.of(READ))) {
                ch.transferFrom(from, 0, SIZE);
            }
        });
        ops.put("transferFrom a pipe", (ch, o) -> {
            Pipe pipe = Pipe.open();
            try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
                sink.write(ByteBuffer.wrap(new byte[100]));
                sink.close();
                ch.transferFrom(source, 0, 100);
            }
        });
        ops.put("transferFrom itself", (ch, o) -> ch.transferFrom(ch.position(0), 4096, 100));
        ops.put("tryLock of a region beyond, released", (ch, o) -> ch.tryLock(Long.MAX_VALUE - 10, 5, false));
        ops.put("isOpen", (ch, o) -> ch.isOpen());
        return ops;
    }

    private final List<Object> kept = new ArrayList<>();

    private MappedByteBuffer keep(MappedByteBuffer b) {
        kept.add(b);
        return b;
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aFileChannelsLockStaysVisibleToAnotherProcess(String target) throws Exception {
        Path file = file("locked");
        Path other = file("other");
        FileChannel ch = open(target, file, Set.of(READ, WRITE, CREATE));
        assertThat(seenByAnotherProcess(file)).as("before lock").isEqualTo("free");
        FileLock lock = ch.lock();
        assertThat(seenByAnotherProcess(file)).as("after lock").isEqualTo("held");
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, Operation> op : fileChannelOperations(target).entrySet()) {
            Object result = run(() -> op.getValue().run(ch, other));
            String seen = seenByAnotherProcess(file);
            if (!seen.equals("held")) {
                lost.add(op.getKey() + (result == null ? "" : " (which threw " + result + ")") + ": " + seen
                        + ", while lock.isValid() says " + lock.isValid());
                lock.release();
                lock = ch.lock();
            }
        }
        assertThat(lock.isValid()).isTrue();
        lock.release();
        assertThat(seenByAnotherProcess(file)).as("after release").isEqualTo("free");
        FileLock again = ch.lock(0, 10, true);
        ch.close();
        assertThat(again.isValid()).as("a lock after its channel closed").isFalse();
        assertThat(seenByAnotherProcess(file)).as("after close").isEqualTo("free");
        assertThat(lost).as("operations after which another process could take the lock (%s)", target).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void anAsynchronousChannelsLockStaysVisibleToAnotherProcess(String target) throws Exception {
        Path file = file("locked-async");
        AsynchronousFileChannel ch = target.equals("jdk") ? AsynchronousFileChannel.open(file, READ, WRITE)
                : EngineChannels.newAsynchronousFileChannel(engine(target), file, READ_WRITE, null);
        toClose.add(ch);
        FileLock lock = ch.lock().get();
        assertThat(seenByAnotherProcess(file)).as("after lock").isEqualTo("held");
        Map<String, AsyncOperation> ops = new LinkedHashMap<>();
        ops.put("size", c -> c.size());
        ops.put("read", c -> c.read(ByteBuffer.allocate(100), 0).get());
        ops.put("read direct", c -> c.read(ByteBuffer.allocateDirect(4096), 4096).get());
        ops.put("write", c -> c.write(ByteBuffer.wrap(new byte[] {1}), 0).get());
        ops.put("write direct past the end", c -> c.write(ByteBuffer.allocateDirect(100), SIZE + 10).get());
        ops.put("truncate", c -> c.truncate(SIZE));
        ops.put("force(true)", c -> c.force(true));
        ops.put("force(false)", c -> c.force(false));
        ops.put("tryLock of a region beyond", c -> c.tryLock(Long.MAX_VALUE - 10, 5, false));
        ops.put("a read cancelled", c -> {
            // Not cancel(true): that may close the channel (the JDK's does when the read is running), and the lock.
            Future<Integer> f = c.read(ByteBuffer.allocate(100), 0);
            f.cancel(false);
        });
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, AsyncOperation> op : ops.entrySet()) {
            Object result = run(() -> op.getValue().run(ch));
            String seen = seenByAnotherProcess(file);
            if (!seen.equals("held")) {
                lost.add(op.getKey() + (result == null ? "" : " (which threw " + result + ")") + ": " + seen);
                lock.release();
                lock = ch.lock().get();
            }
        }
        lock.release();
        assertThat(seenByAnotherProcess(file)).as("after release").isEqualTo("free");
        ch.close();
        assertThat(lost).as("operations after which another process could take the lock (%s)", target).isEmpty();
    }

    /** Runs {@code op}; null if it returned, else what it threw (an operation may fail: the lock is the point). */
    private static Object run(Operation0 op) {
        try {
            op.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private interface Operation0 {
        void run() throws Exception;
    }
}
