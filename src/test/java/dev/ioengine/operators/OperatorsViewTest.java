package dev.ioengine.operators;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.CompletionMode;
import dev.ioengine.EngineKind;
import dev.ioengine.IoEngine;
import dev.ioengine.IoEngineConfig;
import dev.ioengine.IoFile;
import dev.ioengine.IoRequest;
import dev.ioengine.channels.EngineChannels;
import dev.ioengine.internal.events.IoEvents;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees: the JFR events of the channels' reads, writes and forces, and each engine's MBean. */
class OperatorsViewTest {
    private static final String READ_EVENT = "dev.ioengine.FileRead";
    private static final String WRITE_EVENT = "dev.ioengine.FileWrite";
    private static final String FORCE_EVENT = "dev.ioengine.FileForce";

    @TempDir
    Path dir;

    @Test
    void readsWritesAndForcesAreRecordedWhenEnabled() throws Exception {
        Path file = dir.resolve("recorded");
        Path dump = dir.resolve("recording.jfr");
        try (IoEngine engine = open("jfr-test", EngineKind.THREADS);
             Recording recording = new Recording()) {
            recording.enable(READ_EVENT);
            recording.enable(WRITE_EVENT);
            recording.enable(FORCE_EVENT);
            recording.start();
            try (FileChannel channel = EngineChannels.newFileChannel(engine, file, Set.of(CREATE, READ, WRITE))) {
                assertThat(channel.write(ByteBuffer.wrap(new byte[1000]), 0)).isEqualTo(1000);
                channel.force(true);
                channel.force(false);
                assertThat(channel.read(ByteBuffer.allocate(600), 0)).isEqualTo(600);
                assertThat(channel.read(ByteBuffer.allocateDirect(600), 600)).isEqualTo(400);
                assertThat(channel.read(ByteBuffer.allocate(10), 1000)).isEqualTo(-1);
            }
            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
        List<RecordedEvent> reads = ofType(events, READ_EVENT);
        List<RecordedEvent> writes = ofType(events, WRITE_EVENT);
        List<RecordedEvent> forces = ofType(events, FORCE_EVENT);
        assertThat(writes).as("writes in %s", events).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getString("path")).isEqualTo(file.toString()))
                .allSatisfy(e -> assertThat(e.getString("engine")).isEqualTo("threads"));
        assertThat(writes.stream().mapToLong(e -> e.getLong("bytesWritten")).sum()).isEqualTo(1000);
        assertThat(reads.stream().mapToLong(e -> e.getLong("bytesRead")).sum()).isEqualTo(1000);
        assertThat(reads).anySatisfy(e -> assertThat(e.getBoolean("endOfFile")).isTrue())
                .allSatisfy(e -> assertThat(e.getString("path")).isEqualTo(file.toString()));
        assertThat(reads).as("a page-cache read is served at once on the threads engine")
                .anySatisfy(e -> assertThat(e.getBoolean("immediate")).isTrue());
        assertThat(forces).extracting(e -> e.getBoolean("metaData")).containsExactlyInAnyOrder(true, false);
        assertThat(events).allSatisfy(e -> assertThat(e.getDuration().isNegative()).isFalse());
    }

    @Test
    void withoutARecordingEnablingThemNoEventIsBegun() {
        assertThat(IoEvents.beginRead()).isNull();
        assertThat(IoEvents.beginWrite()).isNull();
        assertThat(IoEvents.beginForce()).isNull();
        IoEvents.commitRead(null, "/x", 1, EngineKind.THREADS, false);
        try (Recording recording = new Recording()) {
            recording.enable(READ_EVENT);
            recording.disable(WRITE_EVENT);
            recording.start();
            assertThat(IoEvents.beginRead()).isNotNull();
            assertThat(IoEvents.beginWrite()).isNull();
        }
        assertThat(IoEvents.beginRead()).isNull();
    }

    @Test
    void eachEngineHasAnMBeanWhileOpen() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.ioengine:type=Engine,name=jmx-test");
        ObjectName second = new ObjectName("dev.ioengine:type=Engine,name=jmx-test-2");
        Path file = Files.write(dir.resolve("counted"), new byte[8192]);
        try (IoEngine engine = open("jmx-test", EngineKind.THREADS);
             IoEngine twin = open("jmx-test", EngineKind.THREADS);
             Arena arena = Arena.ofShared();
             IoFile opened = IoFile.open(file, READ)) {
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(server.isRegistered(second)).as("a second engine of the same name").isTrue();
            for (int i = 0; i < 10; i++) {
                engine.execute(IoRequest.read(opened, i * 512L, arena.allocate(512)));
            }
            assertThat(server.getAttribute(name, "Engine")).isEqualTo("threads");
            assertThat(server.getAttribute(name, "Submitted")).isEqualTo(10L);
            assertThat(server.getAttribute(name, "Completed")).isEqualTo(10L);
            assertThat(server.getAttribute(name, "Failed")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "InFlight")).isEqualTo(0L);
            assertThat((Long) server.getAttribute(name, "Batches")).isPositive();
            assertThat((Double) server.getAttribute(name, "MeanBatchSize")).isGreaterThanOrEqualTo(1.0);
            assertThat((Long) server.getAttribute(name, "MaxBatchSize")).isPositive();
            double p50 = (Double) server.getAttribute(name, "LatencyP50Micros");
            double p99 = (Double) server.getAttribute(name, "LatencyP99Micros");
            double max = (Double) server.getAttribute(name, "LatencyMaxMicros");
            assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(max);
            assertThat(server.getAttribute(second, "Submitted")).isEqualTo(0L);
        }
        assertThat(server.isRegistered(name)).as("unregistered at close").isFalse();
        assertThat(server.isRegistered(second)).isFalse();
    }

    @Test
    void anEngineRegistersNoMBeanUnlessAskedTo() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.ioengine:type=Engine,name=no-jmx");
        try (IoEngine engine = IoEngine.open(IoEngineConfig.builder().engine(EngineKind.THREADS).queueDepth(8)
                .name("no-jmx").build())) {
            assertThat(engine.config().jmx()).isFalse();
            assertThat(server.isRegistered(name)).isFalse();
        }
    }

    private static IoEngine open(String name, EngineKind kind) throws Exception {
        return IoEngine.open(IoEngineConfig.builder().engine(kind).queueDepth(8).name(name).jmx(true)
                .completionMode(CompletionMode.INLINE).build());
    }

    private static List<RecordedEvent> ofType(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }
}
