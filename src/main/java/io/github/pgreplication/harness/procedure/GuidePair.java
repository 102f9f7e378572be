package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.node.PgNode;
import io.github.pgreplication.harness.run.Secrets;
import io.fabric8.kubernetes.api.model.Service;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master/replica pair stood up the guide's way, on one backend: the existing master holding data, then
 * Phase 1 (Étapes 1.1 to 1.6) and Phase 2 (Étapes 2.1 to 2.4) in the guide's order. Every script and query
 * of the guide goes through the {@link ErrataLedger}: run verbatim, and where it deviates as a recorded
 * erratum says, the run goes on with the corrected item.
 */
public final class GuidePair implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuidePair.class);
    static final Duration START = Duration.ofSeconds(60);
    static final Duration SCRIPT = Duration.ofSeconds(120);

    private final String label;
    private final Backend backend;
    private final PairManifests manifests;
    private final GuideModel model;
    private final GuideDocument guide;
    private final ErrataLedger ledger;
    private final Evidence evidence;
    private volatile boolean brokenOnPurpose;
    private final Waits waits;
    private final PairMaster master;
    private final PairReplica replica;
    private final PgNode masterNode;
    private final PgNode replicaNode;
    private String existingDataChecksum;
    private long backupSize = -1;
    private Map<String, String> settingsBeforeGuide;
    /** Étape 1.6's three checks as they were right after Phase 1. */
    private MasterInit.Step16 step16;
    /** The run's copy of the existing master: this pair may make it, or start from it. */
    private final ExistingMasterCopy.Slot existingMasterCopies;
    /** What the master's claim is (a provisioned volume or a host directory), read in its pod after Étape 1.5. */
    private ClaimFilesystem claims;
    /** The copy this pair's master claim was made from; null when the pair walked from the existing master. */
    private ExistingMasterCopy restoredFrom;

    public GuidePair(String label, Backend backend, PairManifests manifests, RunContext context,
                     ExistingMasterCopy.Slot existingMasterCopies) {
        this.label = label;
        this.backend = backend;
        this.manifests = manifests;
        GuideModel model = manifests.model();
        this.model = model;
        this.guide = context.guide();
        this.ledger = context.ledger();
        this.evidence = context.evidence();
        this.waits = context.waits();
        this.existingMasterCopies = existingMasterCopies;
        this.master = new PairMaster(label, backend, manifests, ledger, waits);
        this.replica = new PairReplica(label, backend, manifests, ledger, evidence, waits);
        this.masterNode = new PgNode("the master", () -> backend.service(model.masterServiceName()), "postgres",
                this::adminPassword, () -> master.pod() == null ? "(no master pod)" : master.pod().logTail(30), waits);
        this.replicaNode = new PgNode("the replica", () -> backend.service(model.replicaService().getMetadata().getName()), "postgres",
                this::adminPassword, () -> replica.pod() == null ? "(no replica pod)" : replica.pod().logTail(30), waits,
                Optional.of(model.names().slot()));
    }

    /** The manifests this pair is made from, resolved with its Secrets. */
    public PairManifests manifests() {
        return manifests;
    }

    /** The backend's cluster shell, where this pair's commands run under its names ({@link PairShell}). */
    public Optional<ClusterShell> clusterShell() {
        List<String> renamed = names().renamedFrom(manifests.guideNames());
        if (!renamed.isEmpty() && backend.nameSuffix().isEmpty()) {
            evidence.adaptation("The guide's commands name the manifests' objects by the manifests' names: "
                    + String.join("; ", renamed) + ".");
        }
        return backend.clusterShell().map(s -> new PairShell(s, manifests));
    }

    public Backend backend() {
        return backend;
    }

    public GuideModel model() {
        return model;
    }

    public PostgresPod master() {
        return master.pod();
    }

    public PostgresPod replica() {
        return replica.pod();
    }

    /** The names the manifests under test give what the guide names. */
    public GuideNames names() {
        return model.names();
    }

    /** What the pair's claims are, as its master's claim showed after Étape 1.5. */
    public ClaimFilesystem claims() {
        if (claims == null) {
            throw new IllegalStateException("Phase 1 has not been applied to " + label);
        }
        return claims;
    }

    /** What the replica's claim is, read in its pod now. */
    public ClaimFilesystem replicaClaim() {
        return ClaimFilesystem.of(backend, replica.pod());
    }

    public ContainerResult setupSlaveRun() {
        return replica.setupSlave();
    }

    // ----- the existing master ------------------------------------------------------------------------------

    /** The master as it runs before the guide: the pre-1.5 template, its image initialising the volume, data loaded. */
    public void createExistingMaster() throws SQLException {
        Service masterService = model.service(model.masterServiceName());
        backend.applyService(masterService);
        applySecret(GuideNames.Role.ADMIN_SECRET);
        manifests.existingMasterClaims().forEach(backend::claim);
        master.startBeforeGuide();
        try (Connection c = connectToData(masterNode)) {
            Sql.script(c, ExistingData.SCHEMA_AND_ROWS);
            existingDataChecksum = ExistingData.checksum(c);
            settingsBeforeGuide = ServerSettings.read(c);
        }
        LOG.info("[{}] existing master {} holds data (checksum {})", label, master.pod(), existingDataChecksum);
    }

    /**
     * The existing master without its pod: its claims made from the run's copy, taken at rest when another pair
     * deleted its existing master's pod in Étape 1.5, with the superuser's Secret that data was made with. Phase 1
     * then starts at Étape 1.5.
     */
    void restoreExistingMaster(ExistingMasterCopy copy) {
        backend.applyService(model.service(model.masterServiceName()));
        String admin = names().get(GuideNames.Role.ADMIN_SECRET);
        manifests.adoptSecret(admin, copy.adminSecret());
        applySecret(GuideNames.Role.ADMIN_SECRET);
        settingsBeforeGuide = copy.restoreClaims(backend);
        master.templateBeforeGuide();
        existingDataChecksum = copy.checksum();
        restoredFrom = copy;
        LOG.info("[{}] existing master's claims made from the copy {} took at rest (checksum {})", label, copy.madeBy(),
                existingDataChecksum);
    }

    private void applySecret(GuideNames.Role role) {
        String name = names().get(role);
        backend.applySecret(name, manifests.secretData(name));
    }

    /** The size of Étape 1.1's pg_dumpall output on this pair (-1 before Phase 1). */
    public long backupSize() {
        return backupSize;
    }

    public String existingDataChecksum() {
        return existingDataChecksum;
    }

    // ----- Phase 1 --------------------------------------------------------------------------------------------

    /** Étapes 1.1 to 1.5, then the checks of 1.6 on which the rest depends. */
    public void applyPhase1() throws SQLException {
        applyPhase1(null);
    }

    /**
     * Phase 1 with Étapes 1.2 to 1.5 as their reader types them, where the master runs as its DeploymentConfig:
     * {@code typed} runs their lines (Étape 1.5's {@code oc apply} rolls the config out, taking the master's pod away)
     * and returns when Étape 1.5's {@code oc apply} began ({@link System#nanoTime}); the master is then the pod of the
     * config's new version. The rest as {@link #applyPhase1()}.
     */
    public void applyPhase1Typed(LongSupplier typed) throws SQLException {
        if (!masterRunsAsDeploymentConfig()) {
            throw new IllegalStateException("Étape 1.5 as typed needs the master run as its DeploymentConfig");
        }
        applyPhase1(Objects.requireNonNull(typed));
    }

    private void applyPhase1(LongSupplier typed) throws SQLException {
        if (restoredFrom == null) {
            // Étape 1.1: `oc exec $POD_NAME -- pg_dumpall -U postgres > backup-database.sql`
            ContainerResult dump = backend.exec(master.pod(), List.of("pg_dumpall", "-U", "postgres"), Map.of(), SCRIPT);
            if (!dump.succeeded()) {
                throw new AssertionError("Étape 1.1: pg_dumpall failed (exit " + dump.exitCode() + "):\n" + dump.tail(20));
            }
            backupSize = dump.output().length();
            figure("1.1", "pg_dumpall backup size", backupSize, "bytes");
        }
        long down;
        if (typed != null) {
            down = typed.getAsLong();
            master.startAsStep15Leaves(backend::deploymentConfigPod);
        } else {
            // Étapes 1.2 to 1.4: `oc apply` of the Secret and ConfigMaps; their content is mounted in 1.5.
            applySecret(GuideNames.Role.REPLICATION_SECRET);
            // Étape 1.5: the DeploymentConfig's new template; the master pod restarts.
            down = System.nanoTime();
            if (restoredFrom == null) {
                master.stop();
                // the copy is the harness's, not the restart's time
                down += existingMasterCopies.makeOnce(backend, manifests.existingMasterClaims(), () -> new ExistingMasterCopy(
                        List.of(), manifests.secretData(names().get(GuideNames.Role.ADMIN_SECRET)), existingDataChecksum,
                        settingsBeforeGuide, label));
            }
            master.startAsStep15Leaves(backend::startDeploymentConfig);
        }
        claims = ClaimFilesystem.of(backend, master.pod());
        ledger.volumes(claims.kind());
        Evidence.Note claimsNote = claims.note();
        evidence.note(claimsNote.step(), claimsNote.text());
        figure("1.5", typed != null ? "master restart by Étape 1.5's own oc apply (to the new version's server ready)"
                : restoredFrom == null ? "master restart with the new DeploymentConfig (pod deleted to ready)"
                : "master start with the new DeploymentConfig on the existing master's copied claim (to ready)", ms(down), "ms");
        MasterInit.ensureReplicationRole(this, ledger, guide, initScriptPath());
        step16 = MasterInit.Step16.record(this, guide);
    }

    /** Étape 1.6's check {@code number}, as the guide numbers its « Vérifications obligatoires ». */
    public GuideQuery step16Query(int number) {
        return MasterInit.Step16.query(guide, number);
    }

    /** The results of Étape 1.6's query {@code index} as they were right after Phase 1, or the deviation it raised. */
    public List<List<Map<String, Object>>> step16Results(int index) {
        if (step16 == null) {
            throw new IllegalStateException("Phase 1 has not been applied to " + label);
        }
        return step16.results(index);
    }

    // ----- Phase 2 --------------------------------------------------------------------------------------------

    /** Étapes 2.1 to 2.4: the PVC, the init container running setup-slave.sh, the replica, its Service; then it streams. */
    public void applyPhase2() {
        replica.deploy(this::figure);
        awaitStreaming(Duration.ofSeconds(60));
    }

    /**
     * Waits until the master shows a walsender in state {@code streaming} whose replica has reported a replay
     * position: until then replay_lsn is NULL, and so is every lag the guide's queries compute from it.
     */
    public void awaitStreaming(Duration within) {
        masterNode.waitForStreaming(replicaNode,
                "[" + label + "] the replica streams from the master (Étape 3.1: state = streaming, replay_lsn known)", within);
    }

    /** {@code oc delete deployment postgresql-slave}: the replica's pod is gone (its PVC and Service stay). */
    public void deleteReplica() {
        replica.delete();
    }

    /** The guide's « Recréer depuis zéro » ({@link PairReplica#recreateFromScratch}). */
    public ContainerResult recreateReplicaFromScratch(UnaryOperator<ContainerPlan> initOverride, Duration initTimeout) {
        return replica.recreateFromScratch(initOverride, initTimeout);
    }

    /** The replica's pod recreated on its claim as it is ({@link PairReplica#restart}). */
    public ContainerResult restartReplica(UnaryOperator<ContainerPlan> initOverride, Duration initTimeout) {
        return replica.restart(initOverride, initTimeout);
    }

    /** Stops the master's pod (a node failure or a scale to 0): its Service has no endpoint until it starts again. */
    public void stopMaster() {
        master.stop();
    }

    /** Restarts the master's pod with the template it last ran with, its plan changed (a corrected environment, say). */
    public void restartMasterWith(UnaryOperator<ContainerPlan> change) {
        master.restartWith(change);
    }

    /**
     * Étape 1.5 only (the scenarios of errata E01, E26, E27 and of init-master.sh's defects): the master restarted with
     * the new template, as Phase 1 does it (E26 recorded and corrected where it reproduces).
     */
    public void rolloutMasterOnly() {
        master.rollOutStep15();
    }

    /** Starts the master's pod again with the template it last ran with. */
    public void startMaster() {
        master.start();
    }

    /**
     * « Rollback du Master »: {@code oc apply -f backup-postgresql-dc.yaml} (the DeploymentConfig saved in
     * Étape 1.1, i.e. the template before Étape 1.5) and the rollout that restarts the pod.
     */
    public long rollbackMaster() {
        return master.rollBack();
    }

    /** Whether the master runs as its DeploymentConfig, on a cluster that serves them: the guide's dc/ lines act on it. */
    public boolean masterRunsAsDeploymentConfig() {
        return backend.runsDeploymentConfigs();
    }

    /**
     * The master after the guide's own lines rolled its DeploymentConfig back to the one saved in Étape 1.1 (« Rollback
     * du Master » typed): the pod of its latest version, running the template of before the guide.
     */
    public void masterRolledBack() {
        master.rolledBack();
    }

    /** The master's settings as they were before the guide (read right after the existing master was created). */
    public Map<String, String> settingsBeforeGuide() {
        return settingsBeforeGuide;
    }

    /** The master's settings now. */
    public Map<String, String> currentSettings() throws SQLException {
        try (Connection c = connectToData(masterNode)) {
            return ServerSettings.read(c);
        }
    }

    /**
     * The login the existing data was made with, from the master's environment before the guide: on the official
     * image its superuser, on the template's master its application user (whose database holds the data).
     */
    public ImageContract.Login dataLogin() {
        return manifests.dataLogin();
    }

    /** A connection to a node's copy of the existing data, with the login it was made with. */
    public Connection connectToData(PgNode node) throws SQLException {
        ImageContract.Login login = dataLogin();
        return node.connect(login.user(), login.password(), login.database());
    }

    /** Where the master's init script is mounted (Étape 1.5). */
    private String initScriptPath() {
        return model.masterInitScriptPath();
    }

    // ----- access -----------------------------------------------------------------------------------------------

    /** The last lines of every pod's log and of the init container's output, for a diagnosis (redacted by the reports). */
    public String podLogs() {
        StringBuilder out = new StringBuilder();
        if (replica.setupSlave() != null) {
            out.append("\n--- init container output (last lines) ---\n").append(replica.setupSlave().tail(20));
        }
        for (PostgresPod pod : new PostgresPod[] {master.pod(), replica.pod()}) {
            if (pod != null) {
                out.append("\n--- ").append(pod.name()).append(" log (last lines) ---\n").append(pod.logTail(20));
            }
        }
        return Secrets.redact(out.toString());
    }

    /** The existing data's checksum now, to compare with the one taken before the guide. */
    public String currentDataChecksum() throws SQLException {
        try (Connection c = connectToData(masterNode)) {
            return ExistingData.checksum(c);
        }
    }

    /**
     * The password of the master's superuser, from the Secret the DeploymentConfig names (or the last one it named:
     * see {@link #lastAdminPassword}); for a tool of the host that takes it in its environment (the exporter), too.
     */
    public String adminPassword() {
        return master.adminPassword();
    }

    /** A connection as the superuser through any Service of the manifests, as an application would (Test 4). */
    public Connection connectThrough(String serviceName) throws SQLException {
        return Sql.connect(backend.service(serviceName), "postgres", adminPassword());
    }

    /** The master as a node: reached through its Service, as its superuser, following its pod across restarts. */
    public PgNode masterNode() {
        return masterNode;
    }

    /** The replica as a node: reached through its Service, as the superuser. */
    public PgNode replicaNode() {
        return replicaNode;
    }

    /** A guide query run verbatim on the pod it names. */
    public List<Map<String, Object>> runOnMaster(GuideQuery q) {
        return run(q, false).stream().reduce((a, b) -> b).orElse(List.of());
    }

    /** Runs a guide query verbatim on the node it names; SQL errors become deviations carrying their SQLSTATE. */
    public List<List<Map<String, Object>>> run(GuideQuery q, boolean onReplica) {
        return GuideSql.run(q, onReplica ? replicaNode : masterNode, manifests, evidence, this::ran);
    }

    /** The guide's SQL with its names of the slot and the role as the manifests under test spell them. */
    public String adapt(GuideQuery q) {
        return GuideSql.adapt(q, manifests, evidence);
    }

    /**
     * Marks this pair as one a negative scenario breaks on purpose: what the guide's lines print on it is that
     * scenario's evidence, not the guide's ({@link #ran} keeps none of it).
     */
    public void breakOnPurpose() {
        brokenOnPurpose = true;
    }

    /**
     * What a part of the guide did when run as written on this pair ({@link Evidence#ran}), for the report's page of the
     * guide; nothing from a pair broken on purpose, whose runs would show the guide a failure it did not cause, or a
     * pass it did not earn.
     */
    public void ran(String item, String status, boolean succeeded, String output) {
        if (!brokenOnPurpose) {
            evidence.ran(item, status, succeeded, output);
        }
    }

    public void figure(String step, String name, double value, String unit) {
        if (!label.startsWith("shared")) {
            return; // a pair of its own is broken or taken apart: its stand-up timings are not the guide's figures (see scenarioFigure)
        }
        evidence.figure(step, name, value, unit, label, backend.description().name() + " " + backend.description().serverVersion());
    }

    /**
     * A figure a scenario measured on purpose (a rollback's duration, the WAL a lost slot retained), kept whatever
     * the pair: these scenarios need a pair of their own, and their figures are the evidence.
     */
    public void scenarioFigure(String step, String name, double value, String unit) {
        evidence.figure(step, name, value, unit, label, backend.description().name() + " " + backend.description().serverVersion());
    }

    private static long ms(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    @Override
    public void close() {
        backend.close();
    }
}
