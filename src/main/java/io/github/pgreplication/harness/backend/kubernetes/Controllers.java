package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.JobPlan;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the cluster's own controllers run, not the harness: a Deployment applied to its controller, and a CronJob run
 * once as a Job made from its jobTemplate ({@link CronJobRuns}). The harness does not track their pods.
 */
final class Controllers {

    /** How long a node may take to create a container and start it (image present, claims bound). */
    static final Duration CONTAINER_START = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> own;
    private final PodSpecs specs;
    private final PodStates states;
    private final ClusterEvidence evidence;
    private final Waits waits;
    private final Consumer<String> adapt;
    private final Supplier<String> clusterRuntime;

    Controllers(KubernetesClient client, PairScope scope, PodSpecs specs, PodStates states, ClusterEvidence evidence,
                Waits waits, Consumer<String> adapt, Supplier<String> clusterRuntime) {
        this.client = client;
        this.namespace = scope.namespace();
        this.own = scope.labels();
        this.specs = specs;
        this.states = states;
        this.evidence = evidence;
        this.waits = waits;
        this.adapt = adapt;
        this.clusterRuntime = clusterRuntime;
    }

    /**
     * {@code oc apply -f} of a Deployment (apps/v1) as {@link PodSpecs#deployment} makes it, run by the cluster's
     * controller, which owns its pods.
     */
    void applyDeployment(DeploymentPlan deployment) {
        client.apps().deployments().inNamespace(namespace).resource(specs.deployment(deployment))
                .createOr(NonDeletingOperation::update);
        adapt.accept("Deployment `" + deployment.name() + "` applied by the harness (an erratum's corrected Deployment; the "
                + "manifests' own is applied by Étape 2.3's `oc apply -f`, as typed) → as "
                + "apps/v1 with its pod template as the harness runs pods (env through a Secret, the image, the readiness "
                + "probe every second); its strategy " + deployment.strategyType().map(t -> "`" + t + "`")
                .orElse("absent, so the cluster's default (RollingUpdate, maxSurge 25 %, maxUnavailable 25 %)") + ".");
    }

    /**
     * A CronJob run once as {@code kubectl create job --from=cronjob/NAME} runs it: the Job {@code name} whose pod runs
     * under the template's ServiceAccount; when the cluster refuses that pod, the result is unsucceeded at once and its
     * output is the cluster's reason. The Job's log is kept for the failure's evidence.
     */
    ContainerResult runCronJobOnce(String name, JobPlan job, Duration timeout) {
        CronJobRuns cronJobs = new CronJobRuns(client, namespace);
        PodTemplateSpec template = CronJobRuns.template(specs.pod(name, job.container(), false), job);
        String version = cronJobs.servedVersion();
        String uid = cronJobs.apply(job, template, version, own);
        adapt.accept("CronJob `" + job.cronJobName() + "` → applied with `suspend: true`, so that its schedule `" + job.schedule()
                + "` starts no Job during the run; each run of it is a Job made from its jobTemplate and owned by it, as "
                + "`kubectl create job --from=cronjob/" + job.cronJobName() + "` makes one.");
        if (!"batch/v1".equals(version)) {
            adapt.accept("CronJob `" + job.cronJobName() + "`: apiVersion batch/v1 → " + version + ", the version this "
                    + "cluster serves (" + clusterRuntime.get() + ").");
        }
        long start = System.nanoTime();
        cronJobs.createJob(name, job, template, version, uid, own);
        boolean timedOut = false;
        Optional<String> refused = Optional.empty();
        try {
            states.await("Job " + name + "'s pod started (or refused by the cluster)", CONTAINER_START,
                    () -> cronJobs.refusal(name).isPresent()
                            || cronJobs.pods(name).stream().anyMatch(p -> states.started(p.getMetadata().getName())),
                    () -> cronJobs.status(name) + "; " + evidence.events(8));
            refused = cronJobs.pods(name).isEmpty() ? cronJobs.refusal(name) : Optional.empty();
            if (refused.isEmpty()) {
                states.await("Job " + name + " Complete or Failed", timeout, () -> cronJobs.ended(name).isPresent(),
                        () -> cronJobs.status(name));
            }
        } catch (ConditionTimeoutException e) {
            timedOut = true;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<Pod> jobPods = cronJobs.pods(name);
        Pod last = jobPods.isEmpty() ? null : jobPods.get(jobPods.size() - 1);
        Integer exit = PodStates.lastExit(last);
        String output = refused.map(r -> "the cluster created no pod for Job " + name + ": " + r)
                .orElseGet(() -> last == null ? "(Job " + name + " has no pod: " + cronJobs.status(name) + ")"
                        : evidence.podLog(last.getMetadata().getName()));
        if (timedOut) {
            output = output + "\n(not ended after " + waits.scaled(timeout).toMillis() + " ms: " + cronJobs.status(name) + ")";
        }
        output = Secrets.redact(output);
        evidence.keep(name, "Job of CronJob " + job.cronJobName() + ", exit " + exit, output);
        return new ContainerResult(name, exit == null ? -1 : exit, output, took, timedOut || (exit == null && refused.isEmpty()));
    }
}
