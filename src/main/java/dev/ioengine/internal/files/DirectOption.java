package dev.ioengine.internal.files;

import java.nio.file.OpenOption;
import java.util.Set;

/**
 * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} (O_DIRECT), recognised by its class and constant name: the
 * library does not read the {@code jdk.unsupported} module. A class of its own, small, as the drop-in asks it of
 * every open from the first one, during start-up.
 */
public final class DirectOption {
    private DirectOption() {
    }

    /** True for {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}. */
    public static boolean is(OpenOption option) {
        return option instanceof Enum<?> e && e.name().equals("DIRECT")
                && e.getDeclaringClass().getName().equals("com.sun.nio.file.ExtendedOpenOption");
    }

    /** Whether {@code options} hold {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}. */
    public static boolean in(Set<? extends OpenOption> options) {
        for (OpenOption option : options) {
            if (is(option)) {
                return true;
            }
        }
        return false;
    }
}
