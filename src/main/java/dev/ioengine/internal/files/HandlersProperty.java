package dev.ioengine.internal.files;

/**
 * {@code ioengine.handlers}: where the handlers of an {@link java.nio.channels.AsynchronousFileChannel} opened
 * without an executor run, {@code executor} (the default executor, the default) or {@code engine-thread} (the
 * engine's completion thread). Read by the channels at each open, and checked by the file system provider when it
 * settles its configuration, so that a malformed value is said once there.
 */
public final class HandlersProperty {
    public static final String NAME = "ioengine.handlers";

    private HandlersProperty() {
    }

    /**
     * True for {@code engine-thread}, false for {@code executor} or when unset.
     *
     * @throws IllegalArgumentException for any other value, one line naming the property, the value and the two
     *     accepted
     */
    public static boolean onEngineThread() {
        String value = System.getProperty(NAME);
        if (value == null) {
            return false;
        }
        return switch (value.trim()) {
            case "executor" -> false;
            case "engine-thread" -> true;
            default -> throw new IllegalArgumentException(
                    NAME + "=" + value + " is not valid; accepted: executor or engine-thread");
        };
    }
}
