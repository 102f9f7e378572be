package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels on every container, network and volume of a run (Testcontainers' session label, ours since Ryuk
 * cannot be pulled here), and the sweep that removes what a killed JVM left behind.
 */
final class DockerLabels {

    static final String RUN = "io.github.pgreplication.harness.run";
    static final String PID = "io.github.pgreplication.harness.pid";
    static final String HOST = "io.github.pgreplication.harness.host";
    private static final Logger LOG = LoggerFactory.getLogger(DockerLabels.class);

    private DockerLabels() {
    }

    static Map<String, String> of(String runId) {
        return Map.of(RUN, runId, PID, Long.toString(ProcessHandle.current().pid()), HOST, hostName());
    }

    /** Removes the containers, networks and volumes of runs whose JVM on this host is gone; returns what it removed. */
    static List<String> sweepOrphans(DockerClient docker) {
        List<String> removed = new ArrayList<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RUN)).exec()) {
            if (orphan(c.getLabels())) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add("container " + String.join(",", c.getNames()));
            }
        }
        docker.listNetworksCmd().withFilter("label", List.of(RUN)).exec().stream().filter(n -> orphan(n.getLabels()))
                .forEach(n -> {
                    docker.removeNetworkCmd(n.getId()).exec();
                    removed.add("network " + n.getName());
                });
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(RUN)).exec().getVolumes();
        if (volumes != null) {
            volumes.stream().filter(v -> orphan(v.getLabels())).forEach(v -> {
                docker.removeVolumeCmd(v.getName()).exec();
                removed.add("volume " + v.getName());
            });
        }
        if (!removed.isEmpty()) {
            LOG.warn("removed what an earlier run left behind: {}", removed);
        }
        return removed;
    }

    private static boolean orphan(Map<String, String> labels) {
        if (labels == null || !hostName().equals(labels.get(HOST))) {
            return false; // another host's run (a shared engine): not ours to judge
        }
        try {
            return ProcessHandle.of(Long.parseLong(labels.getOrDefault(PID, "-1"))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
