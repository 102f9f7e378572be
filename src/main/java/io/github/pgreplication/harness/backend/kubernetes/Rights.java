package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rights a run needs on its cluster, asked with SelfSubjectAccessReview before anything starts: in the namespace a
 * tenant was given ({@code harness.kube.namespace}), every right below; otherwise, the right to create namespaces. The
 * built-in {@code edit} role holds them all, as the guide's « Prérequis » ask (« edit ou admin dans le namespace »).
 */
final class Rights {

    /**
     * One right: {@code verb} on {@code resource} (its {@code subresource}, if any) of API group {@code group}, and who
     * needs it: the guide's own procedure (its {@code oc} commands), or the harness's plumbing.
     */
    record Right(String verb, String group, String resource, String subresource, boolean guide) {
        String text() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (subresource.isEmpty() ? "" : "/" + subresource);
        }
    }

    /** What a run does in its namespace: the guide's requests first, then the harness's own. */
    static final List<Right> IN_NAMESPACE = List.of(
            new Right("create", "", "pods", "exec", true), new Right("list", "", "pods", "", true),
            new Right("delete", "", "pods", "", true), new Right("get", "", "pods", "log", true),
            new Right("create", "", "services", "", true), new Right("create", "", "configmaps", "", true),
            new Right("create", "", "secrets", "", true), new Right("create", "", "persistentvolumeclaims", "", true),
            new Right("delete", "", "persistentvolumeclaims", "", true), new Right("create", "apps", "deployments", "", true),
            new Right("create", "batch", "cronjobs", "", true), new Right("create", "batch", "jobs", "", true),
            new Right("create", "", "pods", "", false), new Right("create", "", "pods", "portforward", false),
            new Right("list", "", "events", "", false), new Right("get", "", "endpoints", "", false),
            new Right("update", "", "secrets", "", false), new Right("delete", "", "secrets", "", false),
            new Right("update", "", "configmaps", "", false), new Right("delete", "", "configmaps", "", false),
            new Right("update", "", "services", "", false), new Right("delete", "", "services", "", false),
            new Right("delete", "apps", "deployments", "", false), new Right("delete", "batch", "cronjobs", "", false),
            new Right("delete", "batch", "jobs", "", false),
            new Right("delete", "networking.k8s.io", "networkpolicies", "", false));

    private Rights() {
    }

    /** Whether the run's credentials may do {@code right} in {@code namespace} (empty: cluster-wide). */
    static boolean allowed(KubernetesClient client, Optional<String> namespace, Right right) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withNamespace(namespace.orElse(null)).withVerb(right.verb()).withGroup(right.group())
                .withResource(right.resource()).withSubresource(right.subresource().isEmpty() ? null : right.subresource())
                .endResourceAttributes().endSpec().build();
        SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    /**
     * What keeps these credentials from running: one message naming the setting, the namespace, the rights refused and
     * what to do; empty when nothing.
     */
    static Optional<String> refusal(KubernetesClient client, Optional<String> namespace, String credentials) {
        if (namespace.isEmpty()) {
            if (allowed(client, Optional.empty(), new Right("create", "", "namespaces", "", false))) {
                return Optional.empty();
            }
            return Optional.of("the credentials of " + credentials + " may not create namespaces (SelfSubjectAccessReview), "
                    + "and the harness makes one per pair: set harness.kube.namespace to the namespace (OpenShift project) "
                    + "you were given, where the pairs then run side by side under names of their own");
        }
        String ns = namespace.get();
        List<String> refused = new ArrayList<>();
        for (Right r : IN_NAMESPACE) {
            if (!allowed(client, namespace, r)) {
                refused.add(r.text() + (r.guide() ? " (the guide's)" : " (the harness's)"));
            }
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        if (refused.size() == IN_NAMESPACE.size()) {
            return Optional.of("harness.kube.namespace=" + ns + ": the credentials of " + credentials + " may do nothing a run "
                    + "needs in namespace " + ns + " (SelfSubjectAccessReview refused each of the " + refused.size()
                    + " rights asked, from create pods/exec on): is it a namespace you were given? Nothing was started.");
        }
        return Optional.of("harness.kube.namespace=" + ns + ": the credentials of " + credentials + " may not "
                + String.join(", ", refused) + " in namespace " + ns + " (SelfSubjectAccessReview); the built-in edit role "
                + "holds every right a run needs (README, « Rights on a cluster »). Nothing was started.");
    }

    /** The role the run's credentials hold in the namespace, as the report names it. */
    static String held(KubernetesClient client, String namespace) {
        boolean admin = allowed(client, Optional.of(namespace), new Right("create", "rbac.authorization.k8s.io",
                "rolebindings", "", false));
        boolean clusterWide = allowed(client, Optional.empty(), new Right("create", "", "namespaces", "", false));
        return "as a tenant of namespace " + namespace + ", its credentials holding every right a run needs there "
                + "(SelfSubjectAccessReview before the run)" + (admin ? ", and may bind roles there (admin's rights)"
                : ", but may not bind roles there (edit's rights, not admin's)")
                + (clusterWide ? "; they may also create namespaces" : "; they may not create namespaces");
    }
}
