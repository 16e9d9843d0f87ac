package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.leaks.JvmWideResources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * transferTo / transferFrom against the JDK's FileChannel: each scenario runs once on JDK channels and once on
 * engine channels, on fresh copies of the same files, and must give the same account (what each call returned
 * or threw, both channels' positions afterwards, and the files' contents) to the byte.
 */
class FileTransfersTest extends EngineTestSupport {
    private static final int SIZE = 3 * 1024 * 1024 + 12_345;
    private static final ExecutorService PEERS = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    /** The JDK keeps a socket descriptor for good once its socket or pipe channels are first used (pre-close). */
    @BeforeAll
    static void adoptTheJdksPreCloseSocket() throws Exception {
        JvmWideResources.adopt("the JDK's pre-close socket (sun.nio.ch.UnixDispatcher)", () -> {
            SocketChannel.open().close();
            Pipe pipe = Pipe.open();
            pipe.sink().close();
            pipe.source().close();
            return null;
        });
    }

    @AfterAll
    static void stopPeers() {
        PEERS.shutdownNow();
    }

    /** Opens the scenario's file channels: the JDK's, or an engine's. */
    private interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    /** One scenario: does transfers on channels from the opener, and writes what it saw to the account. */
    private interface Scenario {
        void run(Opener opener, Path source, Path target, List<String> account) throws Exception;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs the scenario on JDK channels and on the engine's, and compares the two accounts. */
    private void sameAsTheJdk(EngineKind kind, Scenario scenario) throws Exception {
        IoEngine engine = open(kind);
        List<String> jdk = play(scenario, "jdk", FileChannel::open);
        List<String> ours = play(scenario, kind.id(),
                (path, options) -> EngineChannels.newFileChannel(engine, path, Set.of(options)));
        assertThat(ours).isEqualTo(jdk);
    }

    private List<String> play(Scenario scenario, String name, Opener opener) throws Exception {
        Path source = Files.write(dir.resolve(name + "-source"), bytes(SIZE, 1));
        Path target = Files.write(dir.resolve(name + "-target"), bytes(1000, 2));
        List<String> account = new ArrayList<>();
        scenario.run(opener, source, target, account);
        account.add("source " + digest(Files.readAllBytes(source)));
        account.add("target " + digest(Files.readAllBytes(target)));
        return account;
    }

