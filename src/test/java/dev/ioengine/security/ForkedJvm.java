package dev.ioengine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ioengine.IoEngine;
import java.io.File;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Runs a test program's main in a JVM of its own, so that a crash there is a failed assertion here. */
final class ForkedJvm {
    private ForkedJvm() {
    }

    /** Runs {@code program} with a report file as its argument; asserts it exited 0; returns its report. */
    static Properties run(Class<?> program, Path dir) throws Exception {
        Path report = dir.resolve(program.getSimpleName() + ".properties");
        Path log = dir.resolve(program.getSimpleName() + ".log");
        String classpath = String.join(File.pathSeparator, classpathOf(IoEngine.class), classpathOf(program));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-cp", classpath, program.getName(),
                report.toString(), dir.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("%s did not finish in 90 s; its output:%n%s", program.getSimpleName(), Files.readString(log));
        }
        assertThat(process.exitValue()).as("exit status of the forked JVM (a crash is 134 or 139); output:%n%s",
                Files.readString(log)).isZero();
        Properties results = new Properties();
        try (Reader in = Files.newBufferedReader(report)) {
            results.load(in);
        }
        return results;
    }

    private static String classpathOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
