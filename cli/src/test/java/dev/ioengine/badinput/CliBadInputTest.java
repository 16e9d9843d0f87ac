package dev.ioengine.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad command lines to the CLI ({@code dev.ioengine.cli.Main.run}, called in-process through reflection as it is
 * package-private): each exits with status 2 and one line on stderr naming what is wrong, and nothing on stdout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliBadInputTest {

    record Result(int status, String out, String err) {}

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of("unknown command", new String[] {"frobnicate"}, "unknown command 'frobnicate'"),
                Arguments.of("empty command", new String[] {""}, "unknown command ''"),
                Arguments.of("info: unknown option", new String[] {"info", "--bogus"}, "unknown option '--bogus'"),
                Arguments.of("info: bad output format", new String[] {"info", "--output-format=xml"},
                        "unknown option"),
                Arguments.of("bench: unknown option", new String[] {"bench", "--bogus=1"}, "--bogus"),
                Arguments.of("bench: positional argument", new String[] {"bench", "file"}, "unexpected argument 'file'"),
                Arguments.of("bench: unknown engine", new String[] {"bench", "--engine=epoll"}, "bad --engine 'epoll'"),
                Arguments.of("bench: empty engine", new String[] {"bench", "--engine="}, "--engine"),
                Arguments.of("bench: unknown rw", new String[] {"bench", "--rw=sideways"}, "sideways"),
                Arguments.of("bench: zero bs", new String[] {"bench", "--bs=0"}, "--bs must be positive"),
                Arguments.of("bench: negative bs", new String[] {"bench", "--bs=-4k"}, "--bs"),
                Arguments.of("bench: bs above 1g", new String[] {"bench", "--bs=2g"}, "--bs must be at most 1g"),
                Arguments.of("bench: bs overflowing a long", new String[] {"bench", "--bs=99999999999999999999"},
                        "--bs"),
                Arguments.of("bench: bs not a size", new String[] {"bench", "--bs=big"}, "--bs"),
                Arguments.of("bench: direct with misaligned bs", new String[] {"bench", "--direct", "--bs=1000"},
                        "multiple of 512"),
                Arguments.of("bench: size below bs", new String[] {"bench", "--size=1k", "--bs=4k"},
                        "must be at least --bs"),
                Arguments.of("bench: negative size", new String[] {"bench", "--size=-1"}, "--size"),
                Arguments.of("bench: zero runtime", new String[] {"bench", "--runtime=0"}, "--runtime"),
                Arguments.of("bench: runtime not a duration", new String[] {"bench", "--runtime=soon"}, "--runtime"),
                Arguments.of("bench: iodepth zero", new String[] {"bench", "--iodepth=0"}, "--iodepth must be in"),
                Arguments.of("bench: iodepth above MAX_QUEUE_DEPTH", new String[] {"bench", "--iodepth=40000"},
                        "--iodepth must be in"),
                Arguments.of("bench: iodepth not a number", new String[] {"bench", "--iodepth=ten"},
                        "expected a whole number"),
                Arguments.of("bench: iodepth overflowing", new String[] {"bench", "--iodepth=9999999999999999999"},
                        "--iodepth"),
                Arguments.of("bench: rwmixread above 100", new String[] {"bench", "--rwmixread=101"}, "--rwmixread"),
                Arguments.of("bench: value missing", new String[] {"bench", "--bs"}, "--bs needs a value"),
                Arguments.of("bench: value missing before option", new String[] {"bench", "--size", "--direct"},
                        "--size needs a value"),
                Arguments.of("bench: direct=2", new String[] {"bench", "--direct=2"}, "expected 1 or 0"),
                Arguments.of("bench: conflicting compare and verify", new String[] {"bench", "--compare", "--verify"},
                        "does not combine"),
                Arguments.of("bench: compare rounds zero", new String[] {"bench", "--compare=0"}, "--compare"),
                Arguments.of("bench: empty filename", new String[] {"bench", "--filename="}, "--filename"),
                Arguments.of("bench: bad output format", new String[] {"bench", "--output-format=xml"}, "xml"),
                Arguments.of("run: no class", new String[] {"run"}, "run needs a main class"),
                Arguments.of("run: unknown option", new String[] {"run", "--bogus", "Main"}, "unknown option '--bogus'"),
                Arguments.of("run: unknown engine", new String[] {"run", "--engine=epoll", "Main"},
                        "bad --engine 'epoll'"),
                Arguments.of("run: class path missing", new String[] {"run", "-cp"}, "needs a class path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badCommandLineExitsWithStatusTwoAndOneLine(String name, String[] args, String message) throws Exception {
        Result r = run(args);
        assertThat(r.status()).as("exit status of %s (stderr: %s)", String.join(" ", args), r.err()).isEqualTo(2);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err().strip()).as("stderr").doesNotContain("\n").contains(message).startsWith("io-engine");
        assertThat(r.err()).as("stderr").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void noArgumentsPrintsTheUsageToStderrWithStatusTwo() throws Exception {
        Result r = run(new String[0]);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("usage: io-engine");
    }

    static Result run(String[] args) throws Exception {
        Class<?> main = Class.forName("dev.ioengine.cli.Main");
        Method run = main.getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class);
        run.setAccessible(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status;
            try {
                status = (int) run.invoke(null, args, o, e);
            } catch (InvocationTargetException failure) {
                throw new AssertionError("the CLI threw instead of reporting: " + failure.getCause(),
                        failure.getCause());
            }
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
