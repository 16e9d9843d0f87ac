package dev.ioengine.cli;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code io-engine info}: what this machine offers io-engine. The kernel and JDK, each engine's availability
 * (with the reason when unavailable, and the features it found), the kernel settings that decide it
 * ({@code kernel.io_uring_disabled}, {@code fs.aio-max-nr} / {@code fs.aio-nr}, the locked-memory limit), and
 * which engine {@code auto} picks and why. Reads {@code /proc} and probes; changes nothing.
 */
final class Info {
    private static final EngineKind[] ENGINES = {EngineKind.IO_URING, EngineKind.AIO, EngineKind.THREADS};

    /**
     * One row: a JSON key, a label, the value as shown, the value in JSON (a number, a boolean, a string or null
     * when unreadable), and an explanation (may be empty).
     */
    private record Row(String key, String label, String value, Object json, String note) {
        Row(String key, String label, String value, String note) {
            this(key, label, value, value, note);
        }
    }

    private Info() {
    }

    static String help() {
        return """
                usage: io-engine info [--output-format=normal|json]
                Shows the kernel and JDK, whether each engine (io_uring, aio, threads) is available here and why
                not, the features the kernel offers, kernel.io_uring_disabled, fs.aio-max-nr / fs.aio-nr, the
                locked-memory limit, and which engine 'auto' (the default) picks, and why.
                """;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        for (String arg : args) {
            switch (arg) {
                case "--help", "-h" -> {
                    out.print(help());
                    return 0;
                }
                case "--output-format=json", "--json" -> json = true;
                case "--output-format=normal" -> json = false;
                default -> {
                    err.println("io-engine info: unknown option '" + arg + "' (see io-engine info --help)");
                    return UsageException.EXIT_STATUS;
                }
            }
        }
        List<Row> rows = machineRows();
        List<EngineAvailability> engines = new ArrayList<>();
        for (EngineKind kind : ENGINES) {
            engines.add(EngineAvailability.probe(kind));
        }
        EngineKind auto = EngineAvailability.selectAuto();
        String why = EngineAvailability.explainAuto();
        if (json) {
            out.println(toJson(rows, engines, auto, why));
        } else {
            printText(out, rows, engines, auto, why);
        }
        return 0;
    }

