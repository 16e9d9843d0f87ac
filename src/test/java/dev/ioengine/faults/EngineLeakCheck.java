package dev.ioengine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioengine.EngineKind;
import dev.ioengine.Engines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak check of a fault test, registered with {@code @RegisterExtension}: the process's descriptors are counted
 * before each test (before its {@code @BeforeEach} methods) and must be as many after it (after its
 * {@code @AfterEach} methods), and no thread may be left of an engine named by {@link #uniqueName}.
 */
final class EngineLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private final List<String> engineNames = new ArrayList<>();
    private long fdsBefore;

    /** {@link FaultEngines#uniqueName}, remembered: no thread of that engine may outlive the test. */
    String uniqueName(EngineKind kind) {
        String name = FaultEngines.uniqueName(kind);
        engineNames.add(name);
        return name;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        fdsBefore = Engines.openFds();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (String name : engineNames) {
            assertThat(Engines.threadsNamed(name + "-")).as(Engines.describeThreads(name + "-")).isZero();
        }
        assertThat(Engines.openFds()).isEqualTo(fdsBefore);
    }
}
