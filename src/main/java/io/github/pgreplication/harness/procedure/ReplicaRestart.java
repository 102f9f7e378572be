package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A replica that already has its data, restarted while its master is down (its pod recreated by a rollout or a drained
 * node during a master outage): setup-slave.sh runs again in the init container before the server may start.
 */
public final class ReplicaRestart {

    /** What the init container as published does then (erratum E32). */
    public static final String STILL_WAITING = "the init container still waiting for the master";

    private final GuidePair pair;
    private final RunContext context;

    public ReplicaRestart(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /** The existing data's checksum on the replica, read-only, with whatever master (or none). */
    public String replicaDataChecksum() throws SQLException {
        try (Connection r = pair.connectToData(pair.replicaNode())) {
            return ExistingData.checksum(r);
        }
    }

    /**
     * Stops the master, then recreates the replica's pod on its claim. Through the ledger: the init container must end
     * and the replica start on its data within {@code initTimeout}; as published it waits for the master first, for ever
     * (E32), and the corrected setup-slave.sh, which looks for the data before waiting, is run in its place.
     */
    public ContainerResult whileTheMasterIsDown(Duration initTimeout) {
        String item = pair.manifests().configMapItem(GuideNames.Role.REPLICA_CONFIG,
                SetupSlaveScript.SLAVE_SCRIPT + "/restart-with-data");
        context.evidence().executed(item);
        pair.stopMaster();
        return context.ledger().verbatim(item, () -> {
            ContainerResult r = pair.restartReplica(UnaryOperator.identity(), initTimeout);
            if (!r.succeeded()) {
                throw Deviation.result(item, "the replica started on its data", r.timedOut()
                        && r.output().contains("Master non disponible") ? STILL_WAITING
                        : "exit " + r.exitCode() + ": " + SetupSlaveScript.lastSaying(r, "Master")).raise();
            }
            return r;
        }, () -> {
            GuideModel corrected = pair.manifests().corrected();
            String script = corrected.manifests().configMapValue(corrected.names().get(GuideNames.Role.REPLICA_CONFIG),
                    SetupSlaveScript.SLAVE_SCRIPT);
            ContainerResult r = pair.restartReplica(p -> ContainerPlans.withFile(p, SetupSlaveScript.SLAVE_SCRIPT, script),
                    initTimeout);
            if (!r.succeeded()) {
                throw new AssertionError("the corrected setup-slave.sh did not let the replica start on its data while the "
                        + "master is down (exit " + r.exitCode() + (r.timedOut() ? ", timed out" : "") + "):\n" + r.tail(15));
            }
            return r;
        });
    }
}
