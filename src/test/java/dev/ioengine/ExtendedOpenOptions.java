package dev.ioengine;

import java.nio.file.OpenOption;

/**
 * Test support: the JDK's {@code com.sun.nio.file.ExtendedOpenOption} values the tests open files with, found by
 * reflection: the tests are compiled into the module, which does not read jdk.unsupported.
 */
public final class ExtendedOpenOptions {
    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}: O_DIRECT. */
    public static final OpenOption DIRECT = extended("DIRECT");

    private ExtendedOpenOptions() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static OpenOption extended(String name) {
        try {
            return (OpenOption) Enum.valueOf((Class) Class.forName("com.sun.nio.file.ExtendedOpenOption"), name);
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
