package dev.ioengine.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for a failure, as a Unix tool prints it: {@code PATH: No such file or directory}, with the operating
 * system's reason (strerror's words) rather than a Java class name. The JDK's {@link FileSystemException}s carry
 * the path but, for the common errnos, no reason: their type says it, and this gives the words back.
 */
final class FailureMessage {
    private FailureMessage() {
    }

    /** "PATH: reason" for a file system failure, else the message (or the class name when there is none). */
    static String of(Throwable t) {
        if (t instanceof FileSystemException e) {
            String file = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? ""
                    : " -> " + e.getOtherFile()) + ": ";
            return file + reason(e);
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : oneLine(message);
    }

    /** The reason of a file system failure in strerror's words. */
    static String reason(FileSystemException e) {
        String given = e.getReason();
        if (given != null && !given.isBlank()) {
            return oneLine(given);
        }
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case FileAlreadyExistsException x -> "File exists";
            case NotDirectoryException x -> "Not a directory";
            case DirectoryNotEmptyException x -> "Directory not empty";
            default -> e.getClass().getSimpleName();
        };
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
