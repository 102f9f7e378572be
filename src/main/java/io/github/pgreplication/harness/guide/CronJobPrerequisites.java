package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * What a CronJob needs from the other manifests before its pod can even run: the ServiceAccount it names,
 * and, when its script execs into pods, a Role granting create on pods/exec. Lint rule PGR017 and the
 * monitoring features (erratum E06) read it from here.
 */
public final class CronJobPrerequisites {

    private CronJobPrerequisites() {
    }

    /** The missing pieces, worded for the report; empty when nothing is missing. */
    public static List<String> missing(ManifestSet set, PodTemplateSpec template, String script) {
        List<String> missing = new ArrayList<>();
        String sa = template.getSpec().getServiceAccountName();
        if (sa != null && set.find("ServiceAccount", sa).isEmpty()) {
            missing.add("ServiceAccount " + sa + " is not defined");
        }
        if (script.contains("exec ") && !grantsPodsExec(set)) {
            missing.add("no Role or ClusterRole grants create on pods/exec");
        }
        return missing;
    }

    private static boolean grantsPodsExec(ManifestSet set) {
        List<PolicyRule> rules = new ArrayList<>();
        set.ofKind("Role").forEach(x -> rules.addAll(((Role) x.resource()).getRules()));
        set.ofKind("ClusterRole").forEach(x -> rules.addAll(((ClusterRole) x.resource()).getRules()));
        return rules.stream().anyMatch(rule -> rule.getResources() != null && rule.getResources().contains("pods/exec")
                && rule.getVerbs() != null && (rule.getVerbs().contains("create") || rule.getVerbs().contains("*")));
    }
}
