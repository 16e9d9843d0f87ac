package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop device holding a marker in every 4 KiB block: read jobs, {@code --compare} and {@code --verify} on a read
 * job leave every byte of it as it was, as fio would. Needs root and {@code losetup} (skipped with the reason
 * otherwise).
 */
class BlockDeviceSafetyTest {
    private static final int BLOCKS = 4096;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static Path image;
    static Path device;
    static byte[] marker;

    @BeforeAll
    static void attachLoopDevice() throws Exception {
        image = dir.resolve("loop.img");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < BLOCKS; i++) {
            String line = String.format("MARKER %08d ", i);
            text.append(line).append(".".repeat(4096 - line.length()));
        }
        marker = text.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(image, marker);
        String loop = run("losetup", "--find", "--show", image.toString());
        Assumptions.assumeTrue(loop != null && loop.startsWith("/dev/loop"),
                "no loop device: losetup is unavailable or this is not root (" + loop + ")");
        device = Path.of(loop);
    }

    @AfterAll
    static void detach() throws Exception {
        if (device != null) {
            run("losetup", "--detach", device.toString());
        }
    }

    @Test
    void readJobsLeaveTheDeviceIntactAndUseItsWholeSize() throws IOException {
        Cli direct = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--rw=randread", "--direct",
                "--filename=" + device, "--size=8m", "--runtime=0.3", "--output-format=json"));
        assertThat(direct.status()).as(direct.err()).isZero();
        assertThat(direct.err()).doesNotContain("laying out");
        Cli whole = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--rw=read", "--engine=threads",
                "--filename=" + device, "--output-format=json"));
        assertThat(whole.status()).as(whole.err()).isZero();
        var job = JsonReader.object(JsonReader.object(JsonReader.parse(whole.out())).get("job"));
        assertThat(job.get("size")).isEqualTo((double) marker.length);
        assertIntact();
    }

    @Test
    void compareOnAReadJobLeavesTheDeviceIntact() throws IOException {
        Cli r = assertTimeoutPreemptively(LIMIT, () -> Cli.run("bench", "--compare",
                "--contenders=threads,jdk-async,jdk-filechannel,io-engine-filechannel", "--rw=randread",
                "--filename=" + device, "--runtime=0.3", "--iodepth=4"));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).doesNotContain("laying out");
        assertThat(r.out()).contains("size=16 MiB");
        assertIntact();
    }

    @Test
    void verifyOnAReadJobIsRefusedWithoutWriting() throws IOException {
        Cli r = Cli.run("bench", "--verify", "--rw=randread", "--filename=" + device, "--runtime=0.3");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("io-engine bench: --verify on a read job would first write checksummed "
                + "blocks to " + device + ", a block device; a read job never writes to a device (--rw=write or "
                + "randwrite with --verify writes and checks it)\n");
        assertIntact();
    }

    @Test
    void aSizeLargerThanTheDeviceIsRefused() throws IOException {
        Cli r = Cli.run("bench", "--size=1g", "--filename=" + device, "--runtime=0.3");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("io-engine bench: --size (1 GiB) is more than " + device
                + " holds (16 MiB)\n");
        assertIntact();
    }

    /** Every byte of the device, read through it, is the marker written before. */
    private static void assertIntact() throws IOException {
        assertThat(Files.readAllBytes(device)).as("the loop device's content").isEqualTo(marker);
    }

    private static String run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return out;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
