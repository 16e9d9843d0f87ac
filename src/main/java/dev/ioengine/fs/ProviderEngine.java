package dev.ioengine.fs;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import dev.ioengine.EngineStats;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.channels.EngineChannels;
import java.io.IOException;
import java.util.Optional;

/**
 * The one engine a provider's channels share, opened when a channel first needs it (an asynchronous channel's open,
 * a virtual thread's call on a file channel; never while the provider is being built: the drop-in default is built
 * during JVM start-up), configured from the {@code ioengine.*} system
 * properties with {@link CompletionMode#INLINE} completions.
 *
 * <p>Under {@code ioengine.engine=auto} file IO always works: when io_uring is not what auto picks, or the engine
 * auto picked fails to open, it runs on the thread-pool engine; when no engine can run at all (not Linux, native
 * access denied), there is no engine and the provider uses the JDK's own channels. Each of these is said once,
 * through a {@link System.Logger} obtained only then. An engine asked for by name that cannot be opened is an
 * {@link IOException} on each channel open, saying why. A malformed {@code ioengine.*} property is said once, in
 * one line naming the property, the value and the values accepted, and file IO then uses the JDK's own channels.
 *
 * <p>Thread-safe. Owns the engine. The provider never closes it (the default file system never closes); its
 * threads are daemon threads, so it does not hold the JVM up. {@link #close()} is for tests.
 */
final class ProviderEngine implements EngineChannels.LazyEngine {
    private final Object lock = new Object();
    private final Opener opener;
    private final Notices notices;
    /** Null until the first {@link #get()} settles what the provider runs on. */
    private volatile Choice choice;
    /** Whether native positional IO works here, once {@link #channelsCanRun()} probed it. */
    private volatile Boolean nativeIo;
    /** The thread opening the engine, while it does; guarded by {@link #lock}. */
    private Thread opening;
    /** {@value #FILE_CHANNELS}, once read. */
    private volatile FileChannels fileChannels;

    /** Which blocking channels (file channels and the streams over them) are engine channels. */
    static final String FILE_CHANNELS = "ioengine.fileChannels";

    /** The values of {@value #FILE_CHANNELS}. */
    enum FileChannels {
        /**
         * The default: O_DIRECT channels only. Every other blocking call is fastest as the JDK's own system call on
         * the calling thread, and costs no native linking at start-up; measured, this holds on virtual threads
         * too while the page cache serves them, as the JDK's channel lends the pinned carrier's place to another.
         * O_DIRECT IO always waits for the device: on a virtual thread it parks on an engine request, pinning no
         * carrier, which at thousands of threads is what lets the device's queue fill.
         */
        AUTO,
        /** Also every channel opened on a virtual thread: for many virtual threads reading files not cached. */
        VIRTUAL,
        /** Every blocking channel (platform threads' calls are then their own system calls, through FFM). */
        ENGINE;

        static FileChannels of(String value) {
            return switch (value) {
                case "auto" -> AUTO;
                case "virtual" -> VIRTUAL;
                case "engine" -> ENGINE;
                default -> null;
            };
        }
    }

    /** How an engine is opened: {@link IoEngine#open(IoEngineConfig)}, or a stand-in in tests. */
    interface Opener {
        IoEngine open(IoEngineConfig config) throws IOException;
    }

    /** Where the one notice about the choice goes: a {@link System.Logger}, or a recorder in tests. */
    interface Notices {
        void say(String notice);
    }

    // Classes, not lambdas: the drop-in builds a ProviderEngine while the JDK makes the default file system, and a
    // lambda's bootstrap there is one more thing that could come back to the file system being made.

    private static final class EngineOpener implements Opener {
        @Override
        public IoEngine open(IoEngineConfig config) throws IOException {
            return IoEngine.open(config);
        }
    }

    /** Obtains the logger only when there is something to say: never during start-up. */
    private static final class SystemLoggerNotices implements Notices {
        @Override
        public void say(String notice) {
            try {
                System.getLogger(IoEngineFileSystemProvider.class.getName()).log(System.Logger.Level.INFO, notice);
            } catch (RuntimeException | LinkageError loggingFailed) {
                // The notice is said on the thread opening a channel, maybe when no descriptor is left (the JDK's
                // logging then fails to load its time-zone data): the open must not fail for want of a notice.
            }
        }
    }

    /**
     * What the provider runs on.
     *
     * @param engine the engine, or null for the JDK's own channels
     * @param notice what to say about the choice, once; null when io_uring was had
     */
    private record Choice(IoEngine engine, String notice) {
    }

    ProviderEngine() {
        this(new EngineOpener(), new SystemLoggerNotices());
    }

    /** With a stand-in opener and notices: for tests. */
    ProviderEngine(Opener opener, Notices notices) {
        this.opener = opener;
        this.notices = notices;
    }

