package io.github.pgreplication.harness.backend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a backend whose pods are not a cluster's gives its {@code oc} ({@link OcServer}): its pods, an exec that
 * takes standard input only when asked and keeps standard output and error apart, a container's log, a pod's
 * deletion, the Secrets applied, its Services and claims and their deletion. Implemented by the local and containers
 * backends.
 */
public interface OcTarget {

    /** The backend's name, as {@code oc: … is not provided by the <name> backend} says it. */
    String backendName();

    /** The project (namespace) the pods are in: what the guide's {@code <nom-du-projet>} stands for. */
    String project();

    /** The pods started and not deleted, in start order. */
    List<? extends AbstractPod> pods();

    /**
     * Runs {@code command} in the pod's main container, with the container's env, no terminal, standard input from
     * {@code stdin} when present and else an empty one (EOF at once), standard output and error appended to the
     * two files. Returns the command's exit status, or empty when it had not ended within {@code timeout} (it is
     * then stopped).
     */
    Optional<Integer> exec(PostgresPod pod, List<String> command, Optional<Path> stdin, Path stdout, Path stderr,
                           Duration timeout);

    /** The main container's own output ({@code oc logs}): what its processes wrote to standard output and error. */
    String containerLog(PostgresPod pod);

    /** {@code oc delete pod}: deletes the pod gracefully and waits for it to be gone. */
    void deletePod(PostgresPod pod);

    /** The Secrets applied, in the order they were first applied. */
    List<OcSecrets.Secret> secrets();

    /** Whether a Service of this name is applied. */
    boolean hasService(String name);

    /** {@code oc delete service}: nothing is reached through it from then on. */
    void deleteService(String name);

    /** Whether a claim of this name exists. */
    boolean hasClaim(String name);

    /** {@code oc delete pvc} of a claim no running pod mounts: its data gone. */
    void deleteClaim(String name);

    /** What {@code oc top pod} reads of a pod: the CPU time its processes used since it started, their working set. */
    record Usage(Duration cpu, long workingSetBytes) {
    }

    /** The pod's usage now, as the kernel accounts it; empty when it is not running. */
    Optional<Usage> usage(PostgresPod pod);
}
