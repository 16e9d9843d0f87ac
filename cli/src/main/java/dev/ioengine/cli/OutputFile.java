package dev.ioengine.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks, before a run, that a file the tool will write at the end ({@code --plot}, {@code plot --out}) can be
 * written: by opening it for writing as the write will (creating it, then removing it again, when it is new), so
 * that the failure, if any, is the system's own ({@code No such file or directory} for a missing directory,
 * {@code Permission denied}, {@code Read-only file system}). Directories are never created.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** @throws IOException saying why {@code file} cannot be written */
    static void checkWritable(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "Is a directory");
        }
        boolean existed = Files.exists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            channel.size();
        }
        if (!existed) {
            Files.deleteIfExists(file);
        }
    }
}
