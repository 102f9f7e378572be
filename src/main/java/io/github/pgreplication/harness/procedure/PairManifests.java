package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentConfigSpec;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.JobPlan;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.ManifestRenaming;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.guide.RunSecrets;
import io.github.pgreplication.harness.guide.PgConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifests one pair is made from, resolved with that pair's Secrets (random values of this run): the manifests
 * under test, the corrected ones, the guide's own names, and the container plans, claims and Services they give.
 * It starts nothing: the pair hands these plans to its backend.
 */
public final class PairManifests {

    private final GuideModel model;
    private final GuideModel corrected;
    private final GuideNames guideNames;
    private final RunSecrets secrets;
    /** The names the manifests were renamed with for this pair (empty: none). */
    private final Map<String, String> renames;
    /** Erratum E28 reproduced on this pair: the replica's containers take the corrected manifests' PGDATA. */
    private volatile boolean replicaDataDirectoryCorrected;

    PairManifests(GuideModel model, GuideModel corrected, GuideNames guideNames, Map<String, String> renames) {
        this.model = model;
        this.corrected = corrected;
        this.guideNames = guideNames;
        this.renames = Map.copyOf(renames);
        this.secrets = new RunSecrets(model.manifests());
    }

    /**
     * The manifests of a pair that shares its namespace with others: {@code model} and {@code corrected} written into
     * {@code dir} with every object name (and label value) suffixed ({@link ManifestRenaming}), the guide's commands run
     * with the same names; so are the objects the guide's commands alone name ({@code commandObjects}: Test 4's test
     * pod, the reader's application), which two pairs would otherwise share.
     */
    static PairManifests suffixed(GuideModel model, GuideModel corrected, GuideNames guideNames, String suffix, Path dir,
                                  List<String> commandObjects) {
        Map<String, String> renames = new LinkedHashMap<>(ManifestRenaming.suffixed(corrected.manifests(), suffix));
        renames.putAll(ManifestRenaming.suffixed(model.manifests(), suffix));
        GuideModel underTest = ManifestRenaming.write(model, renames, dir.resolve("under-test"));
        GuideModel correctedRenamed = ManifestRenaming.write(corrected, renames, dir.resolve("corrected"));
        commandObjects.forEach(n -> renames.putIfAbsent(n, n + suffix));
        return new PairManifests(underTest, correctedRenamed, guideNames, renames);
    }

