package dev.ioengine.cli;

/**
 * A bad command line: the message is the one line printed to stderr, and the tool exits with status
 * {@value #EXIT_STATUS}.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The exit status of a bad command line, as fio and most Unix tools use. */
    static final int EXIT_STATUS = 2;

    UsageException(String message) {
        super(message);
    }
}
