package dev.ioengine.reliability;

import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.channels.Preallocation;
import dev.ioengine.reliability.FsxStep.Buf;
import dev.ioengine.reliability.FsxStep.Chan;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One side of the differential run: the files of one provider (io-engine's, or the JDK's for the twin) with their
 * channels open, and the code that performs a step on them and records what happened as an {@link Outcome}.
 *
 * <p>Owns its channels and closes them in {@link #close()}; the executor of its asynchronous channels is the
 * caller's.
 */
final class FsxSide implements AutoCloseable {
    /** How long one asynchronous operation may take before the run is declared hung. */
    static final long ASYNC_TIMEOUT_SECONDS = 60;
    /**
     * Waits are made of this many short slices rather than one long timed wait: on this project's VMs a single
     * timed wait (Future.get, Thread.join) of 60 s has been seen to time out after a few seconds (the monotonic
     * clock jumping), which reported hangs that were not there.
     */
    private static final int WAIT_SLICES = (int) (ASYNC_TIMEOUT_SECONDS * 10);
    private static final byte FILLER = (byte) 0xA5;

    private final String name;
    private final Path[] paths;
    private final boolean direct;
    private final boolean emulatePreallocation;
    private final ExecutorService executor;
    private final FileChannel[][] channels;
    private final AsynchronousFileChannel[] asyncChannels;

    /** What one step did on one side: its return value or exception, and the buffers it used afterwards. */
    record Outcome(String value, String thrown, List<BufferState> buffers, String detail) {
        boolean failed() {
            return thrown != null;
        }

        String summary() {
            StringBuilder s = new StringBuilder(thrown != null ? "threw " + thrown : "returned " + value);
            if (detail != null) {
                s.append(" (").append(detail).append(')');
            }
            for (BufferState b : buffers) {
                s.append(", buffer[pos ").append(b.position()).append(" lim ").append(b.limit()).append(']');
            }
            return s.toString();
        }
    }

    /** A buffer after the step: its position, limit and whole content (0 to capacity). */
    record BufferState(int position, int limit, byte[] contents) {
    }

    /**
     * @param emulatePreallocation for the JDK twin: grow the file as fallocate would (one zero byte at the new end,
     *     written through a buffered channel), since the JDK has no fallocate and its O_DIRECT channel cannot
     *     write one byte
     */
    FsxSide(String name, Path[] paths, boolean direct, boolean emulatePreallocation, ExecutorService executor)
            throws IOException {
        this.name = name;
        this.paths = paths.clone();
        this.direct = direct;
        this.emulatePreallocation = emulatePreallocation;
        this.executor = executor;
        this.channels = new FileChannel[paths.length][3];
        this.asyncChannels = new AsynchronousFileChannel[paths.length];
        try {
            for (int f = 0; f < paths.length; f++) {
                for (Chan chan : Chan.values()) {
                    open(f, chan);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Set<OpenOption> options(Chan chan) {
        Set<OpenOption> options = new HashSet<>(switch (chan) {
            case RW -> EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            case RO -> EnumSet.of(StandardOpenOption.READ);
            case APPEND -> EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            case ASYNC -> EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        });
        if (direct) {
            options.add(ExtendedOpenOptions.DIRECT);
        }
        return options;
    }

    private void open(int file, Chan chan) throws IOException {
        if (chan == Chan.ASYNC) {
            asyncChannels[file] = AsynchronousFileChannel.open(paths[file], options(chan), executor);
        } else {
            channels[file][chan.ordinal()] = FileChannel.open(paths[file], options(chan));
        }
    }

    private FileChannel sync(int file, Chan chan) {
        return channels[file][chan.ordinal()];
    }

    /** Performs {@code step}; an exception it throws is part of the outcome, not thrown. */
    Outcome perform(FsxStep step, long modelSize) throws TimeoutException, InterruptedException {
        List<ByteBuffer> buffers = new ArrayList<>();
        String value;
        String thrown = null;
        String detail = null;
        StringBuilder details = new StringBuilder();
        try {
            value = run(step, modelSize, buffers, details);
            detail = details.isEmpty() ? null : details.toString();
        } catch (IOException | RuntimeException e) {
            value = null;
            thrown = e.getClass().getName();
            detail = describe(e);
        }
        List<BufferState> states = new ArrayList<>(buffers.size());
        for (ByteBuffer b : buffers) {
            ByteBuffer whole = b.duplicate().clear();
            byte[] contents = new byte[whole.remaining()];
            whole.get(contents);
            states.add(new BufferState(b.position(), b.limit(), contents));
        }
        return new Outcome(value, thrown, states, detail);
    }

    private String run(FsxStep step, long modelSize, List<ByteBuffer> buffers, StringBuilder details)
            throws IOException, TimeoutException, InterruptedException {
        switch (step) {
            case FsxStep.Read r -> {
                ByteBuffer b = buffer(r.buf(), r.offset(), r.length(), null);
                buffers.add(b);
                FileChannel ch = sync(r.file(), r.chan());
                return String.valueOf(r.at() == FsxStep.RELATIVE ? ch.read(b) : ch.read(b, r.at()));
            }
            case FsxStep.Write w -> {
                ByteBuffer b = buffer(w.buf(), w.offset(), w.length(), data(w.seed(), w.length()));
                buffers.add(b);
                FileChannel ch = sync(w.file(), w.chan());
                return String.valueOf(w.at() == FsxStep.RELATIVE ? ch.write(b) : ch.write(b, w.at()));
            }
            case FsxStep.ScatterRead s -> {
                ByteBuffer[] bs = new ByteBuffer[s.lengths().length];
                for (int i = 0; i < bs.length; i++) {
                    bs[i] = buffer(s.buf(), 0, s.lengths()[i], null);
                    buffers.add(bs[i]);
                }
                return String.valueOf(sync(s.file(), s.chan()).read(bs, s.from(), bs.length - s.from()));
            }
            case FsxStep.GatherWrite g -> {
                ByteBuffer[] bs = new ByteBuffer[g.lengths().length];
                for (int i = 0; i < bs.length; i++) {
                    bs[i] = buffer(g.buf(), 0, g.lengths()[i], data(g.seed() + i, g.lengths()[i]));
                    buffers.add(bs[i]);
                }
                return String.valueOf(sync(g.file(), g.chan()).write(bs, g.from(), bs.length - g.from()));
            }
            case FsxStep.Truncate t -> {
                if (t.chan() == Chan.ASYNC) {
                    asyncChannels[t.file()].truncate(t.size());
                } else {
                    sync(t.file(), t.chan()).truncate(t.size());
                }
                return "void";
            }
            case FsxStep.Preallocate p -> {
                if (emulatePreallocation) {
                    emulatePreallocation(p.file(), p.at() + p.length());
                } else if (p.chan() == Chan.ASYNC) {
                    Preallocation.preallocate(asyncChannels[p.file()], p.at(), p.length());
                } else {
                    Preallocation.preallocate(sync(p.file(), p.chan()), p.at(), p.length());
                }
                return "void";
            }
            case FsxStep.Force f -> {
                if (f.chan() == Chan.ASYNC) {
                    asyncChannels[f.file()].force(f.metaData());
                } else {
                    sync(f.file(), f.chan()).force(f.metaData());
                }
                return "void";
            }
            case FsxStep.MapRead m -> {
                long at = Math.min(m.at(), modelSize);
                int length = (int) Math.min(m.length(), modelSize - at);
                FileChannel ch = sync(m.file(), m.chan());
                byte[] mapped = new byte[length];
                if (m.segment()) {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment segment = ch.map(FileChannel.MapMode.READ_ONLY, at, length, arena);
                        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, mapped, 0, length);
                    }
                } else {
                    MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, at, length);
                    map.get(mapped);
                }
                ByteBuffer holder = ByteBuffer.wrap(mapped);
                buffers.add(holder);
                return "mapped " + length + " at " + at;
            }
            case FsxStep.Size s -> {
                return String.valueOf(s.chan() == Chan.ASYNC ? asyncChannels[s.file()].size()
                        : sync(s.file(), s.chan()).size());
            }
            case FsxStep.Position p -> {
                return String.valueOf(sync(p.file(), p.chan()).position());
            }
            case FsxStep.Seek s -> {
                FileChannel ch = sync(s.file(), s.chan());
                return ch.position(s.to()) == ch ? "this" : "another channel";
            }
            case FsxStep.AsyncWrite w -> {
                List<Future<Integer>> pending = new ArrayList<>();
                try {
                    for (int i = 0; i < w.at().length; i++) {
                        ByteBuffer b = buffer(w.buf(), 0, w.lengths()[i], data(w.seed() + i, w.lengths()[i]));
                        buffers.add(b);
                        pending.add(asyncChannels[w.file()].write(b, w.at()[i]));
                    }
                } finally {
                    awaitAll(pending);
                }
                return results(pending, details);
            }
            case FsxStep.AsyncRead r -> {
                List<Future<Integer>> pending = new ArrayList<>();
                try {
                    for (int i = 0; i < r.at().length; i++) {
                        ByteBuffer b = buffer(r.buf(), 0, r.lengths()[i], null);
                        buffers.add(b);
                        pending.add(asyncChannels[r.file()].read(b, r.at()[i]));
                    }
                } finally {
                    awaitAll(pending);
                }
                return results(pending, details);
            }
            case FsxStep.Parallel p -> {
                return parallel(p, buffers);
            }
            case FsxStep.Reopen r -> {
                if (r.chan() == Chan.ASYNC) {
                    asyncChannels[r.file()].close();
                } else {
                    sync(r.file(), r.chan()).close();
                }
                open(r.file(), r.chan());
                return "void";
            }
        }
    }

    /** The message and the first frames in io-engine's code, to say where an exception came from. */
    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        StackTraceElement[] frames = e.getStackTrace();
        int shown = 0;
        for (int i = 0; i < frames.length && shown < 3; i++) {
            if (i == 0 || frames[i].getClassName().startsWith("dev.ioengine.")
                    && !frames[i].getClassName().startsWith("dev.ioengine.reliability.")) {
                s.append(shown++ == 0 ? " at " : " < ").append(frames[i]);
            }
        }
        return s.toString();
    }

    /**
     * Runs the step's writes (RW channel) and reads (RO channel) each on its own thread, released together; each
     * result is its count or its exception type, writes first.
     */
    private String parallel(FsxStep.Parallel p, List<ByteBuffer> buffers) throws TimeoutException, InterruptedException {
        int writes = p.writeAt().length;
        int tasks = writes + p.readAt().length;
        String[] results = new String[tasks];
        ByteBuffer[] own = new ByteBuffer[tasks];
        for (int i = 0; i < tasks; i++) {
            own[i] = i < writes ? buffer(p.buf(), 0, p.writeLengths()[i], data(p.seed() + i, p.writeLengths()[i]))
                    : buffer(p.buf().readOnly() ? Buf.HEAP : p.buf(), 0, p.readLengths()[i - writes], null);
            buffers.add(own[i]);
        }
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(tasks);
        Thread[] threads = new Thread[tasks];
        for (int i = 0; i < tasks; i++) {
            int task = i;
            threads[i] = Thread.ofPlatform().daemon().name("fsx-parallel-" + i).start(() -> {
                try {
                    start.await();
                    results[task] = String.valueOf(task < writes
                            ? sync(p.file(), Chan.RW).write(own[task], p.writeAt()[task])
                            : sync(p.file(), Chan.RO).read(own[task], p.readAt()[task - writes]));
                } catch (IOException | RuntimeException | InterruptedException e) {
                    results[task] = "failed: " + e.getClass().getName();
                } finally {
                    done.countDown();
                }
            });
        }
        long started = System.nanoTime();
        start.countDown();
        int slices = 0;
        while (!done.await(100, TimeUnit.MILLISECONDS) && ++slices < WAIT_SLICES) {
            // one slice of the wait
        }
        if (done.getCount() > 0) {
            StringBuilder running = new StringBuilder();
            for (Thread t : threads) {
                if (t.isAlive()) {
                    running.append(t.getName()).append(' ');
                }
            }
            throw new TimeoutException(name + ": " + running + "still running after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms by the monotonic clock");
        }
        for (Thread t : threads) {
            t.join();
        }
        return Arrays.toString(results);
    }

    /** Waits for every future (bounded), so no operation outlives the step. */
    private static void awaitAll(List<Future<Integer>> pending) throws TimeoutException, InterruptedException {
        for (int i = 0; i < pending.size(); i++) {
            for (int slice = 0; !pending.get(i).isDone(); slice++) {
                if (slice == WAIT_SLICES) {
                    throw new TimeoutException("asynchronous operation " + (i + 1) + " of " + pending.size());
                }
                try {
                    pending.get(i).get(100, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException ignored) {
                    // a failure is reported by results(); a timeout is one slice
                }
            }
        }
    }

    /** Each operation's result or exception type, in order. */
    private static String results(List<Future<Integer>> done, StringBuilder details) throws InterruptedException {
        List<String> results = new ArrayList<>();
        for (Future<Integer> f : done) {
            try {
                results.add(String.valueOf(f.get()));
            } catch (ExecutionException e) {
                results.add("failed: " + e.getCause().getClass().getName());
                details.append(describe(e.getCause())).append("; ");
            }
        }
        return results.toString();
    }

    private void emulatePreallocation(int file, long end) throws IOException {
        try (FileChannel plain = FileChannel.open(paths[file], StandardOpenOption.WRITE)) {
            if (plain.size() < end) {
                plain.write(ByteBuffer.allocate(1), end - 1);
            }
        }
    }

    /** The bytes a write with {@code seed} writes. */
    static byte[] data(long seed, int length) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    /**
     * A buffer of the kind asked for, position {@code offset}, limit {@code offset + length}, holding {@code data}
     * there (for a write) and {@link #FILLER} everywhere else. O_DIRECT buffers start on a block boundary.
     */
    ByteBuffer buffer(Buf kind, int offset, int length, byte[] data) {
        int capacity = offset + length + (direct ? 0 : 5);
        int block = FsxGenerator.BLOCK;
        ByteBuffer b = switch (kind) {
            case HEAP, READ_ONLY_HEAP -> ByteBuffer.allocate(capacity);
            case DIRECT, READ_ONLY_DIRECT -> direct
                    ? ByteBuffer.allocateDirect(capacity + block).alignedSlice(block).slice(0, capacity)
                    : ByteBuffer.allocateDirect(capacity);
            case SLICED_HEAP -> direct
                    ? ByteBuffer.allocate(capacity + 2 * block).slice(block, capacity)
                    : ByteBuffer.allocate(capacity + 6).slice(3, capacity);
            case SLICED_DIRECT -> direct
                    ? ByteBuffer.allocateDirect(capacity + 3 * block).alignedSlice(block).slice(block, capacity)
                    : ByteBuffer.allocateDirect(capacity + 6).slice(3, capacity);
        };
        while (b.hasRemaining()) {
            b.put(FILLER);
        }
        if (data != null) {
            b.put(offset, data);
        }
        if (kind.readOnly()) {
            b = b.asReadOnlyBuffer();
        }
        return b.limit(offset + length).position(offset);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (FileChannel[] perFile : channels) {
            for (FileChannel ch : perFile) {
                failure = closeQuietly(ch, failure);
            }
        }
        for (AsynchronousFileChannel ch : asyncChannels) {
            failure = closeQuietly(ch, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException closeQuietly(Channel ch, IOException failure) {
        if (ch == null) {
            return failure;
        }
        try {
            ch.close();
        } catch (IOException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }
}
