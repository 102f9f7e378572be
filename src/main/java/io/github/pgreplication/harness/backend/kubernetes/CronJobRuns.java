package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.guide.JobPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob on the cluster, run once as {@code kubectl create job --from=cronjob/NAME} runs it: the CronJob applied
 * (suspended, so that its schedule starts no Job of its own during the run) in the {@code batch} version the cluster
 * serves, then a Job made from its jobTemplate, owned by it and annotated as kubectl does. The Job's pod runs under
 * the template's ServiceAccount, so the cluster itself checks the identity the guide gives it.
 */
final class CronJobRuns {

    private final KubernetesClient client;
    private final String namespace;

    CronJobRuns(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The API version the cluster serves CronJobs in: batch/v1 from Kubernetes 1.21, batch/v1beta1 before. */
    String servedVersion() {
        for (String version : List.of("batch/v1", "batch/v1beta1")) {
            try {
                var resources = client.getApiResources(version);
                if (resources != null && resources.getResources().stream().map(APIResource::getKind).anyMatch("CronJob"::equals)) {
                    return version;
                }
            } catch (KubernetesClientException e) {
                // not served: try the next
            }
        }
        throw new IllegalStateException("the cluster serves CronJob in neither batch/v1 nor batch/v1beta1");
    }

    /** The pod template of the Job: the backend's pod spec, with the template's identity and restart policy. */
    static PodTemplateSpec template(Pod pod, JobPlan job) {
        PodSpec spec = pod.getSpec();
        spec.setRestartPolicy(job.restartPolicy());
        job.serviceAccountName().ifPresent(spec::setServiceAccountName);
        job.automountServiceAccountToken().ifPresent(spec::setAutomountServiceAccountToken);
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(pod.getMetadata().getLabels()).endMetadata()
                .withSpec(spec).build();
    }

    /** Applies the CronJob, suspended, in {@code version}; returns its uid, which the Job's owner reference names. */
    String apply(JobPlan job, PodTemplateSpec template, String version, Map<String, String> labels) {
        Map<String, Object> jobSpec = new LinkedHashMap<>();
        job.backoffLimit().ifPresent(b -> jobSpec.put("backoffLimit", b));
        jobSpec.put("template", client.getKubernetesSerialization().convertValue(template, Map.class));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", job.schedule());
        spec.put("suspend", true);
        job.concurrencyPolicy().ifPresent(c -> spec.put("concurrencyPolicy", c));
        spec.put("jobTemplate", Map.of("spec", jobSpec));
        GenericKubernetesResource cronJob = new GenericKubernetesResourceBuilder().withApiVersion(version).withKind("CronJob")
                .withNewMetadata().withName(job.cronJobName()).withLabels(labels).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
        return client.genericKubernetesResources(version, "CronJob").inNamespace(namespace).resource(cronJob)
                .createOr(NonDeletingOperation::update).getMetadata().getUid();
    }

    /** Creates the Job {@code name} from the template, owned by the CronJob, as {@code kubectl create job --from} does. */
    void createJob(String name, JobPlan job, PodTemplateSpec template, String version, String cronJobUid,
                   Map<String, String> labels) {
        Job j = new JobBuilder().withNewMetadata().withName(name).withLabels(labels)
                .addToAnnotations("cronjob.kubernetes.io/instantiate", "manual")
                .addNewOwnerReference().withApiVersion(version).withKind("CronJob").withName(job.cronJobName())
                .withUid(cronJobUid).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withBackoffLimit(job.backoffLimit().orElse(null)).withTemplate(template).endSpec().build();
        client.batch().v1().jobs().inNamespace(namespace).resource(j).create();
    }

    /** The Job's pods, newest last. */
    List<Pod> pods(String jobName) {
        List<Pod> all = new ArrayList<>(client.pods().inNamespace(namespace).withLabel("job-name", jobName).list()
                .getItems());
        all.sort(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
        return all;
    }

    /** Why the cluster refused to create the Job's pod (its FailedCreate event), if it did. */
    Optional<String> refusal(String jobName) {
        return client.v1().events().inNamespace(namespace).withField("involvedObject.name", jobName).list().getItems()
                .stream().filter(e -> "FailedCreate".equals(e.getReason())).map(Event::getMessage).reduce((a, b) -> b);
    }

    /** "Complete" or "Failed" once the Job has ended. */
    Optional<String> ended(String jobName) {
        Job j = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
        if (j == null || j.getStatus() == null || j.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return j.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
                .map(JobCondition::getType).filter(t -> t.equals("Complete") || t.equals("Failed")).findFirst();
    }

    /** The Job's status line, for a wait's last-seen text. */
    String status(String jobName) {
        Job j = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
        return j == null ? "job " + jobName + " does not exist" : "job " + jobName + " " + j.getStatus();
    }
}
