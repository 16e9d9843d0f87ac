package dev.ioengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IoEngineConfigTest {
    @Test
    void defaultsAreDocumentedValues() {
        IoEngineConfig c = IoEngineConfig.builder().build();
        assertThat(c.engine()).isEqualTo(EngineKind.AUTO);
        assertThat(c.queueDepth()).isEqualTo(256);
        assertThat(c.maxInFlight()).isEqualTo(1024);
        assertThat(c.completionMode()).isEqualTo(CompletionMode.INLINE);
        assertThat(c.mergeLimit()).isZero();
        assertThat(c.workerThreads()).isEqualTo(64);
    }

    @Test
    void systemPropertiesOverrideTheDefaults() {
        Properties p = new Properties();
        p.setProperty("ioengine.engine", "aio");
        p.setProperty("ioengine.queueDepth", "64");
        p.setProperty("ioengine.maxInFlight", "100");
        p.setProperty("ioengine.mergeLimit", "131072");
        p.setProperty("ioengine.threads", "3");
        p.setProperty("ioengine.sqpoll", "true");
        IoEngineConfig c = IoEngineConfig.fromProperties(p);
        assertThat(c.engine()).isEqualTo(EngineKind.AIO);
        assertThat(c.queueDepth()).isEqualTo(64);
        assertThat(c.maxInFlight()).isEqualTo(100);
        assertThat(c.mergeLimit()).isEqualTo(131072);
        assertThat(c.workerThreads()).isEqualTo(3);
        assertThat(c.sqPoll()).isTrue();
    }

    @Test
    void malformedPropertiesNameTheProperty() {
        Properties p = new Properties();
        p.setProperty("ioengine.queueDepth", "lots");
        assertThatThrownBy(() -> IoEngineConfig.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioengine.queueDepth").hasMessageContaining("lots");
        Properties q = new Properties();
        q.setProperty("ioengine.engine", "spdk");
        assertThatThrownBy(() -> IoEngineConfig.fromProperties(q)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io_uring, aio, threads or auto");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ioengine.engine      | foo    | ioengine.engine=foo is not valid; accepted: io_uring, aio, threads or auto
            ioengine.nowait      | maybe  | ioengine.nowait=maybe is not valid; accepted: true or false
            ioengine.sqpoll      | yes    | ioengine.sqpoll=yes is not valid; accepted: true or false
            ioengine.sqpoll      | 1      | ioengine.sqpoll=1 is not valid; accepted: true or false
            ioengine.queueDepth  | 0      | ioengine.queueDepth=0 is not valid; accepted: an integer from 1 to 32768
            ioengine.queueDepth  | 65536  | ioengine.queueDepth=65536 is not valid; accepted: an integer from 1 to 32768
            ioengine.maxInFlight | 10     | ioengine.maxInFlight=10 is not valid; accepted: an integer from 256 up
            ioengine.mergeLimit  | -1     | ioengine.mergeLimit=-1 is not valid; accepted: an integer from 0 up
            ioengine.threads     | 5000   | ioengine.threads=5000 is not valid; accepted: an integer from 1 to 4096
            """)
    void aMalformedValueIsOneLineNamingThePropertyTheValueAndWhatIsAccepted(String key, String value,
            String message) {
        Properties p = new Properties();
        p.setProperty(key, value);
        assertThatThrownBy(() -> IoEngineConfig.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void booleansAcceptTrueAndFalseInAnyCase() {
        Properties p = new Properties();
        p.setProperty("ioengine.nowait", " FALSE ");
        p.setProperty("ioengine.sqpoll", "True");
        IoEngineConfig c = IoEngineConfig.fromProperties(p);
        assertThat(c.nowait()).isFalse();
        assertThat(c.sqPoll()).isTrue();
    }

    @Test
    void settingsAreChecked() {
        IoEngineConfig.Builder b = IoEngineConfig.builder();
        assertThatThrownBy(() -> b.queueDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.queueDepth(IoEngineConfig.MAX_QUEUE_DEPTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxInFlight(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.mergeLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.workerThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.name(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.engine(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> IoEngineConfig.builder().queueDepth(64).maxInFlight(32).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least queueDepth");
        assertThatThrownBy(() -> IoEngineConfig.builder().completionMode(CompletionMode.EXECUTOR).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("completionExecutor");
    }

    @Test
    void engineNamesParseAsThePropertySpellsThem() {
        assertThat(EngineKind.parse("io_uring")).isEqualTo(EngineKind.IO_URING);
        assertThat(EngineKind.parse(" AIO ")).isEqualTo(EngineKind.AIO);
        assertThat(EngineKind.parse("threads")).isEqualTo(EngineKind.THREADS);
        assertThat(EngineKind.parse("auto")).isEqualTo(EngineKind.AUTO);
        assertThat(EngineKind.IO_URING.id()).isEqualTo("io_uring");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        IoEngineConfig c = IoEngineConfig.builder().engine(EngineKind.THREADS).queueDepth(8).maxInFlight(9)
                .mergeLimit(5).workerThreads(2).name("x").build();
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }
}
