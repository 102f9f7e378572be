package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.pgreplication.harness.run.Waits;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pair's objects in the one namespace a tenant was given ({@code harness.kube.namespace}), where the run's pairs and
 * the team's own objects live side by side. An object is the pair's when it carries the pair's run label (what the
 * harness makes) or its name holds the pair's suffix (what the guide's own {@code oc} commands make from the pair's
 * renamed manifests); nothing else is ever deleted. A later run deletes the labelled objects of a JVM on this host that
 * is gone, and only those.
 */
final class TenantObjects {

    private static final Logger LOG = LoggerFactory.getLogger(TenantObjects.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** The kinds a pair makes, controllers first (their pods go with them), then what pods use. */
    private static final List<String[]> KINDS = List.of(new String[] {"apps/v1", "Deployment"},
            new String[] {"batch/v1", "Job"}, new String[] {"v1", "Pod"}, new String[] {"v1", "Service"},
            new String[] {"networking.k8s.io/v1", "NetworkPolicy"}, new String[] {"v1", "ConfigMap"},
            new String[] {"v1", "Secret"}, new String[] {"v1", "PersistentVolumeClaim"});

    private final KubernetesClient client;
    private final PairScope scope;
    private final String cronJobVersion;
    private final boolean deploymentConfigs;

    /** {@code deploymentConfigs}: whether the cluster serves DeploymentConfigs, whose objects a pair then makes too. */
    TenantObjects(KubernetesClient client, PairScope scope, boolean deploymentConfigs) {
        this.client = client;
        this.scope = scope;
        this.cronJobVersion = new CronJobRuns(client, scope.namespace()).servedVersion();
        this.deploymentConfigs = deploymentConfigs;
    }

    /** A pair's suffix in a shared namespace: {@code -t} and five random characters, a valid part of a DNS label. */
    static String newSuffix() {
        StringBuilder b = new StringBuilder("-t");
        for (int i = 0; i < 5; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** Deletes the pair's objects, and waits until its pods and claims are gone; returns what it deleted. */
    List<String> deleteOwn(Waits waits) {
        Predicate<ObjectMeta> own = scope::owns;
        List<String> deleted = delete(own);
        try {
            waits.until("the pair's pods and claims gone from namespace " + scope.namespace(), Duration.ofSeconds(120),
                    Duration.ofMillis(500), () -> left(own).isEmpty(), () -> "still there: " + left(own));
        } catch (AssertionError e) {
            LOG.warn("{}", e.getMessage()); // the CI's check reports it; nothing else of the namespace is touched
        }
        return deleted;
    }

    /** Deletes the labelled objects of this host's runs whose JVM is gone; returns them. */
    List<String> sweepOrphans() {
        List<String> removed = delete(m -> labels(m).containsKey(Namespaces.RUN) && Namespaces.orphan(labels(m)));
        if (!removed.isEmpty()) {
            LOG.warn("deleted objects an earlier run left in namespace {}: {}", scope.namespace(), removed);
        }
        return removed;
    }

    private List<String> delete(Predicate<ObjectMeta> which) {
        List<String> deleted = new ArrayList<>();
        for (String[] kind : kinds()) {
            for (GenericKubernetesResource r : list(kind)) {
                if (which.test(r.getMetadata())) {
                    client.genericKubernetesResources(kind[0], kind[1]).inNamespace(scope.namespace())
                            .withName(r.getMetadata().getName()).delete();
                    deleted.add(kind[1].toLowerCase() + "/" + r.getMetadata().getName());
                }
            }
        }
        return deleted;
    }

    private List<String> left(Predicate<ObjectMeta> own) {
        List<String> left = new ArrayList<>();
        for (String kind : List.of("Pod", "PersistentVolumeClaim")) {
            list(new String[] {"v1", kind}).stream().map(GenericKubernetesResource::getMetadata).filter(own)
                    .forEach(m -> left.add(kind.toLowerCase() + "/" + m.getName()));
        }
        return left;
    }

    private List<String[]> kinds() {
        List<String[]> kinds = new ArrayList<>(KINDS);
        kinds.add(0, new String[] {cronJobVersion, "CronJob"});
        if (deploymentConfigs) { // a config, then its ReplicationControllers (their owner takes them, but not at once)
            kinds.add(0, new String[] {"v1", "ReplicationController"});
            kinds.add(0, new String[] {DeploymentConfigs.API_VERSION, DeploymentConfigs.KIND});
        }
        return kinds;
    }

    private List<GenericKubernetesResource> list(String[] kind) {
        try {
            return client.genericKubernetesResources(kind[0], kind[1]).inNamespace(scope.namespace()).list().getItems();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot list {} in namespace {}: {}", kind[1], scope.namespace(), e.getMessage());
            return List.of();
        }
    }

    private static Map<String, String> labels(ObjectMeta m) {
        return m.getLabels() == null ? Map.of() : m.getLabels();
    }
}