    /** What the call returned, or the class of what it threw. */
    private static String outcome(TransferCall call) {
        try {
            return "returned " + call.run();
        } catch (Exception e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    private interface TransferCall {
        long run() throws Exception;
    }

    private static String digest(byte[] data) {
        try {
            return data.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ---- file to file ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void transferToAFileMovesOnlyTheTargetsPosition(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel out = opener.open(target, READ, WRITE)) {
                in.position(17);
                out.position(300);
                long[][] calls = {{0, Long.MAX_VALUE}, {1000, 1_000_000}, {SIZE - 10, 100}, {SIZE, 10},
                    {SIZE + 1, 10}, {5, 0}, {12_345, 100}, {0, 16 * 1024 + 1}};
                for (long[] c : calls) {
                    account.add(outcome(() -> in.transferTo(c[0], c[1], out)));
                    account.add("positions " + in.position() + " " + out.position() + " size " + out.size());
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transferToAnAppendingFileAppends(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel out = opener.open(target, WRITE, APPEND)) {
                account.add(outcome(() -> in.transferTo(10, 100_000, out)));
                account.add(outcome(() -> in.transferTo(10, 100, out)));
                account.add("position " + out.position());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transferToItselfCopiesWithinTheFile(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel ch = opener.open(source, READ, WRITE)) {
                ch.position(50_000);
                account.add(outcome(() -> ch.transferTo(0, 100_000, ch))); // overlapping ranges
                ch.position(SIZE);
                account.add(outcome(() -> ch.transferTo(0, 200_000, ch))); // the file grows
                account.add("position " + ch.position() + " size " + ch.size());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transferFromAFileMovesOnlyTheSourcesPosition(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel out = opener.open(target, READ, WRITE)) {
                in.position(100);
                out.position(7);
                long[][] calls = {{0, 1_000_000}, {5_000, 10}, {50_000, 20_000}, {10_000_000, 100_000},
                    {0, Long.MAX_VALUE}, {0, Long.MAX_VALUE}};
                for (long[] c : calls) {
                    account.add(outcome(() -> out.transferFrom(in, c[0], c[1])));
                    account.add("positions " + in.position() + " " + out.position() + " size " + out.size());
                }
                in.position(SIZE + 10);
                account.add(outcome(() -> out.transferFrom(in, 0, 100_000)));
                account.add("positions " + in.position() + " " + out.position());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transferFromIntoAnAppendingFileAppends(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel out = opener.open(target, WRITE, APPEND)) {
                account.add(outcome(() -> out.transferFrom(in, 0, 100_000)));
                account.add(outcome(() -> out.transferFrom(in, 0, 100)));
                account.add("positions " + in.position() + " " + out.position());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transfersWithTheJdksOwnFileChannels(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel jdkOut = FileChannel.open(target, WRITE)) {
                jdkOut.position(10);
                account.add(outcome(() -> in.transferTo(1, 2_000_000, jdkOut)));
                account.add("position " + jdkOut.position());
            }
            try (FileChannel jdkIn = FileChannel.open(source, READ); FileChannel out = opener.open(target, WRITE)) {
                jdkIn.position(3);
                account.add(outcome(() -> out.transferFrom(jdkIn, 5, 2_000_000)));
                account.add("positions " + jdkIn.position() + " " + out.position());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void readsWhatAFileOfSizeZeroHas(EngineKind kind) throws Exception {
        Path proc = Path.of("/proc/self/cmdline");
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(proc, READ); FileChannel out = opener.open(target, WRITE)) {
                account.add(outcome(() -> in.transferTo(0, 1 << 20, out)));
            }
            try (FileChannel in = opener.open(proc, READ); FileChannel out = opener.open(target, WRITE)) {
                account.add(outcome(() -> out.transferFrom(in, 0, 1 << 20)));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void checksInTheJdksOrder(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel readOnly = opener.open(source, READ); FileChannel writeOnly = opener.open(target, WRITE)) {
                account.add(outcome(() -> readOnly.transferTo(-1, 1, readOnly)));
                account.add(outcome(() -> writeOnly.transferTo(-1, 1, writeOnly)));
                account.add(outcome(() -> readOnly.transferTo(0, -1, writeOnly)));
                account.add(outcome(() -> writeOnly.transferFrom(writeOnly, -1, 1)));
                account.add(outcome(() -> readOnly.transferFrom(readOnly, -1, 1)));
                account.add(outcome(() -> writeOnly.transferFrom(readOnly, 0, -1)));
                FileChannel closed = opener.open(source, READ, WRITE);
                closed.close();
                account.add(outcome(() -> closed.transferTo(-1, 1, readOnly)));
                account.add(outcome(() -> readOnly.transferTo(-1, 1, closed)));
                account.add(outcome(() -> closed.transferFrom(writeOnly, -1, 1)));
                account.add(outcome(() -> writeOnly.transferFrom(closed, -1, 1)));
            }
        });
    }

    // ---- sockets, pipes and other channels -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("engines")
    void transferToASocketSendsTheBytes(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); ServerSocketChannel listener = listener()) {
                SocketChannel sender = SocketChannel.open(listener.getLocalAddress());
                try (SocketChannel receiver = listener.accept()) {
                    Future<byte[]> received = PEERS.submit(() -> drain(receiver));
                    long at = 100;
                    try (sender) {
                        while (at < SIZE - 1000) {
                            long n = in.transferTo(at, SIZE - 1000 - at, sender);
                            at += n;
                        }
                    }
                    account.add("sent " + digest(received.get()));
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transferToANonBlockingSocketWritesWhatFits(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path source = Files.write(dir.resolve("s"), bytes(SIZE, 1));
        try (FileChannel in = EngineChannels.newFileChannel(engine, source, Set.of(READ));
                ServerSocketChannel listener = listener();
                SocketChannel sender = SocketChannel.open(listener.getLocalAddress());
                SocketChannel receiver = listener.accept()) {
            sender.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            sender.configureBlocking(false);
            long sent = 0;
            long n;
            while ((n = in.transferTo(sent, SIZE - sent, sender)) > 0) {
                sent += n;
            }
            assertThat(sent).isPositive().isLessThan(SIZE); // nobody reads: the socket's buffers fill up
            sender.close();
            byte[] received = drain(receiver);
            assertThat(received).hasSize((int) sent);
            assertThat(received).isEqualTo(java.util.Arrays.copyOf(Files.readAllBytes(source), (int) sent));
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transferFromASocketReceivesTheBytes(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            byte[] data = Files.readAllBytes(source);
            try (FileChannel out = opener.open(target, READ, WRITE); ServerSocketChannel listener = listener()) {
                SocketChannel sender = SocketChannel.open(listener.getLocalAddress());
                try (SocketChannel receiver = listener.accept()) {
                    PEERS.submit(() -> {
                        try (sender) {
                            sender.write(ByteBuffer.wrap(data));
                        }
                        return null;
                    });
                    long at = 20;
                    long n;
                    while ((n = out.transferFrom(receiver, at, Long.MAX_VALUE)) > 0) {
                        at += n;
                    }
                    account.add("received up to " + at + ", position " + out.position());
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transfersThroughAPipe(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel out = opener.open(target, WRITE)) {
                Pipe pipe = Pipe.open();
                Future<Long> copied = PEERS.submit(() -> {
                    long at = 0;
                    long n;
                    try (Pipe.SourceChannel from = pipe.source()) {
                        while ((n = out.transferFrom(from, at, Long.MAX_VALUE)) > 0) {
                            at += n;
                        }
                    }
                    return at;
                });
                try (Pipe.SinkChannel to = pipe.sink()) {
                    long at = 0;
                    while (at < SIZE) {
                        at += in.transferTo(at, SIZE - at, to);
                    }
                }
                account.add("copied " + copied.get());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void transfersWithChannelsItDoesNotKnow(EngineKind kind) throws Exception {
        sameAsTheJdk(kind, (opener, source, target, account) -> {
            try (FileChannel in = opener.open(source, READ); FileChannel out = opener.open(target, READ, WRITE)) {
                List<ByteBuffer> seen = new ArrayList<>();
                WritableByteChannel sink = new WritableByteChannel() {
                    @Override
                    public int write(ByteBuffer b) {
                        seen.add(b);
                        int n = Math.min(b.remaining(), 5000);
                        b.position(b.position() + n);
                        return n;
                    }

                    @Override
                    public boolean isOpen() {
                        return true;
                    }

                    @Override
                    public void close() {
                    }
                };
                account.add(outcome(() -> in.transferTo(3, 1_000_000, sink)));
                account.add("heap buffers only " + seen.stream().noneMatch(ByteBuffer::isDirect));
                ReadableByteChannel trickle = new ReadableByteChannel() {
                    private int left = 70_000;

                    @Override
                    public int read(ByteBuffer b) {
                        if (left == 0) {
                            return -1;
                        }
                        int n = Math.min(Math.min(b.remaining(), 3000), left);
                        for (int i = 0; i < n; i++) {
                            b.put((byte) (left-- * 31));
                        }
                        return n;
                    }

                    @Override
                    public boolean isOpen() {
                        return true;
                    }

                    @Override
                    public void close() {
                    }
                };
                account.add(outcome(() -> out.transferFrom(trickle, 2_000, 1_000_000)));
                account.add("position " + out.position() + " size " + out.size());
            }
        });
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static ServerSocketChannel listener() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Reads the channel to its end. */
    static byte[] drain(ReadableByteChannel ch) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        while (ch.read(b) >= 0) {
            all.write(b.array(), 0, b.position());
            b.clear();
        }
        return all.toByteArray();
    }
}
