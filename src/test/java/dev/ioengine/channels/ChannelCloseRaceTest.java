package dev.ioengine.channels;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Closes and interrupts racing with IO in flight: only the NIO exceptions, no leaked descriptors, no hangs. */
class ChannelCloseRaceTest extends EngineTestSupport {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("engines")
    void closeRacingWithReadersAndWriters(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), new byte[1 << 16]);
        long before = openFds();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 30; round++) {
                FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(READ, WRITE));
                AtomicReference<Throwable> unexpected = new AtomicReference<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int index = t;
                    threads.add(Thread.ofVirtual().start(() -> {
                        ByteBuffer b = index % 2 == 0 ? ByteBuffer.allocate(4096) : ByteBuffer.allocateDirect(4096);
                        try {
                            while (true) {
                                b.clear();
                                if (index % 3 == 0) {
                                    ch.write(b, index * 4096L);
                                } else {
                                    ch.read(b, index * 4096L);
                                }
                            }
                        } catch (ClosedChannelException expected) {
                            // The channel was closed under us: what the spec says.
                        } catch (Throwable t2) {
                            unexpected.set(t2);
                        }
                    }));
                }
                Thread.sleep(2);
                ch.close();
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(unexpected.get()).isNull();
            }
            while (openFds() != before) {
                Thread.sleep(10);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void interruptsRacingWithReaders(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), new byte[1 << 16]);
        long before = openFds();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 20; round++) {
                FileChannel ch = EngineChannels.newFileChannel(engine, file, Set.of(READ));
                List<Thread> threads = new ArrayList<>();
                List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    AtomicReference<Throwable> outcome = new AtomicReference<>();
                    outcomes.add(outcome);
                    threads.add(Thread.ofVirtual().start(() -> {
                        ByteBuffer b = ByteBuffer.allocate(4096);
                        try {
                            while (true) {
                                b.clear();
                                ch.read(b, 0);
                            }
                        } catch (Throwable t2) {
                            outcome.set(t2);
                        }
                    }));
                }
                Thread.sleep(2);
                threads.get(0).interrupt();
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(ch.isOpen()).isFalse();
                assertThat(outcomes.get(0).get()).isInstanceOf(ClosedByInterruptException.class);
                for (AtomicReference<Throwable> o : outcomes) {
                    assertThat(o.get()).isInstanceOfAny(AsynchronousCloseException.class, ClosedChannelException.class);
                }
            }
            while (openFds() != before) {
                Thread.sleep(10);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void asynchronousCloseRacingWithSubmissions(EngineKind kind) throws Exception {
        IoEngine engine = open(kind);
        Path file = Files.write(dir.resolve("f"), new byte[1 << 17]);
        long before = openFds();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 30; round++) {
                AsynchronousFileChannel ch = EngineChannels.newAsynchronousFileChannel(engine, file,
                        Set.of(READ, WRITE), null);
                List<Future<Integer>> futures = new ArrayList<>();
                Thread closer = Thread.ofVirtual().unstarted(() -> {
                    try {
                        ch.close();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                for (int i = 0; i < 200; i++) {
                    if (i == 100) {
                        closer.start();
                    }
                    futures.add(i % 2 == 0 ? ch.read(ByteBuffer.allocate(512), i * 512L)
                            : ch.write(ByteBuffer.allocateDirect(512), i * 512L));
                }
                closer.join();
                for (Future<Integer> f : futures) {
                    try {
                        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(512);
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOfAny(AsynchronousCloseException.class,
                                ClosedChannelException.class);
                    }
                }
            }
            while (openFds() != before) {
                Thread.sleep(10);
            }
        });
    }
}
