package io.github.pgreplication.harness.monitoring;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.procedure.RunContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The CronJob's « Pré-requis : Créer le ServiceAccount avec les permissions nécessaires », done with the rights the
 * guide's « Prérequis » ask (« Permissions {@code edit} ou {@code admin} dans le namespace cible »): its ServiceAccount,
 * a Role holding what its commands need ({@code kubectl get pods}: get and list pods; {@code kubectl exec}: create
 * pods/exec) and the RoleBinding, each created with {@code --dry-run=server} (the API server authorises and admits it,
 * and keeps nothing) by the run's own credentials, in the pair's namespace.
 */
public final class CronJobRights {

    private static final Duration COMMAND = Duration.ofSeconds(60);

    private final GuidePair pair;
    private final RunContext context;

    public CronJobRights(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /**
     * Whether the run's credentials hold {@code edit} and no more in their namespace: they may create pods/exec and may
     * not create Roles (which {@code admin} may). Asked with {@code oc auth can-i}.
     */
    public boolean editAndNoMore() {
        String out = shell().run("oc auth can-i create pods --subresource=exec; oc auth can-i create roles.rbac.authorization.k8s.io",
                COMMAND).output().trim();
        List<String> answers = out.lines().map(String::trim).toList();
        if (answers.size() != 2) {
            throw new AssertionError("oc auth can-i gave no two answers: " + out);
        }
        boolean edit = answers.get(0).equals("yes") && answers.get(1).equals("no");
        if (edit) {
            context.ledger().editTenant();
        }
        return edit;
    }

    /**
     * The guide's CronJob's ServiceAccount, its Role and its RoleBinding, created as the guide's reader would, through
     * the ledger (erratum E30: with {@code edit}, the Role and the RoleBinding are forbidden). The correction: the
     * corrected CronJob (E06) needs no ServiceAccount and no right at all. What happened is noted in the report.
     */
    public void createdByTheTenant() {
        GuideModel guide = GuideModel.load(pair.manifests().guideNames().dir());
        LoadedResource cronJob = guide.manifests().requireSingle("CronJob", "the monitoring CronJob");
        String account = Optional.ofNullable(CronJobCheck.template(cronJob).getSpec().getServiceAccountName())
                .orElseThrow(() -> new AssertionError("the guide's CronJob names no ServiceAccount"));
        String item = "cronjob/" + pair.manifests().guideNames().get(GuideNames.Role.MONITORING_CRONJOB) + "#prerequisite-rights";
        context.evidence().executed(item);
        // The names carry the pair's suffix where pairs share the namespace: nothing is kept anyway (a dry run).
        String name = account + pair.backend().nameSuffix().orElse("");
        String done = context.ledger().verbatim(item, () -> {
            // Each request is made, whatever the one before got: the output says which the API server refused.
            ContainerResult r = shell().run(String.join("\n", "rc=0",
                    "oc create serviceaccount " + name + " --dry-run=server -o name || rc=1",
                    "oc create role " + name + " --verb=get,list --resource=pods --dry-run=server -o name || rc=1",
                    "oc create role " + name + "-exec --verb=create --resource=pods/exec --dry-run=server -o name || rc=1",
                    "oc create rolebinding " + name + " --role=" + name + " --serviceaccount=" + shell().project() + ":"
                            + name + " --dry-run=server -o name || rc=1", "exit $rc"), COMMAND);
            if (r.exitCode() == 0) {
                return "all admitted: " + r.output().trim().replace("\n", ", ");
            }
            if (!r.output().contains("serviceaccount/" + name)) {
                throw new AssertionError("even the ServiceAccount was refused (exit " + r.exitCode() + "):\n" + r.output());
            }
            throw Deviation.exit(item, r.exitCode(), r.output().trim()).raise();
        }, () -> {
            LoadedResource corrected = pair.manifests().corrected().manifests().requireSingle("CronJob", "the monitoring CronJob");
            var spec = CronJobCheck.template(corrected).getSpec();
            if (spec.getServiceAccountName() != null || !Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
                throw new AssertionError("the corrected CronJob still runs under a ServiceAccount's token ("
                        + spec.getServiceAccountName() + "): it needs rights a tenant holding edit cannot grant");
            }
            return "the corrected CronJob runs under no ServiceAccount's token and needs no right (E06's correction)";
        });
        context.evidence().note("monitoring-cronjob", "The CronJob's « Pré-requis » with the run's credentials: " + done + ".");
    }

    private ClusterShell shell() {
        return pair.clusterShell().orElseThrow(() -> new IllegalStateException("backend "
                + pair.backend().description().name() + " has no cluster shell"));
    }
}
