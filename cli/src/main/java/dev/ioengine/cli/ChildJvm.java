package dev.ioengine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command that starts a fresh JVM like this one: the same {@code java}, the same JVM options (heap, native
 * access, system properties: read from this process's command line), the same class path, running {@link Main}.
 * {@code bench --compare} runs each in-JVM contender in one, so that no earlier contender's engines, threads,
 * compiled code or garbage are alive while it is measured.
 */
final class ChildJvm {
    /** JVM options whose value is the next argument. */
    private static final Set<String> WITH_VALUE = Set.of("-p", "--module-path", "--upgrade-module-path",
            "--add-modules", "--limit-modules", "--add-exports", "--add-reads", "--add-opens", "--patch-module",
            "--enable-native-access");
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

    private ChildJvm() {
    }

    /** {@code java [this JVM's options] -cp [this class path] dev.ioengine.cli.Main args...}. */
    static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions(ProcessHandle.current().info().arguments().map(List::of).orElse(List.of())));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The JVM options of a {@code java} command line (its arguments after the executable): everything before the
     * main class, {@code -jar} or {@code -m}, without the class path (which the child gets from
     * {@code java.class.path}).
     */
    static List<String> jvmOptions(List<String> arguments) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (!a.startsWith("-") || a.equals("-jar") || a.equals("-m") || a.equals("--module")
                    || a.startsWith("--module=")) {
                break;
            }
            if (CLASS_PATH.contains(a)) {
                i++;
            } else if (a.startsWith("--class-path=")) {
                continue;
            } else if (WITH_VALUE.contains(a) && i + 1 < arguments.size()) {
                options.add(a);
                options.add(arguments.get(++i));
            } else {
                options.add(a);
            }
        }
        if (options.stream().noneMatch(o -> o.startsWith("--enable-native-access"))) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }
}
