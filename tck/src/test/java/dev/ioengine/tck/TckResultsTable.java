package dev.ioengine.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the TCK-RESULTS.md table from Surefire's XML reports of a kit run: one row per contract, one column per
 * provider, each cell "passed / skipped / failed" counts; then every distinct skip reason with its count.
 *
 * <p>Usage, after {@code ./build mvn -q test -Dtest='dev.ioengine.tck.**'}:
 * {@code java -cp target/test-classes dev.ioengine.tck.TckResultsTable target/surefire-reports table.md}.
 * It reads the reports with a pattern, not an XML parser: the kit is compiled inside the {@code dev.ioengine} module,
 * which does not read {@code java.xml}.
 */
public final class TckResultsTable {
    private static final List<String> CONTRACTS = List.of("FileChannelContract", "BlockingReadContract",
            "AsynchronousFileChannelContract", "PathContract", "FilesContract");
    private static final Map<String, String> PROVIDERS = new LinkedHashMap<>();

    static {
        PROVIDERS.put("Jdk", "JDK");
        PROVIDERS.put("Jimfs", "Jimfs");
        PROVIDERS.put("IoUring", "io_uring");
        PROVIDERS.put("Aio", "aio");
        PROVIDERS.put("Threads", "threads");
    }

    private static final Pattern TESTCASE = Pattern.compile(
            "<testcase\\s[^>]*?classname=\"dev\\.ioengine\\.tck\\.(\\w+)\"[^>]*?(/>|>(.*?)</testcase>)", Pattern.DOTALL);

    private static final Pattern SKIP_REASON = Pattern.compile("Assumption failed: ([^\\r\\n]*)");

    private TckResultsTable() {
    }

    /** Counts for one (contract, provider) cell. */
    static final class Cell {
        int passed;
        int skipped;
        int failed;

        @Override
        public String toString() {
            if (passed + skipped + failed == 0) {
                return "not run";
            }
            return passed + " / " + skipped + " / " + failed;
        }
    }

    public static void main(String[] args) throws IOException {
        Path reports = Path.of(args.length > 0 ? args[0] : "target/surefire-reports");
        Path out = Path.of(args.length > 1 ? args[1] : "target/tck-table.md");
        Map<String, Cell> cells = new LinkedHashMap<>();
        Map<String, Integer> skipReasons = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path xml : files.filter(p -> p.getFileName().toString().startsWith("TEST-dev.ioengine.tck."))
                    .toList()) {
                Matcher m = TESTCASE.matcher(Files.readString(xml));
                while (m.find()) {
                    String body = m.group(3) == null ? "" : m.group(3);
                    Cell cell = cells.computeIfAbsent(m.group(1), k -> new Cell());
                    if (body.contains("<skipped")) {
                        cell.skipped++;
                        Matcher reason = SKIP_REASON.matcher(body);
                        String text = reason.find() ? reason.group(1).strip() : "(no reason given)";
                        skipReasons.merge(text, 1, Integer::sum);
                    } else if (body.contains("<failure") || body.contains("<error")) {
                        cell.failed++;
                    } else {
                        cell.passed++;
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("| contract (passed / skipped / failed) | " + String.join(" | ", PROVIDERS.values()) + " |");
        lines.add("|---|" + "---|".repeat(PROVIDERS.size()));
        Cell[] totals = new Cell[PROVIDERS.size()];
        for (int i = 0; i < totals.length; i++) {
            totals[i] = new Cell();
        }
        for (String contract : CONTRACTS) {
            StringBuilder row = new StringBuilder("| " + contract.replace("Contract", "") + " |");
            int i = 0;
            for (String provider : PROVIDERS.keySet()) {
                Cell cell = cells.getOrDefault(contract + provider + "Test", new Cell());
                row.append(' ').append(cell).append(" |");
                totals[i].passed += cell.passed;
                totals[i].skipped += cell.skipped;
                totals[i].failed += cell.failed;
                i++;
            }
            lines.add(row.toString());
        }
        StringBuilder total = new StringBuilder("| **total** |");
        for (Cell t : totals) {
            total.append(" **").append(t).append("** |");
        }
        lines.add(total.toString());
        lines.add("");
        lines.add("Skip reasons (count):");
        lines.add("");
        skipReasons.forEach((reason, count) -> lines.add("- " + count + " x " + reason));
        Files.write(out, lines);
    }
}
