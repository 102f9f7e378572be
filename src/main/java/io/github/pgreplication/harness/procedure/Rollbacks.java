package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** The guide's « Procédure de rollback », in its order, with what each step leaves behind measured. */
public final class Rollbacks {

    /** What « Rollback du Slave » did: the WAL the slot retained when dropped, pg_wal before and after a checkpoint. */
    public record SlaveRollback(long retainedBytesAtDrop, long walBytesBeforeCheckpoint, long walBytesAfterCheckpoint,
                                long tookMs) {
    }

    /** « Rollback du Slave » while an application writes on the master: what the rollback did, and the writes. */
    public record SlaveRollbackUnderWrites(SlaveRollback rollback, BackgroundWriter.Stats writes) {
    }

    private final GuidePair pair;
    private final RunContext context;

    public Rollbacks(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /**
     * « Rollback du Slave »: {@code oc delete deployment}, {@code service} and {@code pvc} of the replica (the
     * PVC's deletion returns once its pod is gone), then the guide's {@code pg_drop_replication_slot}; then a
     * checkpoint, when the master removes the WAL nothing retains any longer.
     */
    public SlaveRollback rollbackSlave() throws SQLException {
        long start = System.nanoTime();
        pair.deleteReplica();
        pair.backend().deleteService(pair.manifests().replicaService().getMetadata().getName());
        pair.backend().deleteClaim(pair.manifests().replicaClaimName());
        long retained = retainedBySlot().orElse(0L);
        long before;
        try (Connection c = pair.masterNode().connect()) {
            before = WalTraffic.walDirectoryBytes(c);
        }
        GuideQuery drop = context.guide().query("rollback-slave", "pg_drop_replication_slot");
        context.ledger().verbatim(drop.item(), () -> pair.run(drop, false));
        long took = (System.nanoTime() - start) / 1_000_000;
        try (Connection c = pair.masterNode().connect()) {
            WalTraffic.checkpoint(c);
            return new SlaveRollback(retained, before, WalTraffic.walDirectoryBytes(c), took);
        }
    }

    /**
     * « Rollback du Slave » as its reader types it, on a replica run by its Deployment's controller: the block run as
     * written in the pair's project ({@code MASTER_POD} set by its own line), what each command did, then what {@code oc
     * get} still lists of the replica's Deployment, Service, claim and pods, and whether the master still has the slot.
     */
    public record TypedSlaveRollback(ClusterCommands.SectionRun run, String leftInProject, boolean slotPresent) {
    }

    /** Runs the block as written; see {@link TypedSlaveRollback}. */
    public TypedSlaveRollback rollbackSlaveAsTyped() {
        return rollbackSlaveAsTyped(line -> true);
    }

    /**
     * A negative check's run of the block: its line starting with {@code left} not run, on purpose (listed as an
     * adaptation; the block is then not counted as run as written); see {@link TypedSlaveRollback}.
     */
    public TypedSlaveRollback rollbackSlaveAsTypedWithout(String left) {
        context.evidence().adaptation("A negative check: « Rollback du Slave » runs without its `" + left + "` line, on "
                + "purpose, so that its check has something left to find.");
        return rollbackSlaveAsTyped(line -> !line.startsWith(left));
    }

    private TypedSlaveRollback rollbackSlaveAsTyped(java.util.function.Predicate<String> only) {
        ClusterCommands.SectionRun run = new ClusterCommands(pair, context).run("rollback-slave", b -> true, only, Map.of(),
                List.of(), UnaryOperator.identity());
        // The guide's names: the pair's shell gives them as the pair's.
        ContainerResult left = pair.clusterShell().orElseThrow().run("oc get deployment/postgresql-slave "
                + "service/postgresql-slave pvc/postgresql-slave --ignore-not-found -o name; "
                + "oc get pods -l role=slave -o name", GuidePair.SCRIPT);
        if (!left.succeeded()) {
            throw new AssertionError("listing what is left of the replica failed (exit " + left.exitCode() + "): "
                    + left.tail(5));
        }
        return new TypedSlaveRollback(run, left.output().strip(), slotPresent());
    }

    /**
     * The typed rollback's check: every command exited 0, {@code oc get} lists nothing of the replica and the master has
     * no slot; the error names what is left.
     */
    public static void requireNothingLeft(TypedSlaveRollback typed, String slot) {
        if (!typed.leftInProject().isEmpty() || typed.slotPresent()) {
            throw new AssertionError("« Rollback du Slave » as typed left " + (typed.leftInProject().isEmpty() ? ""
                    : "what oc get lists: " + typed.leftInProject().replace('\n', ' ')) + (typed.slotPresent()
                    ? (typed.leftInProject().isEmpty() ? "" : ", and ") + "the slot " + slot + " on the master" : ""));
        }
    }

    /**
     * « Rollback du Slave » while {@code writer} writes on the master, then the writer stopped: the rollback's duration,
     * the WAL the slot retained and pg_wal around the checkpoint that follows, and the writes that succeeded meanwhile,
     * kept as the scenario's figures.
     */
    public SlaveRollbackUnderWrites rollbackSlave(BackgroundWriter writer) throws SQLException {
        SlaveRollback rollback = rollbackSlave();
        BackgroundWriter.Stats writes = writer.stop();
        pair.scenarioFigure("rollback-slave", "Rollback du Slave, replica deleted to slot dropped", rollback.tookMs(), "ms");
        pair.scenarioFigure("rollback-slave", "WAL retained by the slot when dropped", rollback.retainedBytesAtDrop(), "bytes");
        pair.scenarioFigure("rollback-slave", "pg_wal before / after the checkpoint that follows (before)",
                rollback.walBytesBeforeCheckpoint(), "bytes");
        pair.scenarioFigure("rollback-slave", "pg_wal before / after the checkpoint that follows (after)",
                rollback.walBytesAfterCheckpoint(), "bytes");
        pair.scenarioFigure("rollback-slave", "application writes during the rollback (succeeded)", writes.succeeded(), "writes");
        return new SlaveRollbackUnderWrites(rollback, writes);
    }

    /** The guide's slot drop, run now whatever the replica is doing (to show why the order matters). */
    public void dropSlotNow() {
        GuideQuery drop = context.guide().query("rollback-slave", "pg_drop_replication_slot");
        pair.run(drop, false);
    }

    /** The WAL the slot retains, in bytes (current position minus its restart_lsn), if the slot exists. */
    public java.util.Optional<Long> retainedBySlot() throws SQLException {
        return pair.masterNode().slot(pair.names().slot()).map(s -> s.retainedBytes() == null ? 0L : s.retainedBytes());
    }

    /**
     * « Rollback du Master »: the DeploymentConfig of Étape 1.1's backup applied, the pod rolled out. Returns ms, also
     * kept as the scenario's figure.
     */
    public long rollbackMaster() {
        long ms = pair.rollbackMaster();
        pair.scenarioFigure("rollback-master", "Rollback du Master: pod deleted to ready on the restored template", ms, "ms");
        return ms;
    }

    /** The settings that differ from those the master had before the guide; empty when it is back as it was. */
    public Map<String, String> settingsChangedSinceBeforeGuide() throws SQLException {
        Map<String, String> diff = ServerSettings.differences(pair.settingsBeforeGuide(), pair.currentSettings());
        // Set by the backend on every pod for the host (listed in the adaptations), not by the guide.
        diff.keySet().removeAll(pair.backend().hostServerSettings());
        return diff;
    }

    /**
     * The ConfigMaps the guide created for the master that the restored DeploymentConfig no longer mounts:
     * those the Étape 1.5 template mounts and the pre-guide template does not; the report notes them (the guide's
     * warning).
     */
    public Set<String> configMapsNoLongerUsed() {
        GuideModel model = pair.model();
        Set<String> after15 = configMaps(model.masterTemplate());
        after15.removeAll(configMaps(model.masterTemplateBeforeGuide()));
        context.evidence().note("rollback-master", "After « Rollback du Master », no longer mounted by the master: "
                + String.join(", ", after15.stream().map(n -> "ConfigMap " + n).toList()) + " (the guide's warning).");
        return after15;
    }

    private Set<String> configMaps(PodTemplateSpec template) {
        Set<String> names = new TreeSet<>();
        for (Container c : template.getSpec().getContainers()) {
            pair.manifests().plan(pair.model().masterDeploymentConfig(), template, c).mounts().stream()
                    .map(m -> m.source()).filter(MountSource.ConfigMapFiles.class::isInstance)
                    .map(s -> ((MountSource.ConfigMapFiles) s).configMap()).forEach(names::add);
        }
        return names;
    }

    /**
     * Erratum E10's check: after « Rollback du Master », is the slot gone? As published it is not; the
     * correction (« Rollback du Slave » first, then {@code DROP ROLE replicator}) removes the slot and the role.
     */
    public void slotAndRoleGone() {
        String item = "procedure#rollback-master/slot-left";
        context.ledger().verbatim(item, () -> {
            if (slotPresent()) {
                throw Deviation.result(item, "no slot " + pair.names().slot(), pair.names().slot() + " still present").raise();
            }
            return null;
        }, () -> {
            try {
                rollbackSlave();
                try (Connection c = pair.masterNode().connect()) {
                    Sql.script(c, (String) Sql.scalar(c, "SELECT format('DROP ROLE %I', ?::text)", pair.names().replicationRole()));
                }
            } catch (SQLException e) {
                throw new AssertionError("the corrected rollback failed: SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
            }
            return null;
        });
        List<String> left = new ArrayList<>();
        try (Connection c = pair.masterNode().connect()) {
            if (slotPresent()) {
                left.add("slot " + pair.names().slot());
            }
            if (Sql.scalar(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", pair.names().replicationRole()) != null) {
                left.add("role " + pair.names().replicationRole());
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the master's catalog: SQLSTATE " + e.getSQLState(), e);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("Rollback du Master: still on the master after the rollback: " + left);
        }
    }

    private boolean slotPresent() {
        try {
            return pair.masterNode().slot(pair.names().slot()).isPresent();
        } catch (SQLException e) {
            throw new AssertionError("cannot read pg_replication_slots: SQLSTATE " + e.getSQLState(), e);
        }
    }
}
