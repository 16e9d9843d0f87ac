package dev.ioengine.internal.files;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SPARSE;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioengine.ExtendedOpenOptions;
import dev.ioengine.internal.linux.LibC;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The open(2) flags follow sun.nio.fs.UnixChannelFactory.open for each option combination. */
class OpenSpecTest {
    private static int flags(OpenOption... options) {
        return OpenSpec.forFileChannel(Set.of(options)).openFlags();
    }

    @Test
    void defaultsAsTheJdk() {
        assertThat(flags()).isEqualTo(LibC.O_RDONLY);
        assertThat(flags(APPEND)).isEqualTo(LibC.O_WRONLY | LibC.O_APPEND);
        assertThat(flags(READ, WRITE)).isEqualTo(LibC.O_RDWR);
        assertThat(OpenSpec.forAsynchronousFileChannel(Set.of()).openFlags()).isEqualTo(LibC.O_RDONLY);
    }

    @Test
    void creationAndTruncationOnlyWhenWriting() {
        assertThat(flags(READ, CREATE, TRUNCATE_EXISTING)).isEqualTo(LibC.O_RDONLY);
        assertThat(flags(WRITE, CREATE, TRUNCATE_EXISTING)).isEqualTo(LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC);
        assertThat(flags(WRITE, CREATE, CREATE_NEW)).isEqualTo(LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL);
    }

    @Test
    void linksSyncAndDirect() throws ClassNotFoundException {
        assertThat(flags(READ, LinkOption.NOFOLLOW_LINKS)).isEqualTo(LibC.O_RDONLY | LibC.O_NOFOLLOW);
        assertThat(flags(READ, DELETE_ON_CLOSE)).isEqualTo(LibC.O_RDONLY | LibC.O_NOFOLLOW);
        // CREATE_NEW never follows links anyway (O_EXCL), so O_NOFOLLOW is not added.
        assertThat(flags(WRITE, CREATE_NEW, DELETE_ON_CLOSE)).isEqualTo(LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL);
        assertThat(flags(WRITE, SYNC, DSYNC, SPARSE)).isEqualTo(LibC.O_WRONLY | LibC.O_SYNC | LibC.O_DSYNC);
        assertThat(flags(READ, ExtendedOpenOptions.DIRECT)).isEqualTo(LibC.O_RDONLY | LibC.O_DIRECT);
    }

    @Test
    void modeFromPermissions() {
        assertThat(OpenSpec.forFileChannel(Set.of(WRITE, CREATE)).mode()).isEqualTo(0666);
        assertThat(OpenSpec.forFileChannel(Set.of(WRITE, CREATE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x--x"))).mode())
                .isEqualTo(0751);
        assertThatThrownBy(() -> OpenSpec.forFileChannel(Set.of(WRITE), (java.nio.file.attribute.FileAttribute<?>) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void asynchronousRefusesAppend() {
        assertThatThrownBy(() -> OpenSpec.forAsynchronousFileChannel(Set.of(WRITE, APPEND)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("APPEND not allowed");
        assertThatThrownBy(() -> OpenSpec.forAsynchronousFileChannel(Set.of(APPEND)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
