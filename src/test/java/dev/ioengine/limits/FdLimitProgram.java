package dev.ioengine.limits;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ioengine.AlignedBuffers;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoRequest;
import dev.ioengine.RawRequests;
import dev.ioengine.fs.IoEngineFileSystemProvider;
import dev.ioengine.internal.linux.LibC;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run by {@link FileDescriptorLimitTest} under {@code prlimit --nofile=64:64}: for each engine, opens channels
 * through io-engine's provider until the process runs out of descriptors, then, with none left, does IO on a channel
 * already open, opens an asynchronous channel, opens engines with 0, 1, 2 and 3 descriptors free (io_uring needs
 * two: the ring and an eventfd), and opens a channel through fresh providers on {@code auto} and on
 * {@code io_uring}; then closes the channels and checks that everything opens and works again, and that the
 * process holds the descriptors it held before.
 *
 * <p>Every class this program and io-engine use is loaded before the descriptors run out (loading a class from a
 * directory of the class path needs a descriptor too), and the time zone data is read.
 *
 * <p>Arguments: the report file, then the directory to work in.
 */
public final class FdLimitProgram {
    private FdLimitProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Outcomes outcomes = new Outcomes();
        preloadClasses();
        // The JDK reads files the first time it formats a date (tzdb.dat), as java.util.logging does for the
        // provider's notice: done now, or under the limit it fails for good (TimeZone's class initialiser).
        outcomes.put("startedAt", new java.util.Date());
        System.getLogger(FdLimitProgram.class.getName()).log(System.Logger.Level.DEBUG, "logging set up");
        int fdsAtStart = Outcomes.openFds();
        outcomes.put("fds.start", fdsAtStart);
        for (EngineKind kind : List.of(EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS)) {
            EngineAvailability availability = EngineAvailability.probe(kind);
            if (availability.available()) {
                runEngine(kind, work, outcomes);
            } else {
                outcomes.put(kind.id() + ".unavailable", availability.reason());
            }
        }
        runFreshProviders(work, outcomes);
        outcomes.put("fds.end", Outcomes.openFds());
        outcomes.put("fds.list", Outcomes.describeFds());
        outcomes.write(report);
    }

    private static void runEngine(EngineKind kind, Path work, Outcomes outcomes) throws Exception {
        String k = kind.id();
        IoEngineFileSystemProvider provider = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        Path file = provider.getFileSystem(URI.create("file:///")).getPath(work.resolve(k + ".bin").toString());
        String previous = System.getProperty("ioengine.engine");
        System.setProperty("ioengine.engine", k);
        FileChannel open;
        try {
            open = FileChannel.open(file, CREATE, READ, WRITE);
        } finally {
            DirectMemoryProgram.restore(previous);
        }
        int rawFd = LibC.open(work.resolve(k + "-engine.bin").toString(), LibC.O_RDWR | LibC.O_CREAT, 0600);
        Deque<AutoCloseable> held = new ArrayDeque<>();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = AlignedBuffers.allocate(arena, 4096, 4096);
            open.write(ByteBuffer.wrap(DirectMemoryProgram.pattern(8192, 1)), 0);
            int fdsBefore = Outcomes.openFds();

            outcomes.put(k + ".fill.exception", fill(held, file));
            outcomes.put(k + ".fill.channels", held.size());
            outcomes.attempt(k + ".full.channelIo", () -> open.write(ByteBuffer.wrap(DirectMemoryProgram.pattern(4096, 2)), 0)
                    + open.read(ByteBuffer.allocate(4096), 4096));
            outcomes.attempt(k + ".full.asyncOpen", () -> {
                try (AsynchronousFileChannel async = AsynchronousFileChannel.open(file, READ)) {
                    return async.size();
                }
            });
            for (int free = 0; free <= 3; free++) {
                for (int i = 0; i < free; i++) {
                    held.pop().close();
                }
                String outcome = outcomes.attempt(k + ".full.engineOpen.free" + free, () -> {
                    try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("fd-" + k).build())) {
                        return engine.kind().id() + " wrote " + engine.execute(RawRequests.write(rawFd, 0, segment));
                    }
                });
                int before = held.size();
                fill(held, file);
                outcomes.put(k + ".full.engineOpen.free" + free + ".refilled", held.size() - before);
                outcomes.put(k + ".full.engineOpen.free" + free + ".outcome", outcome);
            }
            while (!held.isEmpty()) {
                held.pop().close();
            }
            outcomes.attempt(k + ".after.channel", () -> {
                try (FileChannel again = FileChannel.open(file, READ, WRITE)) {
                    return again.write(ByteBuffer.wrap(DirectMemoryProgram.pattern(4096, 3)), 4096)
                            + again.read(ByteBuffer.allocate(8192), 0);
                }
            });
            outcomes.attempt(k + ".after.channelIo", () -> open.read(ByteBuffer.allocate(8192), 0));
            outcomes.attempt(k + ".after.engineOpen", () -> {
                try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).name("fd-" + k).build())) {
                    return engine.kind().id() + " wrote " + engine.execute(RawRequests.write(rawFd, 0, segment));
                }
            });
            outcomes.put(k + ".fds.before", fdsBefore);
            outcomes.put(k + ".fds.after", Outcomes.openFds());
        } finally {
            while (!held.isEmpty()) {
                held.pop().close();
            }
            open.close();
            LibC.close(rawFd);
            DirectMemoryProgram.closeProviderEngine(provider);
        }
    }

    /**
     * With no descriptor free, a channel's first open through a fresh provider on {@code auto} (whose engine opens
     * then) and on {@code io_uring}; then, with descriptors back, the same providers again.
     */
    private static void runFreshProviders(Path work, Outcomes outcomes) throws Exception {
        Path real = work.resolve("fresh.bin");
        Files.write(real, new byte[4096]);
        Deque<AutoCloseable> held = new ArrayDeque<>();
        IoEngineFileSystemProvider auto = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        IoEngineFileSystemProvider uring = new IoEngineFileSystemProvider(FileSystems.getDefault().provider());
        Path autoFile = auto.getFileSystem(URI.create("file:///")).getPath(real.toString());
        Path uringFile = uring.getFileSystem(URI.create("file:///")).getPath(real.toString());
        String previous = System.getProperty("ioengine.engine");
        try {
            fill(held, real);
            System.setProperty("ioengine.engine", "auto");
            outcomes.attempt("auto.full.open", () -> readThrough(autoFile));
            System.setProperty("ioengine.engine", "io_uring");
            outcomes.attempt("io_uring.provider.full.open", () -> readThrough(uringFile));
            while (!held.isEmpty()) {
                held.pop().close();
            }
            System.setProperty("ioengine.engine", "auto");
            outcomes.attempt("auto.after.open", () -> readThrough(autoFile));
            outcomes.put("auto.after.engine", engineKind(auto));
            System.setProperty("ioengine.engine", "io_uring");
            outcomes.attempt("io_uring.provider.after.open", () -> readThrough(uringFile));
            outcomes.put("io_uring.provider.after.engine", engineKind(uring));
        } finally {
            DirectMemoryProgram.restore(previous);
            while (!held.isEmpty()) {
                held.pop().close();
            }
            DirectMemoryProgram.closeProviderEngine(auto);
            DirectMemoryProgram.closeProviderEngine(uring);
        }
    }

    /**
     * A read through an asynchronous channel, which opens the provider's engine (a FileChannel on this platform
     * thread would make its own system call and leave the engine unopened).
     */
    private static int readThrough(Path file) throws Exception {
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, READ)) {
            return channel.read(ByteBuffer.allocate(4096), 0).get();
        }
    }

    /** Opens read-only channels on {@code file} until one fails; returns how it failed. */
    private static String fill(Deque<AutoCloseable> held, Path file) {
        for (int i = 0; i < 100_000; i++) {
            try {
                held.push(FileChannel.open(file, READ));
            } catch (Throwable t) {
                return Outcomes.describe(t);
            }
        }
        return "never failed";
    }

    /** The kind of the engine a provider opened, through its package-private accessors. */
    private static String engineKind(IoEngineFileSystemProvider provider) throws ReflectiveOperationException {
        var engineAccessor = IoEngineFileSystemProvider.class.getDeclaredMethod("engine");
        engineAccessor.setAccessible(true);
        Object providerEngine = engineAccessor.invoke(provider);
        var ifOpen = providerEngine.getClass().getDeclaredMethod("ifOpen");
        ifOpen.setAccessible(true);
        IoEngine engine = (IoEngine) ifOpen.invoke(providerEngine);
        return engine == null ? "none" : engine.kind().id();
    }

    /** Loads (without initialising) every class in the class path's directories: io-engine's and the tests'. */
    static void preloadClasses() throws IOException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path root = Path.of(entry);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path classFile : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String relative = root.relativize(classFile).toString();
                    if (relative.equals("module-info.class") || !relative.startsWith("dev/ioengine/")) {
                        continue;
                    }
                    String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                    try {
                        Class.forName(name, false, FdLimitProgram.class.getClassLoader());
                    } catch (ClassNotFoundException | LinkageError unloadable) {
                        continue;
                    }
                }
            }
        }
    }
}
