package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.node.ReplicationSlot;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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

    /**
     * The report's note on « Recréer depuis zéro » with the master unreachable: its init container still waiting
     * after {@code after}, and its last line saying {@code text} (not the shell's « Killed » of the timeout's kill,
     * which may come after it).
     */
    public static Evidence.Note stillWaitingNote(ContainerResult init, Duration after, String text) {
        return new Evidence.Note("troubleshooting-slave-start", "Master unreachable: after " + after.toSeconds() + " s the "
                + "init container was still waiting; its last line: « " + SetupSlaveScript.lastSaying(init, text) + " ». "
                + "The pod stays in Init, not CrashLoopBackOff, so the guide's symptom list does not name it.");
    }

    /** « Recréer depuis zéro » with another value in the init container's REPLICATION_PASSWORD (from the Secret). */
    public ContainerResult recreateWithReplicationPassword(String secret, String password) {
        List<String> fromSecret = pair.model().replicaInitContainer().getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                        && secret.equals(e.getValueFrom().getSecretKeyRef().getName()))
                .map(EnvVar::getName).toList();
        if (fromSecret.isEmpty()) {
            throw new AssertionError("the init container takes nothing from the Secret " + secret);
        }
        lastInit = pair.recreateReplicaFromScratch(plan -> {
            ContainerPlan p = plan;
            for (String env : fromSecret) {
                p = ContainerPlans.withEnv(p, env, password);
            }
            return p;
        }, GuidePair.SCRIPT);
        return lastInit;
    }

    /**
     * « Recréer depuis zéro » with a wrong replication password in the Secret {@code secret} (one edited by mistake):
     * the init container's run, and the master's answers to a replication login with that wrong password and with
     * the deployed one.
     */
    public record WrongPassword(ContainerResult init, String wrongLoginSqlState, String deployedLoginSqlState) {

        /** The report's note: how setup-slave.sh fails, and what pg_basebackup says. */
        public Evidence.Note note() {
            return new Evidence.Note("troubleshooting-slave-start", "Wrong replication password: setup-slave.sh exits "
                    + init.exitCode() + " after " + init.took().toMillis() + " ms; pg_basebackup says « "
                    + init.output().lines().filter(l -> l.contains("pg_basebackup:")).findFirst().orElse("?").strip() + " ».");
        }
    }

    /**
     * « Recréer depuis zéro » with a fresh, random, strong password that is not the replicator's in the Secret
     * {@code secret} (remembered for redaction, never logged), then a replication login with it and with the deployed
     * password.
     */
    public WrongPassword recreateWithWrongReplicationPassword(String secret) {
        String wrong = Secrets.newPassword();
        ContainerResult init = recreateWithReplicationPassword(secret, wrong);
        String role = pair.names().replicationRole();
        return new WrongPassword(init, replicationLoginSqlState(role, wrong),
                replicationLoginSqlState(role, deployedReplicationPassword()));
    }

    /**
     * The master's answer to a replication login with these credentials, as pg_basebackup makes it: the
     * SQLSTATE of the refusal, or null when it is accepted.
     */
    public String replicationLoginSqlState(String user, String password) {
        return ReplicationLogin.sqlState(pair, user, password);
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

    /**
     * The inactive slot of « Slot de réplication sature le disque », seen by the guide's diagnostic query (its
     * {@code active} and {@code retained_wal}) and measured on the master: the WAL it retains, the WAL older than
     * wal_keep_size (which only the slot holds) and the whole pg_wal directory, in bytes.
     */
    public record SlotRetention(Boolean active, Object retainedWal, long retainedBytes, long walOlderThanKeepSize,
                                long walDirectoryBytes) {
    }

    /** The guide's diagnostic of the slot's disk use, and what the slot really retains; the scenario's figures. */
    public SlotRetention slotRetention() throws SQLException {
        List<Map<String, Object>> rows = slotDiskDiagnostic();
        String name = pair.names().slot();
        Map<String, Object> slot = rows.stream().filter(r -> name.equals(r.get("slot_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no slot " + name + ": " + rows));
        long bytes = pair.masterNode().slot(name).map(s -> s.retainedBytes() == null ? 0L : s.retainedBytes())
                .orElseThrow();
        long older;
        long whole;
        try (Connection c = pair.masterNode().connect()) {
            older = WalTraffic.walOlderThanKeepSize(c);
            whole = WalTraffic.walDirectoryBytes(c);
        }
        pair.scenarioFigure("troubleshooting-slot-disk", "pg_wal, whole directory, before the remedy", whole, "bytes");
        pair.scenarioFigure("troubleshooting-slot-disk", "WAL retained by the inactive slot (guide's query: "
                + slot.get("retained_wal") + ")", bytes, "bytes");
        pair.scenarioFigure("troubleshooting-slot-disk", "WAL older than wal_keep_size, before the remedy", older, "bytes");
        return new SlotRetention((Boolean) slot.get("active"), slot.get("retained_wal"), bytes, older, whole);
    }

    /**
     * The guide's remedy of « Slot de réplication sature le disque » as its reader types it (its block, {@code
     * MASTER_POD} set by Étape 3.1's own line), then a checkpoint; what the block printed.
     */
    public TypedChecks.Printed dropSlotAsTypedAndCheckpoint() throws SQLException {
        GuideQuery q = context.guide().query("troubleshooting-slot-disk", "pg_drop_replication_slot");
        context.evidence().executed(q.item());
        TypedChecks.Printed printed = new TypedChecks(pair, context).afterMasterPod(q.step(), "pg_drop_replication_slot");
        try (Connection c = pair.masterNode().connect()) {
            WalTraffic.checkpoint(c);
        }
        return printed;
    }

    /** The master's pg_wal after the guide's remedy: the WAL older than wal_keep_size, and the whole directory. */
    public record WalAfterRemedy(long olderThanKeepSize, long wholeDirectory) {

        /** The report's note: what the remedy frees, and why pg_wal does not shrink to nothing. */
        public Evidence.Note note() {
            return new Evidence.Note("troubleshooting-slot-disk", "After the guide's remedy (slot dropped, checkpoint) "
                    + "the WAL only the slot held is released, but pg_wal does not shrink to zero: wal_keep_size = 1GB keeps "
                    + "1 GB, and the checkpoint recycles old segments as future ones (up to max_wal_size). Expect the disk to "
                    + "come back only beyond wal_keep_size + max_wal_size.");
        }
    }

    /** The master's pg_wal measured after the remedy; the scenario's figures. */
    public WalAfterRemedy walAfterRemedy() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            WalAfterRemedy after = new WalAfterRemedy(WalTraffic.walOlderThanKeepSize(c), WalTraffic.walDirectoryBytes(c));
            pair.scenarioFigure("troubleshooting-slot-disk", "WAL older than wal_keep_size, after the remedy",
                    after.olderThanKeepSize(), "bytes");
            pair.scenarioFigure("troubleshooting-slot-disk", "pg_wal, whole directory, after the remedy",
                    after.wholeDirectory(), "bytes");
            return after;
        }
    }

    /** The slot's wal_status on the master ({@code reserved}, {@code extended}, {@code unreserved}, {@code lost}). */
    public String walStatus(String slot) throws SQLException {
        return pair.masterNode().slot(slot).map(ReplicationSlot::walStatus)
                .orElseThrow(() -> new AssertionError("no slot " + slot));
    }

    /** The master takes a write: its WAL advances by a megabyte. */
    public void writeOnMaster() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            WalTraffic.advance(c, 1);
        }
    }

    /** Étape 3.3's lag query as « Lag de réplication élevé » reads it: lag_mb and lag_seconds. */
    public record Lag(int lagMb, Object lagSeconds) {

        /** The report's note, with replay paused. */
        public Evidence.Note note() {
            return new Evidence.Note("troubleshooting-lag", "With replay paused, the guide's lag query showed lag_mb = "
                    + lagMb + " and lag_seconds = " + lagSeconds + ".");
        }
    }

    public Lag lag() {
        Map<String, Object> row = new GuideChecks(pair, context).lag();
        return new Lag(((Number) row.get("lag_mb")).intValue(), row.get("lag_seconds"));
    }

    /** The existing data's checksum on the replica, to compare with the master's before the guide. */
    public String replicaDataChecksum() throws SQLException {
        return new ReplicaRestart(pair, context).replicaDataChecksum();
    }

    /** Erratum E09's check: the cap on what a slot may retain, as the master runs with it, noted for the report. */
    public String maxSlotWalKeepSize() {
        String value = maxSlotWalKeepSizeChecked();
        context.evidence().note("troubleshooting-slot-disk", "max_slot_wal_keep_size on the master: " + value + ".");
        return value;
    }

    private String maxSlotWalKeepSizeChecked() {
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
}
