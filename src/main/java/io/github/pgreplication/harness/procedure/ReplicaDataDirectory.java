package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import java.util.function.Supplier;

/**
 * Étape 2.3's PGDATA, the mount point of the replica's claim: on a provisioned volume, whose root holds
 * {@code lost+found} and belongs to root, pg_basebackup refuses it (erratum E28). Run as written first; where it is
 * refused, the replica's containers take the corrected manifests' PGDATA, a subdirectory, on the same claim.
 */
final class ReplicaDataDirectory {

    /** What pg_basebackup says of a data directory that is a volume's root ({@code lost+found}). */
    static final String REFUSED = "exists but is not empty";

    private ReplicaDataDirectory() {
    }

    /** The init container's run (setup-slave.sh), with the replica's PGDATA run through the ledger. */
    static ContainerResult setUp(PairManifests manifests, ErrataLedger ledger, Supplier<ContainerResult> init) {
        String item = manifests.replicaDataDirectoryItem();
        return ledger.verbatim(item, () -> refused(item, init.get()), () -> {
            manifests.correctReplicaDataDirectory();
            return init.get();
        });
    }

    private static ContainerResult refused(String item, ContainerResult r) {
        if (!r.succeeded() && r.output().contains(REFUSED)) {
            throw Deviation.exit(item, r.exitCode(), r.tail(15)).raise();
        }
        return r;
    }
}