    /**
     * The objects that only the guide's commands name, no manifest: the pod of {@code oc run NAME}, the Deployment of
     * {@code oc set env deployment/NAME}.
     */
    static List<String> commandObjects(GuideDocument guide) {
        Pattern made = Pattern.compile("^oc (?:run |set env deployment/)([a-z0-9][a-z0-9.-]*)");
        List<String> out = new ArrayList<>();
        for (GuideDocument.CodeBlock b : guide.blocks()) {
            for (String line : b.commands()) {
                Matcher m = made.matcher(line);
                if (m.find() && !out.contains(m.group(1))) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /**
     * A text of the guide's (a command, a container's name) with this pair's names: the manifests' names where they
     * differ from the guide's (a team's manifests), and those its manifests were renamed with ({@link ManifestRenaming})
     * where pairs share a namespace, each under names of its own. Unchanged where neither.
     */
    public String inPairNames(String guideText) {
        return ManifestRenaming.rename(ManifestRenaming.rename(guideText, names().objectsFrom(guideNames)), renames);
    }

    /** The manifests under test. */
    public GuideModel model() {
        return model;
    }

    /** The manifests with the errata corrected, for the items whose erratum reproduced. */
    public GuideModel corrected() {
        return corrected;
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

    /** The changes made to the manifests' Secrets for this run (random values), for the report. */
    public List<String> secretAdaptations() {
        return secrets.adaptations();
    }

    /** A Secret's values for this run. */
    Map<String, String> secretData(String secretName) {
        return secrets.data(secretName);
    }

    /** Takes a Secret's values from elsewhere (the copy of the existing master was made with them). */
    void adoptSecret(String secretName, Map<String, String> data) {
        secrets.adopt(secretName, data);
    }

    /** A container of any resource of the manifests, resolved with this pair's Secrets (a CronJob's, say). */
    public ContainerPlan plan(LoadedResource owner, PodTemplateSpec template, Container container) {
        return model.plan(owner.name(), owner, template, container, secrets);
    }

    /** The replica's Deployment of {@code m} (the manifests under test, or the corrected ones), with this pair's Secrets. */
    public DeploymentPlan replicaDeploymentPlan(GuideModel m) {
        DeploymentPlan d = m.replicaDeploymentPlan(secrets);
        return m != model ? d : new DeploymentPlan(d.name(), d.selector(), d.replicas(), d.strategyType(),
                d.initContainers().stream().map(this::replicaDataDirectory).toList(),
                d.containers().stream().map(this::replicaDataDirectory).toList());
    }

    /** The errata item of the replica's data directory: its Deployment's PGDATA, as the guide names the Deployment. */
    public String replicaDataDirectoryItem() {
        return "deployment/" + guideNames.get(GuideNames.Role.REPLICA_POD) + "#PGDATA";
    }

    /** From now on the replica's containers (init container, server, the Deployment's) take the corrected PGDATA. */
    void correctReplicaDataDirectory() {
        replicaDataDirectoryCorrected = true;
    }

    /**
     * Where erratum E28's correction holds for this pair ({@link #correctReplicaDataDirectory}): the replica's PGDATA
     * in the manifests under test, and the corrected one; empty where the replica's containers take the PGDATA as written.
     */
    public Optional<Map.Entry<String, String>> replicaDataDirectoryChange() {
        if (!replicaDataDirectoryCorrected) {
            return Optional.empty();
        }
        String from = pgdata(model);
        String to = pgdata(corrected);
        return from.equals(to) ? Optional.empty() : Optional.of(Map.entry(from, to));
    }

    private static String pgdata(GuideModel m) {
        return m.replicaInitContainer().getEnv().stream().filter(e -> e.getName().equals("PGDATA")).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("the replica's init container sets no PGDATA"));
    }

    private ContainerPlan replicaDataDirectory(ContainerPlan p) {
        if (!replicaDataDirectoryCorrected || !p.env().containsKey("PGDATA")) {
            return p;
        }
        return ContainerPlans.withEnv(p, "PGDATA", pgdata(corrected));
    }

    /** A CronJob's Job, resolved with this pair's Secrets. */
    public JobPlan jobPlan(LoadedResource cronJob) {
        return model.jobPlan(cronJob, secrets);
    }

    /** The master's main container under {@code template} (before the guide, or Étape 1.5's). */
    ContainerPlan masterPlan(PodTemplateSpec template) {
        return plan(model.masterDeploymentConfig(), template, template.getSpec().getContainers().get(0));
    }

    /**
     * The login the existing data was made with, from the master's environment before the guide: on the official
     * image its superuser, on the template's master its application user (whose database holds the data).
     */
    ImageContract.Login dataLogin() {
        ContainerPlan before = masterPlan(model.masterTemplateBeforeGuide());
        return before.imageContract().dataLogin(before.env());
    }

    /**
     * The master's DeploymentConfig running {@code plan}: its name, and its selector, replicas and strategy as the
     * manifests write them (the selector the pod's labels where it gives none).
     */
    DeploymentPlan masterConfig(ContainerPlan plan) {
        DeploymentConfigSpec spec = model.masterDeploymentConfig().resource() instanceof GenericKubernetesResource g
                ? DeploymentConfigSpec.of(g).orElse(null) : null;
        if (spec == null) {
            return new DeploymentPlan(plan.podName(), plan.podLabels(), 1, Optional.empty(), List.of(), List.of(plan));
        }
        return new DeploymentPlan(plan.podName(), spec.selector().orElse(plan.podLabels()), spec.replicas(),
                spec.strategyType(), List.of(), List.of(plan));
    }

    /** The replica's init container (Étape 2.3, running setup-slave.sh). */
    ContainerPlan replicaInitPlan() {
        return replicaDataDirectory(plan(model.replicaDeployment(), model.replicaTemplate(), model.replicaInitContainer()));
    }

    /** The replica's main container (Étape 2.3). */
    ContainerPlan replicaPlan() {
        PodTemplateSpec template = model.replicaTemplate();
        return replicaDataDirectory(plan(model.replicaDeployment(), template, template.getSpec().getContainers().get(0)));
    }

    /** The PersistentVolumeClaims the master mounts before the guide, in its mounts' order. */
    List<String> existingMasterClaims() {
        PodTemplateSpec before = model.masterTemplateBeforeGuide();
        return claims(model.masterDeploymentConfig(), before, before.getSpec().getContainers().get(0));
    }

    /** The PersistentVolumeClaims the replica's init container mounts. */
    List<String> replicaClaims() {
        return claims(model.replicaDeployment(), model.replicaTemplate(), model.replicaInitContainer());
    }

    /** The replica's PersistentVolumeClaim (Étape 2.1), as its Deployment names it. */
    public String replicaClaimName() {
        return replicaClaims().stream().findFirst()
                .orElseThrow(() -> new AssertionError("the replica's init container mounts no PersistentVolumeClaim"));
    }

    /** The Service whose selector picks the replica's pods (Étape 2.4). */
    public Service replicaService() {
        return model.replicaService();
    }

    /**
     * A parameter as a master.conf sets it: {@code guide} true for the guide's own master.conf (its published
     * manifests), false for the manifests under test. Empty when the file does not set it.
     */
    public Optional<String> masterConf(String parameter, boolean guide) {
        GuideModel m = guide ? publishedModel() : model;
        String text = m.manifests().configMapValue(m.names().get(GuideNames.Role.MASTER_CONFIG), "master.conf");
        return PgConf.parse(text).get(parameter).map(PgConf.Entry::value);
    }

    /**
     * Each result of SHOW (its one row's column and value), in order, with what the guide's master.conf and the one under
     * test set; an error for a setting the guide's master.conf does not set.
     */
    public List<ServerSettings.Shown> shownAgainstMasterConf(List<List<Map<String, Object>>> results) {
        List<ServerSettings.Shown> out = new ArrayList<>();
        for (List<Map<String, Object>> rows : results) {
            Map.Entry<String, Object> e = rows.get(0).entrySet().iterator().next();
            String guide = masterConf(e.getKey(), true).orElseThrow(() -> new AssertionError(
                    "the guide's master.conf does not set " + e.getKey()));
            out.add(new ServerSettings.Shown(e.getKey(), String.valueOf(e.getValue()), guide,
                    masterConf(e.getKey(), false).orElse(guide)));
        }
        return out;
    }

    private GuideModel publishedModel() {
        return guideNames == model.names() ? model : GuideModel.load(guideNames.dir());
    }

    /** The PersistentVolumeClaims a container mounts, in its mounts' order. */
    private List<String> claims(LoadedResource owner, PodTemplateSpec template, Container container) {
        return model.plan("claims", owner, template, container, secrets).mounts().stream().map(MountPlan::source)
                .filter(MountSource.Claim.class::isInstance).map(x -> ((MountSource.Claim) x).claimName()).distinct().toList();
    }
}
