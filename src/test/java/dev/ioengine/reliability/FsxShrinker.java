package dev.ioengine.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * Delta debugging, simplified: drops chunks of steps (halves, then quarters, down to single steps) for as long as
 * what is left still fails, within a budget of attempts.
 */
final class FsxShrinker {
    /** Whether a candidate sequence still fails. */
    interface Oracle {
        boolean fails(List<FsxStep> steps) throws Exception;
    }

    private final Oracle oracle;
    private int attemptsLeft;
    private int attempts;

    FsxShrinker(Oracle oracle, int maxAttempts) {
        this.oracle = oracle;
        this.attemptsLeft = maxAttempts;
    }

    int attempts() {
        return attempts;
    }

    /** A sub-sequence of {@code failing} that still fails, usually much shorter; {@code failing} must fail. */
    List<FsxStep> shrink(List<FsxStep> failing) throws Exception {
        List<FsxStep> current = new ArrayList<>(failing);
        int granularity = 2;
        while (current.size() >= 2 && attemptsLeft > 0) {
            int chunk = (current.size() + granularity - 1) / granularity;
            boolean reduced = false;
            for (int start = 0; start < current.size() && attemptsLeft > 0; start += chunk) {
                List<FsxStep> candidate = new ArrayList<>(current.subList(0, start));
                candidate.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                if (candidate.isEmpty()) {
                    continue;
                }
                attemptsLeft--;
                attempts++;
                if (oracle.fails(candidate)) {
                    current = candidate;
                    reduced = true;
                    break;
                }
            }
            if (reduced) {
                granularity = Math.max(granularity - 1, 2);
            } else if (chunk == 1) {
                break;
            } else {
                granularity = Math.min(granularity * 2, current.size());
            }
        }
        return current;
    }

    /** The steps as numbered lines. */
    static String describe(List<FsxStep> steps) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            s.append(String.format("  %3d. %s%n", i + 1, steps.get(i).describe()));
        }
        return s.toString();
    }
}
