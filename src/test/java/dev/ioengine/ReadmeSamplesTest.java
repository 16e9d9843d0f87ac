package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's engine-API samples, taken from README.md as they stand, compiled with {@code javac} against the
 * library's classes and run in a JVM of their own (class path, nothing but the library): a sample that no longer
 * compiles or fails fails here.
 */
class ReadmeSamplesTest {
    private static final String SECTION = "## The engine API";
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path tmp;

    @Test
    void theEngineApiSamplesCompileAndRun() throws Exception {
        List<String> samples = samplesOf(readme());
        assertThat(samples).as("java blocks under '%s' in README.md", SECTION).isNotEmpty();
        Path sources = Files.createDirectories(tmp.resolve("src"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        StringBuilder methods = new StringBuilder();
        StringBuilder calls = new StringBuilder();
        for (int i = 0; i < samples.size(); i++) {
            methods.append("    static void sample").append(i).append("(Path path) throws Exception {\n")
                    .append(samples.get(i)).append("    }\n\n");
            calls.append("        sample").append(i).append("(Files.createTempFile(\"readme\", \".bin\"));\n");
        }
        Path source = sources.resolve("ReadmeSamples.java");
        Files.writeString(source, """
                import static java.nio.file.StandardOpenOption.*;

                import dev.ioengine.*;
                import java.lang.foreign.*;
                import java.nio.file.*;

                public class ReadmeSamples {
                %s
                    public static void main(String[] args) throws Exception {
                %s        System.out.println("samples ran: %d");
                    }
                }
                """.formatted(methods, calls, samples.size()));
        String library = ForkedJvm.locationOf(IoFile.class);
        compile("-d", classes.toString(), "-cp", library, source.toString());
        String output = ForkedJvm.launch("ReadmeSamples").options(ForkedJvm.NATIVE_ACCESS)
                .classPath(library, classes.toString()).run(tmp.resolve("run")).assertExitedCleanly(0).output();
        assertThat(output).contains("samples ran: " + samples.size());
    }

    /** The ```java blocks of the engine API section, up to the next section of the same level. */
    static List<String> samplesOf(String readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as("README.md has a section '%s'", SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> samples = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(section);
        while (m.find()) {
            samples.add(m.group(1));
        }
        return samples;
    }

    /** README.md of the repository: in the working directory or a parent (the build may run in a module). */
    private static String readme() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path readme = dir.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.readString(readme).contains(SECTION)) {
                return Files.readString(readme);
            }
        }
        throw new IOException("no README.md with '" + SECTION + "' above " + Path.of("").toAbsolutePath());
    }

    /** Compiles with this JDK's {@code javac}, failing the test with its messages if it fails. */
    private static void compile(String... arguments) {
        StringWriter messages = new StringWriter();
        PrintWriter out = new PrintWriter(messages);
        int status = ToolProvider.findFirst("javac").orElseThrow().run(out, out, arguments);
        assertThat(status).as("javac %s exit status; output:%n%s", List.of(arguments), messages).isZero();
    }
}
