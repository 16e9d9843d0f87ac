package dev.ioengine.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.ErrnoException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrnoTest {
    @TempDir
    Path dir;

    @Test
    void errnoMapsToTheExceptionsJavaNioFileSpecifies() {
        assertThat(Errno.toFileSystemException(Errno.ENOENT, "/a", null)).isInstanceOf(NoSuchFileException.class)
                .hasMessage("/a");
        assertThat(Errno.toFileSystemException(Errno.EACCES, "/a", null)).isInstanceOf(AccessDeniedException.class);
        assertThat(Errno.toFileSystemException(Errno.EEXIST, "/a", null))
                .isInstanceOf(FileAlreadyExistsException.class);
        FileSystemException eio = Errno.toFileSystemException(Errno.EIO, "/a", null);
        assertThat(eio.getClass()).isEqualTo(FileSystemException.class);
        assertThat(eio.getReason()).isEqualTo("EIO (Input/output error)");
        ErrnoException e = new ErrnoException(Errno.ENOSPC, "WRITE fd=3");
        assertThat(e.errno()).isEqualTo(28);
        assertThat(e.errnoName()).isEqualTo("ENOSPC");
        assertThat(e).hasMessage("ENOSPC (No space left on device): WRITE fd=3");
        assertThat(Errno.name(9999)).isEqualTo("errno 9999");
    }

    @Test
    void realSyscallsReportTheirErrno() {
        assertThat(LibC.open(dir.resolve("missing").toString(), LibC.O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
        int fd = LibC.open(dir.resolve("f").toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL, 0600);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        assertThat(LibC.open(dir.resolve("f").toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL, 0600))
                .isEqualTo(-Errno.EEXIST);
        assertThat(LibC.fcntl(fd, LibC.F_GETFD, 0) & LibC.FD_CLOEXEC).as("O_CLOEXEC always set").isNotZero();
        assertThat(LibC.ftruncate(fd, 12345)).isZero();
        int[] errno = new int[1];
        Stat st = LibC.fstat(fd, errno);
        assertThat(st).isNotNull();
        assertThat(st.size()).isEqualTo(12345);
        assertThat(st.isRegularFile()).isTrue();
        assertThat(LibC.size(fd)).isEqualTo(12345);
        assertThat(LibC.close(fd)).isZero();
        assertThat(LibC.close(fd)).isEqualTo(-Errno.EBADF);
        assertThat(LibC.fstat(fd, errno)).isNull();
        assertThat(errno[0]).isEqualTo(Errno.EBADF);
    }
}
