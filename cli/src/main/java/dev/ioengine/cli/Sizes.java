package dev.ioengine.cli;

import java.util.Locale;

/**
 * Byte sizes and durations as fio spells them: {@code 4k}, {@code 1m}, {@code 1g}, {@code 2t}, {@code 1p} are powers
 * of 1024 (fio's default {@code kb_base=1024}); {@code 4KiB}, {@code 4kb} and plain bytes are accepted too. Durations
 * are seconds, optionally with {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m} or {@code h}.
 */
final class Sizes {
    private Sizes() {
    }

    /**
     * Parses a byte size.
     *
     * @throws UsageException naming {@code option} when {@code text} is not a size or overflows
     */
    static long parseBytes(String option, String text) throws UsageException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int end = t.length();
        if (t.endsWith("ib")) {
            end -= 2;
        } else if (t.endsWith("b")) {
            end -= 1;
        }
        int shift = 0;
        if (end > 0) {
            shift = switch (t.charAt(end - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                case 'p' -> 50;
                default -> 0;
            };
            if (shift != 0) {
                end--;
            }
        }
        String digits = t.substring(0, end);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new UsageException("bad size '" + text + "' for " + option
                    + ": expected a whole number with an optional k, m, g, t or p suffix (powers of 1024)");
        }
        try {
            long value = Long.parseLong(digits);
            if (value > (Long.MAX_VALUE >>> shift)) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new UsageException("size '" + text + "' for " + option + " is too large");
        }
    }

    /**
     * Parses a duration; a bare number is seconds, and may have a fraction ({@code 0.5}).
     *
     * @return nanoseconds
     * @throws UsageException naming {@code option} when {@code text} is not a duration
     */
    static long parseDurationNanos(String option, String text) throws UsageException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double unitNanos = 1e9;
        String number = t;
        if (t.endsWith("ns")) {
            unitNanos = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unitNanos = 1e3;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unitNanos = 1e6;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unitNanos = 60e9;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unitNanos = 3600e9;
            number = t.substring(0, t.length() - 1);
        }
        if (!number.matches("[0-9]+(\\.[0-9]+)?")) {
            throw new UsageException("bad duration '" + text + "' for " + option
                    + ": expected seconds, optionally with an ns, us, ms, s, m or h suffix");
        }
        double nanos = Double.parseDouble(number) * unitNanos;
        if (nanos >= Long.MAX_VALUE / 2.0) {
            throw new UsageException("duration '" + text + "' for " + option + " is too long");
        }
        return (long) nanos;
    }

    /** A byte count for people: {@code 4 KiB}, {@code 1.5 GiB}. */
    static String humanBytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return bytes == Math.rint(bytes) ? String.format(Locale.ROOT, "%d %s", (long) bytes, units[u])
                : String.format(Locale.ROOT, "%.2f %s", bytes, units[u]);
    }
}
