package dev.ioengine.channels;

import java.io.IOException;
import java.nio.channels.Channel;

/** Test support: closes a channel on a platform thread of its own, for tests whose close must wait for held IO. */
final class Closer {
    private Closer() {
    }

    /** Starts a platform thread that closes {@code channel}; an IOException from the close fails the thread. */
    static Thread closeOnAnotherThread(Channel channel) {
        return Thread.ofPlatform().start(() -> {
            try {
                channel.close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }
}
