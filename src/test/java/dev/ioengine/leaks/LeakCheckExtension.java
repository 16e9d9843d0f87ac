package dev.ioengine.leaks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test class, checks that the process holds no more than before it: open descriptors, engine threads,
 * io_uring / AIO ring mappings and native memory ({@link ProcessResources}). Registered for every test class of the
 * run (the tck's too, which surefire runs from the same test classpath) through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 *
 * <p>Engines close asynchronously (their threads end after {@code close()} returns, completions run on executors),
 * so the check polls for up to {@value #SETTLE_MILLIS} ms before failing. A leak fails the class with the
 * descriptors (and their {@code readlink} targets), thread names and mappings it left behind.
 *
 * <p>Native memory (NMT's "Other", or without NMT the direct buffer pool) is freed by the garbage collector (direct
 * buffers, {@code Arena.ofAuto}) and pooled on purpose (io-engine's bounce pool, up to 36 MiB; the JDK's per-thread
 * temporary buffers, which the surefire argLine turns off with {@code -Djdk.nio.maxCachedBufferSize=0}: on JDK 25
 * they are native memory outside the direct pool, cached per thread without a bound on their size), so it gets a
 * tolerance, {@code -Dioengine.leaks.nativeToleranceMiB} (default {@value #DEFAULT_NATIVE_TOLERANCE_MIB}), and
 * the collector is asked to run before it is called a leak.
 *
 * <p>Left out: classes marked {@link LeakCheckExempt}, and resources opened through
 * {@link JvmWideResources#adopt}. {@code -Dioengine.leaks.check=false} turns the check off. Each class's figures
 * go to {@code target/leak-check/classes.tsv}.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    static final long SETTLE_MILLIS = 5_000;
    static final long DEFAULT_NATIVE_TOLERANCE_MIB = 64;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);
    private static final Path FIGURES = Path.of("target", "leak-check", "classes.tsv");

    @Override
    public void beforeAll(ExtensionContext context) {
        if (checked(context)) {
            context.getStore(NAMESPACE).put(ProcessResources.class, ProcessResources.now());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ProcessResources before = context.getStore(NAMESPACE).remove(ProcessResources.class, ProcessResources.class);
        if (before == null) {
            return;
        }
        long toleranceBytes = Long.getLong("ioengine.leaks.nativeToleranceMiB", DEFAULT_NATIVE_TOLERANCE_MIB) << 20;
        long start = System.nanoTime();
        long deadline = start + SETTLE_MILLIS * 1_000_000;
        while (true) {
            ProcessResources now = ProcessResources.now();
            List<String> leaks = leaks(before, now, toleranceBytes);
            boolean settled = leaks.isEmpty();
            if (settled || System.nanoTime() > deadline) {
                record(context, before, now, (System.nanoTime() - start) / 1_000_000, settled);
                if (!settled) {
                    throw new AssertionError("leaked by " + context.getDisplayName() + " (after "
                            + SETTLE_MILLIS + " ms of waiting):\n  " + String.join("\n  ", leaks)
                            + "\nbefore: " + before.summary() + "\nafter:  " + now.summary());
                }
                return;
            }
            if (now.nativeBytes() - before.nativeBytes() > toleranceBytes) {
                System.gc();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for resources to be released", e);
            }
        }
    }

    static List<String> leaks(ProcessResources before, ProcessResources now, long toleranceBytes) {
        List<String> leaks = new ArrayList<>();
        for (String fd : now.fdsOpenedSince(before, JvmWideResources.fds())) {
            leaks.add("descriptor " + fd);
        }
        for (String thread : now.threadsStartedSince(before, JvmWideResources.threads())) {
            leaks.add("thread " + thread);
        }
        for (String mapping : now.mappingsAddedSince(before, JvmWideResources.mappings())) {
            leaks.add("ring mapping " + mapping);
        }
        long grown = now.nativeBytes() - before.nativeBytes();
        if (grown > toleranceBytes) {
            leaks.add("native memory (" + ProcessResources.nativeMeasure() + ") grew by " + grown + " bytes, more than "
                    + "the tolerance of " + toleranceBytes + " bytes");
        }
        return leaks;
    }

    private static boolean checked(ExtensionContext context) {
        if (!Boolean.parseBoolean(System.getProperty("ioengine.leaks.check", "true"))) {
            return false;
        }
        return context.getTestClass().map(c -> !c.isAnnotationPresent(LeakCheckExempt.class)).orElse(false);
    }

    private static void record(ExtensionContext context, ProcessResources before, ProcessResources now,
            long settleMillis, boolean settled) {
        String line = String.join("\t", context.getRequiredTestClass().getName(), settled ? "clean" : "LEAK",
                String.valueOf(settleMillis), String.valueOf(now.fds().size() - before.fds().size()),
                String.valueOf(now.engineThreads().size() - before.engineThreads().size()),
                String.valueOf(now.directBytes() - before.directBytes()),
                String.valueOf(now.directCount() - before.directCount()),
                String.valueOf(now.nmtOtherBytes() - before.nmtOtherBytes())) + "\n";
        try {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context.publishReportEntry("leak-check", line.strip());
    }
}
