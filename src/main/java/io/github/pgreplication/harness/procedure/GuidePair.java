package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.node.PgNode;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.JobPlan;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.run.Secrets;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ClaimCopy;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.guide.RunSecrets;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import io.github.pgreplication.harness.guide.MountPlan;
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
    private final GuideModel model;
    private final GuideModel corrected;
    private final GuideDocument guide;
    private final ErrataLedger ledger;
    private final Evidence evidence;
    private final Waits waits;
    private final RunSecrets secrets;
    private final GuideNames guideNames;
    private PostgresPod master;
    private PostgresPod replica;
    private final PgNode masterNode;
    private final PgNode replicaNode;
    private ContainerResult setupSlave;
    private String existingDataChecksum;
    private long backupSize = -1;
    private Map<String, String> settingsBeforeGuide;
    private PodTemplateSpec masterTemplate;
    private final Map<Integer, Object> step16 = new java.util.HashMap<>();
    /** The run's copy of the existing master: this pair may make it, or start from it. */
    private final ExistingMasterCopy.Slot existingMasterCopies;
    /** The copy this pair's master claim was made from; null when the pair walked from the existing master. */
    private ExistingMasterCopy restoredFrom;

    public GuidePair(String label, Backend backend, GuideModel model, GuideModel corrected, GuideNames guideNames,
                     GuideDocument guide, ErrataLedger ledger, Evidence evidence, Waits waits,
                     ExistingMasterCopy.Slot existingMasterCopies) {
        this.label = label;
        this.guideNames = guideNames;
        this.backend = backend;
        this.model = model;
        this.corrected = corrected;
        this.guide = guide;
        this.ledger = ledger;
        this.evidence = evidence;
        this.waits = waits;
        this.secrets = new RunSecrets(model.manifests());
        this.existingMasterCopies = existingMasterCopies;
        this.masterNode = new PgNode("the master", () -> backend.service(model.masterServiceName()), "postgres",
                this::adminPassword, () -> master == null ? "(no master pod)" : master.logTail(30), waits);
        this.replicaNode = new PgNode("the replica", () -> backend.service(replicaService().getMetadata().getName()), "postgres",
                this::adminPassword, () -> replica == null ? "(no replica pod)" : replica.logTail(30), waits);
    }

    public String label() {
        return label;
    }

    public Backend backend() {
        return backend;
    }

    public GuideModel model() {
        return model;
    }

    public PostgresPod master() {
        return master;
    }

    public PostgresPod replica() {
        return replica;
    }

    /** The names the manifests under test give what the guide names. */
    public GuideNames names() {
        return model.names();
    }

    /** The guide's own names (its published manifests), which the features and the errata use. */
    public GuideNames guideNames() {
        return guideNames;
    }

    /** An errata item of a ConfigMap key, named as the guide names it ({@code configmap/<name>#<key>}). */
    public String configMapItem(GuideNames.Role configMap, String key) {
        return "configmap/" + guideNames.get(configMap) + "#" + key;
    }

    public ContainerResult setupSlaveRun() {
        return setupSlave;
    }

    public List<String> secretAdaptations() {
        return secrets.adaptations();
    }

    // ----- the existing master ------------------------------------------------------------------------------

    /** The master as it runs before the guide: the pre-1.5 template, its image initialising the volume, data loaded. */
    public void createExistingMaster() throws SQLException {
        Service masterService = model.service(model.masterServiceName());
        backend.applyService(masterService);
        applySecret(GuideNames.Role.ADMIN_SECRET);
        PodTemplateSpec before = model.masterTemplateBeforeGuide();
        claimVolumes(model.masterDeploymentConfig(), before, before.getSpec().getContainers().get(0));
        masterTemplate = before;
        master = startPod(masterPlan(before), START);
        try (Connection c = masterConnection()) {
            Sql.script(c, ExistingData.SCHEMA_AND_ROWS);
            existingDataChecksum = ExistingData.checksum(c);
            settingsBeforeGuide = ServerSettings.read(c);
        }
        LOG.info("[{}] existing master {} holds data (checksum {})", label, master, existingDataChecksum);
    }

    /**
     * The existing master without its pod: its claims made from the run's copy, taken at rest when another pair
     * deleted its existing master's pod in Étape 1.5, with the superuser's Secret that data was made with. Phase 1
     * then starts at Étape 1.5.
     */
    void restoreExistingMaster(ExistingMasterCopy copy) {
        backend.applyService(model.service(model.masterServiceName()));
        String admin = names().get(GuideNames.Role.ADMIN_SECRET);
        secrets.adopt(admin, copy.adminSecret());
        applySecret(GuideNames.Role.ADMIN_SECRET);
        // The settings name the claim's directory where it is the host's (data_directory, say): this pair's, now.
        Map<String, String> settings = new LinkedHashMap<>(copy.settingsBeforeGuide());
        for (ClaimCopy c : copy.claims()) {
            String was = c.origin().toString();
            String now = backend.claimFrom(c.claimName(), c).toString();
            settings.replaceAll((name, value) -> value == null ? null : value.replace(was, now));
        }
        masterTemplate = model.masterTemplateBeforeGuide();
        existingDataChecksum = copy.checksum();
        settingsBeforeGuide = settings;
        restoredFrom = copy;
        LOG.info("[{}] existing master's claims made from the copy {} took at rest (checksum {})", label, copy.madeBy(),
                existingDataChecksum);
    }

    /**
     * Copies the existing master's claims while its pod is gone, once per run, where the backend copies claims;
     * returns the nanoseconds it took (0 when this pair is not the one to make it).
     */
    private long copyExistingMasterOnce() {
        if (!existingMasterCopies.claimMaking()) {
            return 0;
        }
        long start = System.nanoTime();
        PodTemplateSpec before = model.masterTemplateBeforeGuide();
        List<ClaimCopy> copies = new ArrayList<>();
        for (String claim : claims(model.masterDeploymentConfig(), before, before.getSpec().getContainers().get(0))) {
            Optional<ClaimCopy> c = backend.copyClaim(claim);
            if (c.isEmpty()) {
                return System.nanoTime() - start; // this backend copies no claim: every pair walks the whole procedure
            }
            copies.add(c.get());
        }
        existingMasterCopies.made(new ExistingMasterCopy(copies, secrets.data(names().get(GuideNames.Role.ADMIN_SECRET)),
                existingDataChecksum, settingsBeforeGuide, label));
        return System.nanoTime() - start;
    }

    private void applySecret(GuideNames.Role role) {
        String name = names().get(role);
        backend.applySecret(name, secrets.data(name));
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
        if (restoredFrom == null) {
            // Étape 1.1: `oc exec $POD_NAME -- pg_dumpall -U postgres > backup-database.sql`
            ContainerResult dump = backend.exec(master, List.of("pg_dumpall", "-U", "postgres"), Map.of(), SCRIPT);
            if (!dump.succeeded()) {
                throw new AssertionError("Étape 1.1: pg_dumpall failed (exit " + dump.exitCode() + "):\n" + dump.tail(20));
            }
            backupSize = dump.output().length();
            figure("1.1", "pg_dumpall backup size", backupSize, "bytes");
        }
        // Étapes 1.2 to 1.4: `oc apply` of the Secret and ConfigMaps; their content is mounted in 1.5.
        applySecret(GuideNames.Role.REPLICATION_SECRET);
        // Étape 1.5: the DeploymentConfig's new template; the master pod restarts.
        long down = System.nanoTime();
        if (restoredFrom == null) {
            backend.deletePod(master);
            down += copyExistingMasterOnce(); // the copy is the harness's, not the restart's time
        }
        masterTemplate = model.masterTemplate();
        master = startPod(masterPlan(masterTemplate), START);
        figure("1.5", restoredFrom == null ? "master restart with the new DeploymentConfig (pod deleted to ready)"
                : "master start with the new DeploymentConfig on the existing master's copied claim (to ready)", ms(down), "ms");
        ensureReplicationRole();
        // Étape 1.6's three checks, kept as they were at this point of the guide (before any replica exists).
        for (int i = 1; i <= 3; i++) {
            GuideQuery q = guide.query("1.6", i);
            try {
                step16.put(i, run(q, false));
            } catch (Deviation.Exception d) {
                step16.put(i, d);
            }
        }
    }

    /** The results of Étape 1.6's query {@code index} as they were right after Phase 1, or the deviation it raised. */
    public List<List<Map<String, Object>>> step16Results(int index) {
        Object r = step16.get(index);
        if (r == null) {
            throw new IllegalStateException("Phase 1 has not been applied to " + label);
        }
        if (r instanceof Deviation.Exception d) {
            throw d;
        }
        @SuppressWarnings("unchecked")
        List<List<Map<String, Object>>> results = (List<List<Map<String, Object>>>) r;
        return results;
    }

    /**
     * Étape 1.6's first check decides whether Phase 1 worked: the {@code replicator} role. The official image
     * runs /docker-entrypoint-initdb.d only on an empty data directory, so on the existing master it never runs.
     */
    private void ensureReplicationRole() {
        GuideQuery roleCheck = guide.query("1.6", 1);
        ledger.verbatim("procedure#1.5/init-master-runs", () -> {
            List<Map<String, Object>> rows = runOnMaster(roleCheck);
            if (rows.isEmpty()) {
                throw Deviation.result("procedure#1.5/init-master-runs", "`replicator | t` (Étape 1.6, check 1)",
                        "no row").raise();
            }
            return null;
        }, () -> {
            runInitScriptByHand();
            return null;
        });
    }

    /** The correction: run the mounted init script in the master pod, as `oc exec $POD_NAME -- <script>` would. */
    private void runInitScriptByHand() {
        String item = configMapItem(GuideNames.Role.MASTER_INIT, "init-master.sh");
        ledger.verbatim(item, () -> {
            ContainerResult r = backend.exec(master, List.of(initScriptPath()), Map.of(), SCRIPT);
            if (!r.succeeded()) {
                throw Deviation.exit(item, r.exitCode(), r.tail(10)).raise();
            }
            return r;
        }, () -> {
            String script = corrected.manifests().configMapValue(corrected.names().get(GuideNames.Role.MASTER_INIT),
                    "init-master.sh");
            ContainerResult r = backend.exec(master, List.of("/bin/bash", "-c", script, "init-master.sh"), Map.of(), SCRIPT);
            if (!r.succeeded()) {
                throw new AssertionError("the corrected init-master.sh failed too (exit " + r.exitCode() + "):\n" + r.tail(20));
            }
            return r;
        });
    }

    // ----- Phase 2 --------------------------------------------------------------------------------------------

    /** Étapes 2.1 to 2.4: the PVC, the init container running setup-slave.sh, the replica, its Service. */
    public void applyPhase2() {
        PodTemplateSpec template = model.replicaTemplate();
        Container init = model.replicaInitContainer();
        claimVolumes(model.replicaDeployment(), template, init);
        ContainerPlan initPlan = model.plan(model.replicaDeployment().name(), model.replicaDeployment(), template, init, secrets);
        String item = configMapItem(GuideNames.Role.REPLICA_CONFIG, "setup-slave.sh");
        setupSlave = ledger.verbatim(item, () -> {
            ContainerResult r = backend.runToCompletion(initPlan, SCRIPT);
            if (!r.succeeded()) {
                throw Deviation.exit(item, r.exitCode(), r.tail(15)).raise();
            }
            return r;
        });
        figure("2.3", "init container setup-slave.sh (pg_basebackup included)", setupSlave.took().toMillis(), "ms");
        if (setupSlave.output().contains("Password:")) {
            evidence.note("2.2", "`pg_basebackup -W` (\"demander le mot de passe\") prompted `Password:` in the init container. "
                    + "With stdin closed and no terminal it read an empty answer and fell back to PGPASSWORD, so it worked; "
                    + "run with a terminal attached, the same script waits for a password nobody types. `-W` should go.");
        }
        evidence.note("2.2", "`pg_basebackup -R` writes primary_conninfo with the replication password into the replica's "
                + "postgresql.auto.conf, in clear on the PVC `" + replicaClaimName() + "`; the harness never prints that file.");
        Container main = template.getSpec().getContainers().get(0);
        // Étape 2.4's Service is applied as the pod starts rather than after: a Service's name must exist when a
        // container joins the network to be its DNS alias. In Kubernetes the order of the two makes no difference.
        backend.applyService(replicaService());
        long start = System.nanoTime();
        replica = startPod(model.plan(model.replicaDeployment().name(), model.replicaDeployment(), template, main,
                secrets), START);
        figure("2.3", "replica container start to ready", ms(start), "ms");
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

    /** The replica's PersistentVolumeClaim (Étape 2.1), as its Deployment names it. */
    public String replicaClaimName() {
        return claims(model.replicaDeployment(), model.replicaTemplate(), model.replicaInitContainer()).stream().findFirst()
                .orElseThrow(() -> new AssertionError("the replica's init container mounts no PersistentVolumeClaim"));
    }

    /** {@code oc delete deployment postgresql-slave}: the replica's pod is gone (its PVC and Service stay). */
    public void deleteReplica() {
        if (replica != null) {
            backend.deletePod(replica);
            replica = null;
        }
    }

    /**
     * The guide's « Recréer depuis zéro »: {@code oc delete pod}, {@code oc delete pvc}, {@code oc apply -f
     * postgresql-slave-pvc.yaml}; the Deployment's new pod runs its init container on the empty claim, then
     * the replica. {@code initOverride} changes the init container's plan (a wrong Secret value, say). The
     * replica starts only when the init container succeeds; its result is returned either way.
     */
    public ContainerResult recreateReplicaFromScratch(UnaryOperator<ContainerPlan> initOverride, Duration initTimeout) {
        deleteReplica();
        String claim = replicaClaimName();
        backend.deleteClaim(claim);
        backend.claim(claim);
        PodTemplateSpec template = model.replicaTemplate();
        ContainerPlan init = initOverride.apply(model.plan(model.replicaDeployment().name(), model.replicaDeployment(),
                template, model.replicaInitContainer(), secrets));
        ContainerResult r = backend.runToCompletion(init, initTimeout);
        if (r.succeeded()) {
            replica = startPod(model.plan(model.replicaDeployment().name(), model.replicaDeployment(), template,
                    template.getSpec().getContainers().get(0), secrets), START);
        }
        return r;
    }

    /** Stops the master's pod (a node failure or a scale to 0): its Service has no endpoint until it starts again. */
    public void stopMaster() {
        backend.deletePod(master);
    }

    /** Starts the master's pod again with the template it last ran with. */
    public void startMaster() {
        master = startPod(masterPlan(masterTemplate), START);
    }

    /**
     * « Rollback du Master »: {@code oc apply -f backup-postgresql-dc.yaml} (the DeploymentConfig saved in
     * Étape 1.1, i.e. the template before Étape 1.5) and the rollout that restarts the pod.
     */
    public long rollbackMaster() {
        long start = System.nanoTime();
        backend.deletePod(master);
        masterTemplate = model.masterTemplateBeforeGuide();
        master = startPod(masterPlan(masterTemplate), START);
        return ms(start);
    }

    /** The master's settings as they were before the guide (read right after the existing master was created). */
    public Map<String, String> settingsBeforeGuide() {
        return settingsBeforeGuide;
    }

    /** The master's settings now. */
    public Map<String, String> currentSettings() throws SQLException {
        try (Connection c = masterConnection()) {
            return ServerSettings.read(c);
        }
    }

    /** A container of any resource of the manifests, resolved with this pair's Secrets (a CronJob's, say). */
    public ContainerPlan plan(LoadedResource owner, PodTemplateSpec template,
                              Container container) {
        return model.plan(owner.name(), owner, template, container, secrets);
    }

    /** The replica's Deployment of {@code m} (the manifests under test, or the corrected ones), with this pair's Secrets. */
    public DeploymentPlan replicaDeploymentPlan(GuideModel m) {
        return m.replicaDeploymentPlan(secrets);
    }

    /** A CronJob's Job, resolved with this pair's Secrets. */
    public JobPlan jobPlan(LoadedResource cronJob) {
        return model.jobPlan(cronJob, secrets);
    }

    /** The manifests with the errata corrected, for the items whose erratum reproduced. */
    public GuideModel corrected() {
        return corrected;
    }

    private void claimVolumes(LoadedResource owner, PodTemplateSpec template,
                              Container container) {
        claims(owner, template, container).forEach(backend::claim);
    }

    /**
     * Starts a pod and returns once a real client connection to its server, at the address clients use, gets an
     * answer: the backend's readiness (the image's probe, a listening port) can be true for the entrypoint's
     * temporary server, whose connections then fail with 57P03. Only here, for the harness's own readiness, are
     * 57P03 and a refused connection retried; the checks under test never retry.
     */
    private PostgresPod startPod(ContainerPlan plan, Duration readyWithin) {
        PostgresPod pod = backend.startPod(plan, readyWithin);
        String password = plan.env().containsKey("POSTGRES_PASSWORD") ? plan.env().get("POSTGRES_PASSWORD") : adminPassword();
        String[] last = {"(no attempt yet)"};
        boolean[] refused = {false};
        waits.until("[" + label + "] " + pod.name() + " accepts a client connection at " + pod.endpoint(), readyWithin,
                Duration.ofMillis(20), () -> {
                    try (Connection c = Sql.connect(pod.endpoint(), "postgres", password)) {
                        return Sql.scalar(c, "SELECT 1") != null;
                    } catch (SQLException e) {
                        last[0] = "SQLSTATE " + e.getSQLState() + ": " + e.getMessage();
                        refused[0] = !RETRIED_AT_START.contains(String.valueOf(e.getSQLState()));
                        return false;
                    }
                }, () -> refused[0], () -> last[0] + "\n" + pod.logTail(20));
        return pod;
    }

    /** Connection errors of a server that is still starting: 57P03 (starting up, or the temporary server stopping) and no listener yet. */
    private static final java.util.Set<String> RETRIED_AT_START = java.util.Set.of("57P03", "08001", "08006", "08004");

    /** The PersistentVolumeClaims a container mounts, in its mounts' order. */
    private List<String> claims(LoadedResource owner, PodTemplateSpec template,
                                Container container) {
        return model.plan("claims", owner, template, container, secrets).mounts().stream().map(MountPlan::source)
                .filter(MountSource.Claim.class::isInstance).map(x -> ((MountSource.Claim) x).claimName()).distinct().toList();
    }

    private ContainerPlan masterPlan(PodTemplateSpec template) {
        Container c = template.getSpec().getContainers().get(0);
        return model.plan(model.masterDeploymentConfig().name(), model.masterDeploymentConfig(), template, c, secrets);
    }

    /** The Service whose selector picks the replica's pods (Étape 2.4). */
    public Service replicaService() {
        return model.replicaService();
    }

    /** Where the master's init script is mounted (under /docker-entrypoint-initdb.d, Étape 1.5). */
    private String initScriptPath() {
        return master.plan().mounts().stream().map(MountPlan::mountPath)
                .filter(p -> p.startsWith("/docker-entrypoint-initdb.d/")).findFirst()
                .orElseThrow(() -> new AssertionError("the master mounts no script under /docker-entrypoint-initdb.d/"));
    }

    // ----- access -----------------------------------------------------------------------------------------------

    /** Étape 1.5 only (for the scenario that shows erratum E01): restart the master with the new template. */
    public void rolloutMasterOnly() {
        backend.deletePod(master);
        master = startPod(masterPlan(model.masterTemplate()), START);
    }

    /**
     * A parameter as a master.conf sets it: {@code guide} true for the guide's own master.conf (its published
     * manifests), false for the manifests under test. Empty when the file does not set it.
     */
    public java.util.Optional<String> masterConf(String parameter, boolean guide) {
        GuideModel m = guide ? publishedModel() : model;
        String text = m.manifests().configMapValue(m.names().get(GuideNames.Role.MASTER_CONFIG), "master.conf");
        return PgConf.parse(text).get(parameter)
                .map(PgConf.Entry::value);
    }

    private GuideModel publishedModel() {
        return guideNames == model.names() ? model : GuideModel.load(guideNames.dir());
    }

    /** The last lines of every pod's log and of the init container's output, for a diagnosis (redacted by the reports). */
    public String podLogs() {
        StringBuilder out = new StringBuilder();
        if (setupSlave != null) {
            out.append("\n--- init container output (last lines) ---\n").append(setupSlave.tail(20));
        }
        for (PostgresPod pod : new PostgresPod[] {master, replica}) {
            if (pod != null) {
                out.append("\n--- ").append(pod.name()).append(" log (last lines) ---\n").append(pod.logTail(20));
            }
        }
        out.append(backend.failureEvidence());
        return Secrets.redact(out.toString());
    }

    /** The existing data's checksum now, to compare with the one taken before the guide. */
    public String currentDataChecksum() throws SQLException {
        try (Connection c = masterConnection()) {
            return ExistingData.checksum(c);
        }
    }

    /** The password of the master's superuser, from the Secret the DeploymentConfig names. */
    String adminPassword() {
        return master.plan().env().get("POSTGRES_PASSWORD");
    }

    /** The superuser's password, for a tool of the host that takes it in its environment (the exporter). */
    public String adminPasswordForTools() {
        return adminPassword();
    }

    /** A connection through the master's Service, as an application would (Test 4). */
    public Connection masterConnection() throws SQLException {
        return Sql.connect(backend.service(model.masterServiceName()), "postgres", adminPassword());
    }

    /** A connection as the superuser through any Service of the manifests, as an application would (Test 4). */
    public Connection connectThrough(String serviceName) throws SQLException {
        return Sql.connect(backend.service(serviceName), "postgres", adminPassword());
    }

    /** A connection through the replica's Service. */
    public Connection replicaConnection() throws SQLException {
        return Sql.connect(backend.service(replicaService().getMetadata().getName()), "postgres", adminPassword());
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

    /** Runs a guide query verbatim; SQL errors become deviations carrying their SQLSTATE. */
    public List<List<Map<String, Object>>> run(GuideQuery q, boolean onReplica) {
        evidence.executed(q.item());
        try (Connection c = onReplica ? replicaConnection() : masterConnection()) {
            return Sql.script(c, adapt(q));
        } catch (SQLException e) {
            throw Deviation.sql(q.item(), e).raise();
        }
    }

    /** The guide's SQL with its names of the slot and the role as the manifests under test spell them. */
    public String adapt(GuideQuery q) {
        String sql = model.names().adaptSql(q.sql(), guideNames);
        if (!sql.equals(q.sql())) {
            evidence.adaptation("The guide's SQL names the slot and the replication role as the manifests under test do: "
                    + String.join("; ", model.names().renamedFrom(guideNames)));
        }
        return sql;
    }

    public Evidence evidence() {
        return evidence;
    }

    public Waits waits() {
        return waits;
    }

    public ErrataLedger ledger() {
        return ledger;
    }

    public GuideDocument guide() {
        return guide;
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
