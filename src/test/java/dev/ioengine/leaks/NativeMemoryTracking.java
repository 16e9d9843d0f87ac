package dev.ioengine.leaks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NMT's summary through the {@code DiagnosticCommand} MBean's {@code vmNativeMemory} operation (what
 * {@code jcmd PID VM.native_memory summary} prints; about 0.3 ms). Reached reflectively: the tests compile inside
 * the module {@code dev.ioengine}, which does not read {@code java.management}.
 */
final class NativeMemoryTracking {
    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Reader READER = Reader.open();

    private NativeMemoryTracking() {
    }

    /** The committed bytes of the "Other" category, or -1 if NMT is off. */
    static long otherCommittedBytes() {
        if (READER == null) {
            return -1;
        }
        String summary = READER.summary();
        if (summary == null) {
            return -1;
        }
        Matcher m = OTHER.matcher(summary);
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }

    private record Reader(Object server, Object name, java.lang.reflect.Method invoke) {
        static Reader open() {
            try {
                Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
                Object server = factory.getMethod("getPlatformMBeanServer").invoke(null);
                Class<?> objectName = Class.forName("javax.management.ObjectName");
                Object name = objectName.getConstructor(String.class)
                        .newInstance("com.sun.management:type=DiagnosticCommand");
                java.lang.reflect.Method invoke = Class.forName("javax.management.MBeanServerConnection")
                        .getMethod("invoke", objectName, String.class, Object[].class, String[].class);
                Reader reader = new Reader(server, name, invoke);
                return reader.summary() == null ? null : reader;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        /** The summary text, or null when NMT is off (the command then says so instead). */
        String summary() {
            try {
                String text = (String) invoke.invoke(server, name, "vmNativeMemory",
                        new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
                return text.contains("Other (reserved=") ? text : null;
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }
}
