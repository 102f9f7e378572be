package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.backend.kind.BackendKind;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.Optional;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfiguration;
import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfigurationStrategy;

/**
 * How many scenarios run at once: JUnit's dynamic strategy (a factor per core), its default factor the backend kind's
 * ({@link BackendKind#scenariosPerCore()}).
 * Measured on 2 cores, the whole certification: local 44-45 s at 1.5 per core against 46-47 s at 2.5 (its pairs are
 * processes, the run is CPU-bound); containers 97-101 s at 1.5 against 89-91 s at 2.5 (a third of a run's CPU is
 * Docker's, and a scenario waiting on the engine leaves a core idle). {@code
 * cucumber.execution.parallel.config.dynamic.factor} still sets the factor (the published manifests' run does).
 */
public final class ScenarioParallelism implements ParallelExecutionConfigurationStrategy {

    @Override
    public ParallelExecutionConfiguration createConfiguration(ConfigurationParameters parameters) {
        // Cucumber hands the strategy its parameters under the prefix cucumber.execution.parallel.config.
        double factor = parameters.get("dynamic.factor").or(() -> parameters.get("cucumber.execution.parallel.config.dynamic.factor"))
                .map(Double::parseDouble)
                .orElseGet(() -> BackendKind.of(HarnessSettings.current()).scenariosPerCore());
        int parallelism = Math.max(1, (int) (Runtime.getRuntime().availableProcessors() * factor));
        return new Configuration(parallelism);
    }

    /** What JUnit's dynamic strategy makes of a parallelism. */
    private record Configuration(int getParallelism) implements ParallelExecutionConfiguration {
        @Override
        public int getMinimumRunnable() {
            return getParallelism;
        }

        @Override
        public int getMaxPoolSize() {
            return 256 + getParallelism;
        }

        @Override
        public int getCorePoolSize() {
            return getParallelism;
        }

        @Override
        public int getKeepAliveSeconds() {
            return 30;
        }
    }
}
