package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the namespace can tell of a failure: its events, its pods' logs (those of pods already gone kept when they
 * went), a pod's log tail for a message, and, only when {@link #collect} is asked, every container's full log, the
 * pods' descriptions, the events and the namespace's objects written as files. Everything leaving here is redacted.
 */
final class ClusterEvidence {

    /**
     * The log of a pod already gone (an init container's, a Job's, a deleted pod's), redacted, as it was at the end,
     * and its description then (its spec and status, the names of the env it took from its Secret).
     */
    record KeptLog(String pod, String note, String log, String description) {
    }

    private final KubernetesClient client;
    private final PairScope scope;
    private final String namespace;
    private final PodExec exec;
    private final List<KeptLog> kept = new ArrayList<>();

    ClusterEvidence(KubernetesClient client, PairScope scope, PodExec exec) {
        this.client = client;
        this.scope = scope;
        this.namespace = scope.namespace();
        this.exec = exec;
    }

    /** The namespace's events, oldest first, last {@code n}. */
    String events(int n) {
        List<Event> all = new ArrayList<>(client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> scope.owns(new ObjectMetaBuilder().withName(e.getInvolvedObject().getName()).build())).toList());
        all.sort(Comparator.comparing(ClusterEvidence::time));
        StringBuilder s = new StringBuilder("events of namespace " + namespace + ":");
        for (Event e : all.subList(Math.max(0, all.size() - n), all.size())) {
            s.append("\n  ").append(time(e)).append(' ').append(e.getType()).append(' ')
                    .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName()).append(' ')
                    .append(e.getReason()).append(": ").append(e.getMessage());
        }
        return s.toString();
    }

    /** When an event last happened: its lastTimestamp, else (the scheduler's events) its eventTime. */
    private static String time(Event e) {
        return String.valueOf(e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : "");
    }

    /** The pod's container output ({@code kubectl logs}), not redacted; the API's error in its place. */
    String podLog(String name) {
        try {
            String log = client.pods().inNamespace(namespace).withName(name).getLog();
            return log == null ? "" : log;
        } catch (KubernetesClientException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Keeps the log of a pod about to go, or gone ({@code log} already redacted), for the failure's evidence. */
    void keep(String pod, String note, String log) {
        String description = describe(pod);
        synchronized (kept) {
            kept.add(new KeptLog(pod, note, log, description));
        }
    }

    /** A pod's description as the cluster has it now, or why there is none. */
    private String describe(String pod) {
        try {
            Pod p = client.pods().inNamespace(namespace).withName(pod).get();
            return p == null ? "(no pod " + pod + " in namespace " + namespace + ")\n" : yaml(List.of(p)) + envNames(p);
        } catch (KubernetesClientException e) {
            return "(pod " + pod + " not described: " + e.getMessage() + ")\n";
        }
    }

    /** Keeps a pod's current log before it is deleted. */
    void keepBeforeDeletion(String pod) {
        keep(pod, "deleted", Secrets.redact(podLog(pod)));
    }

    /**
     * A pod's log for a failure message: its container's output (as kept, once it is gone) and the server's own log file
     * while it runs, then the namespace's last events; redacted. It writes nothing: the files are {@link #collect}'s.
     */
    String logTail(String pod, ContainerPlan plan, boolean running, int lines) {
        StringBuilder out = new StringBuilder("== " + pod + ": container output (last " + lines + " lines)\n");
        String log;
        synchronized (kept) {
            log = kept.stream().filter(k -> k.pod().equals(pod)).map(KeptLog::log).reduce((a, b) -> b).orElse(null);
        }
        if (log == null || running) {
            log = podLog(pod);
        }
        out.append(tail(log, lines));
        if (running) {
            out.append("\n== ").append(pod).append(": server log file (last ").append(lines).append(" lines)\n")
                    .append(exec.quietOutput(pod, plan, Probes.serverLogTail(lines)));
        }
        try {
            out.append("\n== ").append(events(40));
        } catch (KubernetesClientException e) {
            out.append("\n== no events: ").append(e.getMessage());
        }
        return Secrets.redact(out.toString());
    }

    /** The namespace's last {@code n} events, redacted, or why there are none. */
    String lastEvents(int n) {
        try {
            return Secrets.redact(events(n));
        } catch (KubernetesClientException e) {
            return "no events: " + Secrets.redact(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Writes under {@code dir} (created): {@code events.txt}, the namespace's events; {@code logs/POD.CONTAINER.log},
     * the full log of every container of every pod in the namespace, init containers included (and
     * {@code .previous.log}, its previous instance's, after a restart); {@code logs/POD.kept.log}, the logs kept of
     * pods already gone; {@code pods/POD.yaml}, each pod's spec and status; {@code objects/KIND.yaml}, the namespace's
     * other objects, and {@code objects/secrets.txt}, its Secrets' names only; {@code errors.txt}, what the cluster
     * did not answer. Everything redacted. Returns the files written; an error only when a file cannot be written.
     */
    List<Path> collect(Path dir) {
        Writer w = new Writer(dir);
        w.write("events.txt", () -> events(Integer.MAX_VALUE) + "\n");
        List<KeptLog> gone;
        synchronized (kept) {
            gone = new ArrayList<>(kept);
        }
        for (KeptLog k : gone) {
            w.write("logs/" + safe(k.pod()) + ".kept.log", () -> "# pod " + k.pod() + " (" + k.note() + "): its log as kept when it "
                    + "ended\n" + k.log());
            w.write("pods/" + safe(k.pod()) + ".kept.yaml", () -> "# pod " + k.pod() + " (" + k.note() + "): as described when "
                    + "it ended\n" + k.description());
        }
        List<Pod> pods = w.answer("the namespace's pods", () -> client.pods().inNamespace(namespace).list().getItems())
                .orElse(List.of()).stream().filter(p -> scope.owns(p.getMetadata())).toList();
        for (Pod p : pods) {
            String name = p.getMetadata().getName();
            String file = safe(name);
            Map<String, Integer> restarts = new LinkedHashMap<>();
            if (p.getStatus() != null) {
                Stream.concat(Optional.ofNullable(p.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                                Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of()).stream())
                        .forEach(s -> restarts.put(s.getName(), Optional.ofNullable(s.getRestartCount()).orElse(0)));
            }
            for (Container c : Stream.concat(Optional.ofNullable(p.getSpec().getInitContainers()).orElse(List.of()).stream(),
                    Optional.ofNullable(p.getSpec().getContainers()).orElse(List.of()).stream()).toList()) {
                String log = "logs/" + file + "." + safe(c.getName());
                w.write(log + ".log", () -> containerLog(name, c.getName(), false));
                if (restarts.getOrDefault(c.getName(), 0) > 0) {
                    w.write(log + ".previous.log", () -> containerLog(name, c.getName(), true));
                }
            }
            w.write("pods/" + file + ".yaml", () -> yaml(List.of(p)) + envNames(p));
        }
        w.write("objects/secrets.txt", () -> client.secrets().inNamespace(namespace).list().getItems().stream()
                .map(Secret::getMetadata).filter(scope::owns).map(m -> m.getName() + "\n").collect(Collectors.joining()));
        objects().forEach((kind, list) -> {
            List<? extends HasMetadata> items = w.answer(kind, list).orElse(List.<HasMetadata>of()).stream()
                    .filter(o -> scope.owns(o.getMetadata())).toList();
            if (!items.isEmpty()) {
                w.write("objects/" + kind + ".yaml", () -> yaml(items));
            }
        });
        w.writeErrors();
        return w.written;
    }

    /** The namespace's objects other than its pods and Secrets, by kind, as the cluster lists them. */
    private Map<String, Supplier<List<? extends HasMetadata>>> objects() {
        Map<String, Supplier<List<? extends HasMetadata>>> kinds = new LinkedHashMap<>();
        kinds.put("services", () -> client.services().inNamespace(namespace).list().getItems());
        kinds.put("endpoints", () -> client.endpoints().inNamespace(namespace).list().getItems());
        kinds.put("configmaps", () -> client.configMaps().inNamespace(namespace).list().getItems());
        kinds.put("persistentvolumeclaims", () -> client.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        kinds.put("deployments", () -> client.apps().deployments().inNamespace(namespace).list().getItems());
        kinds.put("replicasets", () -> client.apps().replicaSets().inNamespace(namespace).list().getItems());
        kinds.put("jobs", () -> client.batch().v1().jobs().inNamespace(namespace).list().getItems());
        kinds.put("cronjobs", () -> client.genericKubernetesResources(new CronJobRuns(client, namespace).servedVersion(),
                "CronJob").inNamespace(namespace).list().getItems());
        kinds.put("serviceaccounts", () -> client.serviceAccounts().inNamespace(namespace).list().getItems());
        kinds.put("roles", () -> client.rbac().roles().inNamespace(namespace).list().getItems());
        kinds.put("rolebindings", () -> client.rbac().roleBindings().inNamespace(namespace).list().getItems());
        kinds.put("networkpolicies", () -> client.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
        return kinds;
    }

    /**
     * The whole log of a container's instance that exited, redacted: the current instance while it is the one
     * terminated, else the previous one; null when it cannot be read: as the kubelet restarts a container it may have
     * removed the ended one already (« unable to retrieve container logs for containerd://… »).
     */
    String endedLog(String pod, String container, boolean currentEnded) {
        String log = containerLog(pod, container, !currentEnded);
        return log.startsWith("(no log:") || log.startsWith("unable to retrieve container logs") ? null : Secrets.redact(log);
    }

    /** A container's full log (its previous instance's), or why there is none (a container still waiting, say). */
    private String containerLog(String pod, String container, boolean previous) {
        try {
            var c = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
            String log = previous ? c.terminated().getLog() : c.getLog();
            return log == null ? "" : log;
        } catch (KubernetesClientException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The names (never the values) of the env each container takes from a Secret ({@code envFrom}: the harness gives a
     * plan's env to its pod that way, so the pod's YAML shows the Secret, not the names), as YAML comments.
     */
    private String envNames(Pod p) {
        StringBuilder s = new StringBuilder();
        for (Container c : Stream.concat(Optional.ofNullable(p.getSpec().getInitContainers()).orElse(List.of()).stream(),
                Optional.ofNullable(p.getSpec().getContainers()).orElse(List.of()).stream()).toList()) {
            for (var from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
                if (from.getSecretRef() == null) {
                    continue;
                }
                String secret = from.getSecretRef().getName();
                Secret found = client.secrets().inNamespace(namespace).withName(secret).get();
                Set<String> keys = new TreeSet<>();
                if (found != null) {
                    keys.addAll(Optional.ofNullable(found.getData()).orElse(Map.of()).keySet());
                    keys.addAll(Optional.ofNullable(found.getStringData()).orElse(Map.of()).keySet());
                }
                s.append("# container ").append(c.getName()).append(": env from Secret ").append(secret).append(": ")
                        .append(found == null ? "(the Secret is gone)" : String.join(", ", keys)).append('\n');
            }
        }
        return s.toString();
    }

    /** Objects as YAML documents, without their managedFields (the API server's bookkeeping). */
    private String yaml(List<? extends HasMetadata> objects) {
        StringBuilder s = new StringBuilder();
        for (HasMetadata o : objects) {
            o.getMetadata().setManagedFields(null);
            s.append(client.getKubernetesSerialization().asYaml(o));
        }
        return s.toString();
    }

    /** A name as a file name's part: a pod's or container's name is one already (a DNS label), anything else made so. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9.-]+", "_").replaceAll("^\\.+", "_");
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** Writes the evidence files, redacted, and notes what the cluster did not answer instead of stopping there. */
    private static final class Writer {
        private final Path dir;
        private final List<Path> written = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();

        Writer(Path dir) {
            this.dir = dir;
        }

        <T> Optional<T> answer(String what, Supplier<T> question) {
            try {
                return Optional.of(question.get());
            } catch (KubernetesClientException | IllegalStateException e) {
                errors.add(what + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        void write(String file, Supplier<String> text) {
            answer(file, text).ifPresent(t -> save(file, t));
        }

        void writeErrors() {
            if (!errors.isEmpty()) {
                save("errors.txt", "what the cluster did not answer:\n" + String.join("\n", errors) + "\n");
            }
        }

        private void save(String file, String text) {
            Path path = dir.resolve(file);
            try {
                Files.createDirectories(path.getParent());
                if (written.contains(path)) { // a second log kept under one pod's name: after the first
                    Files.writeString(path, Secrets.redact(text), StandardOpenOption.APPEND);
                    return;
                }
                Files.writeString(path, Secrets.redact(text));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the cluster's evidence " + path, e);
            }
            written.add(path);
        }
    }
}
