package dev.ioengine.tck;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/** Existing files in file systems other than the one under test; owned and closed by one provider factory. */
final class ForeignFiles implements AutoCloseable {
    private FileSystem jimfs;
    private Path defaultDirectory;

    /** A regular file in a private Jimfs file system. */
    Path jimfsFile() throws IOException {
        if (jimfs == null) {
            jimfs = Jimfs.newFileSystem("tck-foreign", Configuration.unix());
        }
        Path file = jimfs.getPath("/foreign.txt");
        if (!Files.exists(file)) {
            Files.writeString(file, "foreign");
        }
        return file;
    }

    /** A regular file on the JDK's default file system. */
    Path defaultFile() throws IOException {
        if (defaultDirectory == null) {
            defaultDirectory = Files.createTempDirectory(JdkProvider.tempRoot(), "tck-foreign-");
        }
        Path file = defaultDirectory.resolve("foreign.txt");
        if (!Files.exists(file)) {
            Files.writeString(file, "foreign");
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        if (jimfs != null) {
            jimfs.close();
            jimfs = null;
        }
        if (defaultDirectory != null) {
            ScratchTrees.deleteRecursively(defaultDirectory);
            defaultDirectory = null;
        }
    }
}
