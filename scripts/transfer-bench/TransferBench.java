import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * transferTo throughput of the default provider's FileChannel: file to file and file to a loopback socket, of one
 * cached file. Run once under the JDK's provider and once under io-engine's (scripts/transfer-bench.sh).
 * Prints "file MiB/s socket MiB/s".
 */
public final class TransferBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path source = dir.resolve("source");
        long size = Files.size(source);
        double best = 0;
        double bestSocket = 0;
        for (int r = 0; r < rounds; r++) {
            Path target = dir.resolve("target");
            Files.deleteIfExists(target);
            long t0 = System.nanoTime();
            try (FileChannel in = FileChannel.open(source);
                    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long at = 0;
                while (at < size) {
                    at += in.transferTo(at, size - at, out);
                }
            }
            best = Math.max(best, mibPerSecond(size, System.nanoTime() - t0));
            bestSocket = Math.max(bestSocket, toSocket(source, size));
        }
        System.out.printf("%.0f %.0f%n", best, bestSocket);
    }

    private static double toSocket(Path source, long size) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel sender = SocketChannel.open(listener.getLocalAddress());
            SocketChannel receiver = listener.accept();
            Thread drain = Thread.ofPlatform().start(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                try (receiver) {
                    while (receiver.read(b) >= 0) {
                        b.clear();
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long t0 = System.nanoTime();
            try (FileChannel in = FileChannel.open(source); sender) {
                long at = 0;
                while (at < size) {
                    at += in.transferTo(at, size - at, sender);
                }
            }
            drain.join();
            return mibPerSecond(size, System.nanoTime() - t0);
        }
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
    }
}
