package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test support: a program's {@code main} run in a JVM of its own, for what only a fresh JVM shows (start-up, the
 * drop-in default provider, the module path, a crash, process limits, the exit). The JVM is this JDK's
 * {@code java}, with the class path of this one unless {@link Launch#classPath} says otherwise, run in a working
 * directory of its own that is also its {@code java.io.tmpdir} (where a crashing JVM leaves its
 * {@code hs_err_pid*.log}). Its standard output and error go together to {@code output.log} there; a run that
 * outlasts {@value #TIMEOUT_SECONDS} s is killed and fails the test.
 *
 * @param work the working directory
 * @param exitStatus the JVM's exit status
 * @param output its standard output and error, together
 * @param report the properties it wrote to its report file (empty if it wrote none or was given none)
 * @param seconds how long it ran
 */
public record ForkedJvm(Path work, int exitStatus, String output, Properties report, double seconds) {
    public static final long TIMEOUT_SECONDS = 120;
    /** The option that grants the class path native access. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** A launch of {@code program}'s {@code main}, to set up and {@link Launch#run run}. */
    public static Launch launch(Class<?> program) {
        return new Launch(program.getName());
    }

    /** A launch of the {@code main} of the class named {@code mainClass}, which need not be loadable here. */
    public static Launch launch(String mainClass) {
        return new Launch(mainClass);
    }

    /** The directory or jar a class was loaded from: a class path entry (the library's holds its module-info). */
    public static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails unless the JVM exited with {@code status} and left no crash log. */
    public ForkedJvm assertExitedCleanly(int status) throws IOException {
        assertThat(crashLogs()).as("hs_err files of a crashed JVM; output:%n%s", output).isEmpty();
        assertThat(exitStatus).as("exit status (a crash is 134 or 139); output:%n%s", output).isEqualTo(status);
        return this;
    }

    /** Fails if a thread of the forked JVM died of an uncaught exception (the JVM prints "Exception in thread"). */
    public ForkedJvm assertNoThreadDied() {
        assertThat(output).as("output of the forked JVM").doesNotContain("Exception in thread");
        return this;
    }

    public List<Path> crashLogs() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    /** The report's entry {@code key}; fails if there is none. */
    public String get(String key) {
        String value = report.getProperty(key);
        assertThat(value).as("report entry %s; the report: %s; output:%n%s", key, report, output).isNotNull();
        return value;
    }

    /** What to run and how; {@link #run} starts it. Each setter adds to what was set before. */
    public static final class Launch {
        private final String mainClass;
        private final List<String> launcher = new ArrayList<>();
        private final List<String> options = new ArrayList<>();
        private final List<String> classPath = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private boolean withReport;

        private Launch(String mainClass) {
            this.mainClass = mainClass;
        }

        /** A command the {@code java} command is given to, for example {@code prlimit --nofile=64:64}. */
        public Launch launcher(List<String> command) {
            launcher.addAll(command);
            return this;
        }

        /** Options of the JVM, before the class path. */
        public Launch options(String... jvmOptions) {
            return options(List.of(jvmOptions));
        }

        public Launch options(List<String> jvmOptions) {
            options.addAll(jvmOptions);
            return this;
        }

        /** Class path entries, in place of this JVM's class path (see {@link ForkedJvm#locationOf}). */
        public Launch classPath(String... entries) {
            classPath.addAll(List.of(entries));
            return this;
        }

        /**
         * The program writes what the test looks at, as properties, to the file named by its first argument:
         * {@code report.properties} in the working directory, read into {@link ForkedJvm#report()} after the run.
         */
        public Launch withReport() {
            withReport = true;
            return this;
        }

        /** The program's arguments (after the report file's name, if {@link #withReport()}). */
        public Launch arguments(String... programArguments) {
            arguments.addAll(List.of(programArguments));
            return this;
        }

        /** Runs the program in {@code work} (created if need be) and waits for its end. */
        public ForkedJvm run(Path work) throws IOException, InterruptedException {
            Files.createDirectories(work);
            Path report = work.resolve("report.properties");
            Path log = work.resolve("output.log");
            List<String> command = new ArrayList<>(launcher);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Djava.io.tmpdir=" + work);
            command.addAll(options);
            command.add("-cp");
            command.add(classPath.isEmpty() ? System.getProperty("java.class.path")
                    : String.join(File.pathSeparator, classPath));
            command.add(mainClass);
            if (withReport) {
                command.add(report.toString());
            }
            command.addAll(arguments);
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    fail("%s did not finish in %d s (a hang); its output:%n%s", mainClass, TIMEOUT_SECONDS,
                            Files.readString(log));
                }
            } finally {
                process.destroyForcibly();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Properties results = new Properties();
            if (withReport && Files.exists(report)) {
                try (Reader in = Files.newBufferedReader(report)) {
                    results.load(in);
                }
            }
            return new ForkedJvm(work, process.exitValue(), Files.readString(log), results, seconds);
        }
    }
}
