package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespaces of the harness: one per backend instance, labelled with the run (the same label keys as the
 * containers backend's), and the sweep of those whose JVM on this host is gone. A namespace without the run
 * label is never touched.
 */
final class Namespaces {

    static final String RUN = "io.github.pgreplication.harness.run";
    static final String PID = "io.github.pgreplication.harness.pid";
    static final String HOST = "io.github.pgreplication.harness.host";
    private static final Logger LOG = LoggerFactory.getLogger(Namespaces.class);

    private Namespaces() {
    }

    static Map<String, String> labels(String runId) {
        return Map.of(RUN, runId, PID, Long.toString(ProcessHandle.current().pid()), HOST, host());
    }

    /** Deletes the harness's namespaces whose JVM on this host is gone; returns their names. */
    static List<String> sweepOrphans(KubernetesClient client) {
        List<String> removed = new ArrayList<>();
        for (Namespace ns : client.namespaces().withLabel(RUN).list().getItems()) {
            Map<String, String> l = ns.getMetadata().getLabels();
            if (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
                continue; // already going
            }
            if (orphan(l)) {
                client.namespaces().withName(ns.getMetadata().getName()).delete();
                removed.add(ns.getMetadata().getName());
            }
        }
        if (!removed.isEmpty()) {
            LOG.warn("deleted namespaces an earlier run left behind: {}", removed);
        }
        return removed;
    }

    /** Whether the harness's labels {@code l} name a run of this host whose JVM is gone (another host's run never is). */
    static boolean orphan(Map<String, String> l) {
        if (!host().equals(l.get(HOST))) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(l.getOrDefault(PID, "-1"))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The host name as a label value (at most 63 characters of [a-zA-Z0-9._-]). */
    static String host() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            h = "unknown";
        }
        h = h.replaceAll("[^A-Za-z0-9._-]", "-");
        h = h.length() > 63 ? h.substring(0, 63) : h;
        return h.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }
}
