package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Étape 1.1's block and « Rollback du Master » as their reader types them, where the cluster runs the master as its
 * DeploymentConfig: the whole backup block ({@code oc get dc/… svc/… pvc/… configmap secret -o yaml >} and the
 * database's {@code pg_dumpall}), in a directory of the run's kept until the rollback, which applies the saved
 * {@code backup-postgresql-dc.yaml} there. The files hold the Secrets and the roles' password hashes: read, never
 * printed, deleted at {@link #close}.
 */
public final class TypedMasterConfig implements AutoCloseable {

    /** The rollback's {@code oc apply -f backup-postgresql-dc.yaml}, as the errata name it. */
    public static final String ROLLBACK_ITEM = "procedure#rollback-master/apply-saved-config";
    private static final String STEP_BACKUP = "1.1";
    private static final String STEP_ROLLBACK = "rollback-master";
    private static final String SAVED_CONFIG = "backup-postgresql-dc.yaml";
    private static final String STEP_UPDATE = "1.5";
    private static final String UPDATED_FILE = "postgresql-master-updated.yaml";
    /** How long Étape 1.5's watch may wait for the new version's pod: its older pod's grace period, then a start. */
    private static final Duration WATCH = Duration.ofSeconds(100);
    private static final Pattern SAVED = Pattern.compile("^oc get (\\S+) -o yaml > (\\S+)$");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    /** One of Étape 1.1's {@code oc get … -o yaml > FILE} lines: what it asked for, and what its file holds. */
    public record SavedFile(String asked, String file, int exitCode, List<String> objects) {
    }

    /** What Étape 1.1's block did: its lines' runs, each saved file, and the database's dump. */
    public record Backups(ClusterCommands.SectionRun run, List<SavedFile> files, TypedBackup.Backup database) {
    }

    /**
     * What « Rollback du Master » did: its lines as written ({@code asWritten}), the config's version before and after
     * them, and, where they did not roll the saved config out (erratum E36), the correction's run.
     */
    public record Rollback(ClusterCommands.SectionRun asWritten, long versionBefore, long versionAfterAsWritten,
                           ContainerResult withoutVersion, ContainerResult corrected, long versionAfter) {
    }

    /**
     * The correction one tries first, which E36's correction says is not enough: the saved config applied without its
     * resourceVersion.
     */
    static final String WITHOUT_VERSION = "oc apply -f <(sed '/^  resourceVersion:/d' " + SAVED_CONFIG + ")";

    /**
     * What Étape 1.5 did as typed: Étapes 1.2 to 1.4's {@code oc apply -f}, its first block (the config saved: what its
     * file holds), its second block around the reader's edit, the config's version before and after them, what of the
     * four modifications the config did not hold after them, and the version whose pod the master then is (one more
     * where erratum E26's correction rolled out after the version as typed).
     */
    public record Update(String config, List<TypedApplies.Applied> applies, ClusterCommands.SectionRun saved,
                         List<String> savedObjects, ClusterCommands.SectionRun applied, long versionBefore, long versionAfter,
                         List<String> missing, String podBefore, long masterVersion) {

        /** The same, the master being the pod of the config's version {@code version}. */
        Update withMasterVersion(long version) {
            return new Update(config, applies, saved, savedObjects, applied, versionBefore, versionAfter, missing, podBefore,
                    version);
        }

        /** The start of the names of the pods of the config's version {@code version}: {@code NAME-VERSION-}. */
        public String podsOf(long version) {
            return config + "-" + version + "-";
        }

        /** The watch's lines of the pods of the version the block rolled out. */
        public List<String> watchedNewPods() {
            return applied.command("oc get pods").output().lines().map(String::strip)
                    .filter(l -> l.startsWith(podsOf(versionAfter))).toList();
        }

        /** Whether the watch saw a pod of that version Running with its container Ready. */
        public boolean watchSawReady() {
            return watchedNewPods().stream().anyMatch(ReplicaDeployment::runningAndReady);
        }

        /** Whether the watch saw a pod of that version whose container failed. */
        public boolean watchSawFailure() {
            return watchedNewPods().stream().map(l -> l.split("\\s+"))
                    .anyMatch(f -> f.length >= 3 && FAILED.matcher(f[2]).find());
        }
    }

    /** A pod's status, as {@code oc get pods} prints it, when its container failed (to start, or since). */
    private static final Pattern FAILED = Pattern.compile("Error|CrashLoopBackOff|ContainerCannotRun");

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;
    private final Path dir = RunDirectory.scratch("master-config");

    public TypedMasterConfig(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
        if (!pair.masterRunsAsDeploymentConfig()) {
            close();
            throw new IllegalStateException("the master does not run as a DeploymentConfig on this backend");
        }
        context.ledger().deploymentConfig();
    }

    /** Étape 1.1's whole block, as written, {@code POD_NAME} set first by the reconnaissance's line; its files read. */
    public Backups backUp() {
        context.evidence().adaptation("Étape 1.1 as typed, whole, where the master runs as its DeploymentConfig: "
                + "`POD_NAME` set first by the reconnaissance's own line, in a directory of the run's kept for « Rollback du "
                + "Master » (its files hold the Secrets and the roles' password hashes: read, never printed, deleted at the "
                + "scenario's end).");
        ClusterCommands.SectionRun run = commands.run(STEP_BACKUP, b -> true, Map.of(),
                List.of("cd '" + dir + "' || exit 1", commands.podNameLine()), UnaryOperator.identity());
        List<SavedFile> files = new ArrayList<>();
        for (ClusterCommands.CommandRun c : run.commands()) {
            Matcher m = SAVED.matcher(c.guideLine().strip());
            if (m.matches()) {
                files.add(new SavedFile(m.group(1), m.group(2), c.exitCode(),
                        objects(dir.resolve(pair.manifests().inPairNames(m.group(2))))));
            }
        }
        return new Backups(run, files, TypedBackup.read(run.command("oc exec"), dir));
    }

    /**
     * Phase 1 with Étapes 1.2 to 1.5 as their reader types them ({@link GuidePair#applyPhase1Typed}): 1.2 to 1.4's
     * {@code oc apply -f}; Étape 1.5's {@code oc get dc/… -o yaml >} file, edited as its reader edits it (the four
     * modifications of the manifests under test merged into it, {@link io.github.pgreplication.harness.guide.MasterUpdate});
     * then its dry run, its {@code oc apply} and its {@code oc get pods -w}, the watch ended once a pod of the config's
     * new version is Ready or has failed, as one ends a watch with Ctrl-C. The master is then the new version's pod.
     */
    public Update update() throws SQLException {
        String name = pair.manifests().guideNames().get(GuideNames.Role.MASTER_POD);
        String config = "dc/" + name;
        String inPair = pair.manifests().inPairNames(name);
        String podBefore = pair.master().name();
        Update[] out = {null};
        pair.applyPhase1Typed(() -> {
            List<TypedApplies.Applied> applies = new TypedApplies(pair, context).phase1();
            awaitRolledOut(config);
            long before = version(config);
            String cd = "cd '" + dir + "' || exit 1";
            ClusterCommands.SectionRun saved = commands.run(STEP_UPDATE, b -> b.text().contains("-o yaml > " + UPDATED_FILE),
                    Map.of(), List.of(cd), UnaryOperator.identity());
            Path file = dir.resolve(pair.manifests().inPairNames(UPDATED_FILE));
            List<String> savedObjects = objects(file);
            edit(file);
            long watchFor = context.waits().scaled(WATCH).toSeconds();
            context.evidence().adaptation("Étape 1.5 as typed: `oc get pods -w` runs until a pod of the config's new version "
                    + "is Running and Ready, or has failed, then is stopped as one stops a watch with Ctrl-C (at most " + watchFor
                    + " s).");
            long applyAt = System.nanoTime();
            ClusterCommands.SectionRun applied = commands.run(STEP_UPDATE, b -> b.text().contains("--dry-run"), Map.of(),
                    List.of(cd), line -> line.endsWith(" -w") ? untilTheNewPod(line, inPair, podBefore, watchFor)
                            : line);
            long after = version(config);
            ClusterCommands.CommandRun apply = applied.commands().get(1);
            if (!apply.succeeded() || after == before) {
                throw new AssertionError("Étape 1.5 as typed: `" + apply.command() + "` exited " + apply.exitCode()
                        + " and the config's version stayed " + after + ", so no new master started:\n" + apply.output());
            }
            out[0] = new Update(inPair, applies, saved, savedObjects, applied, before, after,
                    pair.model().masterUpdate().missingFrom(live(config)), podBefore, after);
            return applyAt;
        });
        return out[0].withMasterVersion(version(config));
    }

    /**
     * Waits until the config says its latest version rolled out ({@code oc rollout status}), as the reader's master has
     * long been when Étape 1.5 begins: its controller writes the config's status no more, so that the file Étape 1.5
     * saves is still the config's when it is applied (a status written meanwhile would make it a Conflict).
     */
    private void awaitRolledOut(String config) {
        ContainerResult r = pair.clusterShell().orElseThrow().run("oc rollout status " + config,
                context.waits().scaled(WATCH));
        if (!r.succeeded()) {
            throw new AssertionError("the master's " + config + " did not say it was rolled out before Étape 1.5 (exit "
                    + r.exitCode() + (r.timedOut() ? ", timed out" : "") + "):\n" + r.tail(10));
        }
    }

    /**
     * The reader's edit of the saved config, between Étape 1.5's two blocks: the four modifications merged into its
     * {@code spec.template.spec}, the rest as {@code oc get} saved it (its resourceVersion too).
     */
    private void edit(Path file) {
        context.evidence().adaptation("Étape 1.5's « Modifications à appliquer dans spec.template.spec » are the reader's "
                + "edit of the saved file: the harness merges the four modifications of the manifests under test into it (each "
                + "list's items after the existing ones, the args set) and writes it back as YAML; the rest of the file is as "
                + "`oc get dc/… -o yaml` saved it, its resourceVersion included.");
        try {
            Map<String, Object> saved = YAML.unmarshal(Files.readString(file), Map.class);
            Files.writeString(file, YAML.asYaml(pair.model().masterUpdate().mergedInto(saved)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + file, e);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("Étape 1.5: the file " + file.getFileName() + " that `oc get dc/… -o yaml` saved cannot "
                    + "be edited as the guide says: " + e.getMessage(), e);
        }
    }

    /**
     * {@code line} ({@code oc get pods -w}) run until a pod of the config {@code name}'s, other than {@code podBefore}
     * (and no deployer pod {@code NAME-VERSION-deploy}), is Running with its container Ready, or its container has
     * failed; then stopped. Its lines are printed as the watch prints them; the exit status is 0 when such a pod was
     * seen, else 1.
     */
    static String untilTheNewPod(String line, String name, String podBefore, long seconds) {
        // bash's read takes a pipe line by line, where Debian's awk (mawk) would wait for a full buffer
        return "{ coproc PGRH_WATCH { exec timeout " + seconds + " " + line + " 2>&1; }; W=$PGRH_WATCH_PID; rc=1; "
                + "pods='^" + name + "-[0-9]+-[a-z0-9]+$'; failed='" + FAILED.pattern() + "'; "
                + "while IFS= read -r l; do printf '%s\\n' \"$l\"; read -r n r s _ <<<\"$l\"; "
                + "if [[ $n =~ $pods && $n != *-deploy && $n != '" + podBefore + "' ]] "
                + "&& { [[ $r == 1/1 && $s == Running ]] || [[ $s =~ $failed ]]; }; then rc=0; break; fi; "
                + "done <&\"${PGRH_WATCH[0]}\"; kill \"$W\" 2>/dev/null; wait \"$W\" 2>/dev/null; (exit $rc); }";
    }

    /** The config as the cluster holds it now ({@code oc get dc/NAME -o json}), parsed. */
    private Map<String, Object> live(String config) {
        ContainerResult r = pair.clusterShell().orElseThrow().run("oc get " + config + " -o json",
                context.waits().scaled(GuidePair.SCRIPT));
        if (!r.succeeded()) {
            throw new AssertionError("oc get " + config + " -o json exited " + r.exitCode() + ": " + r.tail(5));
        }
        return YAML.unmarshal(r.output(), Map.class);
    }

    /** The master's claim, as the pair names it: what Étape 1.1's {@code oc get pvc/… -o yaml} must save. */
    public String masterClaim() {
        return pair.manifests().existingMasterClaims().get(0);
    }

    /** The objects a file of {@code oc get -o yaml} holds, each as {@code Kind/name}; none when it holds nothing. */
    static List<String> objects(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            if (text.isBlank()) {
                return List.of();
            }
            Object o = YAML.unmarshal(text);
            List<HasMetadata> items = o instanceof KubernetesList l ? l.getItems()
                    : o instanceof HasMetadata h ? List.of(h) : List.of();
            return items.stream().map(h -> h.getKind() + "/" + h.getMetadata().getName()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * « Rollback du Master » as written, in the directory of Étape 1.1's files. Through the ledger: its saved config
     * must be applied and rolled out as a new version; where its {@code oc apply} is refused (E36), the correction
     * runs in its place. The master is then the pod of the config's new version.
     */
    public Rollback rollBack() {
        context.evidence().executed(ROLLBACK_ITEM);
        // as the guide names it: the pair's shell gives it the pair's name
        String config = "dc/" + pair.manifests().guideNames().get(GuideNames.Role.MASTER_POD);
        long before = version(config);
        ClusterCommands.SectionRun[] asWritten = {null};
        long[] afterAsWritten = {before};
        ContainerResult[] withoutVersion = {null};
        ContainerResult corrected = context.ledger().verbatim(ROLLBACK_ITEM, () -> {
            asWritten[0] = commands.run(STEP_ROLLBACK, b -> b.text().contains(SAVED_CONFIG), Map.of(),
                    List.of("cd '" + dir + "' || exit 1"), UnaryOperator.identity());
            afterAsWritten[0] = version(config);
            ClusterCommands.CommandRun apply = asWritten[0].command("oc apply");
            if (!apply.succeeded() || afterAsWritten[0] == before) {
                throw Deviation.exit(ROLLBACK_ITEM, apply.exitCode(), apply.output()).raise();
            }
            return null;
        }, () -> {
            withoutVersion[0] = pair.clusterShell().orElseThrow().run("cd '" + dir + "' || exit 1\n" + WITHOUT_VERSION,
                    context.waits().scaled(GuidePair.SCRIPT));
            String lines = String.join("\n", commands.correctedScript(ROLLBACK_ITEM));
            // its oc rollout status waits out a Recreate rollout: the old pod's grace period (30 s) and its removal by
            // the kubelet (on a loaded node the pod outlived its grace by 30 s more), then a pod's start (60 s)
            ContainerResult r = pair.clusterShell().orElseThrow().run("cd '" + dir + "' || exit 1\n" + lines,
                    context.waits().scaled(GuidePair.SCRIPT));
            if (!r.succeeded()) {
                throw new AssertionError("the corrected rollback exited " + r.exitCode() + ":\n" + r.tail(10));
            }
            return r;
        });
        long after = version(config);
        pair.masterRolledBack();
        return new Rollback(asWritten[0], before, afterAsWritten[0], withoutVersion[0], corrected, after);
    }

    /** The config's latest version, as {@code oc get dc/NAME -o jsonpath='{.status.latestVersion}'} prints it. */
    private long version(String config) {
        Object status = live(config).get("status");
        Object version = status instanceof Map<?, ?> m ? m.get("latestVersion") : null;
        if (!(version instanceof Number n)) {
            throw new AssertionError("oc get " + config + " -o json: no status.latestVersion in " + status);
        }
        return n.longValue();
    }

    @Override
    public void close() {
        RunDirectory.deleteTree(dir);
    }
}
