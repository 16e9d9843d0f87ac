package dev.ioengine.channels;

import dev.ioengine.internal.files.HandlersProperty;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor handlers run on when an {@link java.nio.channels.AsynchronousFileChannel} is opened without one:
 * as the JDK's {@code sun.nio.ch.ThreadPool.createDefault()}, one JVM-wide cached pool, its threads made by the
 * class named in {@code java.nio.channels.DefaultThreadPool.threadFactory} (loaded by the system class loader)
 * or else daemon threads. {@code java.nio.channels.DefaultThreadPool.initialSize} is read and checked as the JDK
 * does (an {@link Error} when it is not an integer); like the JDK's file channels, a cached pool has no use for
 * its value. Never shut down.
 */
final class DefaultExecutor {
    static final String THREAD_FACTORY = "java.nio.channels.DefaultThreadPool.threadFactory";
    static final String INITIAL_SIZE = "java.nio.channels.DefaultThreadPool.initialSize";
    static final String HANDLERS = HandlersProperty.NAME;

    private DefaultExecutor() {
    }

    static ExecutorService get() {
        return Holder.EXECUTOR;
    }

    /**
     * The dispatcher of handlers onto the default executor, shared by the channels that use it: one that runs
     * engine completions' handlers on the engine's thread under {@code ioengine.handlers=engine-thread}
     * ({@link HandlerDispatcher}), else one that runs every handler on the executor.
     *
     * @throws IllegalArgumentException if {@code ioengine.handlers} has another value
     */
    static HandlerDispatcher dispatcher() {
        return handlersOnEngineThread() ? Holder.ENGINE_THREAD_DISPATCHER : Holder.DISPATCHER;
    }

    /** {@code ioengine.handlers}: {@code executor} (the default) or {@code engine-thread}. */
    static boolean handlersOnEngineThread() {
        return HandlersProperty.onEngineThread();
    }

    private static final class Holder {
        static final ExecutorService EXECUTOR = create();
        static final HandlerDispatcher DISPATCHER = new HandlerDispatcher(EXECUTOR, false);
        static final HandlerDispatcher ENGINE_THREAD_DISPATCHER = new HandlerDispatcher(EXECUTOR, true);
    }

    static ExecutorService create() {
        initialSize();
        ThreadFactory factory = configuredFactory();
        return Executors.newCachedThreadPool(factory != null ? factory : daemonFactory());
    }

    /** As ThreadPool.getDefaultThreadPoolInitialSize: -1 when unset. */
    static int initialSize() {
        String value = System.getProperty(INITIAL_SIZE);
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Error("Value of property '" + INITIAL_SIZE + "' is invalid: " + e);
        }
    }

    /** As ThreadPool.getDefaultThreadPoolThreadFactory: null when unset. */
    static ThreadFactory configuredFactory() {
        String value = System.getProperty(THREAD_FACTORY);
        if (value == null) {
            return null;
        }
        try {
            Class<?> type = Class.forName(value, true, ClassLoader.getSystemClassLoader());
            return (ThreadFactory) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new Error(e);
        }
    }

    private static ThreadFactory daemonFactory() {
        AtomicInteger count = new AtomicInteger();
        return r -> Thread.ofPlatform().daemon().name("io-engine-file-handler-" + count.incrementAndGet())
                .unstarted(r);
    }
}
