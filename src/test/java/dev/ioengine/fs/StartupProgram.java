package dev.ioengine.fs;

import java.nio.file.Files;
import java.nio.file.Path;

/** A hello world for {@link StartupFootprintTest}: reads the one file it is given, prints its length, exits. */
public final class StartupProgram {
    private StartupProgram() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Files.readString(Path.of(args[0])).length());
    }
}
