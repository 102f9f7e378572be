package io.github.pgreplication.harness.backend.containers;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.BackendContract;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.testcontainers.DockerClientFactory;

/**
 * The backend contract on Docker containers: skipped when no Docker engine answers or the build skips the containers
 * backend ({@code -Pno-containers}); otherwise a missing image is a failure with the preflight's message.
 * Its checks run at the same time, each on a backend of its own: they mostly wait on servers and timeouts.
 */
@Execution(ExecutionMode.CONCURRENT)
class ContainersBackendContractIT extends BackendContract {

    @Override
    protected void assumeAvailable() {
        Assumptions.assumeFalse(Boolean.getBoolean("harness.contract.skip-containers"),
                "the build skips the containers backend (-Pno-containers)");
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine answers: the containers backend is not checked on this machine");
        requireNone("containers", ContainersBackend.preflight(settings, Set.of(major())));
    }

    @Override
    protected Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return new ContainersBackend(settings, resources, waits);
    }

    @Override
    protected String image() {
        return "postgres:" + major();
    }

    private int major() {
        return settings.pgMajor().orElse(15);
    }
}
