package dev.ioengine;

import java.util.Locale;

/**
 * The engines io-engine can run on. {@link #AUTO} is a choice, not an engine: it resolves to the first
 * available of {@link #IO_URING}, {@link #AIO} and {@link #THREADS} (see {@link EngineAvailability#selectAuto()}).
 */
public enum EngineKind {
    /** io_uring if available, else Linux AIO, else the thread pool. */
    AUTO("auto"),
    /** io_uring: mmap'd submission and completion rings, one {@code io_uring_enter} per batch. */
    IO_URING("io_uring"),
    /** Linux native AIO: {@code io_setup} / {@code io_submit} / {@code io_getevents}. */
    AIO("aio"),
    /** A portable pool of threads doing blocking {@code pread} / {@code pwrite}. */
    THREADS("threads");

    private final String id;

    EngineKind(String id) {
        this.id = id;
    }

    /** The name used by the {@code ioengine.engine} property and the CLI's {@code --engine}. */
    public String id() {
        return id;
    }

    /**
     * Parses an engine name as the {@code ioengine.engine} property and {@code --engine} spell it:
     * {@code io_uring}, {@code aio}, {@code threads} or {@code auto} (case-insensitive; {@code uring} and
     * {@code libaio} are accepted as aliases).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static EngineKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "auto" -> AUTO;
            case "io_uring", "uring", "io-uring" -> IO_URING;
            case "aio", "libaio" -> AIO;
            case "threads", "thread", "psync" -> THREADS;
            default -> throw new IllegalArgumentException(
                    "unknown io-engine engine '" + name + "': expected io_uring, aio, threads or auto");
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
