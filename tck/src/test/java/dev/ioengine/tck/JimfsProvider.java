package dev.ioengine.tck;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import com.google.common.jimfs.WatchServiceConfiguration;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jimfs with its Unix configuration (posix views on), its polling watch service made fast. Jimfs has no O_DIRECT, no
 * mapping, no real locks and no sparse files; the contracts skip those parts for it.
 */
public final class JimfsProvider implements ProviderUnderTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final FileSystem fs = Jimfs.newFileSystem("tck-" + SEQUENCE.incrementAndGet(),
            Configuration.unix().toBuilder()
                    .setAttributeViews("basic", "owner", "posix", "unix")
                    .setWatchServiceConfiguration(WatchServiceConfiguration.polling(10, TimeUnit.MILLISECONDS))
                    .build());
    private final ForeignFiles foreign = new ForeignFiles();
    private int scratch;

    @Override public String name() { return "jimfs"; }
    @Override public Optional<String> unavailableReason() { return Optional.empty(); }
    @Override public FileSystem fileSystem() { return fs; }

    @Override
    public Path newScratchDirectory() throws IOException {
        return Files.createDirectories(fs.getPath("/work/t" + (++scratch)));
    }

    @Override
    public List<Path> foreignPaths() throws IOException {
        return List.of(foreign.defaultFile());
    }

    @Override public boolean isDefaultFileSystem() { return false; }
    @Override public boolean isBackedByHostFiles() { return false; }
    @Override public boolean supportsAsyncChannel() { return true; }
    @Override public boolean supportsDirectIo() { return false; }
    @Override public boolean supportsLocks() { return false; }
    @Override public boolean supportsWatch() { return true; }
    @Override public boolean supportsPosixPermissions() { return true; }
    @Override public boolean supportsMap() { return false; }
    @Override public boolean supportsSparseFiles() { return false; }

    @Override
    public java.util.Set<Deviation> deviations() {
        return java.util.EnumSet.of(Deviation.OPTION_CONFLICT_EXCEPTION_TYPE, Deviation.READ_ONLY_BUFFER_EXCEPTION_TYPE,
                Deviation.ZERO_REMAINING_AT_EOF_RETURNS_MINUS_ONE, Deviation.APPEND_CHANNEL_STARTS_AT_ZERO,
                Deviation.ASYNC_APPEND_ACCEPTED, Deviation.ASYNC_NULL_SOURCE_NOT_THROWN,
                Deviation.INTERRUPTIBLE_FILES_HELPERS, Deviation.PROVIDER_GET_PATH_UNSUPPORTED,
                Deviation.FOREIGN_WATCH_SERVICE_EXCEPTION_TYPE,
                Deviation.TRANSFER_FROM_PAST_SIZE_TRANSFERS_NOTHING, Deviation.ASYNC_QUEUED_OPERATIONS_FAIL_CLOSED);
    }

    @Override
    public void close() throws IOException {
        foreign.close();
        fs.close();
    }

    @Override
    public String toString() {
        return name();
    }
}
