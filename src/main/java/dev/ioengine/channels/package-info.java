/**
 * java.nio channels on an {@link dev.ioengine.IoEngine}: {@link java.nio.channels.FileChannel} and
 * {@link java.nio.channels.AsynchronousFileChannel} with the JDK's semantics, opened through
 * {@link dev.ioengine.channels.EngineChannels} (the file system provider does this), and preallocation for any file
 * channel ({@link dev.ioengine.channels.Preallocatable}, {@link dev.ioengine.channels.Preallocation}).
 *
 * <p>Where io-engine's channels differ from the JDK's, on purpose:
 * <ul>
 *   <li>{@code lock()} waits by retrying {@code F_SETLK} with a growing pause (at most 50 ms) instead of blocking
 *   in {@code F_SETLKW}, so that close and interrupt can end the wait and virtual threads do not pin a carrier.
 *   Locks are POSIX record locks, as the JDK's; the two JVM-wide lock tables (the JDK's and io-engine's) do not
 *   see each other, so overlapping locks taken in one JVM through a JDK channel and an io-engine channel are not
 *   reported as {@link java.nio.channels.OverlappingFileLockException}.</li>
 *   <li>{@code map} maps through a JDK channel opened on {@code /proc/self/fd/N} (the same open file), kept open
 *   until the channel closes: closing it earlier would drop the process's POSIX locks on the file.</li>
 *   <li>An interrupt or asynchronous close ends the wait for a read or write of a heap buffer (or an fsync) at
 *   once; close itself waits, as the JDK's does, until no IO of the channel runs. A read or write of the caller's
 *   own direct buffer is waited for, as the JDK's system call would be. A buffer over an arena's segment (which
 *   its owner may close at any time) is copied through io-engine's bounce buffers: the JDK keeps the arena's
 *   session acquired during the IO, which FFM does not offer publicly.</li>
 *   <li>Errors name the file ({@link java.nio.file.FileSystemException} with the errno name).</li>
 * </ul>
 */
package dev.ioengine.channels;
