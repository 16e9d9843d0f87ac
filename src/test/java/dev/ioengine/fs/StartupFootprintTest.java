package dev.ioengine.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a program that reads one file under the drop-in makes io-engine load, from the JVM's own class loading log
 * ({@code -Xlog:class+load}) in a forked JVM: by default (the read on a platform thread is the JDK's channel's) no
 * linker at all; with engine channels on platform threads each downcall handle only for the functions called; no
 * logging back end when there is nothing to say, no linker when native access is denied. The start-up figures themselves are
 * measured by {@code scripts/startup.sh}, never asserted here.
 */
class StartupFootprintTest {
    private static final String LIBC = "dev.ioengine.internal.linux.LibC$";
    private static final String DROP_IN =
            "-Djava.nio.file.spi.DefaultFileSystemProvider=" + IoEngineFileSystemProvider.class.getName();

    @TempDir
    Path tmp;

    @Test
    void aReadMakesTheHandlesOfTheFunctionsItCallsAndNoOthers() throws Exception {
        List<String> loaded = classesLoaded("threads", List.of("--enable-native-access=ALL-UNNAMED",
                "-Dioengine.engine=threads", "-Dioengine.fileChannels=engine", DROP_IN));
        List<String> handles = loaded.stream().filter(name -> name.startsWith(LIBC)).collect(Collectors.toList());
        assertThat(handles).as("LibC's handle holders loaded").contains(LIBC + "Open", LIBC + "Close")
                .doesNotContain(LIBC + "Mmap", LIBC + "Munmap", LIBC + "Eventfd", LIBC + "Fallocate",
                        LIBC + "Ftruncate", LIBC + "FcntlPointer", LIBC + "Pwritev2",
                        LIBC + "Fsync", LIBC + "Fdatasync");
    }

    @Test
    void aBufferedReadByDefaultLinksNothingAndLogsNothing() throws Exception {
        List<String> loaded = classesLoaded("default", List.of("--enable-native-access=ALL-UNNAMED", DROP_IN));
        assertThat(loaded).contains(IoEngineFileSystemProvider.class.getName())
                .as("the JDK's own channel served the read: no native linker, no handle, no engine, no logging")
                .doesNotContain("jdk.internal.foreign.abi.AbstractLinker", LIBC + "Open",
                        "dev.ioengine.channels.EngineFileChannel", "dev.ioengine.internal.engine.EngineCore",
                        "jdk.internal.logger.LoggerFinderLoader", "java.util.logging.LogManager");
    }

    @Test
    void theEnginesLookUpNoLoggerUntilTheyHaveSomethingToSay() throws Exception {
        // Without the drop-in: an engine opened on the read path registers its MBean, and the platform MBean server
        // starts java.util.logging itself. What is checked here is the engines' own loggers.
        List<String> loaded = classesLoaded("quiet", List.of("--enable-native-access=ALL-UNNAMED"),
                "dev.ioengine.internal.engine.EngineCore", "dev.ioengine.internal.threads.ThreadPoolEngine",
                "dev.ioengine.internal.uring.IoUringEngine", "dev.ioengine.internal.aio.AioEngine");
        assertThat(loaded).as("System.getLogger finds the logging back end through these")
                .contains("dev.ioengine.internal.uring.IoUringEngine")
                .doesNotContain("jdk.internal.logger.LoggerFinderLoader", "java.util.logging.LogManager");
    }

    @Test
    void deniedNativeAccessMakesNoLinker() throws Exception {
        List<String> loaded = classesLoaded("denied", List.of("--illegal-native-access=deny", DROP_IN));
        assertThat(loaded).contains(IoEngineFileSystemProvider.class.getName())
                .as("the JDK's native linker (its implementations extend AbstractLinker)")
                .doesNotContain("jdk.internal.foreign.abi.AbstractLinker", LIBC + "Open");
    }

    /**
     * Runs {@link StartupProgram} with {@code jvmOptions}, initialising {@code classes} first, and returns the names
     * of the classes its JVM loaded.
     */
    private List<String> classesLoaded(String name, List<String> jvmOptions, String... classes)
            throws IOException, InterruptedException {
        Path work = Files.createDirectories(tmp.resolve(name));
        Path input = Files.writeString(work.resolve("input.txt"), "hello");
        Path classLog = work.resolve("classes.log");
        String printed = ForkedJvm.launch(StartupProgram.class).options(jvmOptions)
                .options("-Xlog:class+load=info:file=" + classLog + ":none")
                .classPath(ForkedJvm.locationOf(IoEngineFileSystemProvider.class),
                        ForkedJvm.locationOf(StartupProgram.class))
                .arguments(input.toString()).arguments(classes).run(work).assertExitedCleanly(0).output();
        assertThat(printed).as("the program read its file").contains("5");
        // Each line: "<class name> source: <where from>", with no decorations ("none" above).
        return Files.readAllLines(classLog).stream().map(line -> line.split(" ", 2)[0]).collect(Collectors.toList());
    }
}
