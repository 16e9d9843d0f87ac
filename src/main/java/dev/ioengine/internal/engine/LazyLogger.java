package dev.ioengine.internal.engine;

import java.util.ResourceBundle;

/**
 * A {@link System.Logger} that looks its logger up on the first message: for the {@code static final} loggers of
 * classes that run in every program under the drop-in, which nearly never log. {@link System#getLogger} is not
 * free at start-up (it finds the logging back end through the service loader); this defers it to the first
 * message, and costs nothing when none comes.
 *
 * <p>Thread-safe: threads that race on the first message may each look the logger up; they get equal loggers.
 */
public final class LazyLogger implements System.Logger {
    private final String name;
    /** The logger, once looked up; a benign race (any lookup's result will do). */
    private volatile System.Logger logger;

    private LazyLogger(String name) {
        this.name = name;
    }

    /** A logger named {@code name}, looked up on its first use. */
    public static System.Logger named(String name) {
        return new LazyLogger(name);
    }

    private System.Logger logger() {
        System.Logger found = logger;
        if (found == null) {
            found = System.getLogger(name);
            logger = found;
        }
        return found;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return logger().isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        logger().log(level, bundle, msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        logger().log(level, bundle, format, params);
    }
}
