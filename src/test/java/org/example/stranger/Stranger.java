package org.example.stranger;

import dev.ioengine.internal.engine.RequestAccess;

/** A class of someone else's, on the same class path as io-engine, reaching for its internals. */
public final class Stranger {
    private Stranger() {
    }

    public static Object requestAccess() {
        return RequestAccess.get();
    }
}
