package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.ContainerNetworkConfig;
import io.github.pgreplication.harness.run.ResourceManager;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.containers.Network;

/**
 * The Docker networks the run's pairs live on, one pair per network at a time (each pair's Services are network
 * aliases, so two pairs never share one). A network whose pair is gone, with no container attached any more, serves
 * the next pair instead of being removed and made again: creating and removing one costs the engine about 0.2 CPU-s
 * (its bridge and a score of iptables rules), some 29 times a containers run. The run removes them all at its end
 * (they are tracked in its resources), and a later run sweeps what a killed JVM left (their labels).
 */
final class PodNetworks {

    /** A network and its subnet (the pod network CIDR the manifests' pg_hba.conf is adapted to). */
    record PodNetwork(Network network, String subnet) {
    }

    /** Each run's networks whose pair is gone, by the run's resources (the backend contract runs several at once). */
    private static final Map<ResourceManager, Deque<PodNetwork>> FREE = new ConcurrentHashMap<>();

    private PodNetworks() {
    }

    /** A free network of the run, else a new one named {@code name}, removed at the run's end. */
    static PodNetwork take(DockerClient docker, String name, Map<String, String> labels, ResourceManager runResources) {
        Deque<PodNetwork> free = FREE.computeIfAbsent(runResources, run -> {
            run.track("the run's free pod networks", () -> FREE.remove(run)); // released after its networks
            return new ArrayDeque<>();
        });
        synchronized (free) {
            PodNetwork reused = free.pollFirst();
            if (reused != null) {
                return reused;
            }
        }
        Network network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(name).withLabels(labels)).build();
        String id = network.getId(); // made here: tracked at once, before anything else can fail
        runResources.track("network " + name, () -> {
            synchronized (free) {
                free.removeIf(n -> n.network() == network);
            }
            network.close();
        });
        return new PodNetwork(network, docker.inspectNetworkCmd().withNetworkId(id).exec().getIpam().getConfig().get(0)
                .getSubnet());
    }

    /**
     * Gives a pair's network back once its containers are gone. One that still has a container attached (a removal
     * that failed) is not reused: a Service name there could still reach the old pod. The run's end removes it.
     */
    static void giveBack(DockerClient docker, ResourceManager runResources, PodNetwork n) {
        Deque<PodNetwork> free = FREE.get(runResources);
        Map<String, ContainerNetworkConfig> attached = docker.inspectNetworkCmd().withNetworkId(n.network().getId())
                .exec().getContainers();
        if (free != null && (attached == null || attached.isEmpty())) {
            synchronized (free) {
                free.addLast(n);
            }
        }
    }
}
