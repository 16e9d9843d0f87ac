package dev.ioengine;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.jimfs.Jimfs;
import dev.ioengine.internal.engine.RequestAccess;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import org.example.stranger.Stranger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link IoFile}: the engine API's file handle, its descriptor's lifetime and its O_DIRECT alignment. */
class IoFileTest {
    private static final RequestAccess ACCESS = RequestAccess.get();

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.ioengine.Engines#all")
    void writesAndReadsBackOnEachEngine(EngineKind kind) throws Exception {
        Engines.assumeAvailable(kind);
        Path path = dir.resolve("data");
        try (Arena arena = Arena.ofShared();
             IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(8).build());
             IoFile file = IoFile.open(path, READ, WRITE, CREATE)) {
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, "hello, io-engine".getBytes());
            assertThat(engine.execute(IoRequest.write(file, 100, out))).isEqualTo(out.byteSize());
            engine.execute(IoRequest.fdatasync(file));
            assertThat(file.size()).isEqualTo(100 + out.byteSize());
            MemorySegment in = arena.allocate(out.byteSize());
            IoRequest read = IoRequest.read(file, 100, in);
            assertThat(engine.execute(read)).isEqualTo(out.byteSize());
            assertThat(read.file()).isSameAs(file);
            assertThat(in.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(out.toArray(ValueLayout.JAVA_BYTE));
        }
        assertThat(Files.readString(path).substring(100)).isEqualTo("hello, io-engine");
    }

    @Test
    void theDescriptorOutlivesCloseUntilTheLastRequestInFlightCompletes() throws Exception {
        Path path = Files.writeString(dir.resolve("held"), "x");
        try (Arena arena = Arena.ofConfined()) {
            IoFile file = IoFile.open(path, READ);
            int fd = file.fd();
            IoRequest first = IoRequest.read(file, 0, arena.allocate(1));
            IoRequest second = IoRequest.read(file, 0, arena.allocate(1));
            ACCESS.markInFlight(first, 0);
            ACCESS.markInFlight(second, 0);

            file.close();
            assertThat(file.isOpen()).isFalse();
            assertThat(openFileOf(fd)).as("two requests in flight hold the descriptor").isEqualTo(path.toRealPath());
            ACCESS.complete(first, 1, 0, null);
            assertThat(openFileOf(fd)).as("one request in flight holds the descriptor").isEqualTo(path.toRealPath());
            ACCESS.complete(second, 1, 0, null);
            assertThat(openFileOf(fd)).as("closed after the last completion").isNull();
        }
    }

    @Test
    void aClosedFileTakesNoRequestsAndAnEngineStaysUsable() throws Exception {
        Path path = Files.writeString(dir.resolve("closed"), "data");
        try (Arena arena = Arena.ofConfined();
             IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(EngineKind.THREADS).queueDepth(1)
                     .build())) {
            IoFile file = IoFile.open(path, READ);
            IoRequest read = IoRequest.read(file, 0, arena.allocate(4));
            file.close();
            file.close();
            assertThatThrownBy(() -> engine.submit(read)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("file is closed");
            assertThatThrownBy(file::size).isInstanceOf(ClosedChannelException.class);
            try (IoFile open = IoFile.open(path, READ)) {
                assertThat(engine.execute(read.prepareRead(open, 0, arena.allocate(4)))).isEqualTo(4);
            }
        }
    }

    @Test
    void aRequestRefusedByTheEngineGivesItsReferenceBack() throws Exception {
        Path path = Files.writeString(dir.resolve("refused"), "data");
        try (Arena arena = Arena.ofConfined()) {
            IoFile file = IoFile.open(path, READ);
            int fd = file.fd();
            IoRequest read = IoRequest.read(file, 0, arena.allocate(4));
            ACCESS.markInFlight(read, 0);
            ACCESS.rollback(read);
            file.close();
            assertThat(openFileOf(fd)).isNull();
        }
    }

    @Test
    void optionsAsAsynchronousFileChannelTakesThem() throws IOException {
        assertThatThrownBy(() -> IoFile.open(dir.resolve("new"), WRITE, APPEND))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> IoFile.open(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("absent");
        try (IoFile created = IoFile.open(dir.resolve("created"), WRITE, CREATE)) {
            assertThat(created.size()).isZero();
            assertThat(created.isDirect()).isFalse();
            assertThat(created.directAlignment()).isZero();
            assertThat(created.path()).isEqualTo(dir.resolve("created"));
            assertThat(created.toString()).contains("created");
        }
    }

    @Test
    void onlyThePlatformsFilesOpen() throws IOException {
        try (FileSystem jimfs = Jimfs.newFileSystem()) {
            Path foreign = Files.writeString(jimfs.getPath("/f"), "x");
            assertThatThrownBy(() -> IoFile.open(foreign)).isInstanceOf(ProviderMismatchException.class);
        }
    }

    @Test
    void aDirectFileKnowsItsAlignmentAndRefusesMisalignedRequests() throws Exception {
        // The build directory, not /tmp: tmpfs refuses O_DIRECT.
        Path build = Path.of(IoFileTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path path = Files.createTempFile(build, "direct", ".bin");
        try (Arena arena = Arena.ofConfined()) {
            IoFile file;
            try {
                file = IoFile.open(path, READ, WRITE, ExtendedOpenOptions.DIRECT);
            } catch (FileSystemException e) {
                assumeTrue(false, "O_DIRECT not supported here: " + e);
                return;
            }
            try (file) {
                int alignment = file.directAlignment();
                assertThat(file.isDirect()).isTrue();
                assertThat(Integer.bitCount(alignment)).isEqualTo(1);
                MemorySegment aligned = AlignedBuffers.allocate(arena, 2L * alignment, alignment);
                IoRequest.write(file, alignment, aligned);
                assertThatThrownBy(() -> IoRequest.write(file, 1, aligned))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file position");
                assertThatThrownBy(() -> IoRequest.read(file, 0, aligned.asSlice(1, alignment)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffer address");
                assertThatThrownBy(() -> IoRequest.readv(file, 0, aligned.asSlice(0, alignment - 1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void classesOutsideIoEngineCannotReachTheInternalEntryPoints() {
        assertThatThrownBy(Stranger::requestAccess).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining(Stranger.class.getName());
        assertThatThrownBy(Stranger::openEngineThroughBackends).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining(Stranger.class.getName());
        assertThatThrownBy(Stranger::installFaults).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining(Stranger.class.getName());
    }

    /** What /proc says descriptor {@code fd} of this process is open on, or null if it is not open. */
    private static Path openFileOf(int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
