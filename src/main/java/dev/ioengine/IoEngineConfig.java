package dev.ioengine;

import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * How an {@link IoEngine} is built. Immutable; make one with {@link #builder()} or
 * {@link #fromSystemProperties()}.
 *
 * <table>
 *   <caption>Settings, with their system properties and defaults</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th></tr>
 *   <tr><td>{@link #engine()}</td><td>{@code ioengine.engine}</td><td>{@code auto}</td></tr>
 *   <tr><td>{@link #queueDepth()}</td><td>{@code ioengine.queueDepth}</td><td>256</td></tr>
 *   <tr><td>{@link #maxInFlight()}</td><td>{@code ioengine.maxInFlight}</td><td>4 x queue depth</td></tr>
 *   <tr><td>{@link #mergeLimit()}</td><td>{@code ioengine.mergeLimit}</td><td>0 (merging off)</td></tr>
 *   <tr><td>{@link #workerThreads()}</td><td>{@code ioengine.threads}</td><td>min(queue depth, 64)</td></tr>
 *   <tr><td>{@link #sqPoll()}</td><td>{@code ioengine.sqpoll}</td><td>false</td></tr>
 *   <tr><td>{@link #nowait()}</td><td>{@code ioengine.nowait}</td><td>true</td></tr>
 *   <tr><td>{@link #jmx()}</td><td>{@code ioengine.jmx}</td><td>false</td></tr>
 * </table>
 */
public final class IoEngineConfig {
    public static final int DEFAULT_QUEUE_DEPTH = 256;
    /** The most a ring or AIO context is asked to hold; io_uring's own limit is 32768 entries. */
    public static final int MAX_QUEUE_DEPTH = 32768;
    private static final int MAX_WORKER_THREADS = 4096;

    private static final String ENGINE = "ioengine.engine";
    private static final String QUEUE_DEPTH = "ioengine.queueDepth";
    private static final String MAX_IN_FLIGHT = "ioengine.maxInFlight";
    private static final String MERGE_LIMIT = "ioengine.mergeLimit";
    private static final String THREADS = "ioengine.threads";
    private static final String SQPOLL = "ioengine.sqpoll";
    private static final String NOWAIT = "ioengine.nowait";
    private static final String JMX = "ioengine.jmx";

    private final EngineKind engine;
    private final int queueDepth;
    private final int maxInFlight;
    private final CompletionMode completionMode;
    private final Executor completionExecutor;
    private final int mergeLimit;
    private final int workerThreads;
    private final boolean sqPoll;
    private final boolean nowait;
    private final boolean jmx;
    private final String name;

    private IoEngineConfig(Builder b) {
        this.engine = b.engine;
        this.queueDepth = b.queueDepth;
        this.maxInFlight = b.maxInFlight > 0 ? b.maxInFlight : Math.multiplyExact(b.queueDepth, 4);
        this.completionMode = b.completionMode;
        this.completionExecutor = b.completionExecutor;
        this.mergeLimit = b.mergeLimit;
        this.workerThreads = b.workerThreads > 0 ? b.workerThreads : Math.min(b.queueDepth, 64);
        this.sqPoll = b.sqPoll;
        this.nowait = b.nowait;
        this.jmx = b.jmx;
        this.name = b.name;
        if (completionMode == CompletionMode.EXECUTOR && completionExecutor == null) {
            throw new IllegalArgumentException("completion mode EXECUTOR needs a completionExecutor");
        }
        if (maxInFlight < queueDepth) {
            throw new IllegalArgumentException(
                    "maxInFlight (" + maxInFlight + ") must be at least queueDepth (" + queueDepth + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults, overridden by any {@code ioengine.*} system property set.
     *
     * @throws IllegalArgumentException for a malformed value, as {@link #fromProperties(Properties)}
     */
    public static IoEngineConfig fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /**
     * The defaults, overridden by the {@code ioengine.*} entries of {@code props}.
     *
     * @throws IllegalArgumentException for a malformed value, with a one-line message naming the property, the
     *     value and the values accepted, such as {@code ioengine.nowait=maybe is not valid; accepted: true or
     *     false}
     */
    public static IoEngineConfig fromProperties(Properties props) {
        Builder b = builder();
        String engine = props.getProperty(ENGINE);
        if (engine != null) {
            try {
                b.engine(EngineKind.parse(engine));
            } catch (IllegalArgumentException e) {
                throw malformed(ENGINE, engine, "io_uring, aio, threads or auto");
            }
        }
        int depth = intProperty(props, QUEUE_DEPTH, 1, MAX_QUEUE_DEPTH, DEFAULT_QUEUE_DEPTH);
        b.queueDepth(depth);
        String inFlight = props.getProperty(MAX_IN_FLIGHT);
        if (inFlight != null) {
            b.maxInFlight(intProperty(props, MAX_IN_FLIGHT, depth, Integer.MAX_VALUE, 0));
        }
        b.mergeLimit(intProperty(props, MERGE_LIMIT, 0, Integer.MAX_VALUE, 0));
        String threads = props.getProperty(THREADS);
        if (threads != null) {
            b.workerThreads(intProperty(props, THREADS, 1, MAX_WORKER_THREADS, 0));
        }
        b.sqPoll(booleanProperty(props, SQPOLL, false));
        b.nowait(booleanProperty(props, NOWAIT, true));
        b.jmx(booleanProperty(props, JMX, false));
        return b.build();
    }

    /** An integer in [min, max], or {@code absent} when the property is not set. */
    private static int intProperty(Properties props, String key, int min, int max, int absent) {
        String v = props.getProperty(key);
        if (v == null) {
            return absent;
        }
        String accepted = max == Integer.MAX_VALUE ? "an integer from " + min + " up"
                : "an integer from " + min + " to " + max;
        try {
            int value = Integer.parseInt(v.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Said below, with the accepted values.
        }
        throw malformed(key, v, accepted);
    }

    /** {@code true} or {@code false} (in any case), nothing else; {@code absent} when the property is not set. */
    private static boolean booleanProperty(Properties props, String key, boolean absent) {
        String v = props.getProperty(key);
        if (v == null) {
            return absent;
        }
        String value = v.trim();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw malformed(key, v, "true or false");
    }

    private static IllegalArgumentException malformed(String key, String value, String accepted) {
        return new IllegalArgumentException(key + "=" + value + " is not valid; accepted: " + accepted);
    }

    /** The engine asked for; {@link EngineKind#AUTO} lets io-engine pick. */
    public EngineKind engine() {
        return engine;
    }

    /** Entries in the io_uring submission ring, or events in the AIO context: requests in the kernel at once. */
    public int queueDepth() {
        return queueDepth;
    }

    /** Requests accepted and not yet complete, at most; submit blocks beyond it. At least {@link #queueDepth()}. */
    public int maxInFlight() {
        return maxInFlight;
    }

    public CompletionMode completionMode() {
        return completionMode;
    }

    /** The executor for {@link CompletionMode#EXECUTOR}, else null. */
    public Executor completionExecutor() {
        return completionExecutor;
    }

    /**
     * Contiguous reads (or writes) on one file are merged into one vectored request of at most this many bytes;
     * 0 turns merging off.
     */
    public int mergeLimit() {
        return mergeLimit;
    }

    /** Threads of the {@link EngineKind#THREADS} engine, and of the AIO engine's side worker pool size bound. */
    public int workerThreads() {
        return workerThreads;
    }

    /** io_uring only: let a kernel thread poll the submission ring (IORING_SETUP_SQPOLL). */
    public boolean sqPoll() {
        return sqPoll;
    }

    /**
     * Whether {@link IoEngine#tryNow} may serve a read or write on the calling thread when the kernel can do it
     * without waiting (page-cache hits, {@code preadv2} / {@code pwritev2} with {@code RWF_NOWAIT}); when false,
     * every request goes through the engine's queue.
     */
    public boolean nowait() {
        return nowait;
    }

    /**
     * Whether the engine registers its {@link EngineMXBean} in the platform MBean server while it is open. Off by
     * default: the first registration in a JVM starts the platform MBean server (and java.util.logging), about half
     * a second of CPU at start-up that a program which never looks at JMX should not pay.
     */
    public boolean jmx() {
        return jmx;
    }

    /** Prefix of the engine's thread names. */
    public String name() {
        return name;
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.engine = engine;
        b.queueDepth = queueDepth;
        b.maxInFlight = maxInFlight;
        b.completionMode = completionMode;
        b.completionExecutor = completionExecutor;
        b.mergeLimit = mergeLimit;
        b.workerThreads = workerThreads;
        b.sqPoll = sqPoll;
        b.nowait = nowait;
        b.jmx = jmx;
        b.name = name;
        return b;
    }

    @Override
    public String toString() {
        return "IoEngineConfig[engine=" + engine + ", queueDepth=" + queueDepth + ", maxInFlight=" + maxInFlight
                + ", completionMode=" + completionMode + ", mergeLimit=" + mergeLimit + ", workerThreads="
                + workerThreads + ", sqPoll=" + sqPoll + ", nowait=" + nowait + ", jmx=" + jmx + ", name=" + name + "]";
    }

    /** Builds an {@link IoEngineConfig}; every setter checks its argument. */
    public static final class Builder {
        private EngineKind engine = EngineKind.AUTO;
        private int queueDepth = DEFAULT_QUEUE_DEPTH;
        private int maxInFlight;
        private CompletionMode completionMode = CompletionMode.INLINE;
        private Executor completionExecutor;
        private int mergeLimit;
        private int workerThreads;
        private boolean sqPoll;
        private boolean nowait = true;
        private boolean jmx;
        private String name = "io-engine";

        private Builder() {
        }

        public Builder engine(EngineKind engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** @throws IllegalArgumentException unless 1 &lt;= depth &lt;= {@link #MAX_QUEUE_DEPTH} */
        public Builder queueDepth(int depth) {
            if (depth < 1 || depth > MAX_QUEUE_DEPTH) {
                throw new IllegalArgumentException("queueDepth must be in [1, " + MAX_QUEUE_DEPTH + "]: " + depth);
            }
            this.queueDepth = depth;
            return this;
        }

        /** @throws IllegalArgumentException unless positive */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be positive: " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        public Builder completionMode(CompletionMode mode) {
            this.completionMode = Objects.requireNonNull(mode, "completionMode");
            return this;
        }

        /** Sets the executor and selects {@link CompletionMode#EXECUTOR}. */
        public Builder completionExecutor(Executor executor) {
            this.completionExecutor = Objects.requireNonNull(executor, "completionExecutor");
            this.completionMode = CompletionMode.EXECUTOR;
            return this;
        }

        /** @throws IllegalArgumentException if negative */
        public Builder mergeLimit(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("mergeLimit must not be negative: " + bytes);
            }
            this.mergeLimit = bytes;
            return this;
        }

        /** @throws IllegalArgumentException unless in [1, 4096] */
        public Builder workerThreads(int threads) {
            if (threads < 1 || threads > MAX_WORKER_THREADS) {
                throw new IllegalArgumentException(
                        "workerThreads must be in [1, " + MAX_WORKER_THREADS + "]: " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        public Builder sqPoll(boolean sqPoll) {
            this.sqPoll = sqPoll;
            return this;
        }

        public Builder nowait(boolean nowait) {
            this.nowait = nowait;
            return this;
        }

        /** Registers the engine's MBean while it is open; see {@link IoEngineConfig#jmx()}. */
        public Builder jmx(boolean jmx) {
            this.jmx = jmx;
            return this;
        }

        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        public IoEngineConfig build() {
            return new IoEngineConfig(this);
        }
    }
}