    private static List<Row> machineRows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("kernel", "kernel", proc("/proc/sys/kernel/osrelease"), "/proc/sys/kernel/osrelease"));
        rows.add(new Row("jdk", "jdk", System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " " + System.getProperty("java.vendor", ""), "java.home " + System.getProperty("java.home")));
        rows.add(new Row("os", "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"), ""));
        int cpus = Runtime.getRuntime().availableProcessors();
        rows.add(new Row("cpus", "cpus", Integer.toString(cpus), (long) cpus, "Runtime.availableProcessors()"));
        boolean nativeAccess = Info.class.getModule().isNativeAccessEnabled();
        rows.add(new Row("native_access", "native access", nativeAccess ? "enabled" : "NOT enabled", nativeAccess,
                nativeAccess ? "" : "run java with --enable-native-access=ALL-UNNAMED (or =dev.ioengine)"));
        String disabled = proc("/proc/sys/kernel/io_uring_disabled");
        rows.add(new Row("io_uring_disabled", "kernel.io_uring_disabled", disabled, number(disabled), switch (disabled) {
            case "0" -> "io_uring allowed for all processes";
            case "1" -> "io_uring only for CAP_SYS_ADMIN or members of kernel.io_uring_group";
            case "2" -> "io_uring disabled for every process";
            default -> "sysctl absent: the kernel predates it (6.6) or io_uring is compiled out";
        }));
        String maxNr = proc("/proc/sys/fs/aio-max-nr");
        String nr = proc("/proc/sys/fs/aio-nr");
        rows.add(new Row("aio_max_nr", "fs.aio-max-nr", maxNr, number(maxNr),
                "AIO events all processes may reserve (io_setup fails with EAGAIN beyond it)"));
        String free = "";
        try {
            free = (Long.parseLong(maxNr) - Long.parseLong(nr)) + " free";
        } catch (NumberFormatException e) {
            // One of the two is unreadable; the row shows which.
        }
        rows.add(new Row("aio_nr", "fs.aio-nr", nr, number(nr), free.isEmpty() ? "AIO events reserved now" : free));
        String memlock = memlockLimit();
        rows.add(new Row("memlock_bytes", "locked memory limit", memlock.matches("[0-9]+")
                ? Sizes.humanBytes(Long.parseLong(memlock)) : memlock, memlock.equals("unlimited") ? -1L
                : number(memlock), "RLIMIT_MEMLOCK (-1 in JSON: unlimited); io_uring rings count against it before "
                + "kernel 5.12"));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String type = fileSystemType(tmp);
        rows.add(new Row("tmpdir", "java.io.tmpdir", tmp.toString(), "bench's default file lives here"));
        rows.add(new Row("tmpdir_file_system", "java.io.tmpdir file system", type, type.equals("tmpfs")
                ? "WARNING: tmpfs is memory: bench --direct there measures memory, not a device; give --filename "
                + "on a disk's file system" : ""));
        return rows;
    }

    /** The number in {@code text}, or null when it is not one (an unreadable /proc file). */
    private static Long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String fileSystemType(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException | RuntimeException e) {
            return "unknown (" + FailureMessage.of(e) + ")";
        }
    }

    private static void printText(PrintStream out, List<Row> rows, List<EngineAvailability> engines,
            EngineKind auto, String why) {
        out.println("io-engine info");
        for (Row row : rows) {
            out.printf("  %-26s %s%s%n", row.label(), row.value(), row.note().isEmpty() ? "" : "  (" + row.note() + ")");
        }
        out.println("engines:");
        for (EngineAvailability a : engines) {
            out.printf("  %-26s %s: %s%n", a.kind().id(), a.available() ? "available" : "unavailable", a.reason());
            if (!a.features().isEmpty()) {
                out.printf("  %-26s %s%n", "", "features: " + String.join(", ", a.features()));
            }
        }
        out.printf("  %-26s %s (%s)%n", "auto", auto.id(), why);
    }

    private static String toJson(List<Row> rows, List<EngineAvailability> engines, EngineKind auto, String why) {
        JsonWriter json = new JsonWriter().beginObject();
        for (Row row : rows) {
            switch (row.json()) {
                case Long n -> json.field(row.key(), n);
                case Boolean b -> json.field(row.key(), b);
                case String text -> json.field(row.key(), text);
                case null -> json.field(row.key(), (String) null);
                default -> throw new IllegalStateException("row " + row.key());
            }
        }
        json.name("engines").beginObject();
        for (EngineAvailability a : engines) {
            json.name(a.kind().id()).beginObject()
                    .field("available", a.available())
                    .field("reason", a.reason());
            json.name("features").beginArray();
            for (String f : a.features()) {
                json.value(f);
            }
            json.endArray().endObject();
        }
        json.endObject();
        json.name("auto").beginObject().field("engine", auto.id()).field("why", why).endObject();
        return json.endObject().toString();
    }

    /**
     * The trimmed content of a /proc file, or "unreadable (reason)". Not Files.readString: it reads a file that reports size 0 one byte first, and sysctl files
     * answer a read at a non-zero offset with end of file, so fs.aio-max-nr 65536 would read as "6".
     */
    private static String proc(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return "unreadable (" + FailureMessage.of(e) + ")";
        }
    }

    /** The soft RLIMIT_MEMLOCK from /proc/self/limits: bytes, or "unlimited". */
    private static String memlockLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max locked memory")) {
                    String[] f = line.substring("Max locked memory".length()).trim().split("\\s+");
                    return f[0].toLowerCase(Locale.ROOT);
                }
            }
            return "unknown";
        } catch (IOException | RuntimeException e) {
            return "unreadable (" + FailureMessage.of(e) + ")";
        }
    }
}
