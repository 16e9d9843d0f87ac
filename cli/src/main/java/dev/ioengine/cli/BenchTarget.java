package dev.ioengine.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file a {@code bench} job runs on, looked at before anything is opened for writing, so that a job never
 * writes where fio would not and every problem with the path is found before the run, with the system's reason.
 *
 * <p>As fio: a regular file is laid out (written in full) when it is new, shorter than {@code --size}, or
 * {@code --verify} is on; a <b>block device is never laid out</b>, is opened read-only unless the job's pattern
 * writes, and its size is the device's ({@link FileChannel#size()}, which the JDK takes from
 * {@code ioctl(BLKGETSIZE64)} for a block device: {@code fstat} reports 0 there). {@code --verify} on a read job
 * of a block device is refused: it would lay out checksummed blocks, writing the device.
 *
 * @param path the file, or the directory of the temporary file for {@link Kind#TEMPORARY}
 * @param kind what it is
 * @param size its size in bytes (0 for a new or temporary file)
 * @param fileSystemType the type of the file system holding it ({@code ext4}, {@code tmpfs}), or "" if unknown
 */
record BenchTarget(Path path, Kind kind, long size, String fileSystemType) {
    /** {@code st_mode & S_IFMT} values (sys/stat.h). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;

    /** What the target is. */
    enum Kind {
        /** No {@code --filename}: a temporary file in {@code java.io.tmpdir} ({@link #path} is that directory). */
        TEMPORARY,
        /** A file that does not exist yet: created and laid out. */
        NEW_FILE,
        /** An existing regular file. */
        REGULAR,
        /** A block device: never laid out. */
        BLOCK_DEVICE
    }

    /** A problem with the target: the one line printed, exit status 1. */
    static final class TargetException extends Exception {
        private static final long serialVersionUID = 1L;

        TargetException(String message) {
            super(message);
        }
    }

    /**
     * Looks at {@code options.filename()} (or {@code java.io.tmpdir}) and checks that the job can run there as asked.
     *
     * @throws TargetException with one line saying why not (the path and the system's reason)
     */
    static BenchTarget inspect(BenchOptions options) throws TargetException {
        try {
            BenchTarget target = look(options.filename());
            target.check(options);
            return target;
        } catch (IOException e) {
            throw new TargetException(FailureMessage.of(e));
        }
    }

    private static BenchTarget look(Path file) throws IOException {
        if (file == null) {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "No such file or directory (java.io.tmpdir)");
            }
            return new BenchTarget(dir, Kind.TEMPORARY, 0, fileSystemType(dir));
        }
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new NoSuchFileException(file.toString());
            }
            return new BenchTarget(file, Kind.NEW_FILE, 0, fileSystemType(parent));
        }
        int mode = (Integer) Files.getAttribute(file, "unix:mode");
        return switch (mode & S_IFMT) {
            case S_IFREG -> new BenchTarget(file, Kind.REGULAR, Files.size(file), fileSystemType(file));
            case S_IFBLK -> new BenchTarget(file, Kind.BLOCK_DEVICE, deviceSize(file), "");
            case S_IFDIR -> throw new FileSystemException(file.toString(), null, "Is a directory");
            default -> throw new FileSystemException(file.toString(), null,
                    "not a regular file or a block device");
        };
    }

    /** The device's size: the JDK's FileChannel.size() asks ioctl(BLKGETSIZE64) for a block device. */
    private static long deviceSize(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return channel.size();
        }
    }

    private static String fileSystemType(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private void check(BenchOptions options) throws IOException, TargetException {
        if (kind == Kind.BLOCK_DEVICE) {
            if (options.verify() && !options.rw().writes()) {
                throw new TargetException("--verify on a read job would first write checksummed blocks to " + path
                        + ", a block device; a read job never writes to a device (--rw=write or randwrite with "
                        + "--verify writes and checks it)");
            }
            if (options.sizeGiven() && options.size() > size) {
                throw new TargetException("--size (" + Sizes.humanBytes(options.size()) + ") is more than " + path
                        + " holds (" + Sizes.humanBytes(size) + ")");
            }
            if (size < options.blockSize()) {
                throw new TargetException(path + " holds " + size + " bytes, less than --bs (" + options.blockSize()
                        + ")");
            }
        }
        if (options.readonly() && kind != Kind.REGULAR && kind != Kind.BLOCK_DEVICE) {
            throw new TargetException("--readonly: " + (kind == Kind.TEMPORARY ? "the temporary file"
                    : path.toString()) + " would have to be created and laid out; give an existing --filename");
        }
        if (options.readonly() && layoutNeeded(options)) {
            throw new TargetException("--readonly: " + path + " is shorter than --size and would be laid out");
        }
        Path dir = kind == Kind.TEMPORARY ? path : kind == Kind.NEW_FILE ? path.toAbsolutePath().getParent() : null;
        if (dir != null && !Files.isWritable(dir)) {
            throw new AccessDeniedException(kind == Kind.TEMPORARY ? dir.toString() : path.toString());
        }
        if (dir == null) {
            // Open it now as the job will, so that a permission problem is reported before the run.
            try (FileChannel probe = opensForWriting(options)
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ)) {
                probe.size();
            }
        }
    }

    /** True if the file is written before the run: new or temporary, too short, or {@code --verify}. */
    boolean layoutNeeded(BenchOptions options) {
        return switch (kind) {
            case TEMPORARY, NEW_FILE -> true;
            case REGULAR -> options.verify() || size < options.size();
            case BLOCK_DEVICE -> false;
        };
    }

    /** True if the job opens the file for writing: its pattern writes, or it is laid out. */
    boolean opensForWriting(BenchOptions options) {
        return options.rw().writes() || layoutNeeded(options);
    }

    /** The options the job runs with: a block device's size when {@code --size} was not given. */
    BenchOptions adjust(BenchOptions options) {
        return kind == Kind.BLOCK_DEVICE && !options.sizeGiven() ? options.withSize(size) : options;
    }

    /** A note for stderr when {@code --direct} lands on tmpfs, else null. */
    String directOnTmpfsNote(BenchOptions options) {
        if (!options.direct() || !fileSystemType.equals("tmpfs")) {
            return null;
        }
        return "note: " + (kind == Kind.TEMPORARY ? "java.io.tmpdir (" + path + ")" : path.toString())
                + " is on tmpfs: --direct there reads and writes memory, not a device (give --filename on a "
                + "disk's file system)";
    }
}
