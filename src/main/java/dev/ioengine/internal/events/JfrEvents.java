package dev.ioengine.internal.events;

import dev.ioengine.EngineKind;

/** The {@code jdk.jfr} side of {@link IoEvents}: loaded only when jdk.jfr is present. */
final class JfrEvents {
    // Enabled-state probes: Event.isEnabled() on an instance that is never begun or committed.
    private static final FileReadEvent READ = new FileReadEvent();
    private static final FileWriteEvent WRITE = new FileWriteEvent();
    private static final FileForceEvent FORCE = new FileForceEvent();

    private JfrEvents() {
    }

    static Object beginRead() {
        if (!READ.isEnabled()) {
            return null;
        }
        FileReadEvent event = new FileReadEvent();
        event.begin();
        return event;
    }

    static Object beginWrite() {
        if (!WRITE.isEnabled()) {
            return null;
        }
        FileWriteEvent event = new FileWriteEvent();
        event.begin();
        return event;
    }

    static Object beginForce() {
        if (!FORCE.isEnabled()) {
            return null;
        }
        FileForceEvent event = new FileForceEvent();
        event.begin();
        return event;
    }

    static void commitRead(Object begun, String path, long bytes, EngineKind engine, boolean immediate) {
        FileReadEvent event = (FileReadEvent) begun;
        event.end();
        if (event.shouldCommit()) {
            event.path = path;
            event.bytesRead = bytes;
            event.endOfFile = bytes == 0;
            event.engine = engine.id();
            event.immediate = immediate;
            event.commit();
        }
    }

    static void commitWrite(Object begun, String path, long bytes, EngineKind engine, boolean immediate) {
        FileWriteEvent event = (FileWriteEvent) begun;
        event.end();
        if (event.shouldCommit()) {
            event.path = path;
            event.bytesWritten = bytes;
            event.engine = engine.id();
            event.immediate = immediate;
            event.commit();
        }
    }

    static void commitForce(Object begun, String path, boolean metaData, EngineKind engine) {
        FileForceEvent event = (FileForceEvent) begun;
        event.end();
        if (event.shouldCommit()) {
            event.path = path;
            event.metaData = metaData;
            event.engine = engine.id();
            event.commit();
        }
    }
}