    /**
     * The engine, opened now if this is the first call; null when the JDK's channels are to be used: under
     * {@code auto} when no engine can run here, and for files read while the engine is being opened, by the thread
     * opening it.
     *
     * @throws IOException if the engine named by {@code ioengine.engine} cannot be opened
     */
    @Override
    public IoEngine get() throws IOException {
        Choice settled = choice;
        if (settled != null) {
            return settled.engine();
        }
        synchronized (lock) {
            settled = choice;
            if (settled != null) {
                return settled.engine();
            }
            if (opening == Thread.currentThread()) {
                // Opening the engine reads a file through this provider (the io_uring probe reads /proc under the
                // drop-in; so may a logging set-up): that read gets the JDK's channels, not a second engine.
                return null;
            }
            opening = Thread.currentThread();
            try {
                settled = choose();
            } finally {
                opening = null;
            }
            choice = settled;
        }
        // Said once the choice is published and the lock released: if the logging set-up reads a file through
        // this provider, it finds the engine settled instead of opening another.
        if (settled.notice() != null) {
            notices.say(settled.notice());
        }
        return settled.engine();
    }

    /**
     * The engine the properties ask for; with a malformed {@code ioengine.*} property, none: the JDK reads its own
     * files through the drop-in while it starts ({@code java.security}, time zones), and an exception there is fatal
     * to the JVM ({@code InternalError: Error loading java.security file}), so the property's one line is said and
     * file IO goes to the JDK's channels.
     */
    private Choice choose() throws IOException {
        IoEngineConfig config;
        try {
            config = IoEngineConfig.fromSystemProperties().toBuilder()
                    .completionMode(CompletionMode.INLINE)
                    .name("io-engine-fs")
                    .build();
        } catch (IllegalArgumentException malformed) {
            return new Choice(null, "io-engine file system: " + malformed.getMessage()
                    + "; file IO uses the JDK's own channels");
        }
        return choose(config);
    }

    /** Opens the engine {@code config} asks for; under auto, falls back to threads, then to none. */
    private Choice choose(IoEngineConfig config) throws IOException {
        if (config.engine() != EngineKind.AUTO) {
            return new Choice(opener.open(config), null);
        }
        IoEngine picked;
        try {
            picked = opener.open(config);
        } catch (IOException | RuntimeException pickedFailed) {
            try {
                return new Choice(opener.open(config.toBuilder().engine(EngineKind.THREADS).build()),
                        "io-engine file system: using the threads engine: the " + EngineAvailability.selectAuto()
                                + " engine that auto picked failed to open: " + pickedFailed);
            } catch (IOException | RuntimeException threadsFailed) {
                threadsFailed.addSuppressed(pickedFailed);
                return new Choice(null,
                        "io-engine file system: no engine can run here, file IO uses the JDK's own channels: "
                                + threadsFailed);
            }
        }
        String notice = picked.kind() == EngineKind.IO_URING ? null
                : "io-engine file system: using the " + picked.kind() + " engine; "
                        + EngineAvailability.explainAuto();
        return new Choice(picked, notice);
    }

    /**
     * Whether engine file channels can serve files here: they make their calls on platform threads themselves and
     * open the engine only when a call needs it, so this does not open it. No once the choice settled on no engine;
     * until then, yes when native positional IO works here (Linux, native access granted), which opens nothing.
     * When it does not, no engine can run either, and the JDK's channels serve.
     */
    boolean channelsCanRun() {
        Choice settled = choice;
        if (settled != null) {
            return settled.engine() != null;
        }
        Boolean probed = nativeIo;
        if (probed == null) {
            probed = EngineChannels.canRunHere();
            nativeIo = probed;
        }
        return probed;
    }

    /**
     * Whether a blocking channel opened now on {@code opener} is an engine file channel, as {@value #FILE_CHANNELS}
     * says ({@code direct}: opened with O_DIRECT), when engine channels can run here ({@link #channelsCanRun()}).
     */
    boolean servesFileChannel(Thread opener, boolean direct) {
        boolean engineChannel = switch (fileChannels()) {
            case AUTO -> direct;
            case VIRTUAL -> direct || opener.isVirtual();
            case ENGINE -> true;
        };
        return engineChannel && channelsCanRun();
    }

    /**
     * {@value #FILE_CHANNELS}, read on first use. A malformed value is said once, by the thread that read it, and
     * taken as {@code auto}: the answer is published before the notice is said, outside the lock, as saying it may
     * read a file through this provider.
     */
    private FileChannels fileChannels() {
        FileChannels known = fileChannels;
        if (known != null) {
            return known;
        }
        String malformed = null;
        synchronized (lock) {
            if (fileChannels == null) {
                String value = System.getProperty(FILE_CHANNELS, "auto");
                FileChannels parsed = FileChannels.of(value);
                fileChannels = parsed == null ? FileChannels.AUTO : parsed;
                malformed = parsed == null ? value : null;
            }
            known = fileChannels;
        }
        if (malformed != null) {
            notices.say("io-engine file system: " + FILE_CHANNELS + "=" + malformed
                    + " is not valid; accepted: auto, virtual or engine; using auto");
        }
        return known;
    }

    /** The engine's statistics; empty before the first channel open, and when there is no engine. */
    Optional<EngineStats> stats() {
        Choice settled = choice;
        return settled == null || settled.engine() == null ? Optional.empty() : Optional.of(settled.engine().stats());
    }

    /** The engine if it is open, else null. */
    IoEngine ifOpen() {
        Choice settled = choice;
        return settled == null ? null : settled.engine();
    }

    /** Closes the engine (draining it) if it was opened; the next channel open chooses again. For tests. */
    void close() {
        Choice settled;
        synchronized (lock) {
            settled = choice;
            choice = null;
        }
        if (settled != null && settled.engine() != null) {
            settled.engine().close();
        }
    }
}
