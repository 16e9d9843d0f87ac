package dev.ioengine.channels;

import dev.ioengine.IoEngine;
import dev.ioengine.internal.engine.EngineCore;
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

    private DefaultExecutor() {
    }

    static ExecutorService get() {
        return Holder.EXECUTOR;
    }

    /**
     * The dispatcher of the handlers of channels opened without an executor on {@code engine}, shared by those
     * channels. On an engine whose callbacks may block ({@link EngineCore#callbacksMayBlock(IoEngine)}), the
     * default pool's threads are the engine's own, as the JDK's default group polls on its own pool threads and its
     * file channels do the IO and run the handler on one pool thread: a handler of an operation the engine
     * completed runs on the thread that completed it. On io_uring and AIO that is the loop thread, and a handler
     * that blocks passes the loop to another thread ({@link dev.ioengine.internal.engine.LoopTurns}); on the
     * threads engine, the worker that did the IO. Else, or with {@code java.nio.channels.DefaultThreadPool.threadFactory}
     * set (which says what threads run handlers), every handler runs on the default executor.
     */
    static HandlerDispatcher dispatcher(IoEngine engine) {
        return EngineCore.callbacksMayBlock(engine) && System.getProperty(THREAD_FACTORY) == null
                ? Holder.LOOP_DISPATCHER : Holder.DISPATCHER;
    }

    private static final class Holder {
        static final ExecutorService EXECUTOR = create();
        static final HandlerDispatcher DISPATCHER = new HandlerDispatcher(EXECUTOR, false);
        static final HandlerDispatcher LOOP_DISPATCHER = new HandlerDispatcher(EXECUTOR, true);
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
