package dev.ioengine.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a test program's {@code main} in a JVM of its own: the same {@code java} binary and class path as this one,
 * {@code --enable-native-access=ALL-UNNAMED}, in a working directory of its own (where a crashing JVM would leave
 * its {@code hs_err_pid*.log}). The program writes what the test looks at as properties to the file named by its
 * first argument.
 *
 * @param work the working directory; also the program's {@code java.io.tmpdir}
 * @param exitStatus the JVM's exit status
 * @param output its standard output and error, together
 * @param report the properties it wrote (empty if it wrote none)
 * @param seconds how long it ran
 */
record ForkedJvm(Path work, int exitStatus, String output, Properties report, double seconds) {
    static final long TIMEOUT_SECONDS = 120;

    /**
     * Runs {@code program} with {@code jvmOptions}, prefixed by {@code launcher} (for example {@code prlimit
     * --nofile=64:64}), and waits for it, at most {@value #TIMEOUT_SECONDS} s (then fails the test, after killing
     * it).
     */
    static ForkedJvm run(Path work, List<String> launcher, List<String> jvmOptions, Class<?> program,
            String... args) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path report = work.resolve("report.properties");
        Path log = work.resolve("output.log");
        List<String> command = new ArrayList<>(launcher);
        command.add(ProcessHandle.current().info().command().orElseGet(
                () -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djava.io.tmpdir=" + work);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(program.getName());
        command.add(report.toString());
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                fail("%s did not finish in %d s (a hang); its output:%n%s", program.getSimpleName(), TIMEOUT_SECONDS,
                        Files.readString(log));
            }
        } finally {
            process.destroyForcibly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Properties results = new Properties();
        if (Files.exists(report)) {
            try (Reader in = Files.newBufferedReader(report)) {
                results.load(in);
            }
        }
        return new ForkedJvm(work, process.exitValue(), Files.readString(log), results, seconds);
    }

    /** Fails unless the JVM exited with {@code status} and left no crash log. */
    ForkedJvm assertExitedCleanly(int status) throws IOException {
        assertThat(crashLogs()).as("hs_err files of a crashed JVM; output:%n%s", output).isEmpty();
        assertThat(exitStatus).as("exit status; output:%n%s", output).isEqualTo(status);
        return this;
    }

    /** Fails if a thread of the forked JVM died of an uncaught exception (the JVM prints "Exception in thread"). */
    ForkedJvm assertNoThreadDied() {
        assertThat(output).as("output of the forked JVM").doesNotContain("Exception in thread");
        return this;
    }

    List<Path> crashLogs() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    String get(String key) {
        String value = report.getProperty(key);
        assertThat(value).as("report entry %s; the report: %s; output:%n%s", key, report, output).isNotNull();
        return value;
    }
}
