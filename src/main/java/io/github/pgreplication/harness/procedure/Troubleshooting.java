package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The guide's « Troubleshooting »: each problem caused on purpose, its diagnostic run, its remedy applied. */
public final class Troubleshooting {

    private final GuidePair pair;
    private final RunContext context;
    private ContainerResult lastInit;

    public Troubleshooting(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    public ContainerResult lastInit() {
        return lastInit;
    }

    /** « Recréer depuis zéro », with the Secret as deployed; the init container gets {@code initTimeout}. */
    public ContainerResult recreateFromScratch(Duration initTimeout) {
        lastInit = pair.recreateReplicaFromScratch(UnaryOperator.identity(), initTimeout);
        return lastInit;
    }

    /** « Recréer depuis zéro » with another value in the init container's REPLICATION_PASSWORD (from the Secret). */
    public ContainerResult recreateWithReplicationPassword(String secret, String password) {
        List<String> fromSecret = pair.model().replicaInitContainer().getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                        && secret.equals(e.getValueFrom().getSecretKeyRef().getName()))
                .map(io.fabric8.kubernetes.api.model.EnvVar::getName).toList();
        if (fromSecret.isEmpty()) {
            throw new AssertionError("the init container takes nothing from the Secret " + secret);
        }
        lastInit = pair.recreateReplicaFromScratch(plan -> {
            ContainerPlan p = plan;
            for (String env : fromSecret) {
                p = withEnv(p, env, password);
            }
            return p;
        }, GuidePair.SCRIPT);
        return lastInit;
    }

    /** A strong password that is not the replicator's: what a Secret edited by mistake holds. */
    public static String wrongPassword() {
        return Secrets.newPassword();
    }

    /**
     * The master's answer to a replication login with these credentials, as pg_basebackup makes it: the
     * SQLSTATE of the refusal, or null when it is accepted.
     */
    public String replicationLoginSqlState(String user, String password) {
        try (Connection c = Sql.connectReplication(pair.backend().service(pair.model().masterServiceName()), user, password)) {
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /** The password the replica's init container gets from the Secret, as deployed. */
    public String deployedReplicationPassword() {
        return pair.manifests().plan(pair.model().replicaDeployment(), pair.model().replicaTemplate(), pair.model().replicaInitContainer())
                .env().get("REPLICATION_PASSWORD");
    }

    /** Drops the slot on the master (lost, or dropped as the disk-saturation remedy says). */
    public void dropSlot(String slot) throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            Sql.rows(c, "SELECT pg_drop_replication_slot(?)::text", slot);
        }
    }

    /** The guide's diagnostic « Slot de réplication inexistant »: its query, verbatim, on the master. */
    public List<Map<String, Object>> slotDiagnostic() {
        GuideQuery q = context.guide().query("troubleshooting-slave-start", "FROM pg_replication_slots");
        return context.ledger().verbatim(q.item(), () -> pair.runOnMaster(q));
    }

    /**
     * « Recréer depuis zéro » when the slot is missing. As published the init container fails again (E08);
     * the correction recreates the slot first, then recreates the replica.
     */
    public ContainerResult recreateFromScratchAsGuideSays() {
        String item = "procedure#troubleshooting/recreate-without-slot";
        return context.ledger().verbatim(item, () -> {
            ContainerResult r = recreateFromScratch(GuidePair.SCRIPT);
            if (!r.succeeded()) {
                throw Deviation.exit(item, r.exitCode(), r.tail(10)).raise();
            }
            return r;
        }, () -> {
            try (Connection c = pair.masterNode().connect()) {
                Sql.rows(c, "SELECT pg_create_physical_replication_slot(?)::text", pair.names().slot());
            } catch (SQLException e) {
                throw new AssertionError("the correction could not recreate the slot: SQLSTATE " + e.getSQLState(), e);
            }
            ContainerResult r = recreateFromScratch(GuidePair.SCRIPT);
            if (!r.succeeded()) {
                throw new AssertionError("the corrected « Recréer depuis zéro » failed too (exit " + r.exitCode() + "):\n"
                        + r.tail(20));
            }
            return r;
        });
    }

    /** The guide's diagnostic of « Slot de réplication sature le disque », verbatim. */
    public List<Map<String, Object>> slotDiskDiagnostic() {
        GuideQuery q = context.guide().query("troubleshooting-slot-disk", "pg_size_pretty");
        return context.ledger().verbatim(q.item(), () -> pair.runOnMaster(q));
    }

    /** The guide's remedy « Si le slave est perdu : supprimer le slot », verbatim. */
    public void dropSlotAsGuideSays() {
        GuideQuery q = context.guide().query("troubleshooting-slot-disk", "pg_drop_replication_slot");
        context.ledger().verbatim(q.item(), () -> pair.runOnMaster(q));
    }

    /** Erratum E09's check: the cap on what a slot may retain, as the master runs with it. */
    public String maxSlotWalKeepSize() {
        String item = pair.manifests().configMapItem(GuideNames.Role.MASTER_CONFIG, "max_slot_wal_keep_size");
        String value;
        try (Connection c = pair.masterNode().connect()) {
            value = (String) Sql.scalar(c, "SELECT current_setting('max_slot_wal_keep_size')");
        } catch (SQLException e) {
            throw new AssertionError("SHOW max_slot_wal_keep_size: SQLSTATE " + e.getSQLState(), e);
        }
        return context.ledger().verbatim(item, () -> {
            if ("-1".equals(value)) {
                throw Deviation.result(item, "a cap on the WAL a slot retains", value).raise();
            }
            return value;
        }, () -> value);
    }

    /** Sets the cap for this pair only ({@code ALTER SYSTEM} and a reload), to see it act within seconds. */
    public void capSlotWal(String size) throws SQLException {
        // ALTER SYSTEM takes no bind parameter: the value is checked to be a plain size before it is used.
        if (!size.matches("\\d+(kB|MB|GB)")) {
            throw new IllegalArgumentException("not a size: " + size);
        }
        try (Connection c = pair.masterNode().connect()) {
            Sql.script(c, "ALTER SYSTEM SET max_slot_wal_keep_size = '" + size + "'");
            Sql.scalar(c, "SELECT pg_reload_conf()");
        }
    }

    private static ContainerPlan withEnv(ContainerPlan p, String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(p.env());
        env.put(name, value);
        return new ContainerPlan(p.podName(), p.containerName(), p.image(), p.command(), p.args(), env, p.mounts(),
                p.readinessCommand(), p.liveness(), p.podLabels(), p.source());
    }
}
