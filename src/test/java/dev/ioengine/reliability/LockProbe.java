package dev.ioengine.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The other process of {@link LockVisibilityTest}: a JVM on the JDK's own provider that answers, for each path
 * read from its standard input, whether another process holds a lock on any byte of that file: {@code held}
 * ({@code tryLock} returned null), {@code free} (it got the lock, and let it go), or {@code error ...}.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ready");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            try (FileChannel ch = FileChannel.open(Path.of(line), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock(0, Long.MAX_VALUE, false);
                if (lock == null) {
                    out.println("held");
                } else {
                    lock.release();
                    out.println("free");
                }
            } catch (Exception e) {
                out.println("error " + e);
            }
        }
    }
}
