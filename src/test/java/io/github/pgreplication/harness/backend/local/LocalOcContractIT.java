package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.OcContract;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.Set;

/** The oc contract on local PostgreSQL processes, whose {@code oc} is the backend's own: always run, as the backend contract. */
class LocalOcContractIT extends OcContract {

    @Override
    protected void assumeAvailable() {
        if (!LocalBackend.preflight(settings, Set.of()).isEmpty()) {
            throw new IllegalStateException("the local backend cannot run here: " + LocalBackend.preflight(settings, Set.of()));
        }
    }

    @Override
    protected Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return new LocalBackend(settings, resources, waits);
    }

    @Override
    protected String image() {
        return "postgres:" + PostgresBinaries.find(settings.pgBin()).major();
    }

    @Override
    protected boolean ownOc() {
        return true;
    }
}
