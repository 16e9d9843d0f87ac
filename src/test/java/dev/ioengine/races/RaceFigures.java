package dev.ioengine.races;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The figures of a race test class, for RELIABILITY.md: {@link RaceSupport}'s totals start afresh before the class
 * (the classes share one JVM) and are written after it to {@code target/race-figures/NAME.txt}, NAME the class's
 * name without {@code RaceTest} or {@code Test}, in lower case with hyphens ({@code AsyncChannelRaceTest}:
 * {@code async-channel}).
 */
final class RaceFigures implements BeforeAllCallback, AfterAllCallback {
    private static final List<AtomicLong> TOTALS = List.of(RaceSupport.ROUNDS, RaceSupport.OPERATIONS,
            RaceSupport.SUCCEEDED, RaceSupport.FAILED, RaceSupport.CANCELLED);

    @Override
    public void beforeAll(ExtensionContext context) {
        TOTALS.forEach(total -> total.set(0));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Path out = Files.createDirectories(Path.of("target", "race-figures"));
        Files.writeString(out.resolve(nameOf(context.getRequiredTestClass()) + ".txt"), figures() + "\n");
    }

    static String nameOf(Class<?> testClass) {
        String name = testClass.getSimpleName().replaceFirst("(Race)?Test$", "");
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String figures() {
        return "seed=" + RaceSupport.SEED + " rounds=" + RaceSupport.ROUNDS.get() + " operations="
                + RaceSupport.OPERATIONS.get() + " succeeded=" + RaceSupport.SUCCEEDED.get() + " failed="
                + RaceSupport.FAILED.get() + " cancelled=" + RaceSupport.CANCELLED.get();
    }
}
