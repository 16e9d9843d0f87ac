package dev.ioengine.tck;

/**
 * Known ways a provider departs from the JDK's behaviour. A provider declares its deviations
 * ({@link ProviderUnderTest#deviations()}); the contract parts that would fail on them are skipped for that provider
 * with this description, so a skip in the report always says why. io-engine declares only what its channels document
 * as deliberate, or what the kit found and the channels must still fix (each description says which).
 */
enum Deviation {
    OPTION_CONFLICT_EXCEPTION_TYPE(
            "conflicting open options (READ+APPEND, APPEND+TRUNCATE_EXISTING, newOutputStream with READ) throw"
                    + " UnsupportedOperationException where the JDK throws IllegalArgumentException"),
    READ_ONLY_BUFFER_EXCEPTION_TYPE(
            "reading into a read-only buffer throws ReadOnlyBufferException where the JDK throws"
                    + " IllegalArgumentException"),
    ZERO_REMAINING_AT_EOF_RETURNS_MINUS_ONE(
            "a read with no space remaining at end of file returns -1 where the JDK returns 0"),
    APPEND_CHANNEL_STARTS_AT_ZERO(
            "an APPEND channel reports position 0 until its first write where the JDK reports the file size"),
    ASYNC_APPEND_ACCEPTED(
            "AsynchronousFileChannel.open accepts APPEND where the JDK throws UnsupportedOperationException"),
    ASYNC_NULL_SOURCE_NOT_THROWN(
            "AsynchronousFileChannel.write(null, position) does not throw NullPointerException at once"),
    INTERRUPTIBLE_FILES_HELPERS(
            "Files.readAllBytes and friends fail with ClosedByInterruptException when the interrupt status is set;"
                    + " the JDK makes its channel uninterruptible for them"),
    TRANSFER_FROM_PAST_SIZE_TRANSFERS_NOTHING(
            "FileChannel.transferFrom at a position past the size transfers nothing (the pre-JDK 23 spec); JDK 25"
                    + " grows the file"),
    ASYNC_QUEUED_OPERATIONS_FAIL_CLOSED(
            "AsynchronousFileChannel operations queued when the channel closes fail with ClosedChannelException"
                    + " where the JDK delivers AsynchronousCloseException"),
    PROVIDER_GET_PATH_UNSUPPORTED(
            "FileSystemProvider.getPath(URI) throws UnsupportedOperationException (Path.of(URI) is used instead)"),
    FOREIGN_WATCH_SERVICE_EXCEPTION_TYPE(
            "Path.register with another provider's WatchService throws IllegalArgumentException where the JDK"
                    + " throws ProviderMismatchException");

    private final String description;

    Deviation(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
