package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.BackendContract;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.Set;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The backend contract on local PostgreSQL processes: always run; missing binaries fail it, they do not skip it. * Its checks run at the same time, each on a backend of its own: they mostly wait on servers and timeouts.
 */
@Execution(ExecutionMode.CONCURRENT)
class LocalBackendContractIT extends BackendContract {

    @Override
    protected void assumeAvailable() {
        // The embedded default: what it lacks is a failure, with the preflight's message.
        requireNone("local", LocalBackend.preflight(settings, Set.of()));
    }

    @Override
    protected Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return new LocalBackend(settings, resources, waits);
    }

    @Override
    protected String image() {
        return "postgres:" + PostgresBinaries.find(settings.pgBin()).major();
    }
}
