package io.github.pgreplication.harness.backend;

import io.fabric8.kubernetes.api.model.Service;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.JobPlan;
import io.github.pgreplication.harness.run.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the guide's pods run: local PostgreSQL processes, containers, or a Kubernetes cluster. The features
 * and the procedure speak only this interface (as Debezium's {@code Deployer}/controller pairs do), so they do
 * not know the backend. Implementations record every resource they create and release it on close.
 */
public interface Backend extends AutoCloseable {

    BackendDescription description();

    /** A PersistentVolumeClaim: created empty if absent. */
    void claim(String claimName);

    /** Deletes a claim and its data (the pods using it must be gone). */
    void deleteClaim(String claimName);

    /**
     * A copy of a claim's data while no pod mounts it, kept until the run ends, as a volume snapshot would be.
     * Empty where this backend cannot copy a claim (a cluster's storage).
     */
    default Optional<ClaimCopy> copyClaim(String claimName) {
        return Optional.empty();
    }

    /**
     * Creates a claim holding a copy's data (as a claim restored from a volume snapshot), where copies are made;
     * returns where it is, as {@link ClaimCopy#origin()} says where the copied one was.
     */
    default Path claimFrom(String claimName, ClaimCopy copy) {
        throw new UnsupportedOperationException("backend " + description().name() + " makes no copy of a claim");
    }

    /**
     * Starts a pod's main container as its image would (the official postgres image's entrypoint: initialise
     * an empty data directory and run /docker-entrypoint-initdb.d once, otherwise start the server on the
     * existing data), and returns once its readiness probe passes.
     */
    PostgresPod startPod(ContainerPlan plan, Duration readyWithin);

    /** Runs a container to completion (an init container): no terminal, stdin closed. */
    ContainerResult runToCompletion(ContainerPlan plan, Duration timeout);

    /**
     * Runs a CronJob once, as {@code kubectl create job --from=cronjob/NAME} does. Where the pods are a cluster's: the
     * CronJob applied, then a Job made from its jobTemplate, whose pod runs under the template's ServiceAccount; a Job
     * whose pod the cluster refuses ends at once, unsucceeded, with the cluster's reason as its output. Elsewhere: its
     * container, run to completion.
     */
    default ContainerResult runCronJobOnce(JobPlan job, Duration timeout) {
        return runToCompletion(job.container(), timeout);
    }

    /** {@code oc exec}: runs a command inside a running pod, with the container's env. */
    ContainerResult exec(PostgresPod pod, List<String> command, Map<String, String> extraEnv, Duration timeout);

    /** Deletes a pod gracefully (the image's stop signal) and waits for it to be gone. */
    /**
     * The pod of a DeploymentConfig ({@code config}: its name, selector, replicas, strategy and its one server
     * container), ready: where the backend's cluster serves DeploymentConfigs, the config applied and rolled out by the
     * cluster, a new template a new version; elsewhere its container's plan started as a pod ({@link #startPod}).
     * {@link #deletePod} of that pod stops it as {@code oc scale --replicas=0} would, until it is started again.
     */
    default PostgresPod startDeploymentConfig(DeploymentPlan config, Duration readyWithin) {
        return startPod(config.containers().get(0), readyWithin);
    }

    /** Whether {@link #startDeploymentConfig} runs a DeploymentConfig on the cluster (not its container as a pod). */
    default boolean runsDeploymentConfigs() {
        return false;
    }

    /**
     * The pod of the DeploymentConfig {@code config.name()}'s latest version, ready, after a rollout the guide's own
     * lines made ({@code oc apply -f} of a saved config, say); {@code config}'s container is the plan that pod runs.
     */
    default PostgresPod deploymentConfigPod(DeploymentPlan config, Duration readyWithin) {
        throw new UnsupportedOperationException("backend " + description().name() + " runs no DeploymentConfig: "
                + config.name() + " needs a cluster that serves apps.openshift.io");
    }

    void deletePod(PostgresPod pod);

    /** Kills a pod's server at once (SIGKILL), as a node failure would. */
    void killPod(PostgresPod pod);

    /**
     * {@code oc apply -f} of a Deployment, run by the cluster's own controller: its pod (init containers, then
     * containers) created, recreated and rolled out by the cluster, not by the harness. Only a cluster has that
     * controller: elsewhere this throws, and the scenarios that need it are tagged {@code @cluster}.
     */
    default void applyDeployment(DeploymentPlan deployment) {
        throw new UnsupportedOperationException("backend " + description().name() + " runs no Deployment controller: "
                + "Deployment " + deployment.name() + " needs a cluster");
    }

    /** {@code oc apply -f} of a Service: clients (and env values naming it) reach it from then on. */
    void applyService(Service service);

    /**
     * {@code oc apply -f} of a Secret, with this run's values. Where the pods are not a cluster's there is nothing to
     * apply: the values reach the containers through their env only.
     */
    default void applySecret(String secretName, Map<String, String> stringData) {
    }

    /** {@code oc delete service}. */
    void deleteService(String serviceName);

    /** A Service, resolved through its selector to a running pod; an error naming the selector when none matches. */
    Endpoint service(String serviceName);

    /**
     * The server settings this backend sets on every server for the host (a port, a socket directory), which
     * therefore differ between two pods of the same template; listed in {@link #adaptations()}.
     */
    default Set<String> hostServerSettings() {
        return Set.of();
    }

    /**
     * The suffix every object name of this pair's manifests must take, where pairs share one namespace (a tenant's,
     * on a cluster): the pair is then made from its manifests renamed with it. Empty where a pair has a place of its own.
     */
    default Optional<String> nameSuffix() {
        return Optional.empty();
    }

    /**
     * The cluster's command line in this backend's namespace; where the pods are not a cluster's, a bash whose
     * {@code oc} is the backend's own ({@link OcServer}: the verbs the guide's lines use, the others not run); empty
     * where a backend gives neither.
     */
    default Optional<ClusterShell> clusterShell() {
        return Optional.empty();
    }

    /**
     * What a pod of this backend's cluster runs where a guide's line ({@code oc run --image=postgres:15}) or a file a
     * reader applies names {@code image}, the adaptation listed; empty where the pods are not a cluster's.
     */
    default Optional<ClusterImage> clusterImage(String image) {
        return Optional.empty();
    }

    /**
     * The network the pods' connections come from, which a pg_hba.conf applied by a reader must name (the guide's
     * 10.128.0.0/14, « à ajuster selon votre cluster »): a cluster's pod network; empty where it is not known.
     */
    default Optional<String> podNetwork() {
        return Optional.empty();
    }

    /**
     * Why {@code pod}'s client tools (psql, pg_basebackup, pg_isready) are of another major than its server, where they
     * are (the project's image of a major no Debian suite here ships: images/build-postgres-image.sh); empty where they
     * are the server's own, as in the official image.
     */
    default Optional<String> clientToolsOfAnotherMajor(PostgresPod pod) {
        return Optional.empty();
    }

    /**
     * Whether the pods are a cluster's (its API server, admission, controllers): what decides, since the backends
     * without one have an {@code oc} too, whether a cluster's answer can be asked.
     */
    default boolean runsOnACluster() {
        return false;
    }

    /**
     * Writes into {@code dir} (made if absent) everything this backend can show of a failure, and returns the files
     * written. Called when a scenario has failed (the failure hook) or a pair has failed to stand up (the run), before
     * the pair is released, so that the pods are still there. Every file's text goes through {@link Secrets#redact}:
     * no password of the run is in any of them. What each backend writes:
     * <ul>
     *   <li>every container's full log, init containers and run-to-completion containers included (the output of one
     *   that has ended is kept by the backend, bounded, to be written here), a pod deleted during the scenario too;</li>
     *   <li>each pod's description: its plan (image, command and args, the env's names with their values redacted,
     *   mounts, ports) and the host adaptations made for it; on containers, {@code docker inspect} of each container,
     *   its env's values redacted;</li>
     *   <li>the server's own log files, under each data directory's {@code log} directory, when there are any;</li>
     *   <li>on a cluster, the namespace's events and its objects;</li>
     *   <li>for local processes, a listing of the run directory (paths, sizes, modes; not the files' contents).</li>
     * </ul>
     */
    List<Path> collectEvidence(Path dir);

    /** The host-level adaptations made so far, each once, for the report. */
    List<String> adaptations();

    @Override
    void close();
}
