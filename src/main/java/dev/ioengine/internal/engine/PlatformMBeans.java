package dev.ioengine.internal.engine;

import dev.ioengine.EngineMXBean;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** The {@code java.management} side of {@link EngineMBeans}: loaded only when that module is present. */
final class PlatformMBeans {
    private PlatformMBeans() {
    }

    /**
     * Registers {@code bean} as {@code dev.ioengine:type=Engine,name=NAME}: {@code name}, or {@code name-2},
     * {@code name-3}... when engines share a name.
     */
    static ObjectName register(EngineMXBean bean, String name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StandardMBean mbean = new StandardMBean(bean, EngineMXBean.class, true);
        for (int n = 1; ; n++) {
            try {
                ObjectName objectName = new ObjectName("dev.ioengine:type=Engine,name="
                        + value(n == 1 ? name : name + "-" + n));
                server.registerMBean(mbean, objectName);
                return objectName;
            } catch (InstanceAlreadyExistsException taken) {
                // Another open engine has this name: try the next.
            } catch (JMException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The name as it is when it needs no quoting (the usual case: "io-engine-fs"), else quoted. */
    private static String value(String name) {
        return name.matches("[A-Za-z0-9._-]+") ? name : ObjectName.quote(name);
    }

    static void unregister(Object handle) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean((ObjectName) handle);
        } catch (InstanceNotFoundException alreadyGone) {
            // Unregistered by someone else: nothing left to do.
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }
}
