package dev.ioengine.internal.engine;

/**
 * The guard of the internal entry points io-engine's public packages reach through, which Java makes public
 * ({@link RequestAccess#get}, {@link Backends#open}), and of the tests' {@link FaultInjection} seam: on the module
 * path their package is not exported; on the class path every public method is callable, so they check their
 * caller. Only io-engine's own classes pass: its packages, loaded by the class loader that loaded io-engine, in
 * its module (the jar's packages are sealed, so no other jar can add classes to them).
 */
final class InternalCallers {
    /** Gives each entry point its caller: {@code WALKER.getCallerClass()} called in the entry point itself. */
    static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private InternalCallers() {
    }

    /** @throws IllegalCallerException unless {@code caller} is a class of io-engine */
    static void check(Class<?> caller) {
        Class<?> self = InternalCallers.class;
        String pkg = caller.getPackageName();
        if (caller.getClassLoader() != self.getClassLoader() || caller.getModule() != self.getModule()
                || !(pkg.equals("dev.ioengine") || pkg.startsWith("dev.ioengine."))) {
            throw new IllegalCallerException("io-engine internal: not for " + caller.getName());
        }
    }
}
