package dev.ioengine.fs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hello world for {@link StartupFootprintTest}: reads the one file it is given, prints its length, exits; given
 * class names after the file, it initialises those classes first.
 */
public final class StartupProgram {
    private StartupProgram() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 1; i < args.length; i++) {
            Class.forName(args[i], true, StartupProgram.class.getClassLoader());
        }
        System.out.println(Files.readString(Path.of(args[0])).length());
    }
}
