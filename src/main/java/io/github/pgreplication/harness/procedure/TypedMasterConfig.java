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
                           ContainerResult corrected, long versionAfter) {
    }

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
            String lines = String.join("\n", commands.correctedCommands(ROLLBACK_ITEM));
            ContainerResult r = pair.clusterShell().orElseThrow().run("cd '" + dir + "' || exit 1\n" + lines,
                    context.waits().scaled(GuidePair.START));
            if (!r.succeeded()) {
                throw new AssertionError("the corrected rollback exited " + r.exitCode() + ":\n" + r.tail(10));
            }
            return r;
        });
        long after = version(config);
        pair.masterRolledBack();
        return new Rollback(asWritten[0], before, afterAsWritten[0], corrected, after);
    }

    /** The config's latest version, as {@code oc get dc/NAME -o jsonpath='{.status.latestVersion}'} prints it. */
    private long version(String config) {
        ContainerResult r = pair.clusterShell().orElseThrow().run("oc get " + config + " -o jsonpath='{.status.latestVersion}'",
                context.waits().scaled(GuidePair.SCRIPT));
        if (!r.succeeded() || !r.output().strip().matches("\\d+")) {
            throw new AssertionError("oc get " + config + " exited " + r.exitCode() + ": " + r.tail(5));
        }
        return Long.parseLong(r.output().strip());
    }

    @Override
    public void close() {
        RunDirectory.deleteTree(dir);
    }
}
