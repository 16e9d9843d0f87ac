package dev.ioengine.limits;

import java.lang.reflect.Method;
import java.util.List;

/**
 * The bytes held in direct buffers now, from the {@code direct} {@code BufferPoolMXBean}, reached reflectively (the
 * tests compile inside the module {@code dev.ioengine}, which does not read {@code java.management}).
 */
final class DirectPool {
    private DirectPool() {
    }

    static long used() {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> poolType = Class.forName("java.lang.management.BufferPoolMXBean");
            Method name = poolType.getMethod("getName");
            for (Object pool : (List<?>) factory.getMethod("getPlatformMXBeans", Class.class).invoke(null, poolType)) {
                if (name.invoke(pool).equals("direct")) {
                    return (Long) poolType.getMethod("getMemoryUsed").invoke(pool);
                }
            }
            throw new IllegalStateException("no direct BufferPoolMXBean");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
