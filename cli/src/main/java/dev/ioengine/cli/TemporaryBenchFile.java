package dev.ioengine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a {@code bench} run creates for itself when its target is a directory ({@link BenchTarget.Kind#TEMPORARY}):
 * removed when the run ends, and by the Ctrl-C hook as a last resort, so {@link #delete()} may be called from any
 * thread, more than once.
 */
final class TemporaryBenchFile {
    private volatile Path file;

    /** Creates the file in {@code directory} and returns it. */
    Path create(Path directory) throws IOException {
        Path created = Files.createTempFile(directory, "io-engine-bench-", ".dat");
        file = created;
        return created;
    }

    /** Removes the file if it was created and is still there. */
    void delete() {
        Path created = file;
        if (created != null) {
            try {
                Files.deleteIfExists(created);
            } catch (IOException e) {
                // Nothing more can be done from a shutdown hook; the report names the file.
            }
        }
    }
}
