package io.github.pgreplication.harness.backend.containers;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.OcContract;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The oc contract on Docker containers, whose {@code oc} is the backend's own: skipped as the backend contract is
 * (no Docker engine, or {@code -Pno-containers}); a missing image is a failure.
 */
class ContainersOcContractIT extends OcContract {

    @Override
    protected void assumeAvailable() {
        Assumptions.assumeFalse(Boolean.getBoolean("harness.contract.skip-containers"),
                "the build skips the containers backend (-Pno-containers)");
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine answers: the containers backend is not checked on this machine");
        var problems = ContainersBackend.preflight(settings, Set.of(major()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the containers backend cannot run here: " + problems);
        }
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

    @Override
    protected boolean ownOc() {
        return true;
    }
}
