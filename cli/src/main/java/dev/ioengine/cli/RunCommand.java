package dev.ioengine.cli;

import dev.ioengine.EngineKind;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code io-engine run CLASS [ARGS...]}: runs a Java program with io-engine as the default file system provider.
 * The provider is loaded by the system class loader at JVM start-up, so it cannot be switched in a running JVM:
 * this re-executes {@code java} from {@code java.home} with
 * {@code -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider},
 * {@code --enable-native-access=ALL-UNNAMED}, and the current class path (io-engine and its dependencies) followed
 * by any {@code --cp} given. Standard streams are inherited; the exit status is the program's.
 */
final class RunCommand {
    static final String PROVIDER_PROPERTY = "java.nio.file.spi.DefaultFileSystemProvider";
    static final String PROVIDER_CLASS = "dev.ioengine.fs.IoEngineFileSystemProvider";

    private RunCommand() {
    }

    static String help() {
        return """
                usage: io-engine run [--cp PATH] [--engine=KIND] [-Dname=value]... [-J<jvm option>]... CLASS [ARGS...]
                Runs the Java main class CLASS with io-engine as the default file system provider: every
                FileChannel, AsynchronousFileChannel and Files.* call on default-file-system paths goes through
                io-engine. Re-executes java from this JDK (java.home) with
                  -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider
                  --enable-native-access=ALL-UNNAMED
                and the class path of io-engine itself followed by --cp PATH (also -cp, --class-path).
                  --engine=KIND   io_uring, aio, threads or auto: sets -Dioengine.engine for the program
                  -Dname=value    a system property for the program (ioengine.* tuning properties, for example)
                  -J<option>      any other JVM option, e.g. -J-Xmx2g
                Options must come before CLASS; everything after CLASS goes to the program. The exit status is the
                program's. java.io.File, RandomAccessFile and FileInputStream do not go through any provider.
                """;
    }

    /**
     * The command line to execute.
     *
     * @throws UsageException if CLASS is missing or an option is malformed
     */
    static List<String> command(List<String> args) throws UsageException {
        List<String> jvm = new ArrayList<>();
        String userClassPath = null;
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                break;
            }
            if (arg.equals("--cp") || arg.equals("-cp") || arg.equals("--class-path") || arg.equals("-classpath")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a class path");
                }
                userClassPath = args.get(++i);
            } else if (arg.startsWith("--cp=") || arg.startsWith("--class-path=")) {
                userClassPath = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.startsWith("--engine=")) {
                String engine = arg.substring("--engine=".length());
                try {
                    jvm.add("-Dioengine.engine=" + EngineKind.parse(engine).id());
                } catch (IllegalArgumentException e) {
                    throw new UsageException("bad --engine '" + engine + "': expected io_uring, aio, threads or auto");
                }
            } else if (arg.startsWith("-D") && arg.length() > 2) {
                jvm.add(arg);
            } else if (arg.startsWith("-J") && arg.length() > 2) {
                jvm.add(arg.substring(2));
            } else {
                throw new UsageException("unknown option '" + arg + "' before the class name (see io-engine run --help)");
            }
        }
        if (i >= args.size()) {
            throw new UsageException("run needs a main class: io-engine run [OPTIONS] CLASS [ARGS...]");
        }
        String classPath = System.getProperty("java.class.path", "");
        if (userClassPath != null && !userClassPath.isEmpty()) {
            classPath = classPath.isEmpty() ? userClassPath : classPath + File.pathSeparator + userClassPath;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + PROVIDER_PROPERTY + "=" + PROVIDER_CLASS);
        command.addAll(jvm);
        command.add("-cp");
        command.add(classPath);
        command.addAll(args.subList(i, args.size()));
        return command;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
            out.print(help());
            return 0;
        }
        List<String> command;
        try {
            command = command(args);
        } catch (UsageException e) {
            err.println("io-engine run: " + e.getMessage());
            return UsageException.EXIT_STATUS;
        }
        Process process;
        try {
            process = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            err.println("io-engine run: cannot start " + command.get(0) + ": " + e.getMessage());
            return 1;
        }
        try {
            return process.waitFor();
        } finally {
            if (process.isAlive()) {
                process.destroy();
            }
        }
    }
}
