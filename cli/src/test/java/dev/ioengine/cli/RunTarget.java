package dev.ioengine.cli;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/** The program {@link RunCommandTest} runs through {@code io-engine run}: reports what it sees, exits with 3. */
public final class RunTarget {
    private RunTarget() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("io-engine-run-", ".txt");
        Files.writeString(file, "through the provider");
        String back = Files.readString(file);
        Files.delete(file);
        System.out.println("provider=" + FileSystems.getDefault().provider().getClass().getName());
        System.out.println("engine=" + System.getProperty("ioengine.engine"));
        System.out.println("args=" + String.join(",", args));
        System.out.println("read=" + back);
        System.exit(3);
    }
}
